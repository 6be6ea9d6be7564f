"""At random initialisation, depth does not multiply pieces: the whole-line count against the literature.

For each total N of hidden neurons split into L equal layers, many He-initialised networks (weights and biases) are
counted exactly over the whole real line, and beside them the expected count N + 1 of Kogan, Jananthan and Kepner
(2025) for wide networks, the upper bound (n₁ + 1)⋯(n_L + 1), and the tent map, a construction that reaches 2^L.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import has_dead_layer, max_pieces_one_input, pieces_at_random_init, sawtooth_network
from ..pieces import analyze_line
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import number

TITLE = "At random initialisation, depth does not multiply pieces"
CAPTION = (
    "Linear pieces over the whole real line of {networks} He-initialised networks per setting: the mean, with bars "
    "from the 10th to the 90th percentile. N hidden neurons are split into L equal layers. Dashed: N + 1, the "
    "expected count for wide networks (Kogan, Jananthan and Kepner, 2025). With {wide} or more units per layer the "
    "mean is within {wide_deviation} of it; {narrow_below} narrower setting falls below it, and with {narrowest} "
    "units in each of {deepest} layers {narrow_dead} of the networks have a layer that is off everywhere."
)
ALT = (
    "Panel (a), mean piece counts against depth for four network sizes: nearly flat lines, each on its dashed line N + 1, "
    "except where the layers get narrow at large depth, where the count drops. Panel (b), the counts against N, close to "
    "the line N + 1."
)
PARAMS: dict[str, Any] = {"seed": 0, "networks": 100}
SITE_PARAMS = ("seed",)
LIMITS: dict[str, tuple[float, float]] = {"networks": (1, 1000)}  # beyond STANDARD_LIMITS
TOTALS, DEPTHS, WINDOW = [16, 32, 64, 128], [1, 2, 4, 8], (-5.0, 5.0)
TENT_DEPTHS = [2, 4, 8]
WIDE = 8  # units per layer from which the count is compared with N + 1


def compute(seed: int, networks: int) -> FigureData:
    counts = pieces_at_random_init(TOTALS, DEPTHS, networks, WINDOW, seed)
    whole, window, dead = counts.whole_line, counts.in_window, counts.dead_layer
    mean, low, high = whole.mean(axis=2), np.quantile(whole, 0.1, axis=2), np.quantile(whole, 0.9, axis=2)
    expected = np.array(TOTALS, dtype=float)[:, None] + 1.0  # Σ nᵢ + 1, with Σ nᵢ = N
    bounds = [[max_pieces_one_input([total // depth] * depth) for depth in DEPTHS] for total in TOTALS]
    wide = np.array([[total // depth >= WIDE for depth in DEPTHS] for total in TOTALS])
    tent_lines = {depth: analyze_line(sawtooth_network(depth), -np.inf, np.inf) for depth in TENT_DEPTHS}
    tent = {depth: pieces.linear_pieces for depth, pieces in tent_lines.items()}
    tent_unit = {depth: analyze_line(sawtooth_network(depth), 0.0, 1.0).linear_pieces for depth in TENT_DEPTHS}
    tent_dead = {depth: has_dead_layer(pieces) for depth, pieces in tent_lines.items()}
    missed = 1.0 - window.sum(axis=2) / whole.sum(axis=2)
    published = {
        "totals": TOTALS,
        "depths": DEPTHS,
        "init": "he (weights and biases)",
        "networks_per_setting": networks,
        "whole_line": {"mean": mean.tolist(), "p10": low.tolist(), "p90": high.tolist(), "std": whole.std(axis=2).tolist()},
        "window": {"interval": list(WINDOW), "mean": window.mean(axis=2).tolist(), "fraction_of_pieces_outside": missed.tolist()},
        "dead_layer_fraction": dead.mean(axis=2).tolist(),
        "expected_kogan_2025": expected[:, 0].tolist(),
        "upper_bound": bounds,
        "tent_map": {"depths": TENT_DEPTHS, "whole_line": list(tent.values()), "on_0_1": list(tent_unit.values()),
                     "upper_bound": [max_pieces_one_input([2] * depth) for depth in TENT_DEPTHS]},
    }
    narrow = (0, len(DEPTHS) - 1)
    facts = {
        "networks": str(networks),
        "settings": str(len(TOTALS) * len(DEPTHS)),
        "deepest": str(DEPTHS[-1]),
        "narrowest": str(TOTALS[0] // DEPTHS[-1]),
        "narrow_mean": number(mean[narrow], 2),
        "narrow_dead": f"{dead[narrow].mean():.0%}",
        "one_layer_exact": "every" if np.all(whole[:, 0, :] == expected[:, :1].astype(int)) else "not every",
        "wide": str(WIDE),
        "wide_deviation": f"{np.abs(mean / expected - 1.0)[wide].max():.0%}",
        "narrow_below": "every" if np.all((mean < expected)[~wide]) else "not every",
        "window": f"[{number(WINDOW[0])}, {number(WINDOW[1])}]",
        "window_missed_min": f"{missed.min():.0%}",
        "window_missed_max": f"{missed.max():.0%}",
        "bound_largest": f"{bounds[-1][-1]:,}",
        "deep_share_of_bound": f"{(mean[:, 1:] / np.array(bounds, dtype=float)[:, 1:]).max():.0%}",
        "bound_largest_network": f"{DEPTHS[-1]} layers of {TOTALS[-1] // DEPTHS[-1]} units",
        "table": _table(TOTALS, DEPTHS, mean, low, high, bounds, dead.mean(axis=2), tent, tent_unit, tent_dead),
    }
    series = {"mean": mean, "low": low, "high": high, "expected": expected[:, 0]}
    return FigureData(published, series, facts)


def _table(totals: list[int], depths: list[int], mean: np.ndarray, low: np.ndarray, high: np.ndarray,
           bounds: list[list[int]], dead: np.ndarray, tent: dict[int, int], tent_unit: dict[int, int],
           tent_dead: dict[int, bool]) -> str:
    """The measured counts, N + 1 and the upper bound side by side, as a Markdown table."""
    rows = [
        "| network | hidden layers × units | pieces, mean (10th–90th percentile) | N + 1 | upper bound ∏ (nᵢ + 1) | with a dead layer |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for i, total in enumerate(totals):
        for j, depth in enumerate(depths):
            rows.append(
                f"| random, N = {total} | {depth} × {total // depth} | {number(mean[i, j], 3)} ({number(low[i, j], 3)}–"
                f"{number(high[i, j], 3)}) | {total + 1} | {bounds[i][j]:,} | {dead[i, j]:.0%} |"
            )
    for depth, pieces in tent.items():
        rows.append(
            f"| tent map | {depth} × 2 | {pieces} ({tent_unit[depth]} on [0, 1]) | {2 * depth + 1} | "
            f"{max_pieces_one_input([2] * depth):,} | {'yes' if tent_dead[depth] else 'no'} |"
        )
    return "\n".join(rows)


def draw(data: FigureData, palette: Palette) -> Any:
    p, s = data.published, data.series
    depths, totals = np.array(p["depths"]), np.array(p["totals"])
    fig, axes = new_figure(1, 2, height=3.4)
    left, right = axes[0]
    colours = [palette.output, palette.slope_change, palette.negative, palette.accent]
    markers = ["o", "s", "^", "D"]
    for i, total in enumerate(totals):
        below, above = s["mean"][i] - s["low"][i], s["high"][i] - s["mean"][i]
        left.errorbar(depths, s["mean"][i], yerr=[below, above], color=colours[i], marker=markers[i], capsize=3,
                      label=f"N = {total}")
        left.axhline(s["expected"][i], color=colours[i], linestyle="--", linewidth=1)
    left.set_xscale("log", base=2)
    left.set_xticks(depths, [str(d) for d in depths])
    left.set_xlabel("hidden layers L (N/L units each)")
    left.set_ylabel("pieces on the whole line")
    left.set_ylim(0, None)
    left.legend(fontsize=7, loc="upper left", ncols=2)
    for j, depth in enumerate(depths):
        right.plot(totals, s["mean"][:, j], color=colours[j], marker=markers[j], label=f"L = {depth}")
    right.plot(totals, totals + 1, color=palette.muted, linestyle="--", label="N + 1")
    right.set_xlabel("hidden neurons N")
    right.set_ylabel("mean pieces on the whole line")
    right.legend(fontsize=7)
    return fig
