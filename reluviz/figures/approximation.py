"""ReLU networks approximate curves: closed-form interpolants of sin on [−π, π] and their error against knots.

A one-hidden-layer network joins n points of the curve by straight lines; its largest error falls like n^−2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..experiments import interpolating_network, interpolation_errors, log_log_slope
from ..pieces import analyze_line
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import number

TITLE = "ReLU networks approximate curves"
CAPTION = (
    "(a) a one-hidden-layer ReLU network, written down in closed form, that joins {shown} points of sin x by "
    "straight lines. (b) its largest error against the number of knots n, from {first_n} to {last_n}, on log-log "
    "axes; the fitted slope is {order}, the −2 expected for a smooth target."
)
ALT = (
    "Panel (a), a polyline through seven dots on a sine curve, close to it everywhere. Panel (b), a straight falling line of "
    "errors on log-log axes, parallel to a dotted reference of slope −2."
)
PARAMS: dict[str, Any] = {"samples": 20001}
SITE_PARAMS: tuple[str, ...] = ()
LIMITS: dict[str, tuple[float, float]] = {"samples": (101, 1_000_000)}  # beyond STANDARD_LIMITS
KNOT_COUNTS = [8, 16, 32, 64, 128, 256, 512]
SHOWN = 7  # knots of the network drawn on the left


def compute(samples: int) -> FigureData:
    lo, hi = -np.pi, np.pi
    errors = interpolation_errors(np.sin, lo, hi, KNOT_COUNTS, samples)
    order = log_log_slope(KNOT_COUNTS, errors)
    knots = np.linspace(lo, hi, SHOWN)
    net = interpolating_network(np.sin, knots)
    pieces = analyze_line(net, lo, hi)
    x = np.linspace(lo, hi, 1001)
    published = {
        "target": "sin",
        "interval": [lo, hi],
        "knot_counts": KNOT_COUNTS,
        "max_errors": errors.tolist(),
        "fitted_log_log_slope": order,
        "samples": samples,
        "example": pieces.to_dict(),
    }
    facts = {
        "order": number(order, 3),
        "shown": str(SHOWN),
        "units": str(SHOWN - 1),
        "first_n": str(KNOT_COUNTS[0]),
        "last_n": str(KNOT_COUNTS[-1]),
        "first_error": number(errors[0], 2),
        "last_error": number(errors[-1], 2),
        "samples": f"{samples:,}",
        "boundaries": str(len(pieces.boundaries)),
        "kinks": str(len(pieces.breakpoints)),
    }
    counts = np.array(KNOT_COUNTS)
    series = {
        "x": x, "target": np.sin(x), "network": net.forward(x)[:, 0], "knots": knots, "knot_values": np.sin(knots),
        "counts": counts, "errors": errors, "order_two": errors[0] * (counts / counts[0]) ** -2.0,
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
    right.loglog(s["counts"], s["errors"], color=palette.output, marker="s", label="largest error")
    right.loglog(s["counts"], s["order_two"], color=palette.muted, linestyle=":", label="slope −2")
    right.set_xlabel("knots n")
    right.set_ylabel("max |network − sin|")
    right.legend(fontsize=7)
    return fig
