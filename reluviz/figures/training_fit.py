"""Training moves the kinks: a one-hidden-layer network fitted to a wiggly curve, its kinks followed exactly.

The fit is drawn at a few moments with its kinks marked, as in the Quora experiment's picture, and every kink's
place is tracked from step to step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import TRAINING_TARGETS, follow_training
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import number

TITLE = "Training moves the kinks"
CAPTION = (
    "A network with one hidden layer of {units} ReLU units fitted to {target} on [−π, π] ({points} points, "
    "full-batch Adam). (a) the target (dashed) and the network at steps {shown}, each kink marked. (b) every "
    "kink's place every {every} steps, one line per hidden unit; the band is the data's interval. The loss falls from {loss_start} to "
    "{loss_end}; {inside_start} of the {kinks} kinks lie in the band at the start and {inside_end} at the end."
)
ALT = (
    "Panel (a), a dashed wiggly curve and four network outputs made of straight pieces that follow it more closely as "
    "training goes on, with a dot at every corner. Panel (b), the places of the corners against the training step: "
    "lines that drift, most of them inside a shaded band."
)
PARAMS: dict[str, Any] = {"seed": 0, "units": 32, "steps": 2000}
SITE_PARAMS: tuple[str, ...] = ()  # the training runs keep their own seed, so the site's seed does not retrain them
LIMITS: dict[str, tuple[float, float]] = {"units": (1, 256), "steps": (10, 20000)}  # beyond STANDARD_LIMITS
TARGET, INTERVAL, POINTS = "sin 3x + ½ sin 7x", (-np.pi, np.pi), 256


def compute(seed: int, units: int, steps: int) -> FigureData:
    every = max(1, steps // 16)  # 17 moments: enough to follow a kink, few enough to keep the SVG small
    run = follow_training([1, units, 1], TRAINING_TARGETS[TARGET], INTERVAL, POINTS, steps, every, seed)
    shown = [0, round(steps / 30), round(steps / 3), steps]
    x = np.linspace(INTERVAL[0], INTERVAL[1], 401)
    index = [run.steps.index(_nearest(run.steps, step)) for step in shown]
    inside = [int(np.count_nonzero((k > INTERVAL[0]) & (k < INTERVAL[1]))) for k in run.kinks]
    published = {
        "target": TARGET,
        "interval": list(INTERVAL),
        "points": POINTS,
        "widths": [1, units, 1],
        "steps": run.steps,
        "loss": run.losses.tolist(),
        "kinks": [k.tolist() for k in run.kinks],
        "kinks_in_data": inside,
        "final_network": run.networks[-1].to_dict(),
    }
    facts = {
        "units": str(units),
        "target": TARGET,
        "points": str(POINTS),
        "shown": ", ".join(str(run.steps[i]) for i in index[:-1]) + f" and {run.steps[index[-1]]}",
        "every": str(every),
        "loss_start": number(run.losses[0], 3),
        "loss_end": number(run.losses[-1], 3),
        "kinks": str(len(run.kinks[-1])),
        "inside_start": str(inside[0]),
        "inside_end": str(inside[-1]),
    }
    series: dict[str, Any] = {"x": x, "target": TRAINING_TARGETS[TARGET](x), "steps": np.array(run.steps)}
    for n, i in enumerate(index):
        net, kinks = run.networks[i], run.kinks[i]
        kinks = kinks[(kinks > INTERVAL[0]) & (kinks < INTERVAL[1])]
        series |= {f"fit_{n}": net.forward(x)[:, 0], f"kinks_{n}": kinks, f"kink_values_{n}": net.forward(kinks)[:, 0],
                   f"step_{n}": np.array(run.steps[i])}
    # With one hidden layer, unit j's kink is −a_j/A_j: following each unit follows each kink. When a weight A_j
    # changes sign its kink leaves through ±∞ and comes back from the other side; past ±3π (off the plot) the track
    # is left out, so that such a crossing is not drawn as a line through the whole plot.
    with np.errstate(divide="ignore"):
        tracks = np.array([-net.layers[0].bias / net.layers[0].weight[:, 0] for net in run.networks])
    series["tracks"] = np.where(np.abs(tracks) <= 3 * np.pi, tracks, np.nan)
    return FigureData(published, series, facts)


def _nearest(values: list[int], target: int) -> int:
    return min(values, key=lambda value: abs(value - target))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 2, height=3.4)
    left, right = axes[0]
    left.plot(s["x"], s["target"], color=palette.muted, linestyle="--", label="target")
    colours = [palette.negative, palette.slope_change, palette.accent, palette.output]
    for n, colour in enumerate(colours):
        left.plot(s["x"], s[f"fit_{n}"], color=colour, linewidth=1.2, label=f"step {int(s[f'step_{n}'])}")
        left.plot(s[f"kinks_{n}"], s[f"kink_values_{n}"], linestyle="none", marker="o", markersize=2.5, color=colour)
    left.set_xlim(s["x"][0], s["x"][-1])
    left.set_xlabel("input x")
    left.set_ylabel("output")
    left.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)  # above the curves
    low, high = s["x"][0], s["x"][-1]
    right.axhspan(low, high, color=palette.grid, alpha=0.5, linewidth=0)
    right.plot(s["steps"], s["tracks"], color=palette.output, linewidth=0.8)  # one line per unit
    right.set_ylim(2 * low, 2 * high)
    right.set_xlabel("training step")
    right.set_ylabel("place of each kink")
    return fig
