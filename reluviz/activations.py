"""Activation functions, and which of them are piecewise linear.

A piecewise-linear activation is described by the slope it has on each side of zero; that is all the exact
analysis in :mod:`reluviz.pieces` needs. Smooth activations are kept for contrast: they bend everywhere, so they have
no breakpoints to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray

ACTIVATION_NAMES = ("identity", "relu", "leaky_relu", "tanh", "softplus")
DEFAULT_LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """An elementwise function with its derivative.

    ``negative_slope`` is the slope left of zero for piecewise-linear activations (the slope right of zero is 1)
    and ``None`` for smooth ones.
    """

    name: str
    function: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    negative_slope: float | None

    @property
    def piecewise_linear(self) -> bool:
        return self.negative_slope is not None

    @property
    def switches(self) -> bool:
        """True when crossing zero changes the slope, i.e. a unit can be 'inactive'."""
        return self.negative_slope is not None and self.negative_slope != 1.0

    def __call__(self, z: Array) -> Array:
        return self.function(z)


def _piecewise_linear(name: str, negative_slope: float) -> Activation:
    return Activation(
        name=name,
        function=lambda z: np.where(z > 0, z, negative_slope * z),
        derivative=lambda z: np.where(z > 0, 1.0, negative_slope),
        negative_slope=negative_slope,
    )


def _sigmoid(z: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def get_activation(name: str, leaky_slope: float = DEFAULT_LEAKY_SLOPE) -> Activation:
    """Look an activation up by name; ``leaky_slope`` is used by ``leaky_relu`` only."""
    if name == "identity":
        return _piecewise_linear("identity", 1.0)
    if name == "relu":
        return _piecewise_linear("relu", 0.0)
    if name == "leaky_relu":
        if not (np.isfinite(leaky_slope) and 0.0 <= leaky_slope < 1.0):
            raise ValueError(f"leaky_slope must be a finite number in [0, 1), got {leaky_slope!r}")
        return _piecewise_linear("leaky_relu", float(leaky_slope))
    if name == "tanh":
        return Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, None)
    if name == "softplus":
        return Activation("softplus", lambda z: np.logaddexp(0.0, z), _sigmoid, None)
    raise ValueError(f"activation must be one of {', '.join(ACTIVATION_NAMES)}; got {name!r}")
