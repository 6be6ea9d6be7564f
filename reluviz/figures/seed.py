"""Chapter 1–2 figures: the seed's experiment with a ReLU network and with a linear one."""

from __future__ import annotations

from functools import partial

import numpy as np

from ..network import random_network
from ..pieces import analyze_line
from ..sampling import measure_on_grid, sampled_kink_count
from ..style import Palette
from .drawing import seed_panels
from .registry import FigureData, FigureSpec
from .text import number

LO, HI, STEP = -100.0, 100.0, 0.01


def seed_experiment(width: int = 10, seed: int = 0, init: str = "spread", activation: str = "relu") -> FigureData:
    """The Quora comment's experiment on a random one-hidden-layer network, with the exact pieces beside it."""
    net = random_network(width, seed=seed, init=init, activation=activation)
    samples = measure_on_grid(net, LO, HI, STEP)
    pieces = analyze_line(net, LO, HI)
    kinks = pieces.breakpoints
    published = pieces.to_dict() | {"grid": {"lo": LO, "hi": HI, "step": STEP, "points": len(samples.x)}}
    series = {"x": samples.x, "output": samples.output, "slope_changed": samples.slope_changed, "inactive": samples.inactive}
    facts = {
        "width": str(width),
        "seed": str(seed),
        "init": init,
        "points": f"{len(samples.x):,}",
        "kinks": str(len(kinks)),
        "boundaries": str(len(pieces.boundaries)),
        "linear_pieces": str(pieces.linear_pieces),
        "sampled_kinks": str(sampled_kink_count(samples)),
        "inactive_min": str(int(samples.inactive.min())),
        "inactive_max": str(int(samples.inactive.max())),
        "slope_min": number(pieces.slopes.min()),
        "slope_max": number(pieces.slopes.max()),
        "kinks_near_zero": str(int(np.count_nonzero(np.abs(kinks) < 5))),
        "first_kink": number(kinks[0]) if len(kinks) else "none",
        "last_kink": number(kinks[-1]) if len(kinks) else "none",
    }
    return FigureData(published, series, facts)


def draw_seed(data: FigureData, palette: Palette, title: str):
    s = data.series
    return seed_panels(s["x"], s["output"], s["slope_changed"], s["inactive"], palette, title)


SPECS = [
    FigureSpec(
        id="relu-network-1d",
        title="The seed's experiment: a random ReLU network",
        caption=(
            "A random network with one input, {width} ReLU hidden units and one output, evaluated at {points} points "
            "from −100 to 100. Top: the output. Middle: where the finite-difference slope changes ({sampled_kinks} "
            "places). Bottom: how many hidden units are negative, between {inactive_min} and {inactive_max}."
        ),
        alt=(
            "Three stacked plots sharing the x axis from −100 to 100. The output is a chain of straight segments "
            "with {kinks} corners; the middle plot spikes exactly at those corners; the bottom step plot of negative "
            "units moves up or down by one at each corner."
        ),
        compute=seed_experiment,
        draw=partial(draw_seed, title="ReLU network, one hidden layer"),
    ),
    FigureSpec(
        id="linear-network-1d",
        title="The same experiment with a linear network",
        caption=(
            "The same weights with the identity in place of ReLU: the output is one straight line, the slope never "
            "changes ({sampled_kinks} marks) and no unit is ever counted as negative, because the identity has no "
            "'off' side."
        ),
        alt="Three stacked plots: a single straight line on top, and two flat lines at zero below it.",
        compute=partial(seed_experiment, activation="identity"),
        draw=partial(draw_seed, title="Linear network (identity activation)"),
    ),
    FigureSpec(
        id="standard-init-1d",
        title="Standard-normal weights hide the kinks",
        caption=(
            "With every weight and bias drawn from a standard normal, a unit's kink sits at −b/a, the ratio of two "
            "normals, so {kinks_near_zero} of the {kinks} kinks lie within 5 of zero: from −100 to 100 the output "
            "looks like a few straight segments."
        ),
        alt="Three stacked plots over −100 to 100: the output looks like a few long straight lines meeting near zero, "
        "and all slope-change spikes and negative-count steps crowd around x = 0.",
        compute=partial(seed_experiment, init="standard"),
        draw=partial(draw_seed, title="ReLU network, standard-normal weights and biases"),
    ),
]
