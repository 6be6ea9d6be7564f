"""Figures past the seed: depth and pieces, regions in the plane, other activations, approximation, XOR."""

from __future__ import annotations

import numpy as np

from ..experiments import (
    XOR_INPUTS,
    XOR_TARGETS,
    best_linear_fit,
    interpolating_network,
    interpolation_errors,
    log_log_slope,
    pieces_at_random_init,
    sawtooth_network,
    xor_network,
)
from ..network import Network, random_network
from ..pieces import analyze_line
from ..regions import activation_regions, arrangement_half_width, lines_in_general_position_regions, pixel_region_count
from ..style import Palette
from .drawing import new_figure
from .registry import FigureData, FigureSpec
from .text import count_list, number


def sawtooth(max_depth: int = 8) -> FigureData:
    """Pieces of the composed tent map for depth 1 … max_depth, counted by the exact analysis."""
    if max_depth < 1:
        raise ValueError(f"max_depth must be at least 1; got {max_depth}")
    depths = list(range(1, max_depth + 1))
    counts = [analyze_line(sawtooth_network(d), 0.0, 1.0).linear_pieces for d in depths]
    x = np.linspace(0.0, 1.0, 4097)
    drawn = [d for d in (1, 2, 3, 4) if d <= max_depth]
    series = {f"depth_{d}": sawtooth_network(d).forward(x)[:, 0] for d in drawn} | {"x": x}
    published = {"depths": depths, "linear_pieces": counts, "two_to_the_depth": [2**d for d in depths], "drawn_depths": drawn}
    facts = {
        "max_depth": str(max_depth),
        "counts": count_list(counts, 6),
        "all_match": "every" if counts == [2**d for d in depths] else "not every",
        "last_count": str(counts[-1]),
        "units_last": str(2 * max_depth),
        "one_layer_units": str(counts[-1] - 1),  # n units in one layer give at most n + 1 pieces
    }
    return FigureData(published, series, facts)


def draw_sawtooth(data: FigureData, palette: Palette):
    s = data.series
    drawn = data.published["drawn_depths"]
    fig, axes = new_figure(1, len(drawn), height=2.4, sharey=True)
    for ax, depth in zip(axes[0], drawn):
        ax.plot(s["x"], s[f"depth_{depth}"], color=palette.output)
        ax.set_title(f"depth {depth}: {2 ** depth} pieces", fontsize=9)
        ax.set_xlabel("input x")
        ax.set_xticks([0, 0.5, 1])
    axes[0, 0].set_ylabel("output")
    return fig


