"""Training a network by full-batch gradient descent with Adam, in numpy, the same bits on every machine.

Backpropagation for a `Network`: with pre-activations ``z_l = W_l h_{l-1} + b_l`` and ``h_l = act(z_l)``, the
gradient of the loss flows back as ``g_{l-1} = (g_l W_l) ⊙ act'(z_{l-1})``, and each layer's gradients are
``g_lᵀ h_{l-1}`` for the weights and the sum of ``g_l`` over the batch for the biases.

**Every sum is taken in index order**, never by BLAS (whose order of additions depends on the machine, the library
and the number of threads), so that a run repeats bit for bit on any machine, and the explorer's JavaScript
(``docs/explorer/reluviz-train.js``), adding the same numbers in the same order, gets the same bits:

- a layer's ``h @ W.T`` adds ``h[:, k] · W[:, k]`` for k = 0, 1, … in turn (vectorised over points and units), then
  the bias; the signal's ``g @ W`` adds over the units the same way;
- a sum over the points (the weight and bias gradients, the loss) is the last row of ``np.cumsum``, which adds in
  order: every partial sum is one of its outputs, so numpy cannot regroup the additions (``np.sum`` adds pairwise);
  for long rows, the rows are added one by one in a loop instead, which is faster and adds in the same order;
- the loss's exp and log are `reluviz.portable_math`'s and `reluviz.portable_random.log_fixed`, never the
  platform's; Adam's bias corrections use running products (``p₁ ← p₁ · β₁`` each step), never ``**``.

This holds for the piecewise-linear activations (identity, relu, leaky_relu); tanh and softplus train too, with the
platform's tanh.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import Activation
from .checks import (
    ArgumentTypeError,
    check_array,
    check_integer,
    check_iterable,
    check_network,
    check_number,
    shown,
)
from .network import Layer, Network
from .portable_math import _exp, _log1p
from .portable_random import log_fixed

Array = np.ndarray

MAX_STEPS = 100_000
"""The most steps `train` takes."""
LOSSES = ("mse", "logistic", "softmax")
"""The losses `train` minimises: mean squared error; logistic cross-entropy (one output, labels 0 or 1);
softmax cross-entropy (several outputs, labels as one-hot rows)."""
BETA1 = 0.9
"""Adam's decay of the gradient's running mean."""
ONE_MINUS_BETA1 = 0.1
"""1 − `BETA1`, written as it is: computed, 1 − 0.9 rounds to 0.09999999999999998."""
BETA2 = 0.999
"""Adam's decay of the squared gradient's running mean."""
ONE_MINUS_BETA2 = 0.001
"""1 − `BETA2`, written as it is."""
EPSILON = 1e-8
"""Added to Adam's root mean square before dividing by it."""
DIVERGED = "training diverged at step {step}: {reason}"
"""The message of `TrainingDiverged`, one of `DIVERGED_REASONS` filled in."""
DIVERGED_REASONS = {
    "loss": "the loss is no longer a finite number (try a smaller learning rate)",
    "parameters": "a weight or bias is no longer a finite number (try a smaller learning rate)",
}
"""What stopped being finite, in words, by cause."""
TRAIN_JSON_FIELDS = ("layers", "activation", "loss", "learning_rate", "steps", "losses")
"""The fields of `TrainingRun.to_dict` (and of ``reluviz train --json``), in order."""


class TrainingDiverged(ValueError):  # noqa: N818 (the name the issue gives it: it is what happened, not a bug)
    """Training stopped because the loss, or a weight or bias, stopped being a finite number at step ``step``.

    Parameters
    ----------
    step : int
        The number of steps taken when it happened (0: the network as given).
    cause : {"loss", "parameters"}
        What stopped being finite (`DIVERGED_REASONS`).

    Examples
    --------
    >>> str(TrainingDiverged(3, "loss"))
    'training diverged at step 3: the loss is no longer a finite number (try a smaller learning rate)'
    """

    def __init__(self, step: int, cause: str) -> None:
        super().__init__(DIVERGED.format(step=step, reason=DIVERGED_REASONS[cause]))
        self.step, self.cause = step, cause


