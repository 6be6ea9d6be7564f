"""A feed-forward network: affine layers with one activation between them.

The whole site rests on one identity. With hidden pre-activations ``z_l = W_l h_{l-1} + b_l`` and
``h_l = act(z_l)``, the derivative of the output with respect to the input is

    J(x) = W_L · D_{L-1}(x) · … · D_1(x) · W_1,     D_l(x) = diag(act'(z_l(x))),

and for ReLU every ``D_l`` is a 0/1 mask. The mask changes only where some ``z_l`` crosses zero, so the network is
affine between those places and its slope jumps at them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ACTIVATION_NAMES, DEFAULT_LEAKY_SLOPE, Activation, activation_named
from .checks import (
    ArgumentTypeError,
    check_array,
    check_integer,
    check_interval,
    check_network,
    check_pair,
    check_real,
    check_sequence,
    is_sequence,
    shown,
)
from .portable_random import (
    KIND_BIAS,
    KIND_KINK,
    KIND_WEIGHT,
    MAX_SEED,
    STREAMS_PER_LAYER,
    indices,
    standard_normal,
    uniform,
)

Array = np.ndarray

INITS = ("he", "standard", "spread")
"""The weight distributions `Network.random` can draw from."""
MAX_PARAMETERS = 20_000_000
"""The most weights and biases `Network.random` draws (160 MB); more is almost surely a typo."""
MAX_LAYERS = 1_000
"""The most layers a `Network` may have; the exact analysis walks through them one by one."""


@dataclass(frozen=True)
class Layer:
    """One affine map ``x -> weight @ x + bias``.

    Parameters
    ----------
    weight : ndarray, shape (out, in)
        Finite real numbers, at least one row and one column.
    bias : ndarray, shape (out,)
        Finite real numbers. A weight or bias given as (nested) lists is kept as a float array. A bias whose length
        is not the weight's number of rows is refused when the layer is applied or put in a `Network`, which names
        the layer by its place (``layers[i].bias``).

    Raises
    ------
    TypeError
        If ``weight`` or ``bias`` holds something other than real numbers.
    ValueError
        If ``weight`` is not a non-empty 2-D array or ``bias`` not a 1-D one, or either holds NaN or inf.

    Examples
    --------
    >>> Layer(np.array([[2.0]]), np.array([1.0]))(np.array([[3.0]])).tolist()
    [[7.0]]
    """

    weight: Array
    bias: Array

    def __post_init__(self) -> None:
        weight = check_array("weight", self.weight, finite=False)
        if weight.ndim != 2 or weight.shape[0] == 0 or weight.shape[1] == 0:
            raise ValueError(f"weight must be a non-empty 2-D array (out, in); got shape {weight.shape}")
        bias = check_array("bias", self.bias, finite=False)
        if bias.ndim != 1:
            raise ValueError(f"bias must be a 1-D array (out,); got shape {bias.shape}")
        check_array("weight", weight)
        check_array("bias", bias)
        for name, array in (("weight", weight), ("bias", bias)):
            if not isinstance(getattr(self, name), np.ndarray):  # lists: an array, so that the layer can be applied
                object.__setattr__(self, name, array)

    def __call__(self, h: Array) -> Array:
        """Apply the map to a batch of row vectors ``h`` shaped (n, in); returns (n, out).

        ``h`` must hold finite real numbers, with ``in`` entries along its last axis (a 1-D ``h`` is one point).
        """
        points = check_array("h", h)
        if points.ndim == 0 or points.shape[-1] != self.weight.shape[1]:
            raise ValueError(f"h must be shaped (n, {self.weight.shape[1]}), one row per point; got shape {points.shape}")
        if self.bias.shape != (self.weight.shape[0],):
            raise ValueError(f"bias must have shape ({self.weight.shape[0]},) to match the weight; got {self.bias.shape}")
        return self._apply(points)

    def _apply(self, h: Array) -> Array:
        result: Array = h @ self.weight.T + self.bias
        return result

    def to_dict(self) -> dict[str, Any]:
        """The layer in the published JSON schema: ``{"weight": [[...]], "bias": [...]}``."""
        return {"weight": self.weight.tolist(), "bias": self.bias.tolist()}


def _check_layer(index: int, layer: object) -> Layer:
    if isinstance(layer, Layer):
        weight, bias = layer.weight, layer.bias
    elif is_sequence(layer) and len(layer) == 2:  # type: ignore[arg-type]
        weight, bias = layer  # type: ignore[misc]
    else:
        raise ArgumentTypeError(f"layers[{index}] must be a Layer or a (weight, bias) pair; got {shown(layer)}")
    w = np.array(check_array(f"layers[{index}].weight", weight, finite=False), dtype=float)
    b = np.array(check_array(f"layers[{index}].bias", bias, finite=False), dtype=float)
    if w.ndim != 2 or w.shape[0] == 0 or w.shape[1] == 0:
        raise ValueError(f"layers[{index}].weight must be a non-empty 2-D array (out, in); got shape {w.shape}")
    if b.shape != (w.shape[0],):
        raise ValueError(f"layers[{index}].bias must have shape ({w.shape[0]},) to match its weight; got {b.shape}")
    for part, array in (("weight", w), ("bias", b)):
        if not np.isfinite(array).all():
            where = np.argwhere(~np.isfinite(array))[0].tolist()
            raise ValueError(f"layers[{index}] must hold finite numbers only (no NaN or inf); got {array[tuple(where)]} "
                             f"in its {part} at {where}")
    w.flags.writeable = False
    b.flags.writeable = False
    return Layer(w, b)


class Network:
    """Affine layers with ``activation`` applied after every layer but the last.

    Parameters
    ----------
    layers : sequence of Layer or (weight, bias) pairs
        First layer first; each weight is shaped (out, in) and must take the previous layer's outputs.
    activation : str or Activation
        One of `reluviz.ACTIVATION_NAMES`, or an `Activation`.
    leaky_slope : float
        Slope left of zero, for ``"leaky_relu"`` only.

    Raises
    ------
    TypeError
        If ``layers`` is not a list or tuple, a layer is neither a Layer nor a pair, a weight or bias holds something
        other than real numbers, ``activation`` is neither a string nor an Activation, or ``leaky_slope`` is not a
        real number.
    ValueError
        If a layer is empty, misshapen, holds NaN or inf, or does not fit the layer before it (the message names it),
        or ``activation`` or ``leaky_slope`` is not one that is allowed.

    Examples
    --------
    >>> net = Network([([[1.0], [-1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])  # |x| as relu(x) + relu(-x)
    >>> net.forward([-2.0, 3.0])[:, 0].tolist()
    [2.0, 3.0]
    """

    def __init__(
        self,
        layers: Sequence[Layer | tuple[object, object]],
        activation: str | Activation = "relu",
        leaky_slope: float = DEFAULT_LEAKY_SLOPE,
    ) -> None:
        check_sequence("layers", layers, "a list or tuple of Layer or (weight, bias) pairs")
        if not 1 <= len(layers) <= MAX_LAYERS:
            raise ValueError(f"layers must hold 1 to {MAX_LAYERS:,} layers; got {len(layers):,}")
        checked = [_check_layer(i, layer) for i, layer in enumerate(layers)]
        for i in range(1, len(checked)):
            if checked[i].weight.shape[1] != checked[i - 1].weight.shape[0]:
                raise ValueError(
                    f"layers[{i}].weight takes {checked[i].weight.shape[1]} inputs but layers[{i - 1}] "
                    f"gives {checked[i - 1].weight.shape[0]} outputs"
                )
        self.layers: tuple[Layer, ...] = tuple(checked)
        self.activation = _check_activation(activation, leaky_slope)

    @classmethod
    def random(
        cls,
        widths: Sequence[int],
        activation: str | Activation = "relu",
        init: str = "spread",
        seed: int = 0,
        spread: tuple[float, float] = (-100.0, 100.0),
        leaky_slope: float = DEFAULT_LEAKY_SLOPE,
    ) -> Network:
        """A network with random weights: the one way reluviz draws a network.

        Parameters
        ----------
        widths : sequence of int
            Layer sizes ``[input, hidden…, output]``; ``[1, 10, 1]`` is the Quora experiment's network.
        activation : str or Activation
            As for `Network`.
        init : {"spread", "he", "standard"}
            The weight distribution:

            - ``"spread"``: first-layer weights standard normal and biases chosen so that each unit's kink
              ``-b/a`` (along the first input) is uniform on ``spread``; deeper layers He-normal weights and zero
              biases. The site draws this, because the kinks are then visible across the plotted range.
            - ``"he"``: weights and biases normal with variance 2/fan_in (He/Kaiming).
            - ``"standard"``: every weight and bias standard normal, the naive choice.
        seed : int
            From 0 to `reluviz.portable_random.MAX_SEED`. The numbers come from `reluviz.portable_random`, so the
            site's explorer draws the same network, bit for bit, in the browser; and a wider network with the same
            seed keeps the narrower one's first-layer units.
        spread : (float, float)
            Where the ``"spread"`` kinks are placed.
        leaky_slope : float
            Slope left of zero, for ``"leaky_relu"`` only.

        Returns
        -------
        Network

        Raises
        ------
        TypeError
            If ``widths`` is not a list of integers, ``spread`` not a pair of numbers, ``seed`` not an integer, or
            ``init``, ``activation`` or ``leaky_slope`` of the wrong kind.
        ValueError
            If a width is not a positive integer, the network would be too large, ``init`` is unknown, ``seed`` is
            outside [0, MAX_SEED], ``spread`` is not an interval or ``activation`` or ``leaky_slope`` is not allowed.

        Examples
        --------
        >>> net = Network.random([1, 10, 1], seed=0)
        >>> net.widths
        [1, 10, 1]
        """
        checked_widths = _check_widths(widths)
        if not isinstance(init, str):
            raise ArgumentTypeError(f"init must be one of {', '.join(INITS)}; got {shown(init)}")
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}; got {init!r}")
        lo, hi = check_interval(*check_pair("spread", spread), ("spread[0]", "spread[1]"))
        seed = check_integer("seed", seed, 0, MAX_SEED)
        activation = _check_activation(activation, leaky_slope)
        shapes = list(zip(checked_widths[1:], checked_widths[:-1]))
        weights, biases = _draw_normals(seed, shapes)
        layers = []
        for index, (weight, bias) in enumerate(zip(weights, biases)):
            he_std = np.sqrt(2.0 / weight.shape[1])
            if init == "he" or (init == "spread" and index > 0):
                weight = he_std * weight
                bias = he_std * bias if init == "he" else np.zeros(len(bias))
            elif init == "spread":
                fraction = uniform(seed, STREAMS_PER_LAYER * index + KIND_KINK, *indices((len(bias), 1)))
                kink_along_first_axis = lo * (1.0 - fraction) + hi * fraction  # never overflows, unlike lo + (hi - lo) u
                bias = -weight[:, 0] * kink_along_first_axis
            layers.append(Layer(weight, bias))
        return cls(layers, activation, leaky_slope)

    @property
    def widths(self) -> list[int]:
        """Layer sizes ``[input, hidden…, output]``."""
        return [self.layers[0].weight.shape[1]] + [layer.weight.shape[0] for layer in self.layers]

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    @property
    def hidden_units(self) -> int:
        """How many hidden units the network has in all its hidden layers."""
        return sum(self.widths[1:-1])

    def _as_batch(self, x: object) -> Array:
        """Points as an (n, input_dim) array; a 1-D array means n scalar inputs when input_dim is 1."""
        arr = check_array("x", x)
        given = arr.shape
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr[:, None] if self.input_dim == 1 else arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.input_dim:
            raise ValueError(f"x must hold points of dimension {self.input_dim}; got shape {given}")
        return arr

    def preactivations(self, x: object) -> list[Array]:
        """Hidden pre-activations ``z_l``, one (n, width_l) array per hidden layer.

        Parameters
        ----------
        x : array_like
            Finite real points shaped (n, input_dim); for a one-input network a 1-D array of n inputs (or one number).
            The same holds for `forward`, `activation_pattern`, `negative_count` and `jacobian`.

        Raises
        ------
        TypeError
            If ``x`` holds something other than real numbers.
        ValueError
            If ``x`` holds NaN or inf, or its points do not have ``input_dim`` coordinates.
        """
        h = self._as_batch(x)
        zs = []
        for layer in self.layers[:-1]:
            z = layer._apply(h)
            zs.append(z)
            h = self.activation(z)
        return zs

    def forward(self, x: object) -> Array:
        """The outputs at ``x`` (as for `preactivations`), shaped (n, output_dim)."""
        h = self._as_batch(x)
        for layer in self.layers[:-1]:
            h = self.activation(layer._apply(h))
        return self.layers[-1]._apply(h)

    def activation_pattern(self, x: object) -> list[Array]:
        """Which hidden units have a positive input at ``x``: one (n, width_l) bool array per hidden layer."""
        return [z > 0 for z in self.preactivations(x)]

    def negative_count(self, x: object) -> Array:
        """How many hidden units have a negative input (pre-activation < 0) at each point: the orange series.

        This is counted for every activation. For ReLU those units output 0; the identity passes their negative
        inputs through, so for a linear network the count changes nothing about the output.
        """
        n = self._as_batch(x).shape[0]
        counts = np.zeros(n, dtype=int)
        for z in self.preactivations(x):
            counts += np.count_nonzero(z < 0, axis=1)
        return counts

    def jacobian(self, x: object) -> Array:
        """``W_L · D_{L-1}(x) · … · D_1(x) · W_1`` at each point, shaped (n, output_dim, input_dim)."""
        zs = self.preactivations(x)
        n = len(zs[0]) if zs else self._as_batch(x).shape[0]
        product = np.broadcast_to(self.layers[0].weight, (n, *self.layers[0].weight.shape))
        for z, layer in zip(zs, self.layers[1:]):
            mask = self.activation.derivative(z)
            product = layer.weight @ (mask[:, :, None] * product)
        return np.array(product)

    def to_dict(self) -> dict[str, Any]:
        """Weights in the published JSON schema: first layer first, weight shaped (out, in)."""
        return {"layers": [layer.to_dict() for layer in self.layers], "activation": self.activation.name}

    # Networks trained elsewhere. `reluviz.model_io` is the one place that knows the file formats; these are the
    # obvious names to reach it by, imported when called so that `Network` itself needs numpy alone.

    @classmethod
    def from_json(cls, source: str | os.PathLike[str] | Mapping[str, Any]) -> Network:
        """A network from the published JSON schema (JSON text, a path to a file, or a parsed document), as
        `to_json` and ``reluviz network --json`` write it: see `reluviz.model_io.network_from_json`.

        Examples
        --------
        >>> net = Network.random([2, 3, 1], seed=0)
        >>> Network.from_json(net.to_json()).widths
        [2, 3, 1]
        """
        from .model_io import network_from_json

        return network_from_json(source)

    def to_json(self) -> str:
        """The network as one line of the published JSON schema, which `from_json` reads back bit for bit: see
        `reluviz.model_io.network_to_json`."""
        from .model_io import network_to_json

        return network_to_json(self)

    @classmethod
    def from_npz(cls, path: str | os.PathLike[str]) -> Network:
        """A network from a NumPy ``.npz`` archive holding ``weight_0, bias_0, weight_1, …`` (each weight shaped
        (out, in), as in PyTorch): see `reluviz.model_io.network_from_npz`."""
        from .model_io import network_from_npz

        return network_from_npz(path)

    @classmethod
    def from_onnx(cls, source: bytes | str | os.PathLike[str]) -> Network:
        """A network from an ONNX multilayer perceptron (the model's bytes or a path to a ``.onnx`` file), as
        PyTorch or Keras export it; anything that is not such a chain is refused in one line naming the node. Needs
        the optional ``onnx`` package (``pip install "reluviz[onnx]"``): see `reluviz.model_io.network_from_onnx`."""
        from .model_io import network_from_onnx

        return network_from_onnx(source)


def collapse(network: Network) -> Layer:
    """The single affine map that a network with the identity activation composes into.

    ``W = W_L ⋯ W_1`` and ``b = W_L(⋯(W_2 b_1 + b_2)⋯) + b_L``: the reason stacking linear layers buys nothing.

    Parameters
    ----------
    network : Network
        A network whose activation is ``"identity"``.

    Returns
    -------
    Layer
        One layer that computes the same function.

    Raises
    ------
    TypeError
        If ``network`` is not a Network.
    ValueError
        If the network's activation is not the identity.

    Examples
    --------
    >>> net = Network([([[2.0]], [1.0]), ([[3.0]], [0.0])], "identity")
    >>> layer = collapse(net)
    >>> float(layer.weight[0, 0]), float(layer.bias[0])
    (6.0, 3.0)
    """
    network = check_network("network", network)
    if network.activation.negative_slope != 1.0:
        raise ValueError(f"network must use activation 'identity' to collapse; it uses {network.activation.name!r}")
    weight = np.eye(network.input_dim)
    bias = np.zeros(network.input_dim)
    for layer in network.layers:
        weight = layer.weight @ weight
        bias = layer.weight @ bias + layer.bias
    return Layer(weight, bias)


def _draw_normals(seed: int, shapes: list[tuple[int, int]]) -> tuple[list[Array], list[Array]]:
    """Standard normal weights and biases for layers of these (out, in) shapes, drawn in one call: weight [i, j] of
    layer l from stream 4l (row i, column j), bias i from stream 4l + 1 (row i, column 0)."""
    rows, columns, streams, sizes = [], [], [], []
    for index, (fan_out, fan_in) in enumerate(shapes):
        for kind, shape in ((KIND_WEIGHT, (fan_out, fan_in)), (KIND_BIAS, (fan_out, 1))):
            r, c = indices(shape)
            rows.append(r)
            columns.append(c)
            streams.append(np.full(len(r), STREAMS_PER_LAYER * index + kind, dtype=np.uint32))
            sizes.append(len(r))
    values = np.split(standard_normal(seed, np.concatenate(streams), np.concatenate(rows), np.concatenate(columns)), np.cumsum(sizes)[:-1])
    weights = [values[2 * i].reshape(shape) for i, shape in enumerate(shapes)]
    return weights, [values[2 * i + 1] for i in range(len(shapes))]


def _check_activation(activation: object, leaky_slope: object) -> Activation:
    """``activation`` as an Activation: looked up by name, or taken as it is (``leaky_slope`` must be a number)."""
    if isinstance(activation, Activation):
        check_real("leaky_slope", leaky_slope, "a finite number in [0, 1)")
        return activation
    if not isinstance(activation, str):
        raise ArgumentTypeError(f"activation must be one of {', '.join(ACTIVATION_NAMES)}, or an Activation; got {shown(activation)}")
    return activation_named(activation, leaky_slope, "activation")


def _check_widths(widths: Sequence[int]) -> list[int]:
    """The layer sizes as ints, refused before anything is allocated if the network would be too large."""
    check_sequence("widths", widths, "a list of layer sizes [input, hidden…, output]")
    if not 2 <= len(widths) <= MAX_LAYERS + 1:
        raise ValueError(f"widths must list 2 to {MAX_LAYERS + 1:,} layer sizes (input, hidden…, output); got {len(widths):,}")
    checked = [check_integer(f"widths[{i}]", w, 1) for i, w in enumerate(widths)]
    parameters = sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(checked[:-1], checked[1:]))
    if parameters > MAX_PARAMETERS:
        raise ValueError(f"widths would make {parameters:,} weights and biases; at most {MAX_PARAMETERS:,}")
    return checked
