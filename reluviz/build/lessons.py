"""What a chapter's notebook runs: the code that stands in for each figure, and each chapter's "Try this".

Every cell here calls the package's public API only (`reluviz`, `reluviz.experiments`, `reluviz.measures`,
`reluviz.regions`, `reluviz.portable_random`, `reluviz.style`) and shows what a reader wants: the figure drawn
inline, tables as tables, matrices as matrices, and every number the site quotes from the figure, written as the
site writes it (the notebook's own helpers in `SETUP`, which follow the site's rules for numbers). A figure's cell
starts with the site's parameters for it, which `reluviz.build.notebooks` writes in front of `FigureLesson.code`.
``tests/test_notebooks.py`` runs every notebook and finds each number its page quotes in its outputs, so a change
to a figure's numbers that is not made here too fails there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureLesson:
    """The code cell in place of a figure: it computes the figure, draws it and shows the numbers the pages quote.

    ``helpers`` names the functions of `HELPERS` it calls, which the notebook's first code cell then defines.
    """

    code: str
    helpers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercise:
    """A chapter's "Try this": a question (Markdown), a cell to try it in, and a cell that checks the answer by
    computing it, never by comparing with a typed-in number."""

    question: str
    attempt: str
    check: str


SETUP = r'''# Run this cell first: it loads reluviz and the helpers the cells below share.
from decimal import Decimal

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, Math, display

from reluviz import Network, analyze_line
from reluviz.style import LIGHT as colours  # the site's colours, safe for colour-blind readers

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def rounded(value, digits=3):
    """`value` rounded to `digits` significant digits (half to even), as the Decimal the page prints."""
    exact_value = Decimal(float(value) + 0.0)
    if exact_value == 0:
        return Decimal(0)
    shown = exact_value.quantize(Decimal(1).scaleb(exact_value.adjusted() - digits + 1))
    if shown.adjusted() > exact_value.adjusted():  # rounded up to the next power of ten: 9.996 is 10.0
        shown = exact_value.quantize(Decimal(1).scaleb(exact_value.adjusted() - digits + 2))
    return shown


def written(decimal, tex=False):
    """A Decimal as the site writes it: its digits as they are, thousands grouped, a real minus sign (a hyphen in
    TeX), and a power of ten below 0.001."""
    size = abs(decimal)
    if 0 < size < Decimal("0.001"):
        mantissa, power = size.scaleb(-size.adjusted()), size.adjusted()
        body = rf"{mantissa:f} \times 10^{{{power}}}" if tex else f"{mantissa:f} × 10{str(power).translate(SUPERSCRIPTS)}"
    else:
        whole, point, fraction = f"{size:f}".partition(".")
        body = f"{int(whole):,}".replace(",", "{,}" if tex else ",") + point + fraction
    return ("-" if tex else "−") + body if decimal < 0 else body


def num(value, digits=3, tex=False):
    """A computed number with 3 significant digits (2 for a rounding error), trailing zeros kept: "−1.70"."""
    return written(rounded(value, digits), tex)


def exact(value):
    """A number that is exact by construction (a parameter, ReLU at 1), in full: "0.005"."""
    return written(Decimal(repr(float(value) + 0.0)).normalize())


def pct(share):
    """A share as a percentage with two significant digits: 0.6399 is "64%"."""
    return num(100 * share, 2) + "%"


def plural(count, noun):
    """"1 unit", "4 units"."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def listing(items):
    """Items as the page lists them: "a, b and c"."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def agreement(difference):
    """How closely two computations of one thing agree: "exactly", or "to within" their difference."""
    return "exactly" if difference == 0 else f"to within {num(difference, 2)}"


def show(text):
    """Markdown output: lists and tables rendered, numbers as the page prints them."""
    display(Markdown(text))'''

HELPERS = {
    "quora_plot": r'''

def quora_plot(samples, title):
    """The Quora experiment's three panels on one x axis: the output (blue), whether the slope changed (green) and
    how many hidden units have a negative input (orange)."""
    fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(8, 5.2), sharex=True, height_ratios=[2.2, 1, 1],
                                              layout="constrained")
    top.plot(samples.x, samples.output, color=colours.output)
    top.set(ylabel="output", title=title)
    marks = np.flatnonzero(samples.slope_changed)
    middle.plot(samples.x, samples.slope_changed.astype(float), "--o", color=colours.slope_change,
                markevery=list(marks), markersize=4)
    middle.set(ylabel="slope\nchanged", yticks=[0, 1], yticklabels=["no", "yes"], ylim=(-0.2, 1.3))
    bottom.step(samples.x, samples.negative, ":", where="post", color=colours.negative)
    bottom.set(ylabel="units\nnegative", xlabel="input x", xlim=(samples.x[0], samples.x[-1]))
    plt.show()''',
    "estimate": r'''

def estimate(mean, error):
    """A mean and its standard error, the error with two significant digits and the mean to the same place."""
    if error == 0:
        return f"{exact(mean)} ± 0"
    shown_error = rounded(error, 2)
    centre = Decimal(mean).quantize(Decimal(1).scaleb(min(0, shown_error.as_tuple().exponent)))
    return f"{written(centre)} ± {written(shown_error)}"''',
    "article": r'''

def article(digit):
    """A digit with its article: "a 4", "an 8"."""
    return f"{'an' if digit == 8 else 'a'} {digit}"''',
}
"""Functions more than one figure draws with, defined in the first code cell of the notebooks that use them."""

FIGURES: dict[str, FigureLesson] = {
    "relu-network-1d": FigureLesson(r'''from reluviz import measure_on_grid, sampled_kink_count

net = Network.random([1, width, 1], seed=seed)   # the site's "spread" initialisation
samples = measure_on_grid(net, -100, 100, 0.01)  # the Quora experiment: sampled every 0.01
pieces = analyze_line(net, -100, 100)            # the exact analysis: no sampling
quora_plot(samples, "ReLU network, one hidden layer")
show(f"""
- {width} hidden units (seed {seed}), evaluated at {len(samples.x):,} points from −100 to 100
- the slope changes at {np.count_nonzero(samples.slope_changed)} grid points: {sampled_kink_count(samples)} places
  once neighbouring marks are merged
- the exact analysis finds {len(pieces.breakpoints)} kinks, so {pieces.linear_pieces} straight pieces
- between {samples.negative.min()} and {samples.negative.max()} hidden units have a negative input
""")''', ("quora_plot",)),
    "standard-init-1d": FigureLesson(r'''import math

from reluviz import measure_on_grid

net = Network.random([1, width, 1], init="standard", seed=seed)  # every weight and bias standard normal
samples = measure_on_grid(net, -100, 100, 0.01)
kinks = analyze_line(net, -100, 100).breakpoints
quora_plot(samples, "ReLU network, standard-normal weights and biases")
near = 5.0
cauchy_share = {t: pct(2 / math.pi * math.atan(t)) for t in (1.0, 5.0)}  # P(|ratio of two normals| ≤ t)
show(f"""
- {np.count_nonzero(np.abs(kinks) < near)} of the {len(kinks)} kinks lie within {exact(near)} of zero
- a unit's kink −a/A is a ratio of two standard normals: {cauchy_share[1.0]} of such ratios lie within
  ±{exact(1.0)} and {cauchy_share[5.0]} within ±{exact(5.0)}
""")''', ("quora_plot",)),
    "linear-network-1d": FigureLesson(r'''from reluviz import measure_on_grid, sampled_kink_count

net = Network.random([1, width, 1], activation="identity", seed=seed)  # the same weights, the identity for ReLU
samples = measure_on_grid(net, -100, 100, 0.01)
pieces = analyze_line(net, -100, 100)
quora_plot(samples, "Linear network (identity activation)")
show(f"""
- {width} hidden units; the slope is {num(pieces.slopes.min())} everywhere: {pieces.linear_pieces} straight piece
- the grid finds {sampled_kink_count(samples)} places where the slope changes, the exact analysis
  {len(pieces.breakpoints)} kinks
- between {samples.negative.min()} and {samples.negative.max()} hidden units have a negative input; the count
  steps at the {len(pieces.boundaries)} places where a unit's input crosses zero