def loss_and_gradients(network: Network, x: Array, y: Array, loss: str = "mse") -> tuple[float, list[tuple[Array, Array]]]:
    """The loss of ``network`` on ``(x, y)``, and its gradient for each layer's (weight, bias).

    Parameters
    ----------
    network : Network
    x : ndarray, shape (n, input_dim)
    y : ndarray, shape (n, output_dim)
        Targets for ``"mse"``; labels 0 or 1 for ``"logistic"`` (one output); one-hot rows for ``"softmax"``.
    loss : {"mse", "logistic", "softmax"}
        Mean squared error over every output of every point; or the mean over the points of the cross-entropy of
        the sigmoid (logistic) or of the softmax of the outputs. See `LOSSES`.

    Returns
    -------
    loss : float
        NaN if an output of the network is not finite.
    gradients : list of (ndarray, ndarray)
        One (weight gradient, bias gradient) pair per layer, first layer first, shaped like the layer.

    Raises
    ------
    TypeError
        If ``network`` is not a Network, ``loss`` not a string, or ``x`` or ``y`` holds something other than real
        numbers.
    ValueError
        If ``x`` holds no point, ``x`` and ``y`` are not shaped as above, they hold NaN or inf, ``loss`` is unknown,
        or the labels or the number of outputs do not suit the loss.

    Examples
    --------
    >>> net = Network([([[2.0]], [0.0])], "identity")  # f(x) = 2x, fitted to y = x
    >>> loss, ((weight, bias),) = loss_and_gradients(net, np.array([[1.0]]), np.array([[1.0]]))
    >>> loss, weight.tolist(), bias.tolist()
    (1.0, [[2.0]], [2.0])
    """
    network = check_network("network", network)
    loss = _check_loss(loss)
    x, y = _check_data(network, x, y, loss)
    weights = [layer.weight for layer in network.layers]
    biases = [layer.bias for layer in network.layers]
    with np.errstate(all="ignore"):  # an overflow shows as a loss that is not finite, which the caller sees
        return _loss_and_gradients(weights, biases, network.activation, x, y, loss)


def _check_loss(loss: object) -> str:
    if not isinstance(loss, str):
        raise ArgumentTypeError(f"loss must be one of {', '.join(LOSSES)}; got {shown(loss)}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}; got {loss!r}")
    return loss


def _check_data(network: Network, x: object, y: object, loss: str = "mse") -> tuple[Array, Array]:
    """``x`` and ``y`` as float arrays (``np.asarray(…, dtype=float)``), refused unless they fit ``network``."""
    inputs = check_array("x", x)
    if inputs.ndim != 2 or inputs.shape[1] != network.input_dim:
        raise ValueError(f"x must be shaped (n, {network.input_dim}), one row per point; got shape {inputs.shape}")
    if len(inputs) == 0:
        raise ValueError(f"x must hold at least one point; got shape {inputs.shape}")
    targets = check_array("y", y)
    expected = (len(inputs), network.output_dim)
    if targets.shape != expected:
        raise ValueError(f"y must be shaped {expected}, one row of targets per point (x and y must pair up row by row); "
                         f"got shape {targets.shape}")
    _check_labels(network, targets, loss)
    return inputs, targets


def _check_labels(network: Network, y: Array, loss: str) -> None:
    """The labels a cross-entropy needs: 0 or 1 with one output, one-hot rows with several."""
    if loss == "logistic":
        if network.output_dim != 1:
            raise ValueError(f"loss 'logistic' needs a network with one output; network has {network.output_dim}")
        wrong = (y != 0.0) & (y != 1.0)
        if wrong.any():
            raise ValueError(f"y must hold labels 0 or 1 for loss 'logistic'; got {float(y[wrong][0])!r} at {np.argwhere(wrong)[0].tolist()}")
    elif loss == "softmax":
        if network.output_dim < 2:
            raise ValueError(f"loss 'softmax' needs a network with two or more outputs; network has {network.output_dim}")
        wrong = ~((np.isin(y, (0.0, 1.0))).all(axis=1) & (np.count_nonzero(y, axis=1) == 1))
        if wrong.any():
            row = int(np.argmax(wrong))
            raise ValueError(f"y must hold one-hot rows (one 1, the rest 0) for loss 'softmax'; got {y[row].tolist()} in row {row}")


