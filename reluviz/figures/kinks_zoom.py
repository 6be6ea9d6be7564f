"""Up close, every piece is straight: the tightest run of kinks, sampled at the Quora step, with each exact piece.

It also carries the additivity counterexample relu(−1) + relu(1) ≠ relu(0), computed rather than typed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations import get_activation
from ..explorer import explorer_query
from ..network import Network
from ..pieces import analyze_line
from ..sampling import QUORA_HI, QUORA_LO, QUORA_STEP, grid
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import QUORA_CREDIT, count, count_list, number, number_list, shown_sum

TITLE = "Up close, every piece is straight"
CAPTION = (
    "The window from {lo} to {hi} around the kinks at {kinks}. The samples of Nathan Yan's experiment (dots) fall on the "
    "{pieces} straight pieces computed exactly (thick segments); below, the count of negative units changes by one "
    "at each kink."
)
ALT = (
    "Sample dots lying exactly on a chain of thick straight segments of alternating colour, meeting at dotted "
    "vertical lines; below, a step plot that changes at the same vertical lines."
)
CREDIT = QUORA_CREDIT  # repeated in the figure's citation
PARAMS: dict[str, Any] = {"width": 10, "seed": 0, "kinks_shown": 3}
SITE_PARAMS = ("width", "seed")
LIMITS: dict[str, tuple[float, float]] = {"kinks_shown": (1, 1000)}  # beyond STANDARD_LIMITS
MAX_DOTS = 160  # sample dots drawn; more only add bytes to the SVG


def compute(width: int, seed: int, kinks_shown: int) -> FigureData:
    net = Network.random([1, width, 1], seed=seed)
    kinks = analyze_line(net, QUORA_LO, QUORA_HI).breakpoints
    if len(kinks) < kinks_shown:
        raise ValueError(f"kinks_shown must be at most the network's {len(kinks)} kinks; got {kinks_shown}")
    spans = kinks[kinks_shown - 1 :] - kinks[: len(kinks) - kinks_shown + 1]
    first = int(np.argmin(spans))
    shown = kinks[first : first + kinks_shown]
    margin = max(0.5, 0.35 * (shown[-1] - shown[0]))
    lo, hi = np.floor((shown[0] - margin) * 100) / 100, np.ceil((shown[-1] + margin) * 100) / 100
    x = grid(lo, hi, QUORA_STEP)
    window = analyze_line(net, lo, hi)
    relu = get_activation("relu")
    additivity = {name: float(relu(np.array(v))) for name, v in (("relu(-1)", -1.0), ("relu(1)", 1.0), ("relu(0)", 0.0))}
    published = window.to_dict() | {"relu_additivity_check": additivity}
    (relu_m1, relu_1), relu_sum, (relu_0,) = shown_sum([additivity["relu(-1)"], additivity["relu(1)"]], [additivity["relu(0)"]])
    facts = {
        "lo": number(lo),
        "hi": number(hi),
        "kinks": number_list(shown),
        "pieces": count(window.linear_pieces),
        "slopes": number_list(window.slopes[:, 0]),
        "negative": count_list(window.negative),
        "relu_m1": relu_m1,
        "relu_1": relu_1,
        "relu_sum": relu_sum,
        "relu_0": relu_0,
    }
    ends = np.column_stack([window.edges[:-1], window.edges[1:]])
    piece_lines = np.stack([ends, window.intercepts[:, :1] + window.slopes[:, :1] * ends], axis=2)  # (pieces, 2, xy)
    series = {"x": x, "output": net.forward(x)[:, 0], "negative": net.negative_count(x), "edges": window.edges,
              "piece_lines": piece_lines}
    return FigureData(published, series, facts, explorer_query(width, seed, interval=(float(lo), float(hi))))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(2, 1, height=4.2, sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    top, bottom = axes[:, 0]
    from matplotlib.legend_handler import HandlerTuple

    colours = [palette.output, palette.accent]  # neighbouring pieces alternate, so each one can be told apart
    pieces = [
        top.plot(line[:, 0], line[:, 1], color=colours[k % 2], linewidth=5, alpha=0.45, solid_capstyle="butt")[0]
        for k, line in enumerate(s["piece_lines"])
    ]
    stride = max(1, len(s["x"]) // MAX_DOTS)
    (dots,) = top.plot(s["x"][::stride], s["output"][::stride], linestyle="none", marker=".", markersize=2.5,
                       color=palette.text)
    for edge in s["edges"][1:-1]:
        top.axvline(edge, color=palette.muted, linestyle=":", linewidth=1)
    top.set_ylabel("output")
    samples = f"one sample in {stride} of the 0.01 grid" if stride > 1 else "samples, step 0.01"
    top.legend([tuple(pieces[:2]), dots], ["exact linear pieces", samples], loc="best", fontsize=8,
               handler_map={tuple: HandlerTuple(ndivide=None, pad=0)})
    bottom.stairs(s["negative"][:-1], s["x"], baseline=None, color=palette.negative, linestyle=":", linewidth=2)
    bottom.set_ylabel("units\nnegative")
    bottom.yaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlabel("input x")
    bottom.set_xlim(s["x"][0], s["x"][-1])
    return fig
