"""The Quora experiment with every weight and bias standard normal: the kinks crowd near zero.

It explains why the site draws its networks with the spread initialisation: with standard-normal weights a
unit's kink sits at −aⱼ/Aⱼ, a ratio of two normals, and most kinks land too close to zero to be seen over ±100.
"""

from __future__ import annotations

import math
from typing import Any

from ..style import Palette
from ._spec import FigureData
from ._text import QUORA_CREDIT, exact, percent
from .relu_network_1d import draw_panels, measure

TITLE = "Standard-normal weights hide the kinks"
CAPTION = (
    "Nathan Yan's experiment with every weight and bias drawn from a standard normal: a unit's kink sits at −aⱼ/Aⱼ, the ratio of two "
    "normals, so {kinks_near_zero} of the {kinks} kinks lie within {near_zero} of zero: from −100 to 100 the output looks "
    "like a few straight segments."
)
ALT = (
    "Three stacked plots over −100 to 100: the output looks like a few long straight lines meeting near zero, and "
    "all slope-change spikes and negative-count steps crowd around x = 0."
)
CREDIT = QUORA_CREDIT  # repeated in the figure's citation
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")
CAUCHY_WITHIN = {"small": 1.0, "large": 5.0}  # the distances from zero the page quotes the Cauchy shares for


def compute(width: int, seed: int) -> FigureData:
    data = measure(width, seed, init="standard", activation="relu")
    # The ratio of two independent standard normals is standard Cauchy: P(|r| ≤ t) = (2/π)·arctan(t).
    within = {f"cauchy_{name}_share": percent(2 / math.pi * math.atan(t)) for name, t in CAUCHY_WITHIN.items()}
    within |= {f"cauchy_{name}": exact(t) for name, t in CAUCHY_WITHIN.items()}
    return FigureData(data.published, data.series, data.facts | within, data.explorer)


def draw(data: FigureData, palette: Palette) -> Any:
    return draw_panels(data, palette, "ReLU network, standard-normal weights and biases")