def pieces_vs_depth(seed: int = 0, networks: int = 100) -> FigureData:
    """Hanin & Rolnick's observation with the exact counter: depth at fixed size barely changes the piece count."""
    totals, depths, interval = [16, 32, 64, 128], [1, 2, 4, 8], (-5.0, 5.0)
    result = pieces_at_random_init(totals, depths, networks, interval, seed)
    mean, std = result.mean, result.std
    row = totals.index(64)
    published = {
        "totals": totals,
        "depths": depths,
        "interval": list(interval),
        "networks_per_setting": networks,
        "init": "he",
        "mean_pieces": mean.tolist(),
        "std_pieces": std.tolist(),
    }
    facts = {
        "networks": str(networks),
        "settings": str(len(totals) * len(depths)),
        "total": "64",
        "depth_list": count_list(np.array(depths), 1),
        "mean_64": count_list(mean[row], 3),
        "ratio_64": number(mean[row, -1] / mean[row, 0], 2),
        "max_ratio": number((mean[:, -1] / mean[:, 0]).max(), 2),
        "two_power_ratio": str(2 ** depths[-1] // 2 ** depths[0]),
        "per_neuron": number(np.mean(mean[:, 0] / np.array(totals)), 2),
        "deepest": str(depths[-1]),
        "narrowest": str(totals[0] // depths[-1]),
        "narrow_mean": number(mean[0, -1], 2),
    }
    doubling = mean[-1, 0] * 2.0 ** (np.array(depths) - depths[0])
    facts["interval"] = f"[{number(interval[0])}, {number(interval[1])}]"
    return FigureData(published, {"mean": mean, "std": std, "doubling": doubling}, facts)


def draw_pieces_vs_depth(data: FigureData, palette: Palette):
    p, s = data.published, data.series
    depths, totals = np.array(p["depths"]), p["totals"]
    fig, axes = new_figure(1, 2, height=3.2)
    left, right = axes[0]
    colours = [palette.output, palette.slope_change, palette.inactive, palette.accent]
    markers = ["o", "s", "^", "D"]
    for i, total in enumerate(totals):
        left.errorbar(depths, s["mean"][i], yerr=s["std"][i], color=colours[i], marker=markers[i], label=f"N = {total}")
    left.plot(depths, s["doubling"], color=palette.muted, linestyle="--", label="× 2 per layer")
    left.set_yscale("log")
    left.set_xscale("log", base=2)
    left.set_xticks(depths, [str(d) for d in depths])
    left.set_xlabel("depth L (N/L units per layer)")
    left.set_ylabel(f"linear pieces on {data.facts['interval']}")
    left.legend(fontsize=7)
    for j, depth in enumerate(depths):
        right.plot(totals, s["mean"][:, j], color=colours[j], marker=markers[j], label=f"L = {depth}")
    right.set_xlabel("total hidden neurons N")
    right.set_ylabel("mean linear pieces")
    right.legend(fontsize=7)
    return fig


def regions_2d(units: int = 6, seed: int = 0, pixels: int = 300) -> FigureData:
    """One hidden layer (an arrangement of lines) beside two hidden layers (bent boundaries), counted exactly."""
    if units < 1:
        raise ValueError(f"units must be at least 1; got {units}")
    shallow = random_network(units, input_dim=2, init="standard", seed=seed)
    half = arrangement_half_width(shallow)
    deep = random_network(units, depth=2, input_dim=2, init="he", seed=seed)
    deep_half = 2.0
    panels = {"shallow": (shallow, half), "deep": (deep, deep_half)}
    published, series, counts = {}, {}, {}
    for name, (net, h) in panels.items():
        regions = activation_regions(net, -h, h)
        pixel_count, labels = pixel_region_count(net, -h, h, pixels)
        counts[name] = (len(regions), pixel_count)
        published[name] = net.to_dict() | {"square": [-h, h], "exact_regions": len(regions), "pixel_regions": pixel_count, "pixels": pixels}
        series[f"{name}_polygons"] = np.array([r.polygon for r in regions], dtype=object)
        series[f"{name}_half"] = np.array(h)
    facts = {
        "units": str(units),
        "formula": str(lines_in_general_position_regions(units)),
        "shallow_exact": str(counts["shallow"][0]),
        "shallow_pixels": str(counts["shallow"][1]),
        "deep_exact": str(counts["deep"][0]),
        "deep_pixels": str(counts["deep"][1]),
        "pixels": f"{pixels} × {pixels}",
        "half": number(half, 3),
    }
    return FigureData(published, series, facts)


def draw_regions_2d(data: FigureData, palette: Palette):
    from matplotlib.collections import PolyCollection

    fig, axes = new_figure(1, 2, height=3.6)
    shades = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
    for ax, name, title in ((axes[0, 0], "shallow", "one hidden layer"), (axes[0, 1], "deep", "two hidden layers")):
        polygons = list(data.series[f"{name}_polygons"])
        colours = [shades[i % len(shades)] for i in range(len(polygons))]
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors=palette.text, linewidths=0.5, alpha=0.55))
        h = float(data.series[f"{name}_half"])
        ax.set_xlim(-h, h)
        ax.set_ylim(-h, h)
        ax.set_aspect("equal")
        ax.set_title(f"{title}: {len(polygons)} regions", fontsize=9)
        ax.set_xlabel("input x₁")
        ax.grid(False)
    axes[0, 0].set_ylabel("input x₂")
    return fig


def activations_compare(seed: int = 0, width: int = 10, leaky_slope: float = 0.1) -> FigureData:
    """One set of weights under five activations: output and slope on the same inputs."""
    names = ["identity", "relu", "leaky_relu", "tanh", "softplus"]
    base = random_network(width, seed=seed, init="spread", spread=(-4.0, 4.0))
    x = np.linspace(-5.0, 5.0, 2001)
    series, published, facts = {"x": x}, {"interval": [-5.0, 5.0], "points": len(x), "networks": {}}, {}
    for name in names:
        net = Network(base.layers, name, leaky_slope=leaky_slope)
        slope = net.jacobian(x)[:, 0, 0]
        series[name] = net.forward(x)[:, 0]
        series[f"{name}_slope"] = slope
        jump = float(np.abs(np.diff(slope)).max())
        entry = net.to_dict() | {"largest_slope_step_between_neighbours": jump}
        if net.activation.piecewise_linear:
            pieces = analyze_line(net, -5.0, 5.0)
            entry |= {"breakpoints": pieces.breakpoints.tolist()}
            facts[f"{name}_kinks"] = str(len(pieces.breakpoints))
        facts[f"{name}_jump"] = number(jump, 2)
        published["networks"][name] = entry
    facts |= {"width": str(width), "leaky_slope": number(leaky_slope), "step": number(x[1] - x[0])}
    return FigureData(published, series, facts)


