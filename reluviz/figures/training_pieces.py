"""Does training make pieces? Networks of equal size but different depth, fitted to three curves, counted exactly.

At fixed steps the pieces are counted over the whole line and on the data's interval, beside N + 1 (the expected
count at initialisation for wide networks) and the upper bound, as on the depth page.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import TRAINING_TARGETS, follow_training, max_pieces_one_input
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import number

TITLE = "Training moves kinks but hardly changes how many there are"
CAPTION = (
    "Networks with {neurons} hidden neurons ({equal_shapes}), fitted to {target} by full-batch Adam. (a) linear "
    "pieces over the whole line (solid) and on the data's interval [−π, π] (dotted) every {every} steps; dashed, "
    "N + 1 = {expected}. (b) the loss. Over all three targets and shapes the whole-line count stays between "
    "{lowest} and {highest}, while the upper bound for {deepest_shape} is {bound_deepest}."
)
ALT = (
    "Panel (a), three nearly flat solid lines of piece counts against the training step, near a dashed line, with dotted "
    "lines below them for the pieces on the data's interval. Panel (b), three falling loss curves on a log scale."
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
    published = {
        "interval": list(INTERVAL),
        "points": POINTS,
        "targets": list(TRAINING_TARGETS),
        "runs": [
            {"target": target, "hidden_widths": list(shape), "steps": run.steps, "loss": run.losses.tolist(),
             "whole_line_pieces": run.whole_line.tolist(), "pieces_in_data": run.in_data.tolist(),
             "upper_bound": max_pieces_one_input(list(shape))}
            for (target, shape), run in runs.items()
        ],
    }
    facts = {
        "neurons": str(sum(SHAPES[0])),
        "expected": str(sum(SHAPES[0]) + 1),
        "target": DRAWN_TARGET,
        "every": str(every),
        "steps": str(steps),
        "lowest": str(int(counts.min())),
        "highest": str(int(counts.max())),
        "bound_deepest": f"{max_pieces_one_input(max(equal, key=len)):,}",
        "deepest_shape": _layers(max(equal, key=len)),
        "equal_shapes": ", ".join(_layers(shape) for shape in equal),
        "other_shapes": " and ".join(_layers(shape) for shape in SHAPES if tuple(shape) not in equal),
        "table": _table(runs),
        "one_layer_kept": "every" if all(
            np.all(run.whole_line == sum(shape) + 1) for (_, shape), run in runs.items() if len(shape) == 1
        ) else "not every",
    }
    series: dict[str, Any] = {"steps": np.array(runs[DRAWN_TARGET, equal[0]].steps)}
    for n, shape in enumerate(equal):
        run = runs[DRAWN_TARGET, shape]
        series |= {f"whole_{n}": run.whole_line, f"data_{n}": run.in_data, f"loss_{n}": run.losses,
                   f"label_{n}": np.array(" × ".join(str(w) for w in shape))}
    return FigureData(published, series, facts)


def _layers(shape: tuple[int, ...] | list[int]) -> str:
    """'1 layer of 32' or '4 layers of 8' (the shapes here have equal layers)."""
    return f"{len(shape)} layer{'s' if len(shape) > 1 else ''} of {shape[0]}"


def _table(runs: dict[tuple[str, tuple[int, ...]], Any]) -> str:
    """Pieces before and after training, for every target and shape, as a Markdown table."""
    rows = [
        "| target | hidden layers | pieces on the whole line, start → end | on [−π, π], start → end | loss, start → end |",
        "|---|---|---:|---:|---:|",
    ]
    for (target, shape), run in runs.items():
        rows.append(
            f"| {target.replace('|', chr(92) + '|')} | {' × '.join(str(w) for w in shape)} | {run.whole_line[0]} → {run.whole_line[-1]} | "
            f"{run.in_data[0]} → {run.in_data[-1]} | {number(run.losses[0], 3)} → {number(run.losses[-1], 3)} |"
        )
    return "\n".join(rows)


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 2, height=3.3)
    left, right = axes[0]
    colours = [palette.output, palette.slope_change, palette.accent]
    for n, colour in enumerate(colours):
        label = f"layers {s[f'label_{n}']}"
        left.plot(s["steps"], s[f"whole_{n}"], color=colour, label=label)
        left.plot(s["steps"], s[f"data_{n}"], color=colour, linestyle=":")
        right.semilogy(s["steps"], s[f"loss_{n}"], color=colour, label=label)
    left.axhline(int(data.facts["expected"]), color=palette.muted, linestyle="--", linewidth=1)
    left.set_ylim(0, None)
    left.set_xlabel("training step")
    left.set_ylabel("linear pieces")
    left.legend(fontsize=7, loc="lower right")
    right.set_xlabel("training step")
    right.set_ylabel("mean squared error")
    right.legend(fontsize=7)
    return fig