""")''', ("quora_plot",)),
    "linear-collapse": FigureLesson(r'''from reluviz import collapse, grid
from reluviz.experiments import without_biases

net = without_biases(Network.random([1, width, 1], seed=seed), "identity")  # two linear layers, no biases
A, B = net.layers[0].weight, net.layers[1].weight
BA = collapse(net)  # the single layer with the matrix B·A
x = grid()          # −100 to 100 in steps of 0.01
two_layers, one_product = net.forward(x)[:, 0], BA(x[:, None])[:, 0]

plt.figure(figsize=(8, 3), layout="constrained")
plt.plot(x, two_layers, color=colours.linear, linewidth=4, alpha=0.55, label="two layers: B·(A·x)")
plt.plot(x, one_product, "--", color=colours.text, label="one matrix: (BA)·x")
plt.xlabel("input x")
plt.ylabel("output")
plt.legend()
plt.show()


def row(values):
    """A row of numbers as a TeX matrix, each rounded as the page shows it."""
    return r"\begin{bmatrix} " + " & ".join(num(v, tex=True) for v in values) + r" \end{bmatrix}"


display(Math(r"A^{\mathsf{T}} = " + row(A[:, 0])), Math("B = " + row(B[0])), Math("BA = " + num(BA.weight[0, 0], tex=True)))
shown_product = sum(rounded(a) * rounded(b) for a, b in zip(A[:, 0], B[0]))  # B·A from the rounded entries
if num(shown_product) == num(BA.weight[0, 0]):
    note = f"Multiplied out, the rounded entries shown above give {num(shown_product)} too."
else:
    note = f"Multiplied out, the rounded entries shown above give {num(shown_product)} instead: the difference is their rounding."
show(f"""
- {width} hidden units: $A$ is a column of {A.shape[0]} numbers and $B$ a row of {B.shape[1]}
- {note}
- at {len(x):,} points the two layers and the single product agree {agreement(float(np.abs(two_layers - one_product).max()))}
""")'''),
    "slope-vs-x": FigureLesson(r'''relu_net = Network.random([1, width, 1], seed=seed)
linear_net = Network.random([1, width, 1], activation="identity", seed=seed)
relu_pieces, linear_pieces = analyze_line(relu_net, -100, 100), analyze_line(linear_net, -100, 100)
slopes = relu_pieces.slopes[:, 0]  # the exact slope on each piece

plt.figure(figsize=(8, 3.2), layout="constrained")
plt.stairs(slopes, relu_pieces.edges, baseline=None, color=colours.output, linewidth=2, label="ReLU network: B·D(x)·A")
plt.hlines(linear_pieces.slopes[0, 0], -100, 100, color=colours.linear, linestyles="--", linewidth=2,
           label="linear network: BA")
plt.xlabel("input x")
plt.ylabel("slope d(output)/dx")
plt.legend()
plt.show()

middles = 0.5 * (relu_pieces.edges[:-1] + relu_pieces.edges[1:])   # one point inside each piece
from_formula = relu_net.jacobian(middles)[:, 0, 0]                 # B·D(x)·A there
x0 = float(middles[np.argmin(np.abs(middles))])                    # the middle nearest 0
mask = relu_net.activation.derivative(relu_net.preactivations(np.array([x0]))[0][0])  # the diagonal of D(x0)
display(Math(r"\operatorname{diag} D = \begin{bmatrix} " + " & ".join(exact(m) for m in mask) + r" \end{bmatrix}"))
show(f"""
- the linear network's slope is the constant BA = {num(linear_pieces.slopes[0, 0])}
- at x = {num(x0)}, {int(mask.sum())} units are on, and the slope there is {num(relu_net.jacobian(np.array([x0]))[0, 0, 0])}
- the ReLU network's slope takes {len(np.unique(np.round(slopes, 12)))} different values, from {num(slopes.min())}
  to {num(slopes.max())}
- B·D(x)·A at the middle of every piece agrees with the exact slopes {agreement(float(np.abs(from_formula - slopes).max()))}
""")'''),
    "kinks-zoom": FigureLesson(r'''from reluviz import get_activation, grid

net = Network.random([1, width, 1], seed=seed)
kinks = analyze_line(net, -100, 100).breakpoints
spans = kinks[kinks_shown - 1:] - kinks[:len(kinks) - kinks_shown + 1]  # how wide each run of kinks_shown kinks is
first = int(np.argmin(spans))                                           # the tightest run
shown = kinks[first:first + kinks_shown]
margin = max(0.5, 0.35 * (shown[-1] - shown[0]))
lo, hi = np.floor((shown[0] - margin) * 100) / 100, np.ceil((shown[-1] + margin) * 100) / 100
window = analyze_line(net, lo, hi)  # the exact pieces in the window
x = grid(lo, hi, 0.01)              # the Quora experiment's samples there

fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.2), sharex=True, height_ratios=[2.2, 1], layout="constrained")
for k, (left, right) in enumerate(zip(window.edges[:-1], window.edges[1:])):
    ends = np.array([left, right])
    top.plot(ends, window.intercepts[k, 0] + window.slopes[k, 0] * ends, linewidth=5, alpha=0.45,
             color=[colours.output, colours.accent][k % 2])
top.plot(x, net.forward(x)[:, 0], ".", markersize=2.5, color=colours.text)
for edge in window.edges[1:-1]:
    top.axvline(edge, color=colours.muted, linestyle=":")
top.set(ylabel="output", title="exact pieces (thick) and the 0.01 grid (dots)")
bottom.stairs(net.negative_count(x)[:-1], x, baseline=None, color=colours.negative, linestyle=":", linewidth=2)
bottom.set(ylabel="units\nnegative", xlabel="input x", xlim=(x[0], x[-1]))
plt.show()

relu = get_activation("relu")
m1, p1, z = (float(relu(np.array(v))) for v in (-1.0, 1.0, 0.0))
show(f"""
- the window from {num(lo)} to {num(hi)} holds the kinks at {listing(num(k) for k in shown)}
- the samples fall on {window.linear_pieces} straight pieces, with slopes {listing(num(s) for s in window.slopes[:, 0])}
- the number of negative units goes {listing(window.negative)}
- relu(−1) + relu(1) = {exact(m1)} + {exact(p1)} = {exact(m1 + p1)}, but relu(−1 + 1) = relu(0) = {exact(z)}
""")'''),
    "bias-moves-kinks": FigureLesson(r'''from reluviz import collapse, grid
from reluviz.experiments import without_biases

with_biases = Network.random([1, width, 1], seed=seed)
no_biases = without_biases(with_biases, "relu")
A, a = with_biases.layers[0].weight[:, 0], with_biases.layers[0].bias
predicted = np.sort(-a[A != 0] / A[A != 0])  # unit j switches where A_j x + a_j = 0
found, without = analyze_line(with_biases, -100, 100), analyze_line(no_biases, -100, 100)
x = grid()

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
left.plot(x, no_biases.forward(x)[:, 0], color=colours.linear)
left.axvline(0, color=colours.muted, linestyle=":")
left.set(title="(a) no biases: o = B·relu(A·x)", xlabel="input x", ylabel="output")
right.plot(x, with_biases.forward(x)[:, 0], color=colours.output)
for kink in predicted:
    right.axvline(kink, color=colours.muted, linestyle=":")
right.set(title="(b) with biases: o = B·relu(A·x + a) + b", xlabel="input x")
plt.show()

inside = predicted[(predicted > -100) & (predicted < 100)]
kink1, from_shown = num(-a[0] / A[0]), num(float(-rounded(a[0]) / rounded(A[0])))
if from_shown != kink1:
    kink1 = f"{kink1} (from the unrounded numbers; the rounded ones give {from_shown})"
switches = listing(num(b) for b in without.boundaries) if len(without.boundaries) else "none"
show(f"""
- without biases every unit switches at {switches}, and the output is {without.linear_pieces} straight rays
- unit 1 has the weight A₁ = {num(A[0])} and the bias a₁ = {num(a[0])}, so it switches at {kink1}
- −a_j/A_j predicts every boundary the exact analysis finds {agreement(np.abs(inside - found.boundaries).max() if len(inside) else 0.0)};
  with biases the output has {len(found.breakpoints)} kinks
""")

linear = Network(with_biases.layers, "identity")  # the same layers, the identity in place of ReLU
single = collapse(linear)                          # one affine map (BA)·x + (B·a + b)
slope, intercept = num(single.weight[0, 0], tex=True), num(single.bias[0], tex=True)
joined = rf"{slope}\,x - {intercept[1:]}" if intercept.startswith("-") else rf"{slope}\,x + {intercept}"
twice = written(2 * rounded(single.bias[0]), tex=True)  # twice the intercept as shown
display(Math(f"f(x) = {joined}"), Math(rf"f(0 + 0) = f(0) = {intercept}, \qquad f(0) + f(0) = {twice}"))
show(f"- the single affine map agrees with the two-layer network {agreement(float(np.abs(single(x[:, None]) - linear.forward(x)).max()))}")'''),
    "sawtooth-depth": FigureLesson(r'''import math

from reluviz.experiments import max_pieces_one_input, sawtooth_network
from reluviz.measures import most_pieces_found
from reluviz.portable_random import derived_seed

depths = list(range(1, max_depth + 1))
counts = [analyze_line(sawtooth_network(d), 0.0, 1.0).linear_pieces for d in depths]  # exactly, on [0, 1]
drawn = [d for d in (1, 2, 3, 4) if d <= max_depth]
x = np.linspace(0.0, 1.0, 4097)
fig, axes = plt.subplots(1, len(drawn), figsize=(10, 2.6), sharey=True, layout="constrained", squeeze=False)
for ax, depth in zip(axes[0], drawn):
    ax.plot(x, sawtooth_network(depth).forward(x)[:, 0], color=colours.output)
    ax.set(title=f"depth {depth}: {counts[depth - 1]} pieces", xlabel="input x")
plt.show()
show(f"""
- on [0, 1], networks with L = 1 … {max_depth} hidden layers of two units have {listing(counts)} pieces:
  {"every" if counts == [2**d for d in depths] else "not every"} count equals $2^L$
