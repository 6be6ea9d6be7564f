"""Chapter 3–6 figures: layers as matrices, the derivative, kinks up close, and what biases change."""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..network import Layer, Network, collapse, random_network
from ..pieces import analyze_line
from ..sampling import grid
from ..style import Palette
from .drawing import new_figure
from .registry import FigureData, FigureSpec
from .text import count_list, number, tex_matrix, tex_number

LO, HI = -100.0, 100.0
MAX_DOTS = 160  # sample dots drawn in the zoomed figure; more only add bytes to the SVG


def _site_network(width: int, seed: int, activation: str = "relu") -> Network:
    return random_network(width, seed=seed, init="spread", activation=activation)


def _without_biases(net: Network, activation: str) -> Network:
    return Network([Layer(layer.weight, np.zeros_like(layer.bias)) for layer in net.layers], activation)


def linear_collapse(width: int = 10, seed: int = 0) -> FigureData:
    """The seed's algebra, o1 = A·i1 and o2 = B·o1 = (BA)·i1, checked on the site network's own weights."""
    net = _without_biases(_site_network(width, seed), "identity")
    single = collapse(net)
    x = grid(LO, HI, 0.01)
    two_layers = net.forward(x)[:, 0]
    one_product = single(x[:, None])[:, 0]
    error = float(np.abs(two_layers - one_product).max())
    a, b = net.layers[0].weight, net.layers[1].weight
    published = net.to_dict() | {"product": single.weight.tolist(), "max_abs_difference": error}
    facts = {
        "width": str(width),
        "A_T": tex_matrix(a[:, 0]),
        "B": tex_matrix(b[0]),
        "BA": tex_number(single.weight[0, 0], 4),
        "BA_text": number(single.weight[0, 0], 4),
        "max_difference": number(error, 2),
        "points": f"{len(x):,}",
    }
    return FigureData(published, {"x": x, "two_layers": two_layers, "one_product": one_product}, facts)


def draw_linear_collapse(data: FigureData, palette: Palette):
    s = data.series
    fig, axes = new_figure(height=3.0)
    ax = axes[0, 0]
    ax.plot(s["x"], s["two_layers"], color=palette.linear, linewidth=4, alpha=0.55, label="two layers: B·(A·x)")
    ax.plot(s["x"], s["one_product"], color=palette.text, linestyle="--", label="one matrix: (BA)·x")
    ax.set_xlabel("input x")
    ax.set_ylabel("output")
    ax.set_xlim(s["x"][0], s["x"][-1])
    ax.legend(loc="upper left")
    return fig


def slope_against_x(width: int = 10, seed: int = 0) -> FigureData:
    """do2/di1 for the linear network (BA, one number) and the ReLU network (B·D(x)·A, a step function)."""
    relu_net = _site_network(width, seed)
    linear_net = _site_network(width, seed, "identity")
    relu_pieces = analyze_line(relu_net, LO, HI)
    linear_pieces = analyze_line(linear_net, LO, HI)
    middles = 0.5 * (relu_pieces.edges[:-1] + relu_pieces.edges[1:])
    jacobian_error = float(np.abs(relu_net.jacobian(middles)[:, 0, 0] - relu_pieces.slopes[:, 0]).max())
    x0 = float(middles[np.argmin(np.abs(middles))])
    mask = relu_net.activation.derivative(relu_net.preactivations(np.array([x0]))[0][0])
    published = {"relu": relu_pieces.to_dict(), "linear": linear_pieces.to_dict(), "jacobian_max_abs_difference": jacobian_error}
    facts = {
        "BA": number(linear_pieces.slopes[0, 0], 4),
        "relu_slopes": str(len(np.unique(np.round(relu_pieces.slopes[:, 0], 12)))),
        "pieces": str(relu_pieces.linear_pieces),
        "slope_min": number(relu_pieces.slopes.min()),
        "slope_max": number(relu_pieces.slopes.max()),
        "jacobian_error": number(jacobian_error, 2),
        "x0": number(x0),
        "D_x0": tex_matrix(mask),
        "active_x0": str(int(mask.sum())),
        "slope_x0": number(relu_net.jacobian(np.array([x0]))[0, 0, 0], 4),
    }
    series = {"relu_edges": relu_pieces.edges, "relu_slopes": relu_pieces.slopes[:, 0], "linear_slope": linear_pieces.slopes[:, 0]}
    return FigureData(published, series, facts)


