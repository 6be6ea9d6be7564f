"""The Quora experiment: a random one-hidden-layer ReLU network, sampled from −100 to 100 in steps of 0.01.

This reproduces Nathan Yan's figure (output in blue, slope changes in green, negative units in orange) and puts the
exact analysis beside the grid, so the prose can compare what sampling sees with what is there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..explorer import explorer_query
from ..network import Network
from ..pieces import analyze_line
from ..sampling import QUORA_HI, QUORA_LO, QUORA_STEP, measure_on_grid, sampled_kink_count
from ..style import Palette
from ._draw import quora_panels
from ._spec import FigureData
from ._text import QUORA_CREDIT, count, exact, number

TITLE = "The Quora experiment: a random ReLU network"
CAPTION = (
    "Nathan Yan's experiment, redrawn: a random network with one input, {width} ReLU hidden units and one output, "
    "evaluated at {points} points from −100 to 100. Top: the output. Middle: where the finite-difference slope "
    "changes ({marks} marked points, {sampled_kinks} places once neighbouring marks are merged). Bottom: how many hidden units have a negative input, between {negative_min} "
    "and {negative_max}."
)
ALT = (
    "Three stacked plots sharing the x axis from −100 to 100. The output is a chain of straight segments with {kinks} "
    "corners; the middle plot spikes exactly at those corners; the bottom step plot of negative units moves up or "
    "down by one at each corner."
)
CREDIT = QUORA_CREDIT  # repeated in the figure's citation
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")
NEAR_ZERO = 5.0  # kinks within this distance of zero are counted as crowded there (the standard-init figure)


def measure(width: int, seed: int, init: str, activation: str) -> FigureData:
    """The experiment for one variant of the network; the other two Quora-experiment figures reuse it."""
    net = Network.random([1, width, 1], activation=activation, init=init, seed=seed)
    samples = measure_on_grid(net, QUORA_LO, QUORA_HI, QUORA_STEP)
    pieces = analyze_line(net, QUORA_LO, QUORA_HI)
    kinks = pieces.breakpoints
    published = pieces.to_dict() | {
        "grid": {"lo": QUORA_LO, "hi": QUORA_HI, "step": QUORA_STEP, "points": len(samples.x)}
    }
    series = {"x": samples.x, "output": samples.output, "slope_changed": samples.slope_changed, "negative": samples.negative}
    facts = {
        "width": count(width),
        "seed": count(seed),
        "init": init,
        "points": count(len(samples.x)),
        "kinks": count(len(kinks)),
        "boundaries": count(len(pieces.boundaries)),
        "linear_pieces": count(pieces.linear_pieces),
        "sampled_kinks": count(sampled_kink_count(samples)),
        "marks": count(np.count_nonzero(samples.slope_changed)),
        "negative_min": count(samples.negative.min()),
        "negative_max": count(samples.negative.max()),
        "slope_min": number(pieces.slopes.min()),
        "slope_max": number(pieces.slopes.max()),
        "near_zero": exact(NEAR_ZERO),
        "kinks_near_zero": count(np.count_nonzero(np.abs(kinks) < NEAR_ZERO)),
    }
    link = explorer_query(width, seed, init=init, activation=activation)
    return FigureData(published, series, facts, link)


def compute(width: int, seed: int) -> FigureData:
    return measure(width, seed, init="spread", activation="relu")


def draw_panels(data: FigureData, palette: Palette, title: str) -> Any:
    s = data.series
    return quora_panels(s["x"], s["output"], s["slope_changed"], s["negative"], palette, title)


def draw(data: FigureData, palette: Palette) -> Any:
    return draw_panels(data, palette, "ReLU network, one hidden layer")