def _times_transposed(values: Array, weight: Array) -> Array:
    """``values @ weight.T``: for each point p and unit o, the sum over k of values[p, k] · weight[o, k], taken
    k = 0, 1, … in that order."""
    total = values[:, :1] * weight[:, 0]
    for k in range(1, values.shape[1]):
        total = total + values[:, k : k + 1] * weight[:, k]
    return total


_ROW_LOOP_FROM = 64
"""From this many numbers per point on, `_sum_over_points` adds whole rows in a loop, which is faster than cumsum."""


def _sum_over_points(values: Array) -> Array:
    """The sum over the first axis, points 0, 1, … in that order: the last row of `np.cumsum`, whose every partial
    sum is an output (so numpy cannot regroup the additions); or, for long rows, the rows added one by one in place.
    Both add the same numbers in the same order, so they give the same bits."""
    if values.ndim > 1 and values[0].size >= _ROW_LOOP_FROM:
        total = values[0].copy()
        for row in values[1:]:
            np.add(total, row, out=total)
        return total
    last: Array = np.cumsum(values, axis=0)[-1]
    return last


def _forward(weights: Sequence[Array], biases: Sequence[Array], activation: Activation, x: Array) -> tuple[list[Array], list[Array], Array]:
    """The inputs of every layer, the hidden pre-activations and the output, every sum in index order."""
    inputs, preactivations = [x], []
    for weight, bias in zip(weights[:-1], biases[:-1]):
        preactivations.append(_times_transposed(inputs[-1], weight) + bias)
        inputs.append(activation(preactivations[-1]))
    return inputs, preactivations, _times_transposed(inputs[-1], weights[-1]) + biases[-1]


def _mse(output: Array, y: Array) -> tuple[float, Array]:
    """Σ (output − y)² over every entry, row by row, / the number of entries; and its gradient 2 (output − y) / N."""
    error = output - y
    loss = float(_sum_over_points((error * error).ravel())) / error.size
    return loss, (2.0 * error) / error.size


def _logistic(output: Array, y: Array) -> tuple[float, Array]:
    """Mean of log(1 + e^z) − z·y over the points, as (z if z > 0 else 0) − z·y + log1p(e^−|z|), which never
    overflows; its gradient is (σ(z) − y) / n, with σ(z) = 1 / (1 + e^−|z|) for z > 0 and e^−|z| / (1 + e^−|z|) else."""
    z, label = output[:, 0], y[:, 0]
    small = _exp(-np.abs(z))
    terms = (np.where(z > 0.0, z, 0.0) - z * label) + _log1p(small)
    sigmoid = np.where(z > 0.0, 1.0, small) / (1.0 + small)
    return float(_sum_over_points(terms)) / len(z), ((sigmoid - label) / len(z))[:, None]


def _softmax(output: Array, y: Array) -> tuple[float, Array]:
    """Mean over the points of log Σ_j e^(s_j) − Σ_j y_j s_j, with s = z − max z (so no e^s overflows); its gradient
    is (softmax(z) − y) / n. Sums over the outputs are taken j = 0, 1, … in order too."""
    shifted = output - output.max(axis=1, keepdims=True)
    exps = _exp(shifted)
    totals = np.cumsum(exps, axis=1)[:, -1]
    picked = np.cumsum(y * shifted, axis=1)[:, -1]
    terms = log_fixed(totals) - picked
    n = len(output)
    return float(_sum_over_points(terms)) / n, (exps / totals[:, None] - y) / n


_LOSS_FUNCTIONS = {"mse": _mse, "logistic": _logistic, "softmax": _softmax}


