"""Activation functions, and which of them are piecewise linear.

A piecewise-linear activation is described by the slope it has on each side of zero; that is all the exact
analysis in `reluviz.pieces` needs. Smooth activations are kept for contrast: they bend everywhere, so they have
no breakpoints to find.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .checks import ArgumentTypeError, check_real, shown

Array = np.ndarray

ACTIVATION_NAMES = ("identity", "relu", "leaky_relu", "tanh", "softplus")
"""The names `get_activation` accepts: three piecewise-linear activations, then two smooth ones."""
DEFAULT_LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """An elementwise function with its derivative.

    Parameters
    ----------
    name : str
    function, derivative : callable
        Elementwise maps of an array.
    negative_slope : float or None
        The slope left of zero for a piecewise-linear activation (its slope right of zero is 1); ``None`` for a
        smooth one, which has no kinks to find.

    Examples
    --------
    >>> leaky = get_activation("leaky_relu", 0.1)
    >>> leaky(np.array([-2.0, 3.0])).tolist(), leaky.negative_slope
    ([-0.2, 3.0], 0.1)
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
        """True when crossing zero changes the slope (relu, leaky_relu), so a unit's switch can make a kink."""
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
    """Look an activation up by name.

    Parameters
    ----------
    name : str
        One of `ACTIVATION_NAMES`.
    leaky_slope : float
        Slope left of zero, in [0, 1); used by ``"leaky_relu"`` only (for the others it must still be a number).

    Returns
    -------
    Activation

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``leaky_slope`` is not a real number.
    ValueError
        If ``name`` is unknown or ``leaky_slope`` is out of range.

    Examples
    --------
    >>> get_activation("relu").piecewise_linear
    True
    """
    return activation_named(name, leaky_slope, "name")


def activation_named(name: object, leaky_slope: object, parameter: str) -> Activation:
    """`get_activation`, with ``parameter`` the name the caller's user knows ``name`` by (``"activation"`` for a
    `reluviz.Network`)."""
    allowed = f"one of {', '.join(ACTIVATION_NAMES)}"
    slope = check_real("leaky_slope", leaky_slope, "a finite number in [0, 1)")
    if not isinstance(name, str):
        raise ArgumentTypeError(f"{parameter} must be {allowed}; got {shown(name)}")
    if name == "identity":
        return _piecewise_linear("identity", 1.0)
    if name == "relu":
        return _piecewise_linear("relu", 0.0)
    if name == "leaky_relu":
        if not (np.isfinite(slope) and 0.0 <= slope < 1.0):
            raise ValueError(f"leaky_slope must be a finite number in [0, 1), got {leaky_slope!r}")
        return _piecewise_linear("leaky_relu", slope)
    if name == "tanh":
        return Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, None)
    if name == "softplus":
        return Activation("softplus", lambda z: np.logaddexp(0.0, z), _sigmoid, None)
    raise ValueError(f"{parameter} must be {allowed}; got {shown(name)}")