def draw_slope_against_x(data: FigureData, palette: Palette):
    s = data.series
    fig, axes = new_figure(height=3.2)
    ax = axes[0, 0]
    edges, slopes = s["relu_edges"], s["relu_slopes"]
    ax.stairs(slopes, edges, baseline=None, color=palette.output, linewidth=2, label="ReLU network: B·D(x)·A")
    ax.hlines(s["linear_slope"][0], edges[0], edges[-1], color=palette.linear, linestyle="--", linewidth=2, label="linear network: BA")
    ax.set_xlabel("input x")
    ax.set_ylabel("slope d(output)/dx")
    ax.set_xlim(edges[0], edges[-1])
    ax.legend(loc="best")
    return fig


def kinks_up_close(width: int = 10, seed: int = 0, kinks_shown: int = 3) -> FigureData:
    """The tightest run of ``kinks_shown`` consecutive kinks, sampled at the seed's step, with each exact piece."""
    if kinks_shown < 1:
        raise ValueError(f"kinks_shown must be at least 1; got {kinks_shown}")
    net = _site_network(width, seed)
    pieces = analyze_line(net, LO, HI)
    kinks = pieces.breakpoints
    if len(kinks) < kinks_shown:
        raise ValueError(f"kinks_shown must be at most the network's {len(kinks)} kinks; got {kinks_shown}")
    spans = kinks[kinks_shown - 1 :] - kinks[: len(kinks) - kinks_shown + 1]
    first = int(np.argmin(spans))
    shown = kinks[first : first + kinks_shown]
    margin = max(0.5, 0.35 * (shown[-1] - shown[0]))
    lo, hi = np.floor((shown[0] - margin) * 100) / 100, np.ceil((shown[-1] + margin) * 100) / 100
    x = grid(lo, hi, 0.01)
    window = analyze_line(net, lo, hi)
    relu = get_activation("relu")
    additivity = {"relu(-1)": float(relu(np.array(-1.0))), "relu(1)": float(relu(np.array(1.0))), "relu(0)": float(relu(np.array(0.0)))}
    published = window.to_dict() | {"relu_additivity_check": additivity}
    facts = {
        "lo": number(lo, 5),
        "hi": number(hi, 5),
        "kinks": count_list(shown, 4),
        "pieces": str(window.linear_pieces),
        "slopes": count_list(window.slopes[:, 0], 3),
        "inactive": count_list(window.inactive, 3),
        "relu_m1": number(additivity["relu(-1)"]),
        "relu_1": number(additivity["relu(1)"]),
        "relu_sum": number(additivity["relu(-1)"] + additivity["relu(1)"]),
        "relu_0": number(additivity["relu(0)"]),
    }
    ends = np.column_stack([window.edges[:-1], window.edges[1:]])
    piece_lines = np.stack([ends, window.intercepts[:, :1] + window.slopes[:, :1] * ends], axis=2)  # (pieces, 2, xy)
    series = {"x": x, "output": net.forward(x)[:, 0], "inactive": net.inactive_count(x), "edges": window.edges, "piece_lines": piece_lines}
    return FigureData(published, series, facts)


