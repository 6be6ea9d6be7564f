"""Experiments past the Quora experiment: each builds networks from closed-form weights or a seed and returns plain data."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .checks import (
    ArgumentTypeError,
    check_array,
    check_callable,
    check_integer,
    check_integers,
    check_interval,
    check_network,
    check_number,
    check_pair,
    shown,
)
from .datasets import CURVES, curve
from .network import MAX_LAYERS, Layer, Network
from .pieces import PiecewiseLinear, analyze_line
from .portable_random import MAX_SEED, derived_seed
from .training import MAX_STEPS, train

Array = np.ndarray


def sawtooth_network(depth: int) -> Network:
    """``depth`` hidden layers of 2 ReLUs computing the tent map t(x) = 2·relu(x) − 4·relu(x − ½), composed.

    t maps [0, 1] onto itself with two linear pieces, so t∘…∘t (``depth`` times) has 2^depth pieces on [0, 1]
    (Montúfar et al. 2014; Telgarsky 2016): depth multiplies pieces, where width would only add them. ``depth`` is
    an integer from 1 to `reluviz.MAX_LAYERS` − 1; anything else raises TypeError (not an integer) or ValueError.
    """
    depth = check_integer("depth", depth, 1, MAX_LAYERS - 1)
    split = np.array([0.0, -0.5])
    tent = np.array([[2.0, -4.0]])
    layers = [Layer(np.ones((2, 1)), split)]
    layers += [Layer(np.repeat(tent, 2, axis=0), split) for _ in range(depth - 1)]
    layers.append(Layer(tent, np.zeros(1)))
    return Network(layers, "relu")


def max_pieces_one_input(widths: Sequence[int]) -> int:
    """The most linear pieces a network with one input and hidden layers of these widths can have on the whole line.

    Along the line every unit's input is affine on each piece made by the layers before it, so it changes sign at
    most once there: a layer of n units cuts each piece into at most n + 1, and L layers give at most
    (n₁ + 1)(n₂ + 1)⋯(n_L + 1) pieces. ``widths`` are the hidden widths only: positive integers, in any iterable.
    """
    return math.prod(n + 1 for n in check_integers("widths", widths, 1, sequence=False))


def has_dead_layer(pieces: PiecewiseLinear) -> bool:
    """Whether some hidden layer has no unit with a positive input anywhere on the analysed interval (read from
    the exact activation patterns of its pieces); ``pieces`` must be what `reluviz.analyze_line` or
    `reluviz.analyze_segment` returned (else TypeError)."""
    if not isinstance(pieces, PiecewiseLinear):
        raise ArgumentTypeError(f"pieces must be the PiecewiseLinear that analyze_line returns; got {shown(pieces)}")
    return not pieces.layer_ever_on().all()


@dataclass(frozen=True)
class PieceCounts:
    """Linear pieces of many random networks per (total neurons N, depth L) setting, each of shape
    (len(totals), len(depths), networks): over the whole line, on ``window`` alone, and whether some hidden layer
    is off everywhere (every unit's input ≤ 0 at every x)."""

    totals: list[int]
    depths: list[int]
    window: tuple[float, float]
    whole_line: Array
    in_window: Array
    dead_layer: Array


def pieces_at_random_init(
    totals: Sequence[int], depths: Sequence[int], networks: int, window: tuple[float, float], seed: int
) -> PieceCounts:
    """Hanin & Rolnick's measurement, counted exactly: pieces of He-initialised networks with one input.

    A setting (N, L) uses L hidden layers of N/L units, so depth changes while the neuron count stays fixed.
    ``totals`` and ``depths`` are lists of positive integers, each total divisible by each depth; ``networks`` is a
    positive integer, ``window`` a pair (lo, hi) as for `reluviz.analyze_line`, ``seed`` as for
    `reluviz.Network.random`. A wrong kind of argument raises TypeError, a wrong value ValueError.
    """
    checked_totals = check_integers("totals", totals, 1)
    checked_depths = check_integers("depths", depths, 1)
    for total in checked_totals:
        for depth in checked_depths:
            if total % depth:
                raise ValueError(f"totals must be divisible by every depth in depths; {total} is not divisible by {depth}")
    networks = check_integer("networks", networks, 1)
    check_interval(*check_pair("window", window), ("window[0]", "window[1]"), finite=False)
    check_integer("seed", seed, 0, MAX_SEED)
    shape = (len(totals), len(depths), networks)
    whole_line, in_window, dead_layer = np.zeros(shape, dtype=int), np.zeros(shape, dtype=int), np.zeros(shape, dtype=bool)
    for i, total in enumerate(checked_totals):
        for j, depth in enumerate(checked_depths):
            for k in range(networks):
                net = Network.random([1, *[total // depth] * depth, 1], init="he", seed=derived_seed(seed, k + networks * (j + len(depths) * i)))
                pieces = analyze_line(net, -math.inf, math.inf)
                whole_line[i, j, k] = pieces.linear_pieces
                in_window[i, j, k] = analyze_line(net, *window).linear_pieces
                dead_layer[i, j, k] = has_dead_layer(pieces)
    return PieceCounts(list(totals), list(depths), window, whole_line, in_window, dead_layer)


def without_biases(network: Network, activation: str | Activation | None = None) -> Network:
    """The same weights with every bias set to zero (and ``activation``, if given): each first-layer unit then
    switches at x = 0. ``network`` must be a Network (else TypeError); ``activation`` is checked as for `Network`."""
    network = check_network("network", network)
    layers = [Layer(layer.weight, np.zeros_like(layer.bias)) for layer in network.layers]
    return Network(layers, network.activation if activation is None else activation)


def interpolating_network(target: Callable[[Array], Array], knots: Array) -> Network:
    """A one-hidden-layer ReLU network, in closed form, that joins the points (knot, target(knot)) by straight lines.

    Unit j is relu(x − knot_j); its outgoing weight is how much the slope changes at knot_j. On
    [knots[0], knots[-1]] the network is the piecewise-linear interpolant, with its kinks exactly at the inner knots.
    ``target`` must be a function (else TypeError) that returns one finite number per knot, and ``knots`` at least
    two strictly increasing finite numbers (else ValueError; TypeError if they are not numbers).
    """
    check_callable("target", target)
    knots = check_array("knots", knots)
    if knots.ndim != 1 or len(knots) < 2 or not np.all(np.diff(knots) > 0):
        raise ValueError(f"knots must be at least two strictly increasing numbers; got {shown(knots)}")
    values = check_array("target(knots)", target(knots))
    if values.shape != knots.shape:
        raise ValueError(f"target(knots) must return one number per knot, shaped {knots.shape}; got shape {values.shape}")
    slopes = np.diff(values) / np.diff(knots)
    slope_changes = np.diff(slopes, prepend=0.0)
    hidden = Layer(np.ones((len(knots) - 1, 1)), -knots[:-1])
    output = Layer(slope_changes[None, :], np.array([values[0]]))
    return Network([hidden, output], "relu")


def interpolation_errors(target: Callable[[Array], Array], lo: float, hi: float, knot_counts: Sequence[int], samples: int) -> Array:
    """The largest |network − target| on ``samples`` evenly spaced points, for each number of knots.

    ``target`` is a function returning one finite number per point, ``lo`` < ``hi`` finite, each knot count an integer
    ≥ 2 and ``samples`` a positive integer; a wrong kind of argument raises TypeError, a wrong value ValueError.
    """
    check_callable("target", target)
    check_interval(lo, hi)
    knot_counts = check_integers("knot_counts", knot_counts, 2, sequence=False)
    samples = check_integer("samples", samples, 1)
    x = np.linspace(lo, hi, samples)
    exact = target(x)
    values = check_array("target(x)", exact)
    if values.shape != x.shape:
        raise ValueError(f"target(x) must return one number per point, shaped {x.shape}; got shape {values.shape}")
    return np.array([np.abs(interpolating_network(target, np.linspace(lo, hi, n)).forward(x)[:, 0] - exact).max() for n in knot_counts])


def log_log_slope(x: Sequence[float], y: Sequence[float] | Array) -> float:
    """The least-squares slope of log y against log x: the order of convergence.

    ``x`` and ``y`` are equally long lists of positive finite numbers, ``x`` with at least two different values; a
    wrong kind of argument raises TypeError, a wrong value ValueError.
    """
    xs, ys = check_array("x", x), check_array("y", y)
    if xs.ndim != 1 or len(np.unique(xs)) < 2:
        raise ValueError(f"x must be a 1-D list of numbers with at least two different values; got {shown(x)}")
    if ys.shape != xs.shape:
        raise ValueError(f"y must hold one number for each of the {len(xs)} x values; got shape {ys.shape}")
    if min(x) <= 0 or np.min(y) <= 0:
        raise ValueError(f"x and y must be positive to fit a slope on log-log axes; got min(x)={xs.min():g}, min(y)={ys.min():g}")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])


def xor_network() -> Network:
    """The solution of Goodfellow, Bengio and Courville (Deep Learning, §6.1): W = [[1,1],[1,1]], c = [0,−1],
    w = [1,−2], b = 0."""
    return Network([([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]), ([[1.0, -2.0]], [0.0])], "relu")


def best_linear_fit(inputs: Array, targets: Array) -> tuple[Array, float, Array]:
    """Least-squares weights, bias and outputs of the affine model w·x + b.

    ``inputs`` is shaped (n, d) with n ≥ 1 and ``targets`` (n,), both finite real numbers; a wrong kind of argument
    raises TypeError, a wrong value ValueError.
    """
    points = check_array("inputs", inputs)
    if points.ndim != 2 or len(points) == 0:
        raise ValueError(f"inputs must be shaped (n, d) with at least one point; got shape {points.shape}")
    wanted = check_array("targets", targets)
    if wanted.shape != (len(points),):
        raise ValueError(f"targets must be shaped ({len(points)},), one number per row of inputs; got shape {wanted.shape}")
    design = np.hstack([inputs, np.ones((len(inputs), 1))])
    solution, *_ = np.linalg.lstsq(design, targets, rcond=None)
    return solution[:-1], float(solution[-1]), design @ solution


TRAINING_TARGETS: dict[str, Callable[[Array], Array]] = {
    label: functools.partial(curve, name) for name, label in CURVES.items()
}
"""The curves the training chapter fits: smooth, with one corner, and with many wiggles (`reluviz.datasets.CURVES`,
with the portable sine, so the chapter's numbers are the same on every machine)."""


@dataclass(frozen=True)
class TrainedPieces:
    """One network followed through training: at each kept step, the network, its loss, its pieces over the whole
    line and on the data's interval, and its kinks (whole line)."""

    steps: list[int]
    networks: list[Network]
    losses: Array
    whole_line: Array
    in_data: Array
    kinks: list[Array]


def follow_training(
    widths: Sequence[int], target: Callable[[Array], Array], interval: tuple[float, float], points: int, steps: int,
    every: int, seed: int, learning_rate: float = 0.01,
) -> TrainedPieces:
    """Train a He-initialised network on ``points`` evenly spaced samples of ``target`` and count its pieces exactly
    every ``every`` steps.

    ``widths`` and ``seed`` are as for `reluviz.Network.random`, with one input; ``target`` maps x shaped
    (points, 1) to finite targets shaped (points, outputs); ``interval`` is a finite pair lo < hi; ``points`` ≥ 2,
    ``steps`` (1 to `reluviz.training.MAX_STEPS`) and ``every`` ≥ 1 are integers; ``learning_rate`` is positive. A
    wrong kind of argument raises TypeError, a wrong value ValueError.
    """
    check_callable("target", target)
    check_interval(*check_pair("interval", interval), ("interval[0]", "interval[1]"))
    points = check_integer("points", points, 2)
    steps = check_integer("steps", steps, 1, MAX_STEPS)
    every = check_integer("every", every, 1)
    check_number("learning_rate", learning_rate, 0.0, open_minimum=True, allowed="a positive finite number")
    net = Network.random(widths, init="he", seed=seed)
    if net.input_dim != 1:
        raise ValueError(f"widths must start with 1, for a network with one input; got {shown(widths)}")
    x = np.linspace(interval[0], interval[1], points)[:, None]
    y = target(x)
    values = check_array("target(x)", y)
    if values.shape != (points, net.output_dim):
        raise ValueError(f"target(x) must return an array shaped ({points}, {net.output_dim}) for x shaped ({points}, 1); "
                         f"got shape {values.shape}")
    run = train(net, x, y, steps, learning_rate, keep=range(0, steps + 1, every))
    whole = [analyze_line(kept, -math.inf, math.inf) for kept in run.networks]
    inside = [analyze_line(kept, *interval).linear_pieces for kept in run.networks]
    return TrainedPieces(
        run.steps, run.networks, run.losses[run.steps], np.array([p.linear_pieces for p in whole]), np.array(inside),
        [p.breakpoints for p in whole],
    )
