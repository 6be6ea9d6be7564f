"""XOR with one hidden ReLU layer (Deep Learning, §6.1): exact outputs, the best affine model, the hidden space.

The hidden layer folds the input square so that both 1-points land on one spot, which a line then separates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import XOR_INPUTS, XOR_TARGETS, best_linear_fit, xor_network
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import agreement, exact, listing, number, number_list

TITLE = "XOR with one hidden ReLU layer"
CAPTION = (
    "(a) the four XOR inputs; circles should give 1 and crosses 0, and no straight line separates them. (b) "
    "after the hidden layer the points sit at {hidden}; the two circles meet at one point and the dashed line "
    "separates them from the crosses."
)
ALT = (
    "Panel (a), four points at the corners of a unit square, circles on one diagonal and crosses on the other. Panel (b), "
    "three points on a bent line, both circles at (1, 0), separated from the crosses by a dashed line."
)
PARAMS: dict[str, Any] = {}
SITE_PARAMS: tuple[str, ...] = ()


def compute() -> FigureData:
    net = xor_network()
    outputs = net.forward(XOR_INPUTS)[:, 0]
    hidden = np.maximum(0.0, XOR_INPUTS @ net.layers[0].weight.T + net.layers[0].bias)
    weights, bias, linear_outputs = best_linear_fit(XOR_INPUTS, XOR_TARGETS)
    published = net.to_dict() | {
        "inputs": XOR_INPUTS.tolist(),
        "targets": XOR_TARGETS.tolist(),
        "outputs": outputs.tolist(),
        "hidden": hidden.tolist(),
        "best_linear": {"weights": weights.tolist(), "bias": bias, "outputs": linear_outputs.tolist()},
    }
    facts = {
        "outputs": listing([exact(o) for o in outputs]),  # the book's network gives these exactly (checked below)
        "linear_outputs": number_list(linear_outputs),
        "linear_w": ", ".join(number(w) for w in np.round(weights, 12)),  # zero up to rounding: print the 0 it is
        "linear_b": number(bias),
        "hidden": ", ".join(f"({exact(h[0])}, {exact(h[1])})" for h in hidden),
        "agreement": agreement(float(np.abs(outputs - XOR_TARGETS).max())),
    }
    (w1, w2), b = net.layers[1].weight[0], net.layers[1].bias[0]
    h1 = np.array([-0.4, 2.4])
    half_line = np.column_stack([h1, (0.5 - b - w1 * h1) / w2])  # where w·h + b = ½ in the hidden space
    return FigureData(published, {"hidden": hidden, "half_line": half_line}, facts)


def draw(data: FigureData, palette: Palette) -> Any:
    hidden = data.series["hidden"]
    fig, axes = new_figure(1, 2, height=3.2)
    for ax, points, title, labels in (
        (axes[0, 0], XOR_INPUTS, "input space (x₁, x₂)", ("x₁", "x₂")),
        (axes[0, 1], hidden, "hidden space h = relu(Wx + c)", ("h₁", "h₂")),
    ):
        for point, target in zip(points, XOR_TARGETS):
            ax.plot(*point, linestyle="none", marker="o" if target else "X", markersize=11,
                    color=palette.output if target else palette.accent)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        ax.set_xlim(-0.4, 2.4)
        ax.set_ylim(-0.4, 1.4)
        ax.set_aspect("equal")
    line = data.series["half_line"]
    axes[0, 1].plot(line[:, 0], line[:, 1], color=palette.muted, linestyle="--", label="output = ½")
    axes[0, 1].annotate("both 1-points\nland here", xy=(1, 0), xytext=(0.05, 0.7), arrowprops={"arrowstyle": "->", "color": palette.text})
    axes[0, 1].legend(loc="lower right", fontsize=7)
    return fig
