"""Depth doubles the pieces: the tent map composed with itself, counted exactly for each depth; and, for a few small
shapes, how far the upper bound (n₁ + 1)⋯(n_L + 1) is from the most pieces a network of that shape can have.

The construction of Montúfar et al. (2014) and Telgarsky (2016): L hidden layers of 2 ReLUs give 2^L pieces on
[0, 1]. The most pieces of a shape is proved on the depth page for layers of one unit (3 from two layers on) and
for 2 × 2 (7); for the other shapes it is the largest a seeded search finds (`reluviz.measures.most_pieces_found`),
a lower bound.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..experiments import max_pieces_one_input, sawtooth_network
from ..measures import most_pieces_found
from ..network import Network
from ..pieces import analyze_line
from ..portable_random import derived_seed
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, count_list, plural

TITLE = "Depth doubles the pieces: the composed tent map"
CAPTION = (
    "A tent map made of two ReLUs, composed with itself: the network with L hidden layers of two units has 2ᴸ linear "
    "pieces on [0, 1]. Counted exactly for L = 1 … {max_depth}: {counts}."
)
ALT = "{drawn} zig-zag plots on [0, 1] with {drawn_counts} straight pieces, each twice as many teeth as the one before."
PARAMS: dict[str, Any] = {"max_depth": 8, "seed": 0, "search": 1000}
SITE_PARAMS: tuple[str, ...] = ("seed",)
LIMITS: dict[str, tuple[float, float]] = {"max_depth": (1, 16), "search": (1, 100000)}  # beyond STANDARD_LIMITS
WIDTH_ONE_DEPTH = 4  # layers of one unit in the example that reaches the most pieces such a network can have
SEARCHED = [[2, 2, 2, 2], [2] * 8, [4, 4, 4, 4], [8, 8]]  # the other small shapes of the depth page's tables
TWO_BY_TWO_MOST = 7  # proved on the depth page: each second-layer unit's input changes sign at most twice


def width_one_network(depth: int) -> Network:
    """``depth`` layers of one unit with three pieces: relu(x), then relu(1 − h), then relu(h) for the rest."""
    layers = [([[1.0]], [0.0]), ([[-1.0]], [1.0])][:depth] + [([[1.0]], [0.0])] * (depth - 2)
    return Network([*layers, ([[1.0]], [0.0])], "relu")


def two_by_two_network() -> Network:
    """Two hidden layers of two units with the most pieces such a network can have (weights found by
    `reluviz.measures.most_pieces_found`, then rounded to one decimal)."""
    return Network([([[-1.3], [-0.2]], [-0.2, 1.2]), ([[2.9, -1.7], [-1.6, 4.1]], [0.7, -0.6]), ([[0.8, -2.2]], [-1.1])], "relu")


def cost(max_depth: int, seed: int, search: int) -> Cost:
    """Each searched network is analysed exactly in four shapes (about 14 ms and 150 kB each, measured); the deepest
    tent map has 2^max_depth pieces."""
    return Cost(seconds=0.5 + 0.015 * search + 6e-5 * 2**max_depth, bytes=PROCESS_BYTES + 150_000.0 * search + 10_000.0 * 2**max_depth,
                drivers=("search", "max_depth"))


def compute(max_depth: int, seed: int, search: int) -> FigureData:
    depths = list(range(1, max_depth + 1))
    counts = [analyze_line(sawtooth_network(d), 0.0, 1.0).linear_pieces for d in depths]
    x = np.linspace(0.0, 1.0, 4097)
    drawn = [d for d in (1, 2, 3, 4) if d <= max_depth]
    series = {f"depth_{d}": sawtooth_network(d).forward(x)[:, 0] for d in drawn} | {"x": x}
    width_one = analyze_line(width_one_network(WIDTH_ONE_DEPTH), -math.inf, math.inf).linear_pieces
    found = {}
    for index, hidden in enumerate(SEARCHED):
        starts = [sawtooth_network(len(hidden))] if set(hidden) == {2} else []
        found[tuple(hidden)] = most_pieces_found(hidden, search, derived_seed(seed, index), starts)
    two_by_two = analyze_line(two_by_two_network(), -math.inf, math.inf).linear_pieces
    if two_by_two != TWO_BY_TWO_MOST or width_one != 3:
        raise ValueError(f"the examples have {two_by_two} and {width_one} pieces, not the {TWO_BY_TWO_MOST} and 3 the depth page proves")
    tent_whole = {tuple(h): analyze_line(sawtooth_network(len(h)), -math.inf, math.inf).linear_pieces for h in SEARCHED if set(h) == {2}}
    published = {
        "depths": depths, "linear_pieces": counts, "two_to_the_depth": [2**d for d in depths], "drawn_depths": drawn,
        "most_pieces": {
            "width_one": {"hidden_widths": [1] * WIDTH_ONE_DEPTH, "pieces": width_one, "proved_most": 3,
                          "example": width_one_network(WIDTH_ONE_DEPTH).to_dict()},
            "search": [{"hidden_widths": list(r.hidden), "largest_found": r.pieces, "networks_counted": r.networks,
                        "upper_bound": max_pieces_one_input(list(r.hidden)), "network": r.network.to_dict()}
                       for r in found.values()],
            "two_by_two": {"hidden_widths": [2, 2], "pieces": two_by_two, "proved_most": TWO_BY_TWO_MOST,
                           "example": two_by_two_network().to_dict()},
        },
    }
    eight = found[tuple([2] * 8)] if max_depth >= 8 else None
    facts = {
        "max_depth": count(max_depth),
        "counts": count_list(counts),
        "drawn": count(len(drawn)),
        "drawn_counts": count_list([2**d for d in drawn]),
        "two_fold": count(counts[1]) if max_depth >= 2 else "",
        "three_fold": count(counts[2]) if max_depth >= 3 else "",
        "all_match": "every" if counts == [2**d for d in depths] else "not every",
        "last_count": count(counts[-1]),
        "units_last": count(2 * max_depth),
        "one_layer_units": count(counts[-1] - 1),  # n units in one layer give at most n + 1 pieces
        "bound_last": count(max_pieces_one_input([2] * max_depth)),
        "width_one_depth": count(WIDTH_ONE_DEPTH),
        "width_one_pieces": count(width_one),
        "width_one_bound": count(max_pieces_one_input([1] * WIDTH_ONE_DEPTH)),
        "two_by_two_bound": count(max_pieces_one_input([2, 2])),
        "two_by_two_most": count(TWO_BY_TWO_MOST),
        "search": count(search),
        "eight_found": count(eight.pieces) if eight else "",
        "eight_tent": count(tent_whole.get(tuple([2] * 8), 0)),
        "table": _table(found, tent_whole, width_one, two_by_two),
    }
    return FigureData(published, series, facts)


def _shape(hidden: tuple[int, ...] | list[int]) -> str:
    return f"{count(len(hidden))} × {count(hidden[0])}"


def _table(found: dict, tent_whole: dict[tuple[int, ...], int], width_one: int, two_by_two: int) -> str:
    """The upper bound beside the most pieces proved or found, for the small shapes, as a Markdown table."""
    tent_two = analyze_line(sawtooth_network(2), -math.inf, math.inf).linear_pieces
    rows = [
        "| hidden layers × units | upper bound ∏ (nᵢ + 1) | tent map, whole line | most pieces |",
        "|---|---:|---:|---|",
        f"| {_shape([1] * WIDTH_ONE_DEPTH)} | {count(max_pieces_one_input([1] * WIDTH_ONE_DEPTH))} | — | "
        f"exactly {count(width_one)}: proved above, and an example has them |",
        f"| {_shape([2, 2])} | {count(max_pieces_one_input([2, 2]))} | {count(tent_two)} | "
        f"exactly {count(two_by_two)}: proved above, and an example has them |",
    ]
    for hidden, result in found.items():
        tent = count(tent_whole[hidden]) if hidden in tent_whole else "—"
        most = f"at least {count(result.pieces)}: the largest found in {plural(result.networks, 'network')}"
        rows.append(f"| {_shape(hidden)} | {count(max_pieces_one_input(list(hidden)))} | {tent} | {most} |")
    return "\n".join(rows)


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
