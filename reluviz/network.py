"""A feed-forward network: affine layers with one activation between them.

The whole site rests on one identity. With hidden pre-activations ``z_l = W_l h_{l-1} + b_l`` and
``h_l = act(z_l)``, the derivative of the output with respect to the input is

    J(x) = W_L · D_{L-1}(x) · … · D_1(x) · W_1,     D_l(x) = diag(act'(z_l(x))),

and for ReLU every ``D_l`` is a 0/1 mask. The mask changes only where some ``z_l`` crosses zero, so the network is
affine between those places and its slope jumps at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .activations import DEFAULT_LEAKY_SLOPE, Activation, get_activation

Array = np.ndarray

INITS = ("he", "standard", "spread")


@dataclass(frozen=True)
class Layer:
    """One affine map ``x -> weight @ x + bias``; ``weight`` is shaped (out, in)."""

    weight: Array
    bias: Array

    def __call__(self, h: Array) -> Array:
        return h @ self.weight.T + self.bias

    def to_dict(self) -> dict:
        return {"weight": self.weight.tolist(), "bias": self.bias.tolist()}


def _check_layer(index: int, weight: object, bias: object) -> Layer:
    w = np.array(weight, dtype=float)
    b = np.array(bias, dtype=float)
    if w.ndim != 2 or w.shape[0] == 0 or w.shape[1] == 0:
        raise ValueError(f"layers[{index}].weight must be a non-empty 2-D array (out, in); got shape {w.shape}")
    if b.shape != (w.shape[0],):
        raise ValueError(f"layers[{index}].bias must have shape ({w.shape[0]},) to match its weight; got {b.shape}")
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        raise ValueError(f"layers[{index}] must hold finite numbers only (no NaN or inf)")
    w.flags.writeable = False
    b.flags.writeable = False
    return Layer(w, b)


class Network:
    """Affine layers with ``activation`` applied after every layer but the last."""

    def __init__(
        self,
        layers: Sequence[Layer | tuple[object, object]],
        activation: str | Activation = "relu",
        leaky_slope: float = DEFAULT_LEAKY_SLOPE,
    ) -> None:
        if len(layers) == 0:
            raise ValueError("layers must hold at least one layer")
        checked = []
        for i, layer in enumerate(layers):
            weight, bias = (layer.weight, layer.bias) if isinstance(layer, Layer) else layer
            checked.append(_check_layer(i, weight, bias))
        for i in range(1, len(checked)):
            if checked[i].weight.shape[1] != checked[i - 1].weight.shape[0]:
                raise ValueError(
                    f"layers[{i}].weight takes {checked[i].weight.shape[1]} inputs but layers[{i - 1}] "
                    f"gives {checked[i - 1].weight.shape[0]} outputs"
                )
        self.layers: tuple[Layer, ...] = tuple(checked)
        self.activation = activation if isinstance(activation, Activation) else get_activation(activation, leaky_slope)

    @classmethod
    def random(
        cls,
        widths: Sequence[int],
        activation: str | Activation = "relu",
        init: str = "spread",
        seed: int | np.random.Generator = 0,
        spread: tuple[float, float] = (-100.0, 100.0),
        leaky_slope: float = DEFAULT_LEAKY_SLOPE,
    ) -> Network:
        """Draw weights for layer sizes ``widths`` = [input, hidden…, output] from a seeded Generator.

        ``init`` names the distribution:

        - ``"he"``: weights and biases normal with variance 2/fan_in (He/Kaiming). Kinks of the first layer sit at
          ``-b/a``, a ratio of two normals, so most of them lie within a few units of zero.
        - ``"standard"``: every weight and bias standard normal, the naive choice. Its kinks also crowd near zero,
          so over ±100 the output looks like a handful of straight segments.
        - ``"spread"``: first-layer weights standard normal and biases chosen so that each unit's kink
          ``-b/a`` is uniform on ``spread`` (for one input, the plotted range); deeper layers He-normal weights and
          zero biases. This is what the site draws, because the kinks are then visible across the whole range.
        """
        widths = _check_widths(widths)
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}; got {init!r}")
        lo, hi = float(spread[0]), float(spread[1])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"spread must be two finite numbers lo < hi; got {spread!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(_check_seed(seed))
        layers = []
        for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
            he_std = np.sqrt(2.0 / fan_in)
            if init == "standard":
                weight = rng.standard_normal((fan_out, fan_in))
                bias = rng.standard_normal(fan_out)
            elif init == "he" or index > 0:
                weight = he_std * rng.standard_normal((fan_out, fan_in))
                bias = he_std * rng.standard_normal(fan_out) if init == "he" else np.zeros(fan_out)
            else:
                weight = rng.standard_normal((fan_out, fan_in))
                kink_along_first_axis = rng.uniform(lo, hi, fan_out)
                bias = -weight[:, 0] * kink_along_first_axis
            layers.append(Layer(weight, bias))
        return cls(layers, activation, leaky_slope)

    @property
    def widths(self) -> list[int]:
        return [self.layers[0].weight.shape[1]] + [layer.weight.shape[0] for layer in self.layers]

    @property
    def input_dim(self) -> int:
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        return self.widths[-1]

    @property
    def hidden_units(self) -> int:
        return sum(self.widths[1:-1])

    def _as_batch(self, x: object) -> Array:
        """Points as an (n, input_dim) array; a 1-D array means n scalar inputs when input_dim is 1."""
        arr = np.asarray(x, dtype=float)
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr[:, None] if self.input_dim == 1 else arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.input_dim:
            raise ValueError(f"x must hold points of dimension {self.input_dim}; got shape {np.shape(x)}")
        return arr

    def preactivations(self, x: object) -> list[Array]:
        """Hidden pre-activations ``z_l`` for each hidden layer, each shaped (n, width_l)."""
        h = self._as_batch(x)
        zs = []
        for layer in self.layers[:-1]:
            z = layer(h)
            zs.append(z)
            h = self.activation(z)
        return zs

    def forward(self, x: object) -> Array:
        """Outputs shaped (n, output_dim)."""
        h = self._as_batch(x)
        for layer in self.layers[:-1]:
            h = self.activation(layer(h))
        return self.layers[-1](h)

    def activation_pattern(self, x: object) -> list[Array]:
        """Which hidden units are active (pre-activation > 0), one (n, width_l) bool array per hidden layer."""
        return [z > 0 for z in self.preactivations(x)]

    def inactive_count(self, x: object) -> Array:
        """How many hidden units sit on their 'off' side (pre-activation ≤ 0) at each point.

        An activation with no off side (identity, smooth ones) has none.
        """
        n = self._as_batch(x).shape[0]
        if not self.activation.switches:
            return np.zeros(n, dtype=int)
        return sum((np.count_nonzero(z <= 0, axis=1) for z in self.preactivations(x)), np.zeros(n, dtype=int))

    def jacobian(self, x: object) -> Array:
        """``W_L · D_{L-1}(x) · … · D_1(x) · W_1`` at each point, shaped (n, output_dim, input_dim)."""
        zs = self.preactivations(x)
        n = len(zs[0]) if zs else self._as_batch(x).shape[0]
        product = np.broadcast_to(self.layers[0].weight, (n, *self.layers[0].weight.shape))
        for z, layer in zip(zs, self.layers[1:]):
            mask = self.activation.derivative(z)
            product = layer.weight @ (mask[:, :, None] * product)
        return np.array(product)

    def to_dict(self) -> dict:
        """Weights in the published JSON schema: first layer first, weight shaped (out, in)."""
        return {"layers": [layer.to_dict() for layer in self.layers], "activation": self.activation.name}


def collapse(network: Network) -> Layer:
    """The single affine map a network with the identity activation composes into.

    ``W = W_L ⋯ W_1`` and ``b = W_L(⋯(W_2 b_1 + b_2)⋯) + b_L``: the reason stacking linear layers buys nothing.
    """
    if network.activation.negative_slope != 1.0:
        raise ValueError(f"collapse needs activation 'identity'; this network uses {network.activation.name!r}")
    weight = np.eye(network.input_dim)
    bias = np.zeros(network.input_dim)
    for layer in network.layers:
        weight = layer.weight @ weight
        bias = layer.weight @ bias + layer.bias
    return Layer(weight, bias)


def _check_widths(widths: Sequence[int]) -> list[int]:
    if len(widths) < 2:
        raise ValueError(f"widths must list at least an input and an output size; got {list(widths)!r}")
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w <= 0:
            raise ValueError(f"widths must be positive integers; got {list(widths)!r}")
    return [int(w) for w in widths]


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or a numpy Generator; got {seed!r}")
    return int(seed)


def random_network(
    width: int = 10,
    depth: int = 1,
    activation: str = "relu",
    init: str = "spread",
    seed: int | np.random.Generator = 0,
    input_dim: int = 1,
    output_dim: int = 1,
    spread: tuple[float, float] = (-100.0, 100.0),
    leaky_slope: float = DEFAULT_LEAKY_SLOPE,
) -> Network:
    """A network with ``depth`` hidden layers of ``width`` units each (the CLI's and the site's shape)."""
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width <= 0:
        raise ValueError(f"width must be a positive integer; got {width!r}")
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be an integer ≥ 1; got {depth!r}")
    widths = [input_dim] + [int(width)] * int(depth) + [output_dim]
    return Network.random(widths, activation, init, seed, spread, leaky_slope)
