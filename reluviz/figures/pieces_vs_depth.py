"""At random initialisation, depth does not multiply pieces: Hanin and Rolnick's measurement, with the exact counter.

For each total N of hidden neurons split into L equal layers, many He-initialised networks are counted exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import pieces_at_random_init
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import count_list, number

TITLE = "At random initialisation, depth does not multiply pieces"
CAPTION = (
    "Mean and standard deviation of the linear pieces on {interval} over {networks} He-initialised networks per "
    "setting. Left: at a fixed total of N hidden neurons, going from 1 to {deepest} layers changes the count by a "
    "factor of at most {max_ratio}, where doubling per layer would give {two_power_ratio}. Right: the count grows in "
    "step with N."
)
ALT = (
    "Left, on a log scale, four nearly flat lines of piece counts against depth, far below a dashed line that doubles "
    "with every layer. Right, piece counts rising in straight lines with the number of neurons, one line per depth, "
    "close together."
)
PARAMS: dict[str, Any] = {"seed": 0, "networks": 100}
SITE_PARAMS = ("seed",)
LIMITS: dict[str, tuple[float, float]] = {"seed": (0, 2**63 - 1), "networks": (1, 1000)}  # the range each parameter may take
TOTALS, DEPTHS, INTERVAL = [16, 32, 64, 128], [1, 2, 4, 8], (-5.0, 5.0)


def compute(seed: int, networks: int) -> FigureData:
    result = pieces_at_random_init(TOTALS, DEPTHS, networks, INTERVAL, seed)
    mean, std = result.mean, result.std
    row = TOTALS.index(64)
    published = {
        "totals": TOTALS,
        "depths": DEPTHS,
        "interval": list(INTERVAL),
        "networks_per_setting": networks,
        "init": "he",
        "mean_pieces": mean.tolist(),
        "std_pieces": std.tolist(),
    }
    facts = {
        "networks": str(networks),
        "settings": str(len(TOTALS) * len(DEPTHS)),
        "total": "64",
        "depth_list": count_list(np.array(DEPTHS), 1),
        "mean_64": count_list(mean[row], 3),
        "ratio_64": number(mean[row, -1] / mean[row, 0], 2),
        "max_ratio": number((mean[:, -1] / mean[:, 0]).max(), 2),
        "two_power_ratio": str(2 ** DEPTHS[-1] // 2 ** DEPTHS[0]),
        "per_neuron": number(np.mean(mean[:, 0] / np.array(TOTALS)), 2),
        "deepest": str(DEPTHS[-1]),
        "narrowest": str(TOTALS[0] // DEPTHS[-1]),
        "narrow_mean": number(mean[0, -1], 2),
        "interval": f"[{number(INTERVAL[0])}, {number(INTERVAL[1])}]",
    }
    doubling = mean[-1, 0] * 2.0 ** (np.array(DEPTHS) - DEPTHS[0])
    return FigureData(published, {"mean": mean, "std": std, "doubling": doubling}, facts)


def draw(data: FigureData, palette: Palette) -> Any:
    p, s = data.published, data.series
    depths, totals = np.array(p["depths"]), p["totals"]
    fig, axes = new_figure(1, 2, height=3.2)
    left, right = axes[0]
    colours = [palette.output, palette.slope_change, palette.negative, palette.accent]
    markers = ["o", "s", "^", "D"]
    for i, total in enumerate(totals):
        left.errorbar(depths, s["mean"][i], yerr=s["std"][i], color=colours[i], marker=markers[i], label=f"N = {total}")
    left.plot(depths, s["doubling"], color=palette.muted, linestyle="--", label="× 2 per layer")
    left.set_yscale("log")
    left.set_xscale("log", base=2)
    left.set_xticks(depths, [str(d) for d in depths])
    left.set_xlabel("depth L (N/L units per layer)")
    left.set_ylabel(f"linear pieces on {data.facts['interval']}")
    left.legend(fontsize=7)
    for j, depth in enumerate(depths):
        right.plot(totals, s["mean"][:, j], color=colours[j], marker=markers[j], label=f"L = {depth}")
    right.set_xlabel("total hidden neurons N")
    right.set_ylabel("mean linear pieces")
    right.legend(fontsize=7)
    return fig