def draw_kinks_up_close(data: FigureData, palette: Palette):
    s = data.series
    fig, axes = new_figure(2, 1, height=4.2, sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    top, bottom = axes[:, 0]
    colours = [palette.output, palette.accent]
    for k, line in enumerate(s["piece_lines"]):
        top.plot(line[:, 0], line[:, 1], color=colours[k % 2], linewidth=5, alpha=0.45,
                 solid_capstyle="butt", label="exact linear piece" if k == 0 else None)
    stride = max(1, len(s["x"]) // MAX_DOTS)
    top.plot(s["x"][::stride], s["output"][::stride], linestyle="none", marker=".", markersize=2.5, color=palette.text,
             label=f"every {stride}th sample of the 0.01 grid" if stride > 1 else "samples, step 0.01")
    for edge in s["edges"][1:-1]:
        top.axvline(edge, color=palette.muted, linestyle=":", linewidth=1)
    top.set_ylabel("output")
    top.legend(loc="best", fontsize=8)
    bottom.stairs(s["inactive"][:-1], s["x"], baseline=None, color=palette.inactive, linestyle=":", linewidth=2)
    bottom.set_ylabel("units\nnegative")
    bottom.yaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlabel("input x")
    bottom.set_xlim(s["x"][0], s["x"][-1])
    return fig


def biases_move_kinks(width: int = 10, seed: int = 0) -> FigureData:
    """The site network with and without its biases: without them every unit switches at x = 0."""
    with_bias = _site_network(width, seed)
    without_bias = _without_biases(with_bias, "relu")
    a, b = with_bias.layers[0].weight[:, 0], with_bias.layers[0].bias
    predicted = np.sort(-b[a != 0] / a[a != 0])
    with_pieces = analyze_line(with_bias, LO, HI)
    without_pieces = analyze_line(without_bias, LO, HI)
    affine = collapse(Network(with_bias.layers, "identity"))
    x = grid(LO, HI, 0.01)
    affine_error = float(np.abs(affine(x[:, None]) - Network(with_bias.layers, "identity").forward(x)).max())
    inside = predicted[(predicted > LO) & (predicted < HI)]
    published = {"with_biases": with_pieces.to_dict(), "without_biases": without_pieces.to_dict(), "predicted_kinks": predicted.tolist()}
    facts = {
        "width": str(width),
        "without_boundaries": count_list(without_pieces.boundaries, 3) if len(without_pieces.boundaries) else "none",
        "without_pieces": str(without_pieces.linear_pieces),
        "with_kinks": str(len(with_pieces.breakpoints)),
        "predicted_error": number(np.abs(inside - with_pieces.boundaries).max() if len(inside) == len(with_pieces.boundaries) and len(inside) else float("nan"), 2),
        "a1": number(a[0]),
        "b1": number(b[0]),
        "kink1": number(-b[0] / a[0]),
        "affine_W": tex_number(affine.weight[0, 0], 4),
        "affine_b": tex_number(affine.bias[0], 4),
        "affine_error": number(affine_error, 2),
    }
    series = {"x": x, "with": with_bias.forward(x)[:, 0], "without": without_bias.forward(x)[:, 0], "predicted": predicted}
    return FigureData(published, series, facts)


def draw_biases_move_kinks(data: FigureData, palette: Palette):
    s = data.series
    fig, axes = new_figure(1, 2, height=3.0, sharey=False)
    for ax, key, title, colour in ((axes[0, 0], "without", "no biases: o = B·relu(A·x)", palette.linear), (axes[0, 1], "with", "with biases: o = B·relu(A·x + a) + b", palette.output)):
        ax.plot(s["x"], s[key], color=colour)
        ax.set_title(title, loc="left", fontsize=9)
        ax.set_xlabel("input x")
        ax.set_xlim(s["x"][0], s["x"][-1])
    axes[0, 0].axvline(0, color=palette.muted, linestyle=":", linewidth=1)
    axes[0, 0].set_ylabel("output")
    for kink in s["predicted"]:
        axes[0, 1].axvline(kink, color=palette.muted, linestyle=":", linewidth=1)
    return fig


SPECS = [
    FigureSpec(
        id="linear-collapse",
        title="Two linear layers are one matrix",
        caption=(
            "The two-layer linear network B·(A·x) and the single product (BA)·x, with the site network's own A and B, "
            "evaluated at {points} points: the largest difference is {max_difference}, rounding error."
        ),
        alt="Two lines on top of each other, a thick one for the two-layer network and a dashed one for the single "
        "matrix product; they coincide everywhere, a straight line through the origin.",
        compute=linear_collapse,
        draw=draw_linear_collapse,
    ),
    FigureSpec(
        id="slope-vs-x",
        title="The derivative: constant for a linear network, a step function for ReLU",
        caption=(
            "The slope of the output against x. The linear network's slope is the constant BA = {BA}; the ReLU "
            "network's slope B·D(x)·A takes {relu_slopes} different values, from {slope_min} to {slope_max}, "
            "changing wherever the mask D(x) changes."
        ),
        alt="A horizontal dashed line for the linear network's constant slope, and a staircase for the ReLU "
        "network's slope that jumps at every kink.",
        compute=slope_against_x,
        draw=draw_slope_against_x,
    ),
    FigureSpec(
        id="kinks-zoom",
        title="Up close, every piece is straight",
        caption=(
            "The window from {lo} to {hi} around the kinks at {kinks}. The seed's samples (dots) fall on the {pieces} "
            "straight pieces computed exactly (thick segments); below, the count of negative units changes by one "
            "at each kink."
        ),
        alt="Sample dots lying exactly on a chain of thick straight segments of alternating colour, meeting at "
        "dotted vertical lines; below, a step plot that changes at the same vertical lines.",
        compute=kinks_up_close,
        draw=draw_kinks_up_close,
    ),
    FigureSpec(
        id="bias-moves-kinks",
        title="Biases move the kinks",
        caption=(
            "Left: the site network with its biases removed; every unit switches at x = 0, so the output is two "
            "straight rays. Right: with biases, unit j switches at x = −b_j/a_j, the dotted lines, and the output "
            "has {with_kinks} kinks."
        ),
        alt="Left, a single corner at x = 0 joining two straight rays. Right, a curve made of many straight pieces, "
        "with a dotted vertical line at every corner.",
        compute=biases_move_kinks,
        draw=draw_biases_move_kinks,
    ),
]
