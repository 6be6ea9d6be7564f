"""Training a network by full-batch gradient descent with Adam, in numpy, so the site can follow its kinks.

Backpropagation for a `Network`: with pre-activations ``z_l = W_l h_{l-1} + b_l`` and ``h_l = act(z_l)``, the
gradient of the mean squared error flows back as ``g_{l-1} = (g_l W_l) ⊙ act'(z_{l-1})``, and each layer's
gradients are ``g_lᵀ h_{l-1}`` for the weights and the sum of ``g_l`` over the batch for the biases. Every step uses
the same operations in the same order, so a run repeats bit for bit on the same machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .checks import check_array, check_integer, check_iterable, check_network, check_number
from .network import Layer, Network

Array = np.ndarray

MAX_STEPS = 100_000
"""The most steps `train` takes."""


def loss_and_gradients(network: Network, x: Array, y: Array) -> tuple[float, list[tuple[Array, Array]]]:
    """The mean squared error of ``network`` on ``(x, y)``, and its gradient for each layer's (weight, bias).

    Parameters
    ----------
    network : Network
    x : ndarray, shape (n, input_dim)
    y : ndarray, shape (n, output_dim)

    Returns
    -------
    loss : float
    gradients : list of (ndarray, ndarray)
        One (weight gradient, bias gradient) pair per layer, first layer first, shaped like the layer.

    Raises
    ------
    TypeError
        If ``network`` is not a Network, or ``x`` or ``y`` holds something other than real numbers.
    ValueError
        If ``x`` holds no point, ``x`` and ``y`` are not shaped as above, or they hold NaN or inf.

    Examples
    --------
    >>> net = Network([([[2.0]], [0.0])], "identity")  # f(x) = 2x, fitted to y = x
    >>> loss, ((weight, bias),) = loss_and_gradients(net, np.array([[1.0]]), np.array([[1.0]]))
    >>> loss, weight.tolist(), bias.tolist()
    (1.0, [[2.0]], [2.0])
    """
    network = check_network("network", network)
    x, y = _check_data(network, x, y)
    weights = [layer.weight for layer in network.layers]
    biases = [layer.bias for layer in network.layers]
    return _loss_and_gradients(weights, biases, network.activation, x, y)


def _check_data(network: Network, x: object, y: object) -> tuple[Array, Array]:
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
    return inputs, targets


def _loss_and_gradients(
    weights: Sequence[Array], biases: Sequence[Array], activation: Activation, x: Array, y: Array
) -> tuple[float, list[tuple[Array, Array]]]:
    inputs, preactivations = [x], []
    for weight, bias in zip(weights[:-1], biases[:-1]):
        preactivations.append(inputs[-1] @ weight.T + bias)
        inputs.append(activation(preactivations[-1]))
    error = inputs[-1] @ weights[-1].T + biases[-1] - y
    loss = float(np.mean(error**2))
    signal = 2.0 * error / error.size
    gradients: list[tuple[Array, Array]] = []
    for index in range(len(weights) - 1, -1, -1):
        gradients.append((signal.T @ inputs[index], signal.sum(axis=0)))
        if index:
            signal = (signal @ weights[index]) * activation.derivative(preactivations[index - 1])
    return loss, gradients[::-1]


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
        The mean squared error before the first step and after every step.

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


def train(
    network: Network,
    x: Array,
    y: Array,
    steps: int,
    learning_rate: float = 0.01,
    keep: Sequence[int] = (),
) -> TrainingRun:
    """Fit ``network`` to ``(x, y)`` by full-batch Adam on the mean squared error.

    Parameters
    ----------
    network : Network
        The starting point; it is not changed.
    x, y : ndarray
        Inputs shaped (n, input_dim) and targets shaped (n, output_dim).
    steps : int
        How many steps to take, 1 to `MAX_STEPS`.
    learning_rate : float
        Adam's step size (its other constants are the usual 0.9, 0.999 and 1e-8).
    keep : sequence of int
        The steps after which to keep a copy of the network; step 0 and the last step are always kept.

    Returns
    -------
    TrainingRun

    Raises
    ------
    TypeError
        If ``network`` is not a Network, ``steps`` or an item of ``keep`` is not an integer, ``learning_rate`` is not
        a real number, ``keep`` is not a collection, or ``x`` or ``y`` holds something other than real numbers.
    ValueError
        If ``steps``, ``learning_rate`` or an item of ``keep`` is out of range, or ``x`` and ``y`` do not fit the
        network, hold no point, or hold NaN or inf.

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
    x, y = _check_data(network, x, y)
    wanted = check_iterable("keep", keep, "a collection of step numbers (integers from 0 to steps)")
    kept_steps = sorted({0, steps, *(check_integer(f"keep[{i}]", k, 0, steps) for i, k in enumerate(wanted))})
    # Every weight and bias is a view into one flat vector, so that Adam updates them all in a few vector operations.
    shapes = [shape for layer in network.layers for shape in (layer.weight.shape, layer.bias.shape)]
    flat = np.concatenate([array.ravel() for layer in network.layers for array in (layer.weight, layer.bias)])
    views, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(flat[start : start + size].reshape(shape))
        start += size
    weights, biases = views[0::2], views[1::2]
    moment, square = np.zeros_like(flat), np.zeros_like(flat)
    losses, kept = [], {0: network}
    for step in range(1, steps + 1):
        loss, gradients = _loss_and_gradients(weights, biases, network.activation, x, y)
        losses.append(loss)
        gradient = np.concatenate([g.ravel() for pair in gradients for g in pair])
        moment = 0.9 * moment + 0.1 * gradient
        square = 0.999 * square + 0.001 * gradient**2
        flat -= learning_rate * (moment / (1 - 0.9**step)) / (np.sqrt(square / (1 - 0.999**step)) + 1e-8)
        if step in kept_steps:
            kept[step] = Network([Layer(w, b) for w, b in zip(weights, biases)], network.activation)  # copies them
    losses.append(_loss_and_gradients(weights, biases, network.activation, x, y)[0])
    return TrainingRun(kept_steps, [kept[step] for step in kept_steps], np.array(losses))
