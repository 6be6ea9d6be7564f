"""Linear regions of a two-input network, counted exactly by cutting polygons, with a pixel count beside them.

One hidden layer is an arrangement of lines; a second layer, on top of the same first layer, bends its boundaries
where they cross the first's. Both are drawn and counted on the same square, small enough to see the regions in it
(its half-width is a little more than the 2/3 quantile of how far out the first layer's crossings lie; the share
it holds is computed), and both are counted over the whole plane as well.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..explorer import plane_query
from ..network import Network
from ..portable_random import derived_seed
from ..regions import (
    activation_regions,
    first_layer_crossings,
    lines_in_general_position_regions,
    pixel_region_count,
    whole_plane_regions,
)
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, number, percent

TITLE = "Linear regions of a two-input network"
CAPTION = (
    "Each coloured polygon is one linear region, computed exactly; both networks are drawn on the same square. (a) "
    "{units} ReLU units in one layer are {units} lines, which cut the square into {shallow_exact} regions and the "
    "whole plane into {shallow_whole} (the formula gives {formula}). (b) a second layer of {units} units on top "
    "of the same first layer bends its boundaries where they meet the first layer's lines: {deep_exact} regions in "
    "the square, {deep_whole} in the whole plane."
)
ALT = (
    "Panel (a), a square cut by straight lines into convex coloured cells. Panel (b), a square cut into cells whose boundary "
    "lines change direction where they cross other lines."
)
PARAMS: dict[str, Any] = {"units": 6, "seed": 0, "pixels": 300}
SITE_PARAMS = ("seed",)
LIMITS: dict[str, tuple[float, float]] = {"units": (1, 24), "pixels": (1, 2000)}  # beyond STANDARD_LIMITS
SQUARE_MARGIN = 1.15  # room around the crossings the square is chosen to hold
SQUARE_QUANTILE = 2 / 3  # the square's half-width is SQUARE_MARGIN times this quantile of the crossings' reach
SHADES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]


def cost(units: int, seed: int, pixels: int) -> Cost:
    """The pixels dominate (an activation pattern per pixel, for both networks); the exact count of the whole
    plane grows with the fourth power of the units (measured on this project's 2-core machine, with room)."""
    area = pixels * pixels
    return Cost(seconds=2e-6 * area * (units + 4) + 3e-5 * units**4 + 0.5, bytes=PROCESS_BYTES + area * (48 * units + 64), drivers=("units", "pixels"))


def compute(units: int, seed: int, pixels: int) -> FigureData:
    shallow = Network.random([2, units, 1], init="standard", seed=seed)
    on_top = Network.random([units, units, 1], init="standard", seed=derived_seed(seed, 1))
    deep = Network([shallow.layers[0], *on_top.layers])
    reach = np.abs(first_layer_crossings(shallow)).max(axis=1)
    half = SQUARE_MARGIN * float(np.quantile(reach, SQUARE_QUANTILE)) if len(reach) else 1.0
    crossings_inside = int(np.count_nonzero(reach <= half))
    panels = {"shallow": (shallow, half), "deep": (deep, half)}
    published: dict[str, Any] = {}
    series: dict[str, np.ndarray] = {}
    counts = {}
    for name, (net, half) in panels.items():
        regions = activation_regions(net, -half, half)
        pixel_count, _ = pixel_region_count(net, -half, half, pixels)
        counts[name] = (len(regions), pixel_count)
        published[name] = net.to_dict() | {"square": [-half, half], "exact_regions": len(regions), "pixel_regions": pixel_count,
                                           "pixels": pixels}
        series[f"{name}_polygons"] = np.array([r.polygon for r in regions], dtype=object)
        series[f"{name}_half"] = np.array(half)
    whole = {name: whole_plane_regions(net)[0] for name, (net, _) in panels.items()}
    for name in panels:
        published[name]["whole_plane_regions"] = len(whole[name])
    facts = {
        "units": count(units),
        "formula": count(lines_in_general_position_regions(units)),
        "shallow_whole": count(len(whole["shallow"])),
        "deep_whole": count(len(whole["deep"])),
        "shallow_exact": count(counts["shallow"][0]),
        "shallow_pixels": count(counts["shallow"][1]),
        "deep_exact": count(counts["deep"][0]),
        "deep_pixels": count(counts["deep"][1]),
        "pixels": f"{count(pixels)} × {count(pixels)}",
        "half": number(panels["shallow"][1]),
        "crossings": count(len(reach)),
        "crossings_inside": count(crossings_inside),
        "crossings_share": percent(crossings_inside / len(reach)) if len(reach) else "0%",
    }
    return FigureData(published, series, facts, plane=plane_query(units, seed, init="standard", half=panels["shallow"][1]))


def draw(data: FigureData, palette: Palette) -> Any:
    from matplotlib.collections import PolyCollection

    fig, axes = new_figure(1, 2, height=3.6)
    for ax, name, title in ((axes[0, 0], "shallow", "one hidden layer"), (axes[0, 1], "deep", "two hidden layers")):
        polygons = list(data.series[f"{name}_polygons"])
        colours = [SHADES[i % len(SHADES)] for i in range(len(polygons))]
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors=palette.text, linewidths=0.5, alpha=0.55))
        half = float(data.series[f"{name}_half"])
        ax.set_xlim(-half, half)
        ax.set_ylim(-half, half)
        ax.set_aspect("equal")
        ax.set_title(f"{title}: {len(polygons)} regions", fontsize=9)
        ax.set_xlabel("input x₁")
        ax.grid(False)
    axes[0, 0].set_ylabel("input x₂")
    return fig