ACTIVATION_LABELS = {"identity": "identity", "relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "softplus": "softplus"}
ACTIVATION_LINES = {"identity": "-", "relu": "-", "leaky_relu": "--", "tanh": "-.", "softplus": ":"}


def draw_activations_compare(data: FigureData, palette: Palette):
    s = data.series
    fig, axes = new_figure(1, 2, height=3.3)
    colours = {"identity": palette.linear, "relu": palette.output, "leaky_relu": palette.slope_change, "tanh": palette.inactive, "softplus": palette.accent}
    for name, label in ACTIVATION_LABELS.items():
        style = {"color": colours[name], "linestyle": ACTIVATION_LINES[name], "label": label}
        axes[0, 0].plot(s["x"], s[name], **style)
        axes[0, 1].plot(s["x"], s[f"{name}_slope"], **style)
    axes[0, 0].set_ylabel("output")
    axes[0, 1].set_ylabel("slope d(output)/dx")
    for ax in axes[0]:
        ax.set_xlabel("input x")
        ax.set_xlim(s["x"][0], s["x"][-1])
    axes[0, 1].legend(fontsize=7)
    return fig


def approximation(samples: int = 20001) -> FigureData:
    """Closed-form ReLU interpolants of sin on [−π, π]: error against the number of knots."""
    lo, hi = -np.pi, np.pi
    knot_counts = [8, 16, 32, 64, 128, 256, 512]
    errors = interpolation_errors(np.sin, lo, hi, knot_counts, samples)
    order = log_log_slope(knot_counts, errors)
    shown = 7
    net = interpolating_network(np.sin, np.linspace(lo, hi, shown))
    pieces = analyze_line(net, lo, hi)
    x = np.linspace(lo, hi, 1001)
    published = {
        "target": "sin",
        "interval": [lo, hi],
        "knot_counts": knot_counts,
        "max_errors": errors.tolist(),
        "fitted_log_log_slope": order,
        "samples": samples,
        "example": pieces.to_dict(),
    }
    facts = {
        "order": number(order, 3),
        "shown": str(shown),
        "units": str(shown - 1),
        "first_n": str(knot_counts[0]),
        "last_n": str(knot_counts[-1]),
        "first_error": number(errors[0], 2),
        "last_error": number(errors[-1], 2),
        "samples": f"{samples:,}",
        "boundaries": str(len(pieces.boundaries)),
        "kinks": str(len(pieces.breakpoints)),
    }
    knots = np.linspace(lo, hi, shown)
    counts = np.array(knot_counts)
    series = {
        "x": x, "target": np.sin(x), "network": net.forward(x)[:, 0], "knots": knots, "knot_values": np.sin(knots),
        "counts": counts, "errors": errors, "order_two": errors[0] * (counts / counts[0]) ** -2.0,
    }
    return FigureData(published, series, facts)


def draw_approximation(data: FigureData, palette: Palette):
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


def xor() -> FigureData:
    """The XOR example of Deep Learning §6.1: exact outputs, the best affine model, and the hidden space."""
    net = xor_network()
    outputs = net.forward(XOR_INPUTS)[:, 0]
    hidden = np.maximum(0.0, XOR_INPUTS @ net.layers[0].weight.T + net.layers[0].bias)
    weights, bias, linear_outputs = best_linear_fit(XOR_INPUTS, XOR_TARGETS)
    published = net.to_dict() | {
        "inputs": XOR_INPUTS.tolist(),
        "targets": XOR_TARGETS.tolist(),
        "outputs": outputs.tolist(),
        "hidden": hidden.tolist(),
        "best_linear": {"weights": weights.tolist(), "bias": bias, "outputs": linear_outputs.tolist()},
    }
    facts = {
        "outputs": count_list(outputs, 3),
        "linear_outputs": count_list(linear_outputs, 3),
        "linear_w": ", ".join(number(w, 2) for w in np.round(weights, 12)),  # zero up to rounding: print the 0 it is
        "linear_b": number(bias, 3),
        "hidden": ", ".join(f"({number(h[0])}, {number(h[1])})" for h in hidden),
        "max_error": number(np.abs(outputs - XOR_TARGETS).max(), 2),
    }
    (w1, w2), b = net.layers[1].weight[0], net.layers[1].bias[0]
    h1 = np.array([-0.4, 2.4])
    half_line = np.column_stack([h1, (0.5 - b - w1 * h1) / w2])  # where w·h + b = ½ in the hidden space
    return FigureData(published, {"hidden": hidden, "half_line": half_line}, facts)


def draw_xor(data: FigureData, palette: Palette):
    hidden = data.series["hidden"]
    fig, axes = new_figure(1, 2, height=3.2)
    for ax, points, title, labels in (
        (axes[0, 0], XOR_INPUTS, "input space (x₁, x₂)", ("x₁", "x₂")),
        (axes[0, 1], hidden, "hidden space h = relu(Wx + c)", ("h₁", "h₂")),
    ):
        for point, target in zip(points, XOR_TARGETS):
            ax.plot(*point, linestyle="none", marker="o" if target else "X", markersize=11,
                    color=palette.output if target else palette.accent)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        ax.set_xlim(-0.4, 2.4)
        ax.set_ylim(-0.4, 1.4)
        ax.set_aspect("equal")
    line = data.series["half_line"]
    axes[0, 1].plot(line[:, 0], line[:, 1], color=palette.muted, linestyle="--", label="output = ½")
    axes[0, 1].annotate("both 1-points\nland here", xy=(1, 0), xytext=(0.05, 0.7), arrowprops={"arrowstyle": "->", "color": palette.text})
    axes[0, 1].legend(loc="lower right", fontsize=7)
    return fig


SPECS = [
    FigureSpec(
        id="sawtooth-depth",
        title="Depth doubles the pieces: the composed tent map",
        caption=(
            "A tent map made of two ReLUs, composed with itself: the network with L hidden layers of 2 units has "
            "2ᴸ linear pieces on [0, 1]. Counted exactly for L = 1 … {max_depth}: {counts}."
        ),
        alt="Four zig-zag plots on [0, 1] with 2, 4, 8 and 16 straight pieces, each twice as many teeth as the one before.",
        compute=sawtooth,
        draw=draw_sawtooth,
    ),
    FigureSpec(
        id="pieces-vs-depth",
        title="At random initialisation, depth does not multiply pieces",
        caption=(
            "Mean and standard deviation of the linear pieces on {interval} over {networks} He-initialised networks per "
            "setting. Left: at a fixed total of N hidden neurons, going from 1 to {deepest} layers changes the count "
            "by a factor of at most {max_ratio}, where doubling per layer would give {two_power_ratio}. Right: the "
            "count grows in step with N."
        ),
        alt="Left, on a log scale, four nearly flat lines of piece counts against depth, far below a dashed line that "
        "doubles with every layer. Right, piece counts rising in straight lines with the number of neurons, one line "
        "per depth, close together.",
        compute=pieces_vs_depth,
        draw=draw_pieces_vs_depth,
    ),
    FigureSpec(
        id="regions-2d",
        title="Linear regions of a two-input network",
        caption=(
            "Each coloured polygon is one linear region, computed exactly. Left: {units} ReLU units in one layer are "
            "{units} lines, cutting the square into {shallow_exact} regions (the formula gives {formula}). Right: a "
            "second layer of {units} units bends its boundaries where they meet the first layer's, making "
            "{deep_exact} regions."
        ),
        alt="Left, a square cut by straight lines into convex coloured cells. Right, a square cut into cells whose "
        "boundary lines change direction where they cross other lines.",
        compute=regions_2d,
        draw=draw_regions_2d,
    ),
    FigureSpec(
        id="activations-compare",
        title="Five activations, one set of weights",
        caption=(
            "The same weights with five activations. Identity: a straight line, constant slope. ReLU and leaky ReLU "
            "(slope {leaky_slope} below zero): straight pieces, a piecewise-constant slope with {relu_kinks} jumps. "
            "tanh and softplus: curves whose slope changes smoothly, with no kink at all."
        ),
        alt="Left, five output curves: one straight line, two polylines with corners, and two smooth curves. Right, "
        "their slopes: a flat line, two staircases, and two smooth wavy curves.",
        compute=activations_compare,
        draw=draw_activations_compare,
    ),
    FigureSpec(
        id="approximation",
        title="ReLU networks approximate curves",
        caption=(
            "Left: a one-hidden-layer ReLU network, written down in closed form, that joins {shown} points of sin x "
            "by straight lines. Right: its largest error against the number of knots n, from {first_n} to {last_n}, "
            "on log-log axes; the fitted slope is {order}, the −2 expected for a smooth target."
        ),
        alt="Left, a polyline through seven dots on a sine curve, close to it everywhere. Right, a straight falling "
        "line of errors on log-log axes, parallel to a dotted reference of slope −2.",
        compute=approximation,
        draw=draw_approximation,
    ),
    FigureSpec(
        id="xor",
        title="XOR with one hidden ReLU layer",
        caption=(
            "Left: the four XOR inputs; circles should give 1 and crosses 0, and no straight line separates them. "
            "Right: after the hidden layer the points sit at {hidden}; the two circles meet at one point and the "
            "dashed line separates them from the crosses."
        ),
        alt="Left, four points at the corners of a unit square, circles on one diagonal and crosses on the other. "
        "Right, three points on a bent line, both circles at (1, 0), separated from the crosses by a dashed line.",
        compute=xor,
        draw=draw_xor,
    ),
]
