"""Depth doubles the pieces: the tent map composed with itself, counted exactly for each depth.

The construction of Montúfar et al. (2014) and Telgarsky (2016): L hidden layers of 2 ReLUs give 2^L pieces.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import max_pieces_one_input, sawtooth_network
from ..pieces import analyze_line
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import count_list

TITLE = "Depth doubles the pieces: the composed tent map"
CAPTION = (
    "A tent map made of two ReLUs, composed with itself: the network with L hidden layers of 2 units has 2ᴸ linear "
    "pieces on [0, 1]. Counted exactly for L = 1 … {max_depth}: {counts}."
)
ALT = "Four zig-zag plots on [0, 1] with 2, 4, 8 and 16 straight pieces, each twice as many teeth as the one before."
PARAMS: dict[str, Any] = {"max_depth": 8}
SITE_PARAMS: tuple[str, ...] = ()
LIMITS: dict[str, tuple[float, float]] = {"max_depth": (1, 16)}  # beyond STANDARD_LIMITS


def compute(max_depth: int) -> FigureData:
    depths = list(range(1, max_depth + 1))
    counts = [analyze_line(sawtooth_network(d), 0.0, 1.0).linear_pieces for d in depths]
    x = np.linspace(0.0, 1.0, 4097)
    drawn = [d for d in (1, 2, 3, 4) if d <= max_depth]
    series = {f"depth_{d}": sawtooth_network(d).forward(x)[:, 0] for d in drawn} | {"x": x}
    published = {"depths": depths, "linear_pieces": counts, "two_to_the_depth": [2**d for d in depths], "drawn_depths": drawn}
    facts = {
        "max_depth": str(max_depth),
        "counts": count_list(np.array(counts), 6),
        "all_match": "every" if counts == [2**d for d in depths] else "not every",
        "last_count": str(counts[-1]),
        "units_last": str(2 * max_depth),
        "one_layer_units": str(counts[-1] - 1),  # n units in one layer give at most n + 1 pieces
        "bound_last": f"{max_pieces_one_input([2] * max_depth):,}",
    }
    return FigureData(published, series, facts)


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    drawn = data.published["drawn_depths"]
    fig, axes = new_figure(1, len(drawn), height=2.4, sharey=True)
    for ax, depth in zip(axes[0], drawn):
        ax.plot(s["x"], s[f"depth_{depth}"], color=palette.output)
        ax.set_title(f"depth {depth}: {2 ** depth} pieces", fontsize=9)
        ax.set_xlabel("input x")
        ax.set_xticks([0, 0.5, 1], ["0", "½", "1"])  # short labels, so neighbouring panels' labels do not touch
    axes[0, 0].set_ylabel("output")
    return fig
