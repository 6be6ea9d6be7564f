"""Argument checks shared by the whole package, so every bad input gets the same kind of one-line error.

Each check returns the cleaned value and raises ``ValueError`` naming the parameter and what it accepts.
"""

from __future__ import annotations

import math
import operator


def check_integer(name: str, value: object, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` (anything ``operator.index`` accepts, but not a bool) within [minimum, maximum]."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be an integer; got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}; got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be an integer ≤ {maximum:,}; got {number:,}")
    return number


def check_finite(name: str, value: object) -> float:
    """``value`` as a finite ``float``."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number; got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return number


def check_interval(lo: object, hi: object, names: tuple[str, str] = ("lo", "hi")) -> tuple[float, float]:
    """``(lo, hi)`` as finite floats with lo < hi."""
    low, high = check_finite(names[0], lo), check_finite(names[1], hi)
    if low >= high:
        raise ValueError(f"{names[0]} must be smaller than {names[1]}; got {names[0]}={low:g}, {names[1]}={high:g}")
    return low, high