- t∘t has {counts[1]} pieces and t∘t∘t has {counts[2]}; at depth {max_depth}, {counts[-1]:,} pieces from
  {2 * max_depth} units, where one hidden layer would need {counts[-1] - 1:,} units
- the upper bound (n₁ + 1)⋯(n_L + 1) for {max_depth} layers of two units is {max_pieces_one_input([2] * max_depth):,}
""")

whole_line = (-math.inf, math.inf)
# Four layers of one unit: relu(x), then relu(1 − h), then relu(h) twice; and two layers of two units, rounded weights.
width_one = Network([([[1.0]], [0.0]), ([[-1.0]], [1.0]), ([[1.0]], [0.0]), ([[1.0]], [0.0]), ([[1.0]], [0.0])], "relu")
two_by_two = Network([([[-1.3], [-0.2]], [-0.2, 1.2]), ([[2.9, -1.7], [-1.6, 4.1]], [0.7, -0.6]), ([[0.8, -2.2]], [-1.1])], "relu")
width_one_pieces = analyze_line(width_one, *whole_line).linear_pieces
two_by_two_pieces = analyze_line(two_by_two, *whole_line).linear_pieces
searched = [[2, 2, 2, 2], [2] * 8, [4, 4, 4, 4], [8, 8]]
found = {}
for index, hidden in enumerate(searched):
    starts = [sawtooth_network(len(hidden))] if set(hidden) == {2} else []  # layers of two: from the tent map too
    found[tuple(hidden)] = most_pieces_found(hidden, search, derived_seed(seed, index), starts)


def tent(depth):
    """The tent map's pieces on the whole line."""
    return analyze_line(sawtooth_network(depth), *whole_line).linear_pieces


rows = [
    "| hidden layers × units | upper bound ∏ (nᵢ + 1) | tent map, whole line | most pieces |",
    "|---|---:|---:|---|",
    f"| 4 × 1 | {max_pieces_one_input([1] * 4):,} | — | exactly {width_one_pieces}: proved above, and an example has them |",
    f"| 2 × 2 | {max_pieces_one_input([2, 2]):,} | {tent(2):,} | exactly {two_by_two_pieces}: proved above, and an example has them |",
]
for hidden, result in found.items():
    tent_pieces = f"{tent(len(hidden)):,}" if set(hidden) == {2} else "—"
    rows.append(f"| {len(hidden)} × {hidden[0]} | {max_pieces_one_input(list(hidden)):,} | {tent_pieces} | "
                f"at least {result.pieces:,}: the largest found in {plural(result.networks, 'network')} |")
show("\n".join(rows))
show(f"""
- four layers of one unit: the bound is {max_pieces_one_input([1] * 4)}, and the example has {width_one_pieces} pieces
- two layers of two units: the bound is {max_pieces_one_input([2, 2])}; the example has {two_by_two_pieces}, the most
- eight layers of two units: the search finds {found[(2,) * 8].pieces} pieces on the whole line, where the tent map
  has {tent(8)}
""")'''),
    "pieces-vs-depth": FigureLesson(r'''from reluviz.experiments import max_pieces_one_input
from reluviz.measures import mean_and_standard_error, pieces_at_random_init
from reluviz.portable_random import derived_seed

