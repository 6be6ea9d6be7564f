"""The Quora experiment with the identity in place of ReLU: the same weights draw one straight line.

The orange series still counts the units whose input is negative; the identity passes those inputs through, so
the count changes while the output's slope does not.
"""

from __future__ import annotations

from typing import Any

from ..style import Palette
from ._spec import FigureData
from ._text import QUORA_CREDIT
from .relu_network_1d import draw_panels, measure

TITLE = "The Quora experiment with a linear network"
CAPTION = (
    "Nathan Yan's experiment with the identity in place of ReLU and the same weights: the output is one straight line and the slope never "
    "changes ({sampled_kinks} marks). Between {negative_min} and {negative_max} hidden units still have a negative "
    "input, but the identity passes negative numbers through, so their count changes nothing."
)
ALT = (
    "Three stacked plots: a single straight line on top, a flat line at 'no' in the middle, and below it a step "
    "plot of negative units that changes without any effect on the line."
)
CREDIT = QUORA_CREDIT  # repeated in the figure's citation
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")


def compute(width: int, seed: int) -> FigureData:
    return measure(width, seed, init="spread", activation="identity")


def draw(data: FigureData, palette: Palette) -> Any:
    return draw_panels(data, palette, "Linear network (identity activation)")
