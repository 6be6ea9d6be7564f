"""Does training make pieces? Networks of equal size but different depth, fitted to three curves, counted exactly.

At fixed steps the pieces are counted over the whole line, beside N + 1 (the expected count at initialisation for
wide networks) and the upper bound, as on the depth page; and the kinks among the data are set against the data
points (`reluviz.measures.kink_spread`): how many of the gaps between neighbouring data points hold a kink (the
kinks the data can tell apart), and how many pieces are narrower than the data's spacing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import TRAINING_TARGETS, follow_training, max_pieces_one_input
from ..explorer import training_query
from ..measures import kink_spread
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import count, listing, number, percent, plural

TITLE = "Pieces, and gaps between data points that hold a kink, during training"
CAPTION = (
    "Networks with {neurons} hidden neurons ({equal_shapes}), fitted to {target} on [−π, π] by full-batch Adam, "
    "every {every} steps. (a) linear pieces over the whole line; dashed, N + 1 = {expected}. (b) kinks among the "
    "data (dotted) and the gaps between neighbouring data points that hold at least one kink (solid): the kinks "
    "the data can tell apart. (c) the loss. Over all three targets, the whole-line count of these networks with "
    "{neurons} neurons stays between {lowest} and {highest}, while the upper bound for {deepest_shape} is "
    "{bound_deepest}."
)
ALT = (
    "Panel (a), three solid lines of piece counts against the training step that wander near a dashed line. Panel (b), "
    "dotted lines of kinks among the data that stay level, and solid lines of the gaps holding a kink that fall "
    "below them. Panel (c), three falling loss curves on a log scale."
)
PARAMS: dict[str, Any] = {"seed": 0, "steps": 2000}
SITE_PARAMS: tuple[str, ...] = ()  # the training runs keep their own seed, so the site's seed does not retrain them
LIMITS: dict[str, tuple[float, float]] = {"steps": (10, 20000)}  # beyond STANDARD_LIMITS
SHAPES = [[32], [16, 16], [8, 8, 8, 8], [8], [16]]  # the first three have 32 neurons; the last two vary the width
DRAWN_TARGET, INTERVAL, POINTS = "sin 3x + ½ sin 7x", (-np.pi, np.pi), 256


def compute(seed: int, steps: int) -> FigureData:
    every = max(1, steps // 40)
    runs = {
        (target, tuple(hidden)): follow_training([1, *hidden, 1], TRAINING_TARGETS[target], INTERVAL, POINTS, steps, every, seed)
        for target in TRAINING_TARGETS for hidden in SHAPES
    }
    equal = [tuple(hidden) for hidden in SHAPES if sum(hidden) == sum(SHAPES[0])]
    counts = np.array([runs[target, shape].whole_line for target in TRAINING_TARGETS for shape in equal])
    data_x = np.linspace(INTERVAL[0], INTERVAL[1], POINTS)
    spreads = {key: [kink_spread(kinks, data_x) for kinks in run.kinks] for key, run in runs.items()}
    swing_key = min(((target, shape) for target in TRAINING_TARGETS for shape in equal), key=lambda k: runs[k].whole_line.min())
    swing = runs[swing_key].whole_line
    gaps_start = sum(spread[0].occupied_gaps for spread in spreads.values())
    gaps_end = sum(spread[-1].occupied_gaps for spread in spreads.values())
    band_start = sum(spread[0].in_band for spread in spreads.values())
    band_end = sum(spread[-1].in_band for spread in spreads.values())
    published = {
        "interval": list(INTERVAL),
        "points": POINTS,
        "targets": list(TRAINING_TARGETS),
        "runs": [
            {"target": target, "hidden_widths": list(shape), "steps": run.steps, "loss": run.losses.tolist(),
             "whole_line_pieces": run.whole_line.tolist(), "pieces_in_data": run.in_data.tolist(),
             "kinks_in_data": [spread.in_band for spread in spreads[target, shape]],
             "gaps_holding_a_kink": [spread.occupied_gaps for spread in spreads[target, shape]],
             "pieces_narrower_than_spacing": [spread.narrow_pieces for spread in spreads[target, shape]],
             "upper_bound": max_pieces_one_input(list(shape))}
            for (target, shape), run in runs.items()
        ],
        "gaps": POINTS - 1,
        "spacing": float(spreads[next(iter(spreads))][0].spacing),
        # What the figure's explorer link trains: the first shape on the drawn curve, at the last step.
        "live_network": runs[DRAWN_TARGET, tuple(SHAPES[0])].networks[-1].to_dict(),
    }
    facts = {
        "neurons": count(sum(SHAPES[0])),
        "expected": count(sum(SHAPES[0]) + 1),
        "target": DRAWN_TARGET,
        "every": count(every),
        "steps": count(steps),
        "runs": count(len(runs)),
        "targets": count(len(TRAINING_TARGETS)),
        "lowest": count(counts.min()),
        "highest": count(counts.max()),
        "bound_deepest": count(max_pieces_one_input(max(equal, key=len))),
        "deepest_shape": _layers(max(equal, key=len)),
        "equal_shapes": listing([_layers(shape) for shape in equal]),
        "other_shapes": listing([_layers(shape) for shape in SHAPES if tuple(shape) not in equal]),
        "swing_target": swing_key[0],
        "swing_shape": _shape(swing_key[1]),
        "swing_start": count(swing[0]),
        "swing_lowest": count(swing.min()),
        "swing_end": count(swing[-1]),
        "gaps": count(POINTS - 1),
        "spacing": number(spreads[next(iter(spreads))][0].spacing),
        "band_start_total": count(band_start),
        "band_end_total": count(band_end),
        "gaps_start_total": count(gaps_start),
        "gaps_end_total": count(gaps_end),
        "gaps_fall": percent(1.0 - gaps_end / gaps_start),
        "runs_fewer_gaps": count(sum(spread[-1].occupied_gaps < spread[0].occupied_gaps for spread in spreads.values())),
        "runs_more_narrow": count(sum(spread[-1].narrow_pieces > spread[0].narrow_pieces for spread in spreads.values())),
        "table": _table(runs, spreads),
        "one_layer_kept": "every" if all(
            np.all(run.whole_line == sum(shape) + 1) for (_, shape), run in runs.items() if len(shape) == 1
        ) else "not every",
    }
    series: dict[str, Any] = {"steps": np.array(runs[DRAWN_TARGET, equal[0]].steps)}
    for n, shape in enumerate(equal):
        run = runs[DRAWN_TARGET, shape]
        spread = spreads[DRAWN_TARGET, shape]
        series |= {f"whole_{n}": run.whole_line, f"band_{n}": np.array([s.in_band for s in spread]),
                   f"gaps_{n}": np.array([s.occupied_gaps for s in spread]), f"loss_{n}": run.losses,
                   f"label_{n}": np.array(_shape(shape))}
    live = training_query(SHAPES[0][0], len(SHAPES[0]), seed, DRAWN_TARGET, POINTS, steps)  # the first shape, live
    return FigureData(published, series, facts, live)


def _layers(shape: tuple[int, ...] | list[int]) -> str:
    """'1 layer of 32 units' or '4 layers of 8 units' (the shapes here have equal layers)."""
    return f"{plural(len(shape), 'layer')} of {plural(shape[0], 'unit')}"


def _shape(shape: tuple[int, ...] | list[int]) -> str:
    """'4 × 8': layers × units, as the depth page writes a shape."""
    return f"{count(len(shape))} × {count(shape[0])}"


def _table(runs: dict[tuple[str, tuple[int, ...]], Any], spreads: dict[tuple[str, tuple[int, ...]], list]) -> str:
    """Pieces, kinks among the data and the gaps holding them, before and after training, as a Markdown table."""
    rows = [
        "| target | hidden layers × units | pieces on the whole line: start → end (fewest–most) | kinks among the data | "
        "gaps holding a kink | pieces narrower than the spacing | loss |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (target, shape), run in runs.items():
        first, last = spreads[target, shape][0], spreads[target, shape][-1]
        rows.append(
            f"| {target.replace('|', chr(92) + '|')} | {_shape(shape)} | "
            f"{count(run.whole_line[0])} → {count(run.whole_line[-1])} ({count(run.whole_line.min())}–{count(run.whole_line.max())}) | "
            f"{count(first.in_band)} → {count(last.in_band)} | {count(first.occupied_gaps)} → {count(last.occupied_gaps)} | "
            f"{count(first.narrow_pieces)} → {count(last.narrow_pieces)} | {number(run.losses[0])} → {number(run.losses[-1])} |"
        )
    return "\n".join(rows)


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 3, height=3.3)
    left, middle, right = axes[0]
    colours = [palette.output, palette.slope_change, palette.accent]
    for n, colour in enumerate(colours):
        label = f"{s[f'label_{n}']} (layers × units)"
        left.plot(s["steps"], s[f"whole_{n}"], color=colour, label=label)
        middle.plot(s["steps"], s[f"band_{n}"], color=colour, linestyle=":")
        middle.plot(s["steps"], s[f"gaps_{n}"], color=colour, label=label)
        right.semilogy(s["steps"], s[f"loss_{n}"], color=colour, label=label)
    left.axhline(int(data.facts["expected"]), color=palette.muted, linestyle="--", linewidth=1)
    for ax in (left, middle):
        ax.set_ylim(0, None)
        ax.set_xlabel("training step")
    left.set_ylabel("linear pieces, whole line")
    left.legend(fontsize=7, loc="lower right")
    middle.set_ylabel("kinks among the data (dotted),\ngaps holding a kink (solid)")
    right.set_xlabel("training step")
    right.set_ylabel("mean squared error")
    right.legend(fontsize=7)
    return fig