totals, depths, window = [16, 32, 64, 128], [1, 2, 4, 8], (-5.0, 5.0)  # N neurons in L equal layers
wide, batch = 8, 100  # from 8 units a layer the mean is compared with N + 1; networks drawn at a time
settings = []
for i, total in enumerate(totals):
    for j, depth in enumerate(depths):
        hidden = [total // depth] * depth
        target = relative_error if hidden[0] >= wide else narrow_relative_error
        run = pieces_at_random_init(hidden, derived_seed(seed, j + len(depths) * i), networks, batch, target,
                                    max(limit, networks), window, networks)  # He-initialised, counted exactly
        mean, error = mean_and_standard_error(run.whole_line)
        settings.append({
            "N": total, "L": depth, "units": hidden[0], "mean": mean, "error": error, "networks": run.networks,
            "low": int(np.percentile(run.whole_line, 10, method="inverted_cdf")),
            "high": int(np.percentile(run.whole_line, 90, method="inverted_cdf")),
            "exact": bool(np.all(run.whole_line == total + 1)), "dead": run.dead_layer.mean(),
            "missed": 1.0 - run.in_window.sum() / run.whole_line[:len(run.in_window)].sum(),
            "bound": max_pieces_one_input(hidden), "deviation": mean / (total + 1) - 1.0, "relative": error / (total + 1),
        })

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
for total, colour in zip(totals, [colours.output, colours.slope_change, colours.negative, colours.accent]):
    rows = [s for s in settings if s["N"] == total]
    means = np.array([s["mean"] for s in rows])
    bars = [means - [s["low"] for s in rows], [s["high"] for s in rows] - means]
    left.errorbar(depths, means, yerr=bars, color=colour, marker="o", capsize=3, label=f"N = {total}")
    left.axhline(total + 1, color=colour, linestyle="--", linewidth=1)
    compared = [s for s in rows if s["units"] >= wide and s["L"] > 1]
    right.errorbar([s["L"] for s in compared], [100 * s["deviation"] for s in compared],
                   yerr=[200 * s["relative"] for s in compared], color=colour, marker="o", capsize=3, label=f"N = {total}")
left.set(xscale="log", xlabel="hidden layers L (N/L units each)", ylabel="pieces on the whole line", ylim=(0, None))
left.set_xticks(depths, [str(d) for d in depths])
left.legend(fontsize=7, ncols=2)
right.axhline(0, color=colours.muted, linestyle="--")
right.set(xscale="log", xlabel="hidden layers L", ylabel="mean − (N + 1), % of N + 1")
right.set_xticks(depths[1:], [str(d) for d in depths[1:]])
right.legend(fontsize=7)
plt.show()


def estimate(mean, error):
    """A mean and its standard error, the error with two significant digits and the mean to the same place."""
    if error == 0:
        return f"{exact(mean)} ± 0"
    shown_error = rounded(error, 2)
    centre = Decimal(mean).quantize(Decimal(1).scaleb(min(0, shown_error.as_tuple().exponent)))
    return f"{written(centre)} ± {written(shown_error)}"


table = [
    "| N | hidden layers × units | networks | pieces, mean ± standard error | 10th–90th percentile | N + 1 | "
    "mean − (N + 1), share of N + 1 | upper bound ∏ (nᵢ + 1) | with a dead layer |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
]
for s in settings:
    sign = "+" if s["deviation"] > 0 else ""
    table.append(f"| {s['N']} | {s['L']} × {s['units']} | {s['networks']:,} | {estimate(s['mean'], s['error'])} | "
                 f"{s['low']:,}–{s['high']:,} | {s['N'] + 1:,} | {sign}{pct(s['deviation'])} ± {pct(s['relative'])} | "
                 f"{s['bound']:,} | {pct(s['dead'])} |")
show("\n".join(table))

drawn = [s["networks"] for s in settings]
compared = [s for s in settings if s["units"] >= wide and s["L"] > 1]
narrow = [s for s in settings if s["units"] < wide]
narrowest = settings[len(depths) - 1]  # N = 16 in 8 layers of 2
below = [(s["N"] + 1 - s["mean"]) / s["error"] if s["error"] > 0 else 0.0 for s in narrow]
largest = settings[-1]
show(f"""
- {len(settings)} settings; {networks} networks each, then {batch} more at a time until the standard error is at most
  {pct(relative_error)} of N + 1 ({pct(narrow_relative_error)} with fewer than {wide} units a layer), or
  {max(limit, networks):,} are drawn: {min(drawn):,} to {max(drawn):,} per setting, {sum(drawn):,} in all
- with one hidden layer, {"every" if all(s["exact"] for s in settings if s["L"] == 1) else "not every"} network has
  exactly N + 1 pieces
- in the {len(compared)} settings with more than one layer and {wide} or more units a layer, every mean is within
  {pct(max(abs(s["deviation"]) for s in compared))} of N + 1, with standard errors of at most
  {pct(max(s["relative"] for s in compared))}; {sum(abs(s["mean"] - (s["N"] + 1)) > 2 * s["error"] for s in compared)}
  of those means are more than two standard errors from it
- {"every" if all(s["mean"] < s["N"] + 1 for s in narrow) else "not every"} narrower setting has a lower mean, by at
  least {int(np.floor(min(below)))} standard errors; with {narrowest["units"]} units in each of {narrowest["L"]}
  layers the mean is {estimate(narrowest["mean"], narrowest["error"])}, and {pct(narrowest["dead"])} of those networks
  have a layer that is off everywhere
- with more than one layer every mean is at most {pct(max(s["mean"] / s["bound"] for s in settings if s["L"] > 1))}
  of the bound, which grows to {largest["bound"]:,} for {plural(largest["L"], "layer")} of
  {plural(largest["units"], "unit")}
- on [{exact(window[0])}, {exact(window[1])}], counted for the first {networks} networks of each setting, between
  {pct(min(s["missed"] for s in settings))} and {pct(max(s["missed"] for s in settings))} of the pieces lie outside
""")'''),
    "training-fit": FigureLesson(r'''from reluviz.experiments import TRAINING_TARGETS, follow_training
from reluviz.measures import kink_spread

target, interval, points = "sin 3x + ½ sin 7x", (-np.pi, np.pi), 256
every = max(1, steps // 16)
run = follow_training([1, units, 1], TRAINING_TARGETS[target], interval, points, steps, every, seed)  # full-batch Adam
data_x = np.linspace(interval[0], interval[1], points)
spreads = [kink_spread(kinks, data_x) for kinks in run.kinks]  # the kinks against the data, at every kept step
first, last = spreads[0], spreads[-1]

x = np.linspace(interval[0], interval[1], 401)
fig, (left, middle, right) = plt.subplots(1, 3, figsize=(12, 3.6), layout="constrained")
left.plot(x, TRAINING_TARGETS[target](x), "--", color=colours.muted, label="target")
for step, colour in zip([0, round(steps / 30), round(steps / 3), steps],
                        [colours.negative, colours.slope_change, colours.accent, colours.output]):
    k = min(range(len(run.steps)), key=lambda i: abs(run.steps[i] - step))  # the nearest kept step
    kinks = run.kinks[k][(run.kinks[k] > interval[0]) & (run.kinks[k] < interval[1])]
    left.plot(x, run.networks[k].forward(x)[:, 0], color=colour, linewidth=1.2, label=f"step {run.steps[k]:,}")
    left.plot(kinks, run.networks[k].forward(kinks)[:, 0], "o", markersize=2.5, color=colour)
left.set(title="(a) the fit, kinks marked", xlabel="input x", ylabel="output")
left.legend(fontsize=7)
with np.errstate(divide="ignore"):  # unit j's kink is at −a_j/A_j
    tracks = np.array([-net.layers[0].bias / net.layers[0].weight[:, 0] for net in run.networks])
middle.axhspan(interval[0], interval[1], color=colours.grid, alpha=0.5)
middle.plot(run.steps, np.where(np.abs(tracks) <= 3 * np.pi, tracks, np.nan), color=colours.output, linewidth=0.8)
middle.set(title="(b) where each kink is", xlabel="training step", ylim=(2 * interval[0], 2 * interval[1]))
right.plot(run.steps, [s.in_band for s in spreads], ":", color=colours.output, label="kinks among the data")
right.plot(run.steps, [s.occupied_gaps for s in spreads], color=colours.output, label="gaps holding a kink")
right.plot(run.steps, [s.narrow_pieces for s in spreads], "--", color=colours.negative, label="pieces narrower than the spacing")
right.set(title="(c) what the data can see", xlabel="training step", ylabel="count")
right.legend(fontsize=7)
plt.show()

final = np.sort(run.kinks[-1])
gap = np.searchsorted(data_x, final, side="right") - 1  # the gap between data points each final kink is in
crowded = int(np.argmax(np.bincount(gap[(gap >= 0) & (gap < points - 1)], minlength=points - 1)))
fall = pct(1.0 - last.occupied_gaps / first.occupied_gaps) if first.occupied_gaps else "0%"
show(f"""
- {units} hidden units fitted to {target} on [−π, π] at {points} points, {num(first.spacing)} apart, for {steps:,} steps
- the loss falls from {num(run.losses[0])} to {num(run.losses[-1])}
- {first.in_band} of its {len(run.kinks[-1])} kinks lie among the data at the start and {last.in_band} at the end
- they occupy {first.occupied_gaps} of the {first.gaps} gaps between neighbouring data points at the start and
  {last.occupied_gaps} at the end, {fall} fewer, with up to {last.most_in_one_gap} kinks in one gap (the one from
  {num(data_x[crowded])} to {num(data_x[crowded + 1])})
- of its {last.finite_pieces} finite pieces, those narrower than the data's spacing go from {first.narrow_pieces} to
  {last.narrow_pieces}
""")'''),
    "training-pieces": FigureLesson(r'''from reluviz.experiments import TRAINING_TARGETS, follow_training, max_pieces_one_input
from reluviz.measures import kink_spread

shapes = [(32,), (16, 16), (8, 8, 8, 8), (8,), (16,)]  # the first three have 32 hidden neurons
interval, points = (-np.pi, np.pi), 256
every = max(1, steps // 40)
runs = {(target, shape): follow_training([1, *shape, 1], TRAINING_TARGETS[target], interval, points, steps, every, seed)
        for target in TRAINING_TARGETS for shape in shapes}
data_x = np.linspace(interval[0], interval[1], points)
spreads = {key: [kink_spread(kinks, data_x) for kinks in run.kinks] for key, run in runs.items()}
equal = [shape for shape in shapes if sum(shape) == sum(shapes[0])]
drawn = "sin 3x + ½ sin 7x"

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")
for shape, colour in zip(equal, [colours.output, colours.slope_change, colours.accent]):
    run, spread = runs[drawn, shape], spreads[drawn, shape]
    label = f"{len(shape)} × {shape[0]} (layers × units)"
    left.plot(run.steps, run.whole_line, color=colour, label=label)
    middle.plot(run.steps, [s.in_band for s in spread], ":", color=colour)
    middle.plot(run.steps, [s.occupied_gaps for s in spread], color=colour, label=label)
    right.semilogy(run.steps, run.losses, color=colour, label=label)
left.axhline(sum(shapes[0]) + 1, color=colours.muted, linestyle="--")
left.set(title="(a) pieces, whole line", xlabel="training step", ylim=(0, None))
middle.set(title="(b) kinks among the data (dotted),\ngaps holding a kink (solid)", xlabel="training step", ylim=(0, None))
right.set(title="(c) mean squared error", xlabel="training step")
left.legend(fontsize=7)
plt.show()


def layers(shape):
    """"4 layers of 8 units"."""
    return f"{plural(len(shape), 'layer')} of {plural(shape[0], 'unit')}"


table = [
    "| target | hidden layers × units | pieces on the whole line: start → end (fewest–most) | kinks among the data | "
    "gaps holding a kink | pieces narrower than the spacing | loss |",
    "|---|---|---:|---:|---:|---:|---:|",
]
for (target, shape), run in runs.items():
    start, end = spreads[target, shape][0], spreads[target, shape][-1]
    pieces = run.whole_line
    table.append(f"| {target.replace('|', chr(92) + '|')} | {len(shape)} × {shape[0]} | "
                 f"{pieces[0]} → {pieces[-1]} ({pieces.min()}–{pieces.max()}) | {start.in_band} → {end.in_band} | "
                 f"{start.occupied_gaps} → {end.occupied_gaps} | {start.narrow_pieces} → {end.narrow_pieces} | "
                 f"{num(run.losses[0])} → {num(run.losses[-1])} |")
show("\n".join(table))

counts = np.array([runs[target, shape].whole_line for target in TRAINING_TARGETS for shape in equal])
swing = min(((target, shape) for target in TRAINING_TARGETS for shape in equal), key=lambda k: runs[k].whole_line.min())
gaps_start = sum(s[0].occupied_gaps for s in spreads.values())
gaps_end = sum(s[-1].occupied_gaps for s in spreads.values())
deepest = max(equal, key=len)
show(f"""
- {len(runs)} runs of {steps:,} steps, counted every {every}: {len(TRAINING_TARGETS)} targets, shapes with the same
  {sum(shapes[0])} hidden neurons ({listing(layers(s) for s in equal)}) and narrower ones
  ({listing(layers(s) for s in shapes if s not in equal)})
- with one hidden layer, {"every" if all(np.all(runs[key].whole_line == sum(key[1]) + 1) for key in runs if len(key[1]) == 1) else "not every"}
  run keeps exactly N + 1 pieces at every step looked at
- the networks with {sum(shapes[0])} neurons range from {counts.min()} to {counts.max()} pieces, around
  N + 1 = {sum(shapes[0]) + 1}; the upper bound for {layers(deepest)} is {max_pieces_one_input(list(deepest)):,}
- the largest swing: the {len(swing[1])} × {swing[1][0]} network on {swing[0]} starts with
  {runs[swing].whole_line[0]} pieces, falls to {runs[swing].whole_line.min()} and ends with {runs[swing].whole_line[-1]}
- over all runs the kinks among the data go from {sum(s[0].in_band for s in spreads.values())} to
  {sum(s[-1].in_band for s in spreads.values())}, the gaps holding them from {gaps_start} to {gaps_end}
  ({pct(1.0 - gaps_end / gaps_start)} fewer); they fall in {sum(s[-1].occupied_gaps < s[0].occupied_gaps for s in spreads.values())}
  of the runs, and the pieces narrower than the spacing grow in {sum(s[-1].narrow_pieces > s[0].narrow_pieces for s in spreads.values())}
""")'''),
    "regions-2d": FigureLesson(r'''from matplotlib.collections import PolyCollection

from reluviz.portable_random import derived_seed
from reluviz.regions import (
    activation_regions,
    first_layer_crossings,
    lines_in_general_position_regions,
    pixel_region_count,
    whole_plane_regions,
)

shallow = Network.random([2, units, 1], init="standard", seed=seed)  # one hidden layer: `units` lines
on_top = Network.random([units, units, 1], init="standard", seed=derived_seed(seed, 1))
deep = Network([shallow.layers[0], *on_top.layers])                  # a second layer on the same first layer
reach = np.abs(first_layer_crossings(shallow)).max(axis=1)           # how far out two lines cross
half = 1.15 * float(np.quantile(reach, 2 / 3))  # a square holding two thirds of the crossings, with a margin
regions = {"one hidden layer": activation_regions(shallow, -half, half), "two hidden layers": activation_regions(deep, -half, half)}

shades = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), layout="constrained")
for ax, (name, found) in zip(axes, regions.items()):
    ax.add_collection(PolyCollection([r.polygon for r in found], facecolors=[shades[i % 8] for i in range(len(found))],
                                     edgecolors=colours.text, linewidths=0.5, alpha=0.55))
    ax.set(xlim=(-half, half), ylim=(-half, half), aspect="equal", title=f"{name}: {len(found)} regions", xlabel="input x₁")
axes[0].set_ylabel("input x₂")
plt.show()

inside = int(np.count_nonzero(reach <= half))
show(f"""
- {units} lines in general position cut the plane into 1 + n + n(n − 1)/2 = {lines_in_general_position_regions(units)}
  regions; counted exactly over the whole plane, the one-layer network has {len(whole_plane_regions(shallow)[0])}
- the square has half-width {num(half)} and holds {inside} of the {len(reach)} crossings of two lines ({pct(inside / len(reach))})
- in the square: one layer, {len(regions["one hidden layer"])} regions exactly and
  {pixel_region_count(shallow, -half, half, pixels)[0]} found on {pixels:,} × {pixels:,} pixels; two layers,
  {len(regions["two hidden layers"])} exactly and {pixel_region_count(deep, -half, half, pixels)[0]} on the pixels
- two layers make {len(whole_plane_regions(deep)[0])} regions in the whole plane
""")'''),
    "activations-compare": FigureLesson(r'''from reluviz import get_activation

base = Network.random([1, width, 1], seed=seed, spread=(-4.0, 4.0))  # the kinks placed between −4 and 4
lo, hi, points = -5.0, 5.0, 2001
x = np.linspace(lo, hi, points)
names = {"identity": "identity", "relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "softplus": "softplus"}

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
table = ["| activation | kinks on [−5, 5] | largest slope change between neighbouring samples |", "|---|---:|---:|"]
for name, label in names.items():
    net = Network(base.layers, name, leaky_slope=leaky_slope)  # the same weights, another activation
    slope = net.jacobian(x)[:, 0, 0]
    left.plot(x, net.forward(x)[:, 0], label=label)
    right.plot(x, slope, label=label)
    kinks = len(analyze_line(net, lo, hi).breakpoints) if net.activation.piecewise_linear else "none (smooth)"
    table.append(f"| {label} | {kinks} | {num(np.abs(np.diff(slope)).max())} |")
left.set(xlabel="input x", ylabel="output")
right.set(xlabel="input x", ylabel="slope d(output)/dx")
right.legend(fontsize=7)
plt.show()
show("\n".join(table))
show(f"{width} hidden units; leaky ReLU's slope left of zero is {exact(leaky_slope)} here (the package's default is "
     f"{exact(get_activation('leaky_relu').negative_slope)}); the samples are {exact((hi - lo) / (points - 1))} apart")


def shown_sum(terms, other):
    """The terms and `other` as the page shows them, and the sum of the shown terms (so that the sum adds up):
    short exact numbers in full, others to the decimals of the largest at 3 significant digits."""
    values = [*terms, other]
    short = [Decimal(repr(v + 0.0)).normalize() for v in values]
    if all(len(d.as_tuple().digits) <= 6 and -d.as_tuple().exponent <= 3 for d in short):
        total = sum(short[:-1], Decimal(0))
        return [written(d) for d in short[:-1]], written(total.normalize() if total else Decimal(0)), written(short[-1])
    places = max(0, -rounded(max(abs(v) for v in values)).as_tuple().exponent)
    shown = [Decimal(v).quantize(Decimal(1).scaleb(-places)) for v in values]
    return [written(d) for d in shown[:-1]], written(sum(shown[:-1], Decimal(0))), written(shown[-1])


counterexamples = []
for name, label in list(names.items())[1:]:  # every activation but the identity
    f = get_activation(name, leaky_slope)
    for u, v in ((-1.0, 1.0), (1.0, 1.0), (0.0, 0.0)):  # the first simple pair with f(u + v) ≠ f(u) + f(v)
        apart, together = f(np.array([u, v])), float(f(np.array(u + v)))
        if abs(together - apart.sum()) > 1e-9:
            (first, second), total, alone = shown_sum(apart.tolist(), together)
            counterexamples.append(f"- {label}: f({exact(u)}) + f({exact(v)}) = {first} + {second} = {total}, but f({exact(u + v)}) = {alone}.")
            break
show("\n".join(counterexamples))'''),
    "approximation": FigureLesson(r'''from reluviz.experiments import interpolating_network, interpolation_errors, log_log_slope

lo, hi = -np.pi, np.pi
knot_counts = [8, 16, 32, 64, 128, 256, 512]
errors = interpolation_errors(np.sin, lo, hi, knot_counts, samples)  # the largest |network − sin| on the samples
spacing = (hi - lo) / (np.array(knot_counts) - 1.0)                   # h, the distance between knots
bound = spacing**2 / 8                                                # h² max|sin″| / 8
order = log_log_slope(spacing.tolist(), errors)
knots = np.linspace(lo, hi, 7)
net = interpolating_network(np.sin, knots)  # written down, not trained: the polyline through (x_j, sin x_j)
pieces = analyze_line(net, lo, hi)

x = np.linspace(lo, hi, 1001)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
left.plot(x, np.sin(x), "--", color=colours.muted, label="sin x")
left.plot(x, net.forward(x)[:, 0], color=colours.output, label=f"ReLU network, {len(knots)} knots")
left.plot(knots, np.sin(knots), "o", color=colours.accent)
left.set(title="(a) the network joins the knots", xlabel="input x")
left.legend(fontsize=7)
right.loglog(spacing, errors, "s-", color=colours.output, label="largest error")
right.loglog(spacing, bound, ":", color=colours.muted, label="bound h²/8 (slope 2)")
right.set(title="(b) error against the spacing h", xlabel="knot spacing h", ylabel="max |network − sin|")
right.legend(fontsize=7)
plt.show()

zero_weight = float(net.layers[1].weight[0, int(np.argmin(np.abs(knots[:-1])))])  # the unit that switches at x = 0
show(f"""
- {len(knots)} knots take {len(knots) - 1} hidden units; units switch at {len(pieces.boundaries)} inner knots, but the
  output has {len(pieces.breakpoints)} kinks: the unit at x = 0 has the outgoing weight
  {"exactly zero" if zero_weight == 0 else f"zero up to rounding ({num(zero_weight, 2)})"}
- the largest error on {samples:,} points, for {knot_counts[0]} to {knot_counts[-1]} knots (h from {num(spacing[0])}
  down to {num(spacing[-1])}), falls from {num(errors[0])} to {num(errors[-1])}
- {"every" if np.all(errors <= bound) else "not every"} error is under the bound h²/8, none below
  {pct((errors / bound).min())} of it; the fitted slope on log-log axes is {num(order)}
""")'''),
    "xor": FigureLesson(r'''from reluviz.experiments import XOR_INPUTS, XOR_TARGETS, best_linear_fit, xor_network

net = xor_network()  # W = [[1, 1], [1, 1]], c = [0, −1], w = [1, −2], b = 0
outputs = net.forward(XOR_INPUTS)[:, 0]
hidden = np.maximum(0.0, XOR_INPUTS @ net.layers[0].weight.T + net.layers[0].bias)  # h = relu(Wx + c)
weights, bias, linear_outputs = best_linear_fit(XOR_INPUTS, XOR_TARGETS)           # the best affine model

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for ax, points, title in ((axes[0], XOR_INPUTS, "input space (x₁, x₂)"), (axes[1], hidden, "hidden space h = relu(Wx + c)")):
    for point, wanted in zip(points, XOR_TARGETS):
        ax.plot(*point, "o" if wanted else "X", markersize=11, color=colours.output if wanted else colours.accent)
    ax.set(title=title, xlim=(-0.4, 2.4), ylim=(-0.4, 1.4), aspect="equal")
h1 = np.array([-0.4, 2.4])
(w1, w2), b = net.layers[1].weight[0], net.layers[1].bias[0]
axes[1].plot(h1, (0.5 - b - w1 * h1) / w2, "--", color=colours.muted, label="output = ½")
axes[1].legend(fontsize=7)
plt.show()
show(f"""
- the best affine model has w = ({", ".join(num(w) for w in np.round(weights, 12))}) and b = {num(bias)}: it outputs
  {listing(num(o) for o in linear_outputs)}
- the book's network outputs {listing(exact(o) for o in outputs)}: it computes XOR
  {agreement(float(np.abs(outputs - XOR_TARGETS).max()))}
- its hidden layer sends the four inputs to {", ".join(f"({exact(h[0])}, {exact(h[1])})" for h in hidden)}
""")'''),
    "digits-lines": FigureLesson(r'''from reluviz.digits import CLASSES, GREY_LEVELS, IMAGES, PIXELS, SIDE, accuracy, density_near, image_pairs, load_digits_split, survey_lines, train_digits_network
from reluviz.measures import mean_and_standard_error
from reluviz.slices import analyze_through, class_changes

digits = load_digits_split(seed=seed)  # scikit-learn's images, split by the portable generator
run = train_digits_network(digits, [width] * layers, seed, steps, learning_rate, keep=[k for k in (10, 30) if k < steps])
start, end = run.networks[0], run.networks[-1]
x, labels = digits.test_x, digits.test_y
chosen = {kind: image_pairs(labels, pairs, kind == "same", seed) for kind in ("different", "same")}


def changes_in_words(changes):
    """Where the predicted class changes along a segment, as the page says it."""
    if not len(changes):
        return f"the predicted class is {changes.first} all along"
    steps_ = [f"at s = {num(s)} from {b} to {a}" for s, b, a in zip(changes.places, changes.before, changes.after)]
    return f"the predicted class changes {'once' if len(steps_) == 1 else plural(len(steps_), 'time')}: {listing(steps_)}"


fig, axes = plt.subplots(2, 2, figsize=(10, 6.4), layout="constrained")
facts = []
for ax, (kind, moment, net) in zip(axes.flat, [("different", "start", start), ("different", "end", end), ("same", "end", end)]):
    i, j = chosen[kind][0]
    segment = analyze_through(net, x[i], x[j])          # exact pieces of all ten outputs from image i to image j
    changes = class_changes(segment)                     # where the largest output changes
    s = np.unique(np.concatenate([segment.edges, changes.places]))  # the corners of the ten outputs: exact to draw
    outputs = segment.evaluate(s)
    ax.plot(s, outputs, color=colours.muted, linewidth=0.6)
    ax.plot(s, outputs.max(axis=1), color=colours.output, linewidth=2)
    ax.plot(segment.boundaries, np.full(len(segment.boundaries), outputs.min()), "|", color=colours.text)  # a unit switches
    for place in changes.places:
        ax.axvline(place, color=colours.negative, linestyle="--")
    ax.set(title=f"{labels[i]} → {labels[j]}, {'initialised' if moment == 'start' else 'trained'}", xlabel="s", xlim=(0, 1))
surveys = {(kind, step): survey_lines(net, x, chosen[kind]).per_length for step, net in zip(run.steps, run.networks)
           for kind in chosen}
means = {key: mean_and_standard_error(values) for key, values in surveys.items()}
for kind, style in (("different", "-"), ("same", "--")):
    axes[1, 1].errorbar(run.steps, [means[kind, k][0] for k in run.steps], yerr=[means[kind, k][1] for k in run.steps],
                        linestyle=style, marker="o", capsize=2, label=f"{kind} classes" if kind == "different" else "same class")
axes[1, 1].set(xscale="symlog", xlabel="training step", ylabel="pieces per unit length", ylim=(0, None))
axes[1, 1].legend(fontsize=7)
plt.show()

lines = [
    f"- {IMAGES:,} images of {SIDE} × {SIDE} pixels, grey levels 0 to {GREY_LEVELS}; {len(digits.test_y)} to test and "
    f"{len(digits.train_y):,} to train on",
    f"- the network: {' → '.join(str(w) for w in end.widths)}, {layers} hidden layers of {width} units, "
    f"{end.hidden_units} hidden neurons, {PIXELS} inputs and {CLASSES} outputs",
    f"- {run.steps[-1]} steps at learning rate {exact(learning_rate)}: the loss falls from {num(run.losses[0])} to "
    f"{num(run.losses[-1])}; right on {pct(accuracy(end, digits.test_x, digits.test_y))} of the test images "
    f"({pct(accuracy(start, digits.test_x, digits.test_y))} before training) and "
    f"{pct(accuracy(end, digits.train_x, digits.train_y))} of the training images",
]
for kind in chosen:
    i, j = chosen[kind][0]
    a, b = labels[i], labels[j]
    pair = f"two images of {article(a)}" if a == b else f"an image of {article(a)} and one of {article(b)}"
    lines.append(f"- the first pair {'of two classes' if kind == 'different' else 'of one class'}: {pair}, "
                 f"{num(np.linalg.norm(x[j] - x[i]))} apart")
    for moment, net in (("start", start), ("end", end)):
        segment, whole = analyze_through(net, x[i], x[j]), analyze_through(net, x[i], x[j], whole_line=True)
        inside = len(segment.boundaries)
        share = pct(inside / len(whole.boundaries)) if len(whole.boundaries) else "0%"
        lines.append(f"  - {'at initialisation' if moment == 'start' else 'after training'}: "
                     f"{plural(inside + 1, 'piece')} on the segment, {plural(len(whole.boundaries) + 1, 'piece')} on the "
                     f"whole line ({share} of its boundaries between the images); {changes_in_words(class_changes(segment))}")
lines.append(f"- {pairs} pairs of each kind, counted at steps {listing([str(k) for k in run.steps])}; pieces per unit "
             "length, mean ± standard error, and the 10th to the 90th percentile:")
first, last = run.steps[0], run.steps[-1]
for kind in chosen:
    (low0, high0), (low1, high1) = (np.percentile(surveys[kind, k], (10, 90)) for k in (first, last))
    change = means[kind, last][0] / means[kind, first][0] - 1
    lowest = min(run.steps, key=lambda k: means[kind, k][0])
    lines.append(f"  - {kind}: {estimate(*means[kind, first])} ({num(low0)}–{num(high0)}) → "
                 f"{estimate(*means[kind, last])} ({num(low1)}–{num(high1)}), {'+' if change > 0 else ''}{pct(change)} "
                 f"(a fall of {pct(-change)}); lowest at step {lowest}: {estimate(*means[kind, lowest])}")
lowest = {kind: min(run.steps, key=lambda k: means[kind, k][0]) for kind in chosen}
fell = all(means[kind, last][0] < means[kind, first][0] for kind in chosen)  # fewer pieces after training
came_back = all(lowest[kind] != last for kind in chosen)  # ... but not fewest at the end
values = f"({estimate(*means['different', lowest['different']])} and {estimate(*means['same', lowest['same']])})"
where = (f"Both means are lowest at step {lowest['different']:,} {values}" if lowest["different"] == lowest["same"]
         else f"The means are lowest at steps {lowest['different']:,} and {lowest['same']:,} {values}")
lines.append("- " + where + (", and then climb part of the way back." if fell and came_back else "."))
if not fell:
    lines.append("- So on average training adds pieces between the images here, for at least one kind of pair.")
elif came_back and lowest["different"] == lowest["same"]:
    lines.append("- So on average training does not add pieces between the images here: it removes some, most of them "
                 f"in the first {lowest['different']:,} steps, and a few come back.")
else:
    lines.append("- So on average training does not add pieces between the images here: it removes some.")
gained = {kind: int(np.sum(surveys[kind, last] > surveys[kind, first])) for kind in chosen}  # pairs against the mean
lines.append(f"- Not every pair loses pieces: {gained['different']:,} of the {pairs:,} pairs of two classes and "
             f"{gained['same']:,} of the {pairs:,} of one class have more per unit length after training."
             if any(gained.values()) else "- Every pair has fewer pieces per unit length after training than before.")
train_pairs = image_pairs(digits.train_y, pairs, False, seed)
near = {moment: density_near(net, digits.train_x, train_pairs, window) for moment, net in (("start", start), ("end", end))}
for moment in near:
    lines.append(f"- {'at initialisation' if moment == 'start' else 'after training'}, in the {pct(window)} of the "
                 f"segment next to each image or either side of a class change: "
                 f"{estimate(*mean_and_standard_error(near[moment].ends))} boundaries per unit length near "
                 f"the training images, {estimate(*mean_and_standard_error(near[moment].changes))} near the "
                 f"{plural(len(near[moment].changes), 'change')} of the predicted class")


def compared(region):
    """How the boundaries near the images ("ends") or the class changes ("changes") changed with training: a change
    counts when the means differ by more than two standard errors of their difference."""
    (before, before_error), (after, after_error) = (mean_and_standard_error(getattr(near[m], region)) for m in near)
    if abs(after - before) <= 2 * np.hypot(before_error, after_error):
        return "stayed about as dense (within two standard errors)"
    return "became denser" if after > before else "became sparser"


ratio = {m: mean_and_standard_error(near[m].changes)[0] / mean_and_standard_error(near[m].ends)[0] for m in near}
moved = "moved towards" if ratio["end"] > ratio["start"] else "not moved towards"
lines.append(f"- So after our short training the boundaries have {moved} the decision boundary, relative to the images: "
             f"near the class changes they {compared('changes')}, and near the training images they {compared('ends')}.")
show("\n".join(lines))''', helpers=("estimate", "article")),
    "digits-plane": FigureLesson(r'''from matplotlib.collections import LineCollection, PolyCollection

from reluviz.digits import column_means_and_spreads, image_triples, load_digits_split, survey_lines, survey_planes, train_digits_network
from reluviz.measures import mean_and_standard_error
from reluviz.slices import DEFAULT_MARGIN, decision_cells, plane_through

digits = load_digits_split(seed=seed)
run = train_digits_network(digits, [width] * layers, seed, steps, learning_rate)
x, labels = digits.test_x, digits.test_y
triples = image_triples(labels, planes, seed)
a, b, c = x[triples[0]]
low, high = -DEFAULT_MARGIN, 1 + DEFAULT_MARGIN
shades = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#882255", "#44AA99"]

fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), layout="constrained")
lines = [f"- the plane through {listing([article(labels[k]) for k in triples[0]])}, u and v from {exact(low)} to {exact(high)}"]
for ax, moment, net in zip(axes, ("start", "end"), (run.networks[0], run.networks[-1])):
    analysis = plane_through(net, a, b, c)           # the exact regions of the plane a + u (b − a) + v (c − a)
    cells, segments = decision_cells(analysis)       # each region cut where its largest output changes
    ax.add_collection(PolyCollection([cell.polygon for cell in cells], facecolors=[shades[cell.label] for cell in cells], alpha=0.45))
    ax.add_collection(PolyCollection(analysis.approximate_polygons(), facecolors="none", edgecolors=colours.text, linewidths=0.2))
    ax.add_collection(LineCollection([segment.ends for segment in segments], colors=colours.text, linewidths=1.6))
    ax.set(xlim=(low, high), ylim=(low, high), aspect="equal", xlabel="u", ylabel="v",
           title=f"{'initialised' if moment == 'start' else 'trained'}: {len(analysis)} regions")
    right = int(np.count_nonzero(net.forward(x[triples[0]]).argmax(axis=1) == labels[triples[0]]))
    own = ("each image lies in the area of its own digit" if right == 3 else
           f"{plural(right, 'image')} of the three {'lies' if right == 1 else 'lie'} in the area of its own digit")
    lines.append(f"- {'at initialisation' if moment == 'start' else 'after training'}: {len(analysis):,} regions; the "
                 f"network predicts {listing([str(k) for k in sorted({cell.label for cell in cells})])} somewhere on "
                 f"the square; the decision boundary crosses {len({s.region for s in segments})} regions; {own}")
