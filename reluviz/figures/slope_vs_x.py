"""The derivative do2/di1: the constant BA for the linear network, the step function B·D(x)·A for ReLU.

The ReLU slopes come from the exact analysis; the Jacobian formula is evaluated at every piece's middle as a check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..explorer import explorer_query
from ..network import Network
from ..pieces import analyze_line
from ..sampling import QUORA_HI, QUORA_LO
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import agreement, count, number, tex_exact_matrix

TITLE = "The derivative: constant for a linear network, a step function for ReLU"
CAPTION = (
    "The slope of the output against x. The linear network's slope is the constant BA = {BA}; the ReLU network's "
    "slope B·D(x)·A takes {relu_slopes} different values, from {slope_min} to {slope_max}, changing wherever the "
    "mask D(x) changes."
)
ALT = (
    "A horizontal dashed line for the linear network's constant slope, and a staircase for the ReLU network's slope "
    "that jumps at every kink."
)
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")


def compute(width: int, seed: int) -> FigureData:
    relu_net = Network.random([1, width, 1], seed=seed)
    linear_net = Network.random([1, width, 1], activation="identity", seed=seed)
    relu_pieces = analyze_line(relu_net, QUORA_LO, QUORA_HI)
    linear_pieces = analyze_line(linear_net, QUORA_LO, QUORA_HI)
    middles = 0.5 * (relu_pieces.edges[:-1] + relu_pieces.edges[1:])
    jacobian_error = float(np.abs(relu_net.jacobian(middles)[:, 0, 0] - relu_pieces.slopes[:, 0]).max())
    x0 = float(middles[np.argmin(np.abs(middles))])
    mask = relu_net.activation.derivative(relu_net.preactivations(np.array([x0]))[0][0])
    published = {"relu": relu_pieces.to_dict(), "linear": linear_pieces.to_dict(), "jacobian_max_abs_difference": jacobian_error}
    facts = {
        "BA": number(linear_pieces.slopes[0, 0]),
        "relu_slopes": count(len(np.unique(np.round(relu_pieces.slopes[:, 0], 12)))),
        "pieces": count(relu_pieces.linear_pieces),
        "slope_min": number(relu_pieces.slopes.min()),
        "slope_max": number(relu_pieces.slopes.max()),
        "jacobian_agreement": agreement(jacobian_error),
        "x0": number(x0),
        "D_x0": tex_exact_matrix(mask),
        "active_x0": count(mask.sum()),
        "slope_x0": number(relu_net.jacobian(np.array([x0]))[0, 0, 0]),
    }
    series = {"relu_edges": relu_pieces.edges, "relu_slopes": relu_pieces.slopes[:, 0], "linear_slope": linear_pieces.slopes[:, 0]}
    return FigureData(published, series, facts, explorer_query(width, seed))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(height=3.2)
    ax = axes[0, 0]
    edges, slopes = s["relu_edges"], s["relu_slopes"]
    ax.stairs(slopes, edges, baseline=None, color=palette.output, linewidth=2, label="ReLU network: B·D(x)·A")
    ax.hlines(s["linear_slope"][0], edges[0], edges[-1], color=palette.linear, linestyle="--", linewidth=2,
              label="linear network: BA")
    ax.set_xlabel("input x")
    ax.set_ylabel("slope d(output)/dx")
    ax.set_xlim(edges[0], edges[-1])
    ax.legend(loc="best")
    return fig
