"""Biases move the kinks: the site network with and without its biases.

Without biases every first-layer unit switches at x = 0; with them, unit j switches at x = −aⱼ/Aⱼ (weights A,
biases a). The predicted places are computed from the weights and compared with the exact analysis; the identity in
place of ReLU gives the affine map the page's counterexample to additivity is computed from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import without_biases
from ..explorer import explorer_query
from ..network import Network, collapse
from ..pieces import analyze_line
from ..sampling import QUORA_HI, QUORA_LO, grid
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import affine, agreement, count, decimal_text, number, number_list, shown_decimal, tex_number

TITLE = "Biases move the kinks"
CAPTION = (
    "(a) the site network with its biases removed; every unit switches at x = 0, so the output is two straight "
    "rays. (b) with biases, unit j switches at x = −aⱼ/Aⱼ, the dotted lines, and the output has {with_kinks} "
    "kinks."
)
ALT = (
    "Panel (a), a single corner at x = 0 joining two straight rays. Panel (b), a curve made of many straight pieces, with a "
    "dotted vertical line at every corner."
)
PARAMS: dict[str, Any] = {"width": 10, "seed": 0}
SITE_PARAMS = ("width", "seed")


def compute(width: int, seed: int) -> FigureData:
    with_bias = Network.random([1, width, 1], seed=seed)
    without_bias = without_biases(with_bias, "relu")
    weights, biases = with_bias.layers[0].weight[:, 0], with_bias.layers[0].bias
    predicted = np.sort(-biases[weights != 0] / weights[weights != 0])
    with_pieces = analyze_line(with_bias, QUORA_LO, QUORA_HI)
    without_pieces = analyze_line(without_bias, QUORA_LO, QUORA_HI)
    linear = Network(with_bias.layers, "identity")
    collapsed = collapse(linear)
    x = grid()
    affine_error = float(np.abs(collapsed(x[:, None]) - linear.forward(x)).max())
    inside = predicted[(predicted > QUORA_LO) & (predicted < QUORA_HI)]
    if len(inside) != len(with_pieces.boundaries):
        raise ValueError(f"the exact analysis found {len(with_pieces.boundaries)} switches where {len(inside)} were predicted")
    published = {"with_biases": with_pieces.to_dict(), "without_biases": without_pieces.to_dict(), "predicted_kinks": predicted.tolist()}
    weight1, bias1, kink1 = number(weights[0]), number(biases[0]), number(-biases[0] / weights[0])
    from_shown = number(float(-shown_decimal(bias1) / shown_decimal(weight1)))
    slope_tex, intercept_tex = tex_number(collapsed.weight[0, 0]), tex_number(collapsed.bias[0])
    facts = {
        "width": count(width),
        "without_boundaries": number_list(without_pieces.boundaries) if len(without_pieces.boundaries) else "none",
        "without_pieces": count(without_pieces.linear_pieces),
        "with_kinks": count(len(with_pieces.breakpoints)),
        "predicted": agreement(np.abs(inside - with_pieces.boundaries).max() if len(inside) else 0.0),
        "weight1": weight1,
        "bias1": bias1,
        # The shown weight and bias, divided, give the shown place; if rounding ever breaks that, the page says so.
        "kink1": kink1 if from_shown == kink1 else f"{kink1} (from the unrounded numbers; the rounded ones give {from_shown})",
        "affine_map": affine(slope_tex, intercept_tex, tex=True),
        "affine_b": intercept_tex,
        "affine_2b": decimal_text(2 * shown_decimal(intercept_tex), tex=True),  # twice the shown intercept
        "affine_agreement": agreement(affine_error),
    }
    series = {"x": x, "with": with_bias.forward(x)[:, 0], "without": without_bias.forward(x)[:, 0], "predicted": predicted}
    return FigureData(published, series, facts, explorer_query(width, seed))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 2, height=3.0, sharey=False)
    panels = (
        (axes[0, 0], "without", "no biases: o = B·relu(A·x)", palette.linear),
        (axes[0, 1], "with", "with biases: o = B·relu(A·x + a) + b", palette.output),
    )
    for ax, key, title, colour in panels:
        ax.plot(s["x"], s[key], color=colour)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("input x")
        ax.set_xlim(s["x"][0], s["x"][-1])
    axes[0, 0].axvline(0, color=palette.muted, linestyle=":", linewidth=1)
    axes[0, 0].set_ylabel("output")
    for kink in s["predicted"]:
        axes[0, 1].axvline(kink, color=palette.muted, linestyle=":", linewidth=1)
    return fig
