"""ReLU networks approximate curves: closed-form interpolants of sin on [−π, π] and their error against knots.

A one-hidden-layer network joins n points of the curve by straight lines, a spacing h = (b − a)/(n − 1) apart; its
largest error is at most h² max|f″| / 8, so on log-log axes against h it rises with slope 2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import interpolating_network, interpolation_errors, log_log_slope
from ..pieces import analyze_line
from ..style import Palette
from ._draw import new_figure
from ._spec import PROCESS_BYTES, Cost, FigureData
from ._text import count, number, percent

TITLE = "ReLU networks approximate curves"
CAPTION = (
    "(a) a one-hidden-layer ReLU network, written down in closed form, that joins {shown} points of sin x by "
    "straight lines. (b) its largest error against the knot spacing h, for {first_n} to {last_n} knots, on log-log "
    "axes, under the bound h²/8 (dotted); the fitted slope is {order}, the 2 the bound predicts for a smooth target."
)
ALT = (
    "Panel (a), a polyline through {shown} dots on a sine curve, close to it everywhere. Panel (b), a straight rising line "
    "of errors on log-log axes, just under a dotted line of slope 2."
)
PARAMS: dict[str, Any] = {"samples": 20001}
SITE_PARAMS: tuple[str, ...] = ()
LIMITS: dict[str, tuple[float, float]] = {"samples": (101, 1_000_000)}  # beyond STANDARD_LIMITS
KNOT_COUNTS = [8, 16, 32, 64, 128, 256, 512]
SHOWN = 7  # knots of the network drawn on the left


def cost(samples: int) -> Cost:
    """Every knot count's interpolant is evaluated on all the samples at once (measured: 2.5 GB at 200,001)."""
    return Cost(seconds=0.2 + 5e-5 * samples, bytes=PROCESS_BYTES + 13_500.0 * samples, drivers=("samples",))


def compute(samples: int) -> FigureData:
    lo, hi = -np.pi, np.pi
    errors = interpolation_errors(np.sin, lo, hi, KNOT_COUNTS, samples)
    spacing = (hi - lo) / (np.array(KNOT_COUNTS) - 1.0)  # h, the distance between neighbouring knots
    bound = spacing**2 / 8  # h² max|sin″| / 8, with max|sin″| = 1
    order = log_log_slope(spacing.tolist(), errors)
    knots = np.linspace(lo, hi, SHOWN)
    net = interpolating_network(np.sin, knots)
    pieces = analyze_line(net, lo, hi)
    middle = int(np.argmin(np.abs(knots[:-1])))  # the unit that switches at x = 0
    zero_weight = float(net.layers[1].weight[0, middle])
    x = np.linspace(lo, hi, 1001)
    published = {
        "target": "sin",
        "interval": [lo, hi],
        "knot_counts": KNOT_COUNTS,
        "knot_spacing": spacing.tolist(),
        "max_errors": errors.tolist(),
        "error_bound": bound.tolist(),
        "fitted_log_log_slope_against_spacing": order,
        "samples": samples,
        "example": pieces.to_dict(),
    }
    facts = {
        "order": number(order),
        "shown": count(SHOWN),
        "units": count(SHOWN - 1),
        "first_n": count(KNOT_COUNTS[0]),
        "last_n": count(KNOT_COUNTS[-1]),
        "first_h": number(spacing[0]),
        "last_h": number(spacing[-1]),
        "first_error": number(errors[0]),
        "last_error": number(errors[-1]),
        "under_bound": "every" if np.all(errors <= bound) else "not every",
        "smallest_share_of_bound": percent((errors / bound).min()),
        "samples": count(samples),
        "boundaries": count(len(pieces.boundaries)),
        "kinks": count(len(pieces.breakpoints)),
        "zero_weight": number(abs(zero_weight), "error") if zero_weight else "0",
        "zero_weight_is": "exactly zero" if zero_weight == 0 else f"zero up to rounding ({number(zero_weight, 'error')})",
    }
    series = {
        "x": x, "target": np.sin(x), "network": net.forward(x)[:, 0], "knots": knots, "knot_values": np.sin(knots),
        "spacing": spacing, "errors": errors, "bound": bound,
    }
    return FigureData(published, series, facts)


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 2, height=3.2)
    left, right = axes[0]
    left.plot(s["x"], s["target"], color=palette.muted, linestyle="--", label="sin x")
    left.plot(s["x"], s["network"], color=palette.output, label=f"ReLU network, {len(s['knots'])} knots")
    left.plot(s["knots"], s["knot_values"], linestyle="none", marker="o", color=palette.accent)
    left.set_xlabel("input x")
    left.legend(fontsize=7)
    right.loglog(s["spacing"], s["errors"], color=palette.output, marker="s", label="largest error")
    right.loglog(s["spacing"], s["bound"], color=palette.muted, linestyle=":", label="bound h²/8 (slope 2)")
    right.set_xlabel("knot spacing h")
    right.set_ylabel("max |network − sin|")
    right.legend(fontsize=7)
    return fig
