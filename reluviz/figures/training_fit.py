"""Training moves the kinks together: a one-hidden-layer network fitted to a wiggly curve, its kinks followed exactly.

The fit is drawn at a few moments with its kinks marked, as in the Quora experiment's picture, every kink's place
is tracked from step to step, and at every kept step the kinks are set against the data points
(`reluviz.measures.kink_spread`): training keeps every kink but gathers several into one gap between neighbouring
data points, so the data see fewer bends.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import TRAINING_TARGETS, follow_training
from ..explorer import training_query
from ..measures import kink_spread
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import count, listing, number, percent

TITLE = "Where the kinks go during training, and how many gaps between data points hold one"
CAPTION = (
    "A network with one hidden layer of {units} ReLU units fitted to {target} on [−π, π] ({points} points, "
    "full-batch Adam). (a) the target (dashed) and the network at steps {shown}, each kink marked. (b) every "
    "kink's place every {every} steps, one line per hidden unit; the band is the data's interval. (c) the kinks in "
    "the band (dotted), the gaps between neighbouring data points that hold at least one kink (solid), and the "
    "pieces narrower than the data's spacing (dashed). The loss falls from {loss_start} to {loss_end}; the kinks in "
    "the band {band_change}, while the gaps holding them go from {gaps_start} to {gaps_end}."
)
ALT = (
    "Panel (a), a dashed wiggly curve and four network outputs made of straight pieces that follow it more closely as "
    "training goes on, with a dot at every corner. Panel (b), the places of the corners against the training step: "
    "lines that drift, most of them inside a shaded band, some of them merging. Panel (c), a level dotted line of "
    "kinks, a solid line of occupied gaps that falls below it, and a dashed line of narrow pieces that rises."
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
    data_x = np.linspace(INTERVAL[0], INTERVAL[1], POINTS)
    spreads = [kink_spread(kinks, data_x) for kinks in run.kinks]
    inside = [spread.in_band for spread in spreads]
    first, last = spreads[0], spreads[-1]
    final_kinks = np.sort(run.kinks[-1])
    gap_of = np.searchsorted(data_x, final_kinks, side="right") - 1
    stacked = np.bincount(gap_of[(gap_of >= 0) & (gap_of < POINTS - 1)], minlength=POINTS - 1)
    crowded = int(np.argmax(stacked))
    published = {
        "target": TARGET,
        "interval": list(INTERVAL),
        "points": POINTS,
        "widths": [1, units, 1],
        "steps": run.steps,
        "loss": run.losses.tolist(),
        "kinks": [k.tolist() for k in run.kinks],
        "kinks_in_data": inside,
        "gaps_holding_a_kink": [spread.occupied_gaps for spread in spreads],
        "pieces_narrower_than_spacing": [spread.narrow_pieces for spread in spreads],
        "spacing": first.spacing,
        "final_network": run.networks[-1].to_dict(),
    }
    facts = {
        "units": count(units),
        "target": TARGET,
        "points": count(POINTS),
        "shown": listing([count(run.steps[i]) for i in index]),
        "every": count(every),
        "loss_start": number(run.losses[0]),
        "loss_end": number(run.losses[-1]),
        "kinks": count(len(run.kinks[-1])),
        "inside_start": count(inside[0]),
        "inside_end": count(inside[-1]),
        "band_change": f"stay at {count(inside[0])}" if inside[0] == inside[-1] else f"go from {count(inside[0])} to {count(inside[-1])}",
        "gaps": count(first.gaps),
        "spacing": number(first.spacing),
        "gaps_start": count(first.occupied_gaps),
        "gaps_end": count(last.occupied_gaps),
        "gaps_fall": percent(1.0 - last.occupied_gaps / first.occupied_gaps) if first.occupied_gaps else "0%",
        "narrow_start": count(first.narrow_pieces),
        "narrow_end": count(last.narrow_pieces),
        "finite_pieces": count(last.finite_pieces),
        "most_start": count(first.most_in_one_gap),
        "most_end": count(last.most_in_one_gap),
        "crowded_from": number(data_x[crowded]),
        "crowded_to": number(data_x[crowded + 1]),
    }
    series: dict[str, Any] = {"x": x, "target": TRAINING_TARGETS[TARGET](x), "steps": np.array(run.steps),
                              "band": np.array(inside), "gaps": np.array([s.occupied_gaps for s in spreads]),
                              "narrow": np.array([s.narrow_pieces for s in spreads])}
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
    # The figure's explorer link trains the same network in the 1-D explorer's Train panel and stops at the last step.
    return FigureData(published, series, facts, training_query(units, 1, seed, TARGET, POINTS, steps))


def _nearest(values: list[int], target: int) -> int:
    return min(values, key=lambda value: abs(value - target))


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 3, height=3.4)
    left, right, third = axes[0]
    left.plot(s["x"], s["target"], color=palette.muted, linestyle="--", label="target")
    colours = [palette.negative, palette.slope_change, palette.accent, palette.output]
    for n, colour in enumerate(colours):
        left.plot(s["x"], s[f"fit_{n}"], color=colour, linewidth=1.2, label=f"step {count(int(s[f'step_{n}']))}")
        left.plot(s[f"kinks_{n}"], s[f"kink_values_{n}"], linestyle="none", marker="o", markersize=2.5, color=colour)
    left.set_xlim(s["x"][0], s["x"][-1])
    lowest = min(float(s[f"fit_{n}"].min()) for n in range(len(colours)))
    highest = max(float(s[f"fit_{n}"].max()) for n in range(len(colours)))
    left.set_ylim(lowest - 0.45 * (highest - lowest), highest + 0.05 * (highest - lowest))  # room for the legend
    left.set_xlabel("input x")
    left.set_ylabel("output")
    left.legend(fontsize=7, loc="lower center", ncols=2)  # below the curves, where the plot is empty
    low, high = s["x"][0], s["x"][-1]
    right.axhspan(low, high, color=palette.grid, alpha=0.5, linewidth=0)
    right.plot(s["steps"], s["tracks"], color=palette.output, linewidth=0.8)  # one line per unit
    right.set_ylim(2 * low, 2 * high)
    right.set_xlabel("training step")
    right.set_ylabel("place of each kink")
    third.plot(s["steps"], s["band"], color=palette.output, linestyle=":", label="kinks in the band")
    third.plot(s["steps"], s["gaps"], color=palette.output, label="gaps holding a kink")
    third.plot(s["steps"], s["narrow"], color=palette.negative, linestyle="--", label="pieces narrower than the spacing")
    third.set_ylim(0, 1.6 * max(float(s["band"].max()), float(s["narrow"].max()), 1.0))  # room for the legend above
    third.set_xlabel("training step")
    third.set_ylabel("count")
    third.legend(fontsize=7, loc="upper right")
    return fig