def _loss_and_gradients(
    weights: Sequence[Array], biases: Sequence[Array], activation: Activation, x: Array, y: Array, loss: str = "mse",
) -> tuple[float, list[tuple[Array, Array]]]:
    inputs, preactivations, output = _forward(weights, biases, activation, x)
    if not np.isfinite(output).all():  # diverged: the loss is NaN, and so is every gradient
        return math.nan, [(np.full_like(w, math.nan), np.full_like(b, math.nan)) for w, b in zip(weights, biases)]
    value, signal = _LOSS_FUNCTIONS[loss](output, y)
    gradients: list[tuple[Array, Array]] = []
    for index in range(len(weights) - 1, -1, -1):
        weight_gradient = _sum_over_points(signal[:, :, None] * inputs[index][:, None, :])
        gradients.append((weight_gradient, _sum_over_points(signal)))
        if index:
            signal = _times_transposed(signal, weights[index].T) * activation.derivative(preactivations[index - 1])
    return value, gradients[::-1]


@dataclass(frozen=True)
class TrainingRun:
    """What `train` recorded.

    Attributes
    ----------
    steps : list of int
        The steps at which the network was kept; 0 is the network as it was given.
    networks : list of Network
        The network after each of those steps.
    losses : ndarray, shape (steps + 1,)
        The loss before the first step and after every step.
    loss : str
        Which loss (`LOSSES`).
    learning_rate : float
        Adam's step size.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 16)[:, None]
    >>> run = train(Network.random([1, 4, 1], init="he", seed=1), x, x**2, steps=50, keep=[10])
    >>> run.steps, len(run.networks), len(run.losses)
    ([0, 10, 50], 3, 51)
    """

    steps: list[int]
    networks: list[Network]
    losses: Array
    loss: str = "mse"
    learning_rate: float = 0.01

    def to_dict(self) -> dict[str, Any]:
        """The trained network (its ``layers`` and ``activation``, as `Network.to_dict`), the loss's name, the
        learning rate, the number of steps and the loss at steps 0 to that number: `TRAIN_JSON_FIELDS`."""
        return {**self.networks[-1].to_dict(), "loss": self.loss, "learning_rate": self.learning_rate,
                "steps": self.steps[-1], "losses": self.losses.tolist()}


@dataclass
class _Adam:
    """Adam's state for a flat vector of parameters: the running means, and the running products β₁ᵗ and β₂ᵗ."""

    parameters: Array
    learning_rate: float
    power1: float = 1.0
    power2: float = 1.0

    def __post_init__(self) -> None:
        self.moment = np.zeros_like(self.parameters)
        self.square = np.zeros_like(self.parameters)

    def step(self, gradient: Array) -> None:
        """One update of ``parameters`` in place, every operation elementwise and in a fixed order."""
        self.moment = BETA1 * self.moment + ONE_MINUS_BETA1 * gradient
        self.square = BETA2 * self.square + ONE_MINUS_BETA2 * (gradient * gradient)
        self.power1 *= BETA1
        self.power2 *= BETA2
        corrected = self.moment / (1.0 - self.power1)
        root = np.sqrt(self.square / (1.0 - self.power2))
        self.parameters -= self.learning_rate * corrected / (root + EPSILON)


def _flat_views(network: Network) -> tuple[Array, list[Array], list[Array]]:
    """Every weight and bias copied into one flat vector, and each layer's (weight, bias) as views into it, so that
    Adam updates them all in a few vector operations."""
    arrays = [array for layer in network.layers for array in (layer.weight, layer.bias)]
    flat = np.concatenate([array.ravel() for array in arrays])
    views, start = [], 0
    for array in arrays:
        views.append(flat[start : start + array.size].reshape(array.shape))
        start += array.size
    return flat, views[0::2], views[1::2]


def _finite_loss(value: float, step: int) -> float:
    if not math.isfinite(value):
        raise TrainingDiverged(step, "loss")
    return value


