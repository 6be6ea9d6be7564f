"""Two linear layers are one matrix: o1 = A·i1 and o2 = B·o1 = (BA)·i1, on the site network's own weights.

The figure checks the algebra numerically: the two-layer network and the single product agree to rounding error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import without_biases
from ..explorer import explorer_query
from ..network import Network, collapse
from ..sampling import grid
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import agreement, count, number, shown_dot, tex_matrix, tex_number

TITLE = "Two linear layers are one matrix"
CAPTION = (
    "The two-layer linear network B·(A·x) and the single product (BA)·x, with the site network's own A and B, "
    "evaluated at {points} points: they agree {agreement}, as the algebra says they must (up to rounding)."
)
ALT = (
    "Two lines on top of each other, a thick one for the two-layer network and a dashed one for the single matrix "
    "product; they coincide everywhere, a straight line through the origin."
)
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")


def compute(width: int, seed: int) -> FigureData:
    net = without_biases(Network.random([1, width, 1], seed=seed), "identity")
    single = collapse(net)
    x = grid()
    two_layers = net.forward(x)[:, 0]
    one_product = single(x[:, None])[:, 0]
    error = float(np.abs(two_layers - one_product).max())
    a, b = net.layers[0].weight, net.layers[1].weight
    published = net.to_dict() | {"product": single.weight.tolist(), "max_abs_difference": error}
    _, _, product_of_shown = shown_dot(a[:, 0], b[0])  # what the rounded entries on the page multiply to
    ba_text = number(single.weight[0, 0])
    shown_text = number(float(product_of_shown))
    facts = {
        "width": count(width),
        "A_T": tex_matrix(a[:, 0]),
        "B": tex_matrix(b[0]),
        "BA": tex_number(single.weight[0, 0]),
        "BA_text": ba_text,
        "rounding_note": (
            f"Multiplied out, the rounded entries shown above give {shown_text} too."
            if shown_text == ba_text else
            f"Multiplied out, the rounded entries shown above give {shown_text} instead: the difference is their rounding."
        ),
        "agreement": agreement(error),
        "points": count(len(x)),
    }
    series = {"x": x, "two_layers": two_layers, "one_product": one_product}
    return FigureData(published, series, facts, explorer_query(width, seed, activation="identity", biases=False))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(height=3.0)
    ax = axes[0, 0]
    ax.plot(s["x"], s["two_layers"], color=palette.linear, linewidth=4, alpha=0.55, label="two layers: B·(A·x)")
    ax.plot(s["x"], s["one_product"], color=palette.text, linestyle="--", label="one matrix: (BA)·x")
    ax.set_xlabel("input x")
    ax.set_ylabel("output")
    ax.set_xlim(s["x"][0], s["x"][-1])
    falling = s["two_layers"][-1] < s["two_layers"][0]
    ax.legend(loc="upper right" if falling else "upper left")  # the corner the line does not pass through
    return fig