plt.show()

means, spreads = column_means_and_spreads(digits.train_x)
sides = np.concatenate([triples[:, [0, 1]], triples[:, [1, 2]], triples[:, [0, 2]]])  # every side of every triangle
counted = {}
for moment, net in (("start", run.networks[0]), ("end", run.networks[-1])):
    survey = survey_planes(net, x, triples, means, spreads, seed)  # each plane and a random congruent twin
    line = mean_and_standard_error(survey_lines(net, x, sides).per_length)
    density = mean_and_standard_error(survey.data / survey.areas)
    counted[moment] = survey
    lines.append(
        f"- {'at initialisation' if moment == 'start' else 'after training'}, over {planes} planes: "
        f"{estimate(*mean_and_standard_error(survey.data))} regions through the images, "
        f"{estimate(*mean_and_standard_error(survey.random))} through random triangles of the same shape and size, "
        f"{estimate(*mean_and_standard_error(survey.data - survey.random))} more ({num(survey.data.mean() / survey.random.mean())} "
        f"times as many, more in {np.count_nonzero(survey.data > survey.random)} of the {planes}); "
        f"{estimate(*line)} pieces per unit length on the triangles' sides, so (TN)²/2 = {num(line[0] ** 2 / 2)}, "
        f"and {estimate(*density)} regions per unit area, {num(density[0] / (line[0] ** 2 / 2))} times as many")
