"""Experiments past the Quora experiment: each builds networks from closed-form weights or a seed and returns plain data."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .checks import check_integer
from .network import Layer, Network
from .pieces import PiecewiseLinear, analyze_line
from .portable_random import derived_seed
from .training import train

Array = np.ndarray


def sawtooth_network(depth: int) -> Network:
    """``depth`` hidden layers of 2 ReLUs computing the tent map t(x) = 2·relu(x) − 4·relu(x − ½), composed.

    t maps [0, 1] onto itself with two linear pieces, so t∘…∘t (``depth`` times) has 2^depth pieces on [0, 1]
    (Montúfar et al. 2014; Telgarsky 2016): depth multiplies pieces, where width would only add them.
    """
    depth = check_integer("depth", depth, 1)
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
    (n₁ + 1)(n₂ + 1)⋯(n_L + 1) pieces. ``widths`` are the hidden widths only.
    """
    return math.prod(check_integer(f"widths[{i}]", n, 1) + 1 for i, n in enumerate(widths))


def has_dead_layer(pieces: PiecewiseLinear) -> bool:
    """Whether some hidden layer has no unit with a positive input anywhere on the analysed interval (read from
    the exact activation patterns of its pieces)."""
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
    """
    for total in totals:
        for depth in depths:
            if total % depth:
                raise ValueError(f"totals must be divisible by every depth; {total} is not divisible by {depth}")
    networks = check_integer("networks", networks, 1)
    shape = (len(totals), len(depths), networks)
    whole_line, in_window, dead_layer = np.zeros(shape, dtype=int), np.zeros(shape, dtype=int), np.zeros(shape, dtype=bool)
    for i, total in enumerate(totals):
        for j, depth in enumerate(depths):
            for k in range(networks):
                net = Network.random([1, *[total // depth] * depth, 1], init="he", seed=derived_seed(seed, k + networks * (j + len(depths) * i)))
                pieces = analyze_line(net, -math.inf, math.inf)
                whole_line[i, j, k] = pieces.linear_pieces
                in_window[i, j, k] = analyze_line(net, *window).linear_pieces
                dead_layer[i, j, k] = has_dead_layer(pieces)
    return PieceCounts(list(totals), list(depths), window, whole_line, in_window, dead_layer)


def without_biases(network: Network, activation: str | Activation | None = None) -> Network:
    """The same weights with every bias set to zero (and ``activation``, if given): each first-layer unit then
    switches at x = 0."""
    layers = [Layer(layer.weight, np.zeros_like(layer.bias)) for layer in network.layers]
    return Network(layers, network.activation if activation is None else activation)


def interpolating_network(target: Callable[[Array], Array], knots: Array) -> Network:
    """A one-hidden-layer ReLU network, in closed form, that joins the points (knot, target(knot)) by straight lines.

    Unit j is relu(x − knot_j); its outgoing weight is how much the slope changes at knot_j. On
    [knots[0], knots[-1]] the network is the piecewise-linear interpolant, with its kinks exactly at the inner knots.
    """
    knots = np.asarray(knots, dtype=float)
    if knots.ndim != 1 or len(knots) < 2 or not np.all(np.diff(knots) > 0):
        raise ValueError("knots must be at least two strictly increasing numbers")
    values = np.asarray(target(knots), dtype=float)
    slopes = np.diff(values) / np.diff(knots)
    slope_changes = np.diff(slopes, prepend=0.0)
    hidden = Layer(np.ones((len(knots) - 1, 1)), -knots[:-1])
    output = Layer(slope_changes[None, :], np.array([values[0]]))
    return Network([hidden, output], "relu")


def interpolation_errors(target: Callable[[Array], Array], lo: float, hi: float, knot_counts: Sequence[int], samples: int) -> Array:
    """The largest |network − target| on ``samples`` evenly spaced points, for each number of knots."""
    x = np.linspace(lo, hi, samples)
    exact = target(x)
    return np.array([np.abs(interpolating_network(target, np.linspace(lo, hi, n)).forward(x)[:, 0] - exact).max() for n in knot_counts])


def log_log_slope(x: Sequence[float], y: Sequence[float] | Array) -> float:
    """The least-squares slope of log y against log x: the order of convergence."""
    if min(x) <= 0 or np.min(y) <= 0:
        raise ValueError("x and y must be positive to fit a slope on log-log axes")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])


def xor_network() -> Network:
    """The solution of Goodfellow, Bengio and Courville (Deep Learning, §6.1): W = [[1,1],[1,1]], c = [0,−1],
    w = [1,−2], b = 0."""
    return Network([([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]), ([[1.0, -2.0]], [0.0])], "relu")


def best_linear_fit(inputs: Array, targets: Array) -> tuple[Array, float, Array]:
    """Least-squares weights, bias and outputs of the affine model w·x + b."""
    design = np.hstack([inputs, np.ones((len(inputs), 1))])
    solution, *_ = np.linalg.lstsq(design, targets, rcond=None)
    return solution[:-1], float(solution[-1]), design @ solution


TRAINING_TARGETS: dict[str, Callable[[Array], Array]] = {
    "sin x": np.sin,
    "|x|": np.abs,
    "sin 3x + ½ sin 7x": lambda x: np.sin(3 * x) + 0.5 * np.sin(7 * x),
}
"""The curves the training chapter fits: smooth, with one corner, and with many wiggles."""


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
    every ``every`` steps."""
    x = np.linspace(interval[0], interval[1], check_integer("points", points, 2))[:, None]
    net = Network.random(widths, init="he", seed=seed)
    run = train(net, x, target(x), steps, learning_rate, keep=range(0, steps + 1, check_integer("every", every, 1)))
    whole = [analyze_line(kept, -math.inf, math.inf) for kept in run.networks]
    inside = [analyze_line(kept, *interval).linear_pieces for kept in run.networks]
    return TrainedPieces(
        run.steps, run.networks, run.losses[run.steps], np.array([p.linear_pieces for p in whole]), np.array(inside),
        [p.breakpoints for p in whole],
    )
