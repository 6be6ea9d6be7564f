"""One set of weights under five activations: which ones make kinks, and which bend smoothly.

The output and its slope are drawn on the same inputs; the piecewise-linear ones are also analysed exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations import DEFAULT_LEAKY_SLOPE, Activation
from ..explorer import explorer_query
from ..network import Network
from ..pieces import analyze_line
from ..style import Palette
from ._draw import new_figure
from ._spec import FigureData
from ._text import count, exact, number, parameter, shown_sum

TITLE = "Five activations, one set of weights"
CAPTION = (
    "The same weights with five activations. Identity: a straight line, constant slope. ReLU and leaky ReLU (slope "
    "{leaky_slope} below zero): straight pieces, a piecewise-constant slope with {relu_kinks} jumps. tanh and "
    "softplus: curves whose slope changes smoothly, with no kink at all."
)
ALT = (
    "Panel (a), five output curves: one straight line, two polylines with corners, and two smooth curves. Panel (b), their "
    "slopes: a flat line, two staircases, and two smooth wavy curves."
)
PARAMS: dict[str, Any] = {"seed": 0, "width": 10, "leaky_slope": 0.1}  # not the package's DEFAULT_LEAKY_SLOPE: see compute
SITE_PARAMS = ("seed", "width")
LIMITS: dict[str, tuple[float, float]] = {"leaky_slope": (0.0, 0.99)}  # beyond STANDARD_LIMITS
LABELS = {"identity": "identity", "relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "softplus": "softplus"}
LINES = {"identity": "-", "relu": "-", "leaky_relu": "--", "tanh": "-.", "softplus": ":"}


def compute(seed: int, width: int, leaky_slope: float) -> FigureData:
    base = Network.random([1, width, 1], seed=seed, spread=(-4.0, 4.0))
    # The figure's leaky slope is larger than the package's default (which the explorer and the command line use), so
    # that the leaky ReLU's curve can be told apart from ReLU's at the figure's size; the page says so.
    lo, hi, points = -5.0, 5.0, 2001
    x = np.linspace(lo, hi, points)
    series: dict[str, np.ndarray] = {"x": x}
    networks: dict[str, Any] = {}
    facts: dict[str, str] = {}
    for name in LABELS:
        net = Network(base.layers, name, leaky_slope=leaky_slope)
        slope = net.jacobian(x)[:, 0, 0]
        series[name] = net.forward(x)[:, 0]
        series[f"{name}_slope"] = slope
        jump = float(np.abs(np.diff(slope)).max())
        entry = net.to_dict()
        if net.activation.piecewise_linear:  # the network schema in full; a smooth activation has no pieces
            pieces = analyze_line(net, -5.0, 5.0)
            entry = pieces.to_dict()
            facts[f"{name}_kinks"] = count(len(pieces.breakpoints))
        entry["largest_slope_step_between_neighbours"] = jump
        facts[f"{name}_jump"] = number(jump)
        networks[name] = entry
    facts |= {"width": count(width), "leaky_slope": parameter(leaky_slope), "default_leaky_slope": parameter(DEFAULT_LEAKY_SLOPE),
              "step": exact((hi - lo) / (points - 1))}
    facts["counterexamples"] = "\n".join(
        f"- {LABELS[name]}: {_counterexample(Network(base.layers, name, leaky_slope=leaky_slope).activation)}"
        for name in LABELS if name != "identity"
    )
    published = {"interval": [-5.0, 5.0], "points": len(x), "networks": networks}
    link = explorer_query(width, seed, interval=(-5.0, 5.0), spread=(-4.0, 4.0))
    return FigureData(published, series, facts, link)


def _counterexample(activation: Activation) -> str:
    """A pair (u, v) with f(u + v) ≠ f(u) + f(v), found among a few simple ones, written out."""
    for u, v in ((-1.0, 1.0), (1.0, 1.0), (0.0, 0.0)):
        apart, together = activation(np.array([u, v])), float(activation(np.array(u + v)))
        if abs(together - apart.sum()) > 1e-9:
            (first, second), total, (alone,) = shown_sum(apart.tolist(), [together])  # the sum of the shown terms
            if total == alone:
                raise ValueError(f"the counterexample for {activation.name!r} does not show at the site's precision")
            return f"f({exact(u)}) + f({exact(v)}) = {first} + {second} = {total}, but f({exact(u + v)}) = {alone}."
    raise ValueError(f"no counterexample to additivity found for {activation.name!r}")


def draw(data: FigureData, palette: Palette) -> Any:
    s = data.series
    fig, axes = new_figure(1, 2, height=3.3)
    colours = {"identity": palette.linear, "relu": palette.output, "leaky_relu": palette.slope_change,
               "tanh": palette.negative, "softplus": palette.accent}
    for name, label in LABELS.items():
        style = {"color": colours[name], "linestyle": LINES[name], "label": label}
        axes[0, 0].plot(s["x"], s[name], **style)
        axes[0, 1].plot(s["x"], s[f"{name}_slope"], **style)
    axes[0, 0].set_ylabel("output")
    axes[0, 1].set_ylabel("slope d(output)/dx")
    for ax in axes[0]:
        ax.set_xlabel("input x")
        ax.set_xlim(s["x"][0], s["x"][-1])
    axes[0, 1].legend(fontsize=7)
    return fig