their_layers, their_width = 3, 32  # Hanin and Rolnick's (2019b) MNIST network
lines += [
    f"- the squares' area: {num(counted['start'].areas.mean())} square units on average; training thins the regions by "
    f"{pct(1 - counted['end'].data.mean() / counted['start'].data.mean())} on the images' planes and "
    f"{pct(1 - counted['end'].random.mean() / counted['start'].random.mean())} on the random ones",
    f"- Hanin and Rolnick's network: {their_layers} hidden layers of {their_width} units "
    f"({'as here' if [width] * layers == [their_width] * their_layers else 'unlike here'}), "
    f"N²/2! = {(their_layers * their_width) ** 2 // 2:,}",
]
show("\n".join(lines))''', helpers=("estimate", "article")),
}
"""The code cell in place of each figure, by figure id."""

EXERCISES: dict[str, list[Exercise]] = {
    "index.md": [Exercise(
        "Give the network a single hidden unit: set `width = 1` in the next cell and run it, then try a few seeds. How "
        "many kinks does the exact analysis find, and how many places does the grid find? Predict first; the cell "
        "after it checks the rule behind the answer.",
        r'''from reluviz import measure_on_grid, sampled_kink_count

width = 1
net = Network.random([1, width, 1], seed=0)
print(len(analyze_line(net, -100, 100).breakpoints), "kinks found exactly,",
      sampled_kink_count(measure_on_grid(net, -100, 100, 0.01)), "places found on the grid")''',
        r'''# One unit switches at one place, and the spread initialisation puts that place inside −100 … 100: n hidden
