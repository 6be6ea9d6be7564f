"""At random initialisation, depth does not multiply pieces: the whole-line count against the literature.

For each total N of hidden neurons split into L equal layers, He-initialised networks (weights and biases) are
counted exactly over the whole real line, drawn in batches until the mean's standard error is small against
N + 1, the expected count of Kogan, Jananthan and Kepner (2025) for wide networks. Beside the means: their standard
errors, the spread of the counts, and the upper bound (n₁ + 1)⋯(n_L + 1), which narrow layers cannot reach.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import max_pieces_one_input
from ..measures import mean_and_standard_error, pieces_at_random_init
from ..portable_random import derived_seed
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, estimate, exact, percent, plural

TITLE = "At random initialisation, depth does not multiply pieces"
CAPTION = (
    "Linear pieces over the whole real line of He-initialised networks, {networks_min} to {networks_max} per "
    "setting: N hidden neurons split into L equal layers. (a) the mean, with bars from the {low_percentile}th to "
    "the {high_percentile}th percentile of the counts; dashed, N + 1, the expected count for wide networks (Kogan, "
    "Jananthan and Kepner, 2025). (b) for the settings with {wide} or more units per layer and more than one layer, "
    "how far each mean is from N + 1, as a share of N + 1, with bars of two standard errors. With {wide} or more units per layer every mean is within {wide_deviation} of N + 1 (standard "
    "errors at most {wide_error}); {narrow_below} narrower setting falls below it, and with {narrowest} units in "
    "each of {deepest} layers {narrow_dead} of the networks have a layer that is off everywhere."
)
ALT = (
    "Panel (a), mean piece counts against depth for four network sizes: nearly flat lines, each on its dashed line "
    "N + 1, except where the layers get narrow at large depth, where the count drops. Panel (b), the wide settings' "
    "distance from N + 1 in per cent, with error bars: points scattered within a few per cent of zero."
)
PARAMS: dict[str, Any] = {"seed": 0, "networks": 100, "relative_error": 0.01, "narrow_relative_error": 0.025,
                          "limit": 4000}
SITE_PARAMS = ("seed",)
LIMITS: dict[str, tuple[float, float]] = {  # beyond STANDARD_LIMITS
    "networks": (1, 1000), "relative_error": (0.001, 1.0), "narrow_relative_error": (0.001, 1.0), "limit": (1, 20000),
}
TOTALS, DEPTHS, WINDOW = [16, 32, 64, 128], [1, 2, 4, 8], (-5.0, 5.0)
WIDE = 8  # units per layer from which the count is compared with N + 1
BATCH = 100  # networks drawn at a time once the first ones are in
PERCENTILES = (10, 90)


def cost(seed: int, networks: int, relative_error: float, narrow_relative_error: float, limit: int) -> Cost:
    """At worst every setting draws ``limit`` networks; one network of each of the four depths, analysed over the
    whole line and on the window, takes about 18 ms together (measured), for each of the four totals."""
    return Cost(seconds=0.075 * max(limit, networks), bytes=PROCESS_BYTES + 2_000.0 * max(limit, networks), drivers=("limit",))


def compute(seed: int, networks: int, relative_error: float, narrow_relative_error: float, limit: int) -> FigureData:
    shape = (len(TOTALS), len(DEPTHS))
    runs = {}
    for i, total in enumerate(TOTALS):
        for j, depth in enumerate(DEPTHS):
            if total % depth:
                raise ValueError(f"every total must be divisible by every depth; {total} is not divisible by {depth}")
            is_wide = total // depth >= WIDE
            runs[i, j] = pieces_at_random_init(
                [total // depth] * depth, derived_seed(seed, j + len(DEPTHS) * i), networks, BATCH,
                relative_error if is_wide else narrow_relative_error, max(limit, networks), WINDOW, networks,
            )
    mean, error = np.zeros(shape), np.zeros(shape)
    low, high, drawn, dead = (np.zeros(shape, dtype=int) for _ in range(4))
    dead_share, missed = np.zeros(shape), np.zeros(shape)
    for (i, j), run in runs.items():
        mean[i, j], error[i, j] = mean_and_standard_error(run.whole_line)
        low[i, j] = int(np.percentile(run.whole_line, PERCENTILES[0], method="inverted_cdf"))  # a count that occurred
        high[i, j] = int(np.percentile(run.whole_line, PERCENTILES[1], method="inverted_cdf"))
        drawn[i, j], dead[i, j] = run.networks, int(run.dead_layer.sum())
        dead_share[i, j] = run.dead_layer.mean()
        counted = run.whole_line[: len(run.in_window)]
        missed[i, j] = 1.0 - run.in_window.sum() / counted.sum()
    expected = np.array(TOTALS, dtype=float)[:, None] + 1.0  # Σ nᵢ + 1, with Σ nᵢ = N
    deviation, relative = mean / expected - 1.0, error / expected
    bounds = [[max_pieces_one_input([total // depth] * depth) for depth in DEPTHS] for total in TOTALS]
    wide = np.array([[total // depth >= WIDE for depth in DEPTHS] for total in TOTALS])
    deep = np.array([[depth > 1 for depth in DEPTHS] for _ in TOTALS])
    compared = wide & deep  # one hidden layer has exactly N + 1 pieces, with no error to speak of
    narrow = (0, len(DEPTHS) - 1)
    texts = [[estimate(mean[i, j], error[i, j]) for j in range(len(DEPTHS))] for i in range(len(TOTALS))]
    published = {
        "totals": TOTALS,
        "depths": DEPTHS,
        "init": "he (weights and biases)",
        "networks_per_setting": drawn.tolist(),
        "stopping_rule": {"first": networks, "batch": BATCH, "limit": max(limit, networks),
                          "relative_standard_error": relative_error, "narrow_relative_standard_error": narrow_relative_error,
                          "wide_units_per_layer": WIDE},
        "whole_line": {"mean": mean.tolist(), "standard_error": error.tolist(), f"p{PERCENTILES[0]}": low.tolist(),
                       f"p{PERCENTILES[1]}": high.tolist()},
        "window": {"interval": list(WINDOW), "networks_per_setting": networks, "fraction_of_pieces_outside": missed.tolist()},
        "dead_layer_fraction": dead_share.tolist(),
        "expected_kogan_2025": expected[:, 0].tolist(),
        "upper_bound": bounds,
    }
    below = (expected - mean)[~wide] / np.where(error[~wide] > 0, error[~wide], np.inf)
    facts = {
        "settings": count(len(TOTALS) * len(DEPTHS)),
        "networks": count(networks),
        "batch": count(BATCH),
        "networks_min": count(drawn.min()),
        "networks_max": count(drawn.max()),
        "networks_total": count(drawn.sum()),
        "target": percent(relative_error),
        "narrow_target": percent(narrow_relative_error),
        "limit": count(max(limit, networks)),
        "low_percentile": count(PERCENTILES[0]),
        "high_percentile": count(PERCENTILES[1]),
        "deepest": count(DEPTHS[-1]),
        "narrowest": count(TOTALS[0] // DEPTHS[-1]),
        "narrow_mean": texts[narrow[0]][narrow[1]],
        "narrow_dead": percent(dead_share[narrow]),
        "one_layer_exact": "every" if all(np.all(runs[i, 0].whole_line == total + 1) for i, total in enumerate(TOTALS)) else "not every",
        "wide": count(WIDE),
        "wide_settings": count(compared.sum()),
        "wide_deviation": percent(np.abs(deviation)[compared].max()),
        "wide_error": percent(relative[compared].max()),
        "wide_beyond_two_errors": count(np.count_nonzero(np.abs(mean - expected)[compared] > 2 * error[compared])),
        "narrow_below": "every" if np.all((mean < expected)[~wide]) else "not every",
        "narrow_errors_below": count(int(np.floor(below.min()))),
        "window": f"[{exact(WINDOW[0])}, {exact(WINDOW[1])}]",
        "window_missed_min": percent(missed.min()),
        "window_missed_max": percent(missed.max()),
        "bound_largest": count(bounds[-1][-1]),
        "deep_share_of_bound": percent((mean[:, 1:] / np.array(bounds, dtype=float)[:, 1:]).max()),
        "bound_largest_network": f"{plural(DEPTHS[-1], 'layer')} of {plural(TOTALS[-1] // DEPTHS[-1], 'unit')}",
        "table": _table(texts, drawn, low, high, deviation, relative, bounds, dead_share),
    }
    series = {"mean": mean, "low": low, "high": high, "error": error, "expected": expected[:, 0],
              "deviation": np.where(compared, 100 * deviation, np.nan), "relative_error": np.where(compared, 100 * relative, np.nan)}
    return FigureData(published, series, facts)


def _table(texts: list[list[str]], drawn: np.ndarray, low: np.ndarray, high: np.ndarray, deviation: np.ndarray,
           relative: np.ndarray, bounds: list[list[int]], dead: np.ndarray) -> str:
    """The measured counts beside N + 1 and the upper bound, as a Markdown table."""
    rows = [
        f"| N | hidden layers × units | networks | pieces, mean ± standard error | {PERCENTILES[0]}th–{PERCENTILES[1]}th "
        "percentile | N + 1 | mean − (N + 1), share of N + 1 | upper bound ∏ (nᵢ + 1) | with a dead layer |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, total in enumerate(TOTALS):
        for j, depth in enumerate(DEPTHS):
            sign = "+" if deviation[i, j] > 0 else ""
            rows.append(
                f"| {count(total)} | {count(depth)} × {count(total // depth)} | {count(drawn[i, j])} | {texts[i][j]} | "
                f"{count(low[i, j])}–{count(high[i, j])} | {count(total + 1)} | "
                f"{sign}{percent(deviation[i, j])} ± {percent(relative[i, j])} | {count(bounds[i][j])} | {percent(dead[i, j])} |"
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
        shift = 2.0 ** (0.06 * (i - 1.5))  # side by side, so that the bars do not hide each other
        right.errorbar(depths * shift, s["deviation"][i], yerr=2 * s["relative_error"][i], color=colours[i],
                       marker=markers[i], capsize=3, label=f"N = {total}")
    left.set_xscale("log", base=2)
    left.set_xticks(depths, [str(d) for d in depths])
    left.set_xlabel("hidden layers L (N/L units each)")
    left.set_ylabel("pieces on the whole line")
    left.set_ylim(0, None)
    left.legend(fontsize=7, loc="upper left", ncols=2)
    right.axhline(0.0, color=palette.muted, linestyle="--", linewidth=1)
    right.set_xscale("log", base=2)
    right.set_xticks(depths[1:], [str(d) for d in depths[1:]])  # one layer has no deviation to show
    right.set_xlabel("hidden layers L (N/L units each)")
    right.set_ylabel("mean − (N + 1), % of N + 1")
    right.legend(fontsize=7, loc="lower left")
    return fig