def train(
    network: Network,
    x: Array,
    y: Array,
    steps: int,
    learning_rate: float = 0.01,
    keep: Sequence[int] = (),
    loss: str = "mse",
) -> TrainingRun:
    """Fit ``network`` to ``(x, y)`` by full-batch Adam on ``loss``, the same bits on every machine.

    Parameters
    ----------
    network : Network
        The starting point; it is not changed.
    x, y : ndarray
        Inputs shaped (n, input_dim) and targets shaped (n, output_dim) (labels, for a cross-entropy: see
        `loss_and_gradients`).
    steps : int
        How many steps to take, 1 to `MAX_STEPS`.
    learning_rate : float
        Adam's step size (its other constants are `BETA1`, `BETA2` and `EPSILON`).
    keep : sequence of int
        The steps after which to keep a copy of the network; step 0 and the last step are always kept.
    loss : {"mse", "logistic", "softmax"}
        See `LOSSES`.

    Returns
    -------
    TrainingRun

    Raises
    ------
    TypeError
        If ``network`` is not a Network, ``steps`` or an item of ``keep`` is not an integer, ``learning_rate`` is not
        a real number, ``keep`` is not a collection, ``loss`` is not a string, or ``x`` or ``y`` holds something
        other than real numbers.
    ValueError
        If ``steps``, ``learning_rate`` or an item of ``keep`` is out of range, ``x`` and ``y`` do not fit the
        network, hold no point, or hold NaN or inf, or ``loss`` is unknown or does not suit them.
    TrainingDiverged
        A ValueError: if the loss, or a weight or bias, stops being a finite number; its one line names the step.

    Examples
    --------
    >>> net = Network.random([1, 8, 1], init="he", seed=0)
    >>> x = np.linspace(-1, 1, 32)[:, None]
    >>> run = train(net, x, np.abs(x), steps=200)
    >>> bool(run.losses[-1] < run.losses[0])
    True
    """
    network = check_network("network", network)
    steps = check_integer("steps", steps, 1, MAX_STEPS)
    learning_rate = check_number("learning_rate", learning_rate, 0.0, open_minimum=True, allowed="a positive finite number")
    loss = _check_loss(loss)
    x, y = _check_data(network, x, y, loss)
    wanted = check_iterable("keep", keep, "a collection of step numbers (integers from 0 to steps)")
    kept_steps = sorted({0, steps, *(check_integer(f"keep[{i}]", k, 0, steps) for i, k in enumerate(wanted))})
    flat, weights, biases = _flat_views(network)
    with np.errstate(all="ignore"):  # an overflow shows as a loss or parameter that is not finite: TrainingDiverged
        losses, networks = _descend(network, flat, weights, biases, x, y, kept_steps, learning_rate, loss)
    return TrainingRun(kept_steps, networks, np.array(losses), loss, learning_rate)


def _descend(network: Network, flat: Array, weights: list[Array], biases: list[Array], x: Array, y: Array,
             kept_steps: list[int], learning_rate: float, loss: str) -> tuple[list[float], list[Network]]:
    """Adam's steps on ``flat`` (which ``weights`` and ``biases`` view), checking after each that all is finite; the
    loss at every step and the networks at ``kept_steps``."""
    steps = kept_steps[-1]
    adam = _Adam(flat, learning_rate)
    losses, kept = [], {0: network}
    for step in range(1, steps + 1):
        value, gradients = _loss_and_gradients(weights, biases, network.activation, x, y, loss)
        losses.append(_finite_loss(value, step - 1))
        adam.step(np.concatenate([g.ravel() for pair in gradients for g in pair]))
        if not np.isfinite(flat).all():
            raise TrainingDiverged(step, "parameters")
        if step in kept_steps:
            kept[step] = Network([Layer(w, b) for w, b in zip(weights, biases)], network.activation)  # copies them
    losses.append(_finite_loss(_loss_and_gradients(weights, biases, network.activation, x, y, loss)[0], steps))
    return losses, [kept[step] for step in kept_steps]