# units make n kinks, whatever the seed.
for s in range(10):
    kinks = analyze_line(Network.random([1, width, 1], seed=s), -100, 100).breakpoints
    assert len(kinks) == width, f"seed {s}: {len(kinks)} kinks for {width} units"
print(f"Right: {plural(width, 'hidden unit')}, {plural(width, 'kink')}, for every seed from 0 to 9.")''')],
    "linear.md": [Exercise(
        "Stack more linear layers: give the identity network three hidden layers of 10 units (`[1, 10, 10, 10, 1]`). "
        "How many kinks and straight pieces does it have?",
        r'''deep = Network.random([1, 10, 10, 10, 1], activation="identity", seed=0)
pieces = analyze_line(deep, -100, 100)
print(len(pieces.breakpoints), "kinks,", pieces.linear_pieces, "straight piece(s), slope", num(pieces.slopes[0, 0]))''',
        r'''# Linear layers compose into one linear map, whatever their number and width: one piece, no kink.
for widths in ([1, 10, 10, 10, 1], [1, 3, 1], [1, 64, 64, 1]):
    assert analyze_line(Network.random(widths, activation="identity", seed=0), -100, 100).linear_pieces == 1, widths
print("Right: no kink and one straight piece, however many linear layers.")''')],
    "matrices.md": [Exercise(
        "Collapse a bigger linear network, with 3 inputs, hidden layers of 5 and 4 units and 2 outputs. What shape is "
        "the single matrix `collapse` returns, and is it the product of the layers' matrices?",
        r'''from reluviz import collapse

net = Network.random([3, 5, 4, 2], activation="identity", init="he", seed=0)
single = collapse(net)
print("the single matrix has shape", single.weight.shape)''',
        r'''C, B, A = (layer.weight for layer in reversed(net.layers))
x = np.random.default_rng(0).normal(size=(5, 3))  # five inputs of three numbers each
assert single.weight.shape == (net.output_dim, net.input_dim)  # outputs × inputs: 2 × 3
assert np.allclose(single.weight, C @ B @ A)                    # the product of the three matrices
assert np.allclose(single(x), net.forward(x))                   # and it computes the network
print(f"Right: a {single.weight.shape[0]} × {single.weight.shape[1]} matrix, C·B·A, that gives the network's outputs.")''')],
    "derivative.md": [Exercise(
        "Compute the slope at one input yourself: find the mask D(x) (which units are on there), then add up "
        "$B_j A_j$ over the units that are on. Change `x` and run again: does it match the network's Jacobian?",
        r'''net = Network.random([1, 10, 1], seed=0)
A, a, B = net.layers[0].weight[:, 0], net.layers[0].bias, net.layers[1].weight[0]
x = 0.0
on = A * x + a > 0  # the diagonal of D(x): the units whose input is positive
print("units on:", " ".join(str(int(u)) for u in on), "  slope from the mask:", num(np.sum(B[on] * A[on])))''',
        r'''slope = net.jacobian(np.array([x]))[0, 0, 0]
assert np.isclose(np.sum(B[on] * A[on]), slope)
print(f"Right: at x = {num(x)} the slope is {num(slope)}, the sum of B_j·A_j over the {on.sum()} units that are on.")''')],
    "kinks.md": [Exercise(
        "ReLU passes one test of linearity: scaling by a positive number, relu(c·z) = c·relu(z) for c > 0. Check it on "
        "a few numbers, then compare relu(−z) with −relu(z). Which test fails?",
        r'''from reluviz import get_activation

relu = get_activation("relu")
z = np.array([-2.0, -0.5, 0.0, 1.5, 3.0])
def shown(values):
    return ", ".join(exact(v) for v in values)


print(f"z = {shown(z)}")
print(f"relu(3z) = {shown(relu(3 * z))};  3·relu(z) = {shown(3 * relu(z))}")
print(f"relu(−z) = {shown(relu(-z))};  −relu(z) = {shown(-relu(z))}")''',
        r'''assert np.array_equal(relu(3 * z), 3 * relu(z))  # scaling by a positive number passes
assert not np.array_equal(relu(-z), -relu(z))    # f(−z) = −f(z), which every linear map satisfies, fails
print("Right: relu(c·z) = c·relu(z) for c > 0, but relu(−z) ≠ −relu(z) for z ≠ 0, so ReLU is not linear.")''')],
    "affine.md": [Exercise(
        "Move every kink 5 to the right: replace each bias $a_j$ by $a_j - 5 A_j$. Predict where the kinks go, then "
        "compare them with the old ones.",
        r'''from reluviz import Layer

net = Network.random([1, 10, 1], seed=0)
first, second = net.layers
moved = Network([Layer(first.weight, first.bias - 5 * first.weight[:, 0]), second], "relu")
before, after = analyze_line(net, -100, 100).breakpoints, analyze_line(moved, -95, 105).breakpoints
print("before:", ", ".join(num(k) for k in before))
print("after: ", ", ".join(num(k) for k in after))''',
        r'''# Unit j now switches where A_j x + a_j − 5 A_j = 0, that is at −a_j/A_j + 5.
assert len(after) == len(before) and np.allclose(after, before + 5)
print(f"Right: all {len(after)} kinks moved by 5; the biases decide where the kinks are.")''')],
    "depth.md": [
        Exercise(
            "Predict the pieces of the tent map composed five times on [0, 1], and the upper bound "
            "$(n_1 + 1) \\cdots (n_L + 1)$ for five layers of two units. Then count them.",
            r'''from reluviz.experiments import max_pieces_one_input, sawtooth_network

depth = 5
print(analyze_line(sawtooth_network(depth), 0.0, 1.0).linear_pieces, "pieces on [0, 1];",
      max_pieces_one_input([2] * depth), "at most on the whole line")''',
            r'''for depth in range(1, 9):
    assert analyze_line(sawtooth_network(depth), 0.0, 1.0).linear_pieces == 2**depth
    assert max_pieces_one_input([2] * depth) == 3**depth
print("Right: 2^L pieces on [0, 1], under the bound 3^L, for every depth L from 1 to 8.")'''),
        Exercise(
            "Draw ten random He-initialised networks with one hidden layer of 16 units and count their pieces over "
            "the whole line. What does every one of them have?",
            r'''import math

counts = [analyze_line(Network.random([1, 16, 1], init="he", seed=s), -math.inf, math.inf).linear_pieces
          for s in range(10)]
print(counts)''',
            r'''assert counts == [16 + 1] * 10  # each unit's kink is a kink of the output, and no two coincide
print("Right: N + 1 = 17 pieces each: one hidden layer reaches its bound.")'''),
    ],
    "training.md": [Exercise(
        "Train a network with one hidden layer of 8 units on |x| for 200 steps (a short run, on 64 points) and count "
        "its pieces over the whole line every 50 steps. How many does it have as it learns?",
        r'''import math

from reluviz.experiments import TRAINING_TARGETS, follow_training

short = follow_training([1, 8, 1], TRAINING_TARGETS["|x|"], (-math.pi, math.pi), 64, 200, 50, seed=0)
for step, pieces, loss in zip(short.steps, short.whole_line, short.losses):
    print(f"step {step:>3}: {pieces} pieces, loss {num(loss)}")''',
        r'''assert np.all(short.whole_line == 8 + 1)
assert short.losses[-1] < short.losses[0]
print("Right: N + 1 = 9 pieces at every step while the loss falls: training moves kinks, it does not remove them.")''')],
    "regions.md": [Exercise(
        "How many regions do 4 lines in general position cut the plane into? Work out $1 + n + n(n-1)/2$, then "
        "count a random network with 4 hidden units over the whole plane.",
        r'''from reluviz.regions import lines_in_general_position_regions, whole_plane_regions

net = Network.random([2, 4, 1], init="standard", seed=0)
regions, half = whole_plane_regions(net)
print(len(regions), "regions in the whole plane, counted on a square of half-width", num(half))''',
        r'''assert len(regions) == lines_in_general_position_regions(4) == 1 + 4 + 4 * 3 // 2
print(f"Right: {len(regions)} regions, as the formula says for lines in general position.")''')],
    "activations.md": [Exercise(
        "Does leaky ReLU's slope decide where the kinks are? Run the site's network with the leaky slope 0.5 and "
        "0.9: how many kinks, and where, compared with ReLU?",
        r'''base = Network.random([1, 10, 1], seed=0, spread=(-4.0, 4.0))
relu_kinks = analyze_line(Network(base.layers, "relu"), -5.0, 5.0).breakpoints
leaky_kinks = {s: analyze_line(Network(base.layers, "leaky_relu", leaky_slope=s), -5.0, 5.0).breakpoints
               for s in (0.5, 0.9)}
print("ReLU:", ", ".join(num(k) for k in relu_kinks))
for s, kinks in leaky_kinks.items():
    print(f"leaky ReLU, slope {s}:", ", ".join(num(k) for k in kinks))''',
        r'''# A unit switches where its input A_j x + a_j is zero; the activation only decides how much the slope changes.
assert all(np.array_equal(kinks, relu_kinks) for kinks in leaky_kinks.values())
print(f"Right: the same {len(relu_kinks)} kinks in the same places, whatever the leaky slope below 1.")''')],
    "approximation.md": [Exercise(
        "Halve the knot spacing: go from 64 knots to 127 (h from 2π/63 to 2π/126). By what factor should the largest "
        "error fall? Measure it.",
        r'''from reluviz.experiments import interpolation_errors

coarse, fine = interpolation_errors(np.sin, -np.pi, np.pi, [64, 127], 20001)
print("largest error", num(coarse), "→", num(fine), ": it fell by a factor of", num(coarse / fine))''',
        r'''assert 3.5 < coarse / fine < 4.5  # the error is about h² max|f″| / 8: half the spacing, a quarter of the error
print(f"Right: a factor of {num(coarse / fine)}, about 4, because the error falls like h².")''')],
    "xor.md": [Exercise(
        "Put the identity in place of ReLU in the book's network. Does it still compute XOR? What does it output on "
        "the four inputs?",
        r'''from reluviz.experiments import XOR_INPUTS, XOR_TARGETS, xor_network

linear = Network(xor_network().layers, "identity")
outputs = linear.forward(XOR_INPUTS)[:, 0]
print("outputs:", ", ".join(num(o) for o in outputs), "  targets:", ", ".join(exact(t) for t in XOR_TARGETS))''',
        r'''assert not np.allclose(outputs, XOR_TARGETS)                         # no longer XOR
assert np.isclose(outputs[0] + outputs[3], outputs[1] + outputs[2])  # f(0,0) + f(1,1) = f(0,1) + f(1,0)
print("Right: an affine map always has f(0,0) + f(1,1) = f(0,1) + f(1,0), and XOR would need 0 + 0 = 1 + 1.")''')],
    "digits.md": [Exercise(
        "Hanin and Rolnick prove that at initialisation the pieces per unit length on a line grow in proportion to the "
        "number of neurons. Draw He-initialised networks of 64 → 16 → 16 → 10 and 64 → 64 → 64 → 10 (four times the "
        "neurons) and count their pieces on the same 20 segments between test images. By what factor should the mean "
        "grow? Measure it.",
        r'''from reluviz.digits import image_pairs, load_digits_split, survey_lines

digits = load_digits_split()
segments = image_pairs(digits.test_y, 20, same=False, seed=0)
density = {units: survey_lines(Network.random([64, units, units, 10], init="he", seed=0), digits.test_x, segments).per_length.mean()
           for units in (16, 64)}
print({units: num(value) for units, value in density.items()}, "pieces per unit length; ratio", num(density[64] / density[16]))''',
        r'''ratio = density[64] / density[16]
assert 2.5 < ratio < 6  # about 4: proportional to the neurons, one network of each width
print(f"Right: {num(ratio)} times as many, close to the 4 times as many neurons, as the theorem says on average.")''')],
}
"""Each chapter's "Try this", by page."""
