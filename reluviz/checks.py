"""Argument checks shared by the whole package, so every bad input gets the same kind of one-line error.

Each check returns the cleaned value, or raises with one sentence ``<name> must be <what is allowed>; got <what it
got>``: `ArgumentTypeError` (a ``TypeError``) for the wrong kind of value (None, a string, a complex number, a float
where an integer is needed, a generator where a list is needed), and ``ValueError`` for the right kind with a wrong
value (NaN, out of range, a wrong shape).
"""

from __future__ import annotations

import math
import numbers
import operator
import reprlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .network import Network

Array = np.ndarray


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong kind: a ``TypeError``.

    It is a ``ValueError`` too, because reluviz raised ``ValueError`` for some of these before (a float where an
    integer is needed, say), and code that catches ``ValueError`` should keep working; numpy's ``AxisError`` is a
    ``ValueError`` and an ``IndexError`` for the same reason.

    Examples
    --------
    >>> issubclass(ArgumentTypeError, TypeError), issubclass(ArgumentTypeError, ValueError)
    (True, True)
    """


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlevel = 40, 80, 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = _REPR.maxarray = 6
_REPR.maxdict = 4


def shown(value: object) -> str:
    """``value`` as it is quoted after "got": its repr on one line and shortened; a large array by its shape.

    Examples
    --------
    >>> shown("x"), shown(np.zeros((100, 3))), shown(list(range(100)))
    ("'x'", 'an array of shape (100, 3) and dtype float64', '[0, 1, 2, 3, 4, 5, ...]')
    """
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    try:
        text = repr(value) if isinstance(value, np.ndarray) else _REPR.repr(value)
    except Exception:  # a repr that fails must not hide the error being reported
        text = f"a {type(value).__name__}"
    return " ".join(text.split())


def _refuse_kind(name: str, allowed: str, value: object) -> ArgumentTypeError:
    return ArgumentTypeError(f"{name} must be {allowed}; got {shown(value)}")


def check_integer(name: str, value: object, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` (anything ``operator.index`` accepts, but not a bool) within [minimum, maximum].

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float, even 2.0, a bool, a string, None...).
    ValueError
        If it is out of range.

    Examples
    --------
    >>> check_integer("depth", 3, 1)
    3
    """
    if isinstance(value, (bool, np.bool_)):
        raise _refuse_kind(name, "an integer", value)
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise _refuse_kind(name, "an integer", value) from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}; got {_integer_text(number, '')}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be an integer ≤ {maximum:,}; got {_integer_text(number, ',')}")
    return number


def _integer_text(number: int, grouping: str) -> str:
    """``number`` as digits, or by its size when it is too long to print (Python refuses beyond 4,300 digits)."""
    if number.bit_length() > 1000:
        return f"an integer of about {int(number.bit_length() * math.log10(2)):,} digits"
    return format(number, grouping)


def check_real(name: str, value: object, allowed: str = "a real number") -> float:
    """``value`` as a ``float``, checking only its kind: a real number (int, float, numpy scalar or 0-d array), not a
    bool, string, complex number, None or 1-element array. NaN and infinities pass; see `check_number`.

    Examples
    --------
    >>> check_real("slope", 2), check_real("slope", np.float32(0.5))
    (2.0, 0.5)
    """
    real = isinstance(value, numbers.Real) or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")
    if isinstance(value, (bool, np.bool_)) or not real:
        raise _refuse_kind(name, allowed, value)
    try:
        with np.errstate(all="ignore"):
            return float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int or Fraction beyond the largest double
        raise ValueError(f"{name} must be {allowed}; got a number too large for a float") from None


def _described(finite: bool, minimum: float | None, maximum: float | None, open_minimum: bool, open_maximum: bool) -> str:
    allowed = "a finite number" if finite else "a number, not NaN (±inf allowed)"
    if minimum is not None and maximum is not None:
        return f"{allowed} in {'(' if open_minimum else '['}{minimum:g}, {maximum:g}{')' if open_maximum else ']'}"
    if minimum is not None:
        return f"{allowed} {'>' if open_minimum else '≥'} {minimum:g}"
    if maximum is not None:
        return f"{allowed} {'<' if open_maximum else '≤'} {maximum:g}"
    return allowed


def check_number(
    name: str, value: object, minimum: float | None = None, maximum: float | None = None, *,
    open_minimum: bool = False, open_maximum: bool = False, finite: bool = True, allowed: str | None = None,
) -> float:
    """``value`` as a ``float``, never NaN, finite unless ``finite=False``, within the bounds given.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (see `check_real`).
    ValueError
        If it is NaN, infinite (unless allowed) or out of range; the message says what is allowed, or ``allowed``.

    Examples
    --------
    >>> check_number("step", 0.5, 0, open_minimum=True)
    0.5
    >>> check_number("step", 0, 0, open_minimum=True)
    Traceback (most recent call last):
    ValueError: step must be a finite number > 0; got 0
    """
    allowed = allowed or _described(finite, minimum, maximum, open_minimum, open_maximum)
    number = check_real(name, value, allowed)
    below = minimum is not None and (number <= minimum if open_minimum else number < minimum)
    above = maximum is not None and (number >= maximum if open_maximum else number > maximum)
    if math.isnan(number) or (finite and math.isinf(number)) or below or above:
        raise ValueError(f"{name} must be {allowed}; got {shown(value)}")
    return number


def check_finite(name: str, value: object) -> float:
    """``value`` as a finite ``float`` (`check_number` with no bounds).

    Examples
    --------
    >>> check_finite("lo", -1)
    -1.0
    """
    return check_number(name, value)


def check_interval(lo: object, hi: object, names: tuple[str, str] = ("lo", "hi"), finite: bool = True) -> tuple[float, float]:
    """``(lo, hi)`` as floats with lo < hi, finite unless ``finite=False`` (then only NaN is refused).

    Examples
    --------
    >>> check_interval(0, 1)
    (0.0, 1.0)
    >>> check_interval(-math.inf, 0, finite=False)
    (-inf, 0.0)
    """
    low, high = check_number(names[0], lo, finite=finite), check_number(names[1], hi, finite=finite)
    if low >= high:
        either = "" if finite else " (either may be infinite)"
        raise ValueError(f"{names[0]} must be smaller than {names[1]}{either}; got {names[0]}={low:g}, {names[1]}={high:g}")
    return low, high


def is_sequence(value: object) -> bool:
    """Whether ``value`` is a list-like of items (a list, tuple, range or array with at least one axis), not a string.

    Examples
    --------
    >>> is_sequence([1, 2]), is_sequence("12"), is_sequence(x for x in [1, 2])
    (True, False, False)
    """
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def check_sequence(name: str, value: object, allowed: str) -> Sequence[object]:
    """``value`` if it is a sequence (see `is_sequence`); a generator, which can be read only once, is refused.

    Examples
    --------
    >>> check_sequence("widths", (1, 2), "a list of integers")
    (1, 2)
    """
    if not is_sequence(value):
        raise _refuse_kind(name, allowed, value)
    return value  # type: ignore[return-value]


def check_iterable(name: str, value: object, allowed: str) -> list[object]:
    """The items of ``value``, any iterable but a string, read once.

    Examples
    --------
    >>> check_iterable("keep", (n for n in [1, 2]), "integers")
    [1, 2]
    """
    if isinstance(value, (str, bytes, bytearray)) or (isinstance(value, np.ndarray) and value.ndim == 0) or not isinstance(value, Iterable):
        raise _refuse_kind(name, allowed, value)
    return list(value)


def check_integers(name: str, value: object, minimum: int | None = None, maximum: int | None = None, *,
                   sequence: bool = True) -> list[int]:
    """``value`` as a list of ints, each checked by `check_integer` under the name ``name[i]``; any iterable is taken
    when ``sequence`` is False.

    Examples
    --------
    >>> check_integers("widths", [1, 10, 1], 1)
    [1, 10, 1]
    """
    allowed = f"a list of integers{'' if minimum is None else f' ≥ {minimum}'}"
    items = list(check_sequence(name, value, allowed)) if sequence else check_iterable(name, value, allowed)
    return [check_integer(f"{name}[{i}]", item, minimum, maximum) for i, item in enumerate(items)]


def check_pair(name: str, value: object, allowed: str = "a pair of numbers (lo, hi)") -> tuple[object, object]:
    """``value``'s two items: a sequence (see `is_sequence`) of length 2.

    Examples
    --------
    >>> check_pair("spread", [-1, 1])
    (-1, 1)
    """
    items = check_sequence(name, value, allowed)
    if len(items) != 2:
        raise ValueError(f"{name} must be {allowed}; got {len(items)} item(s): {shown(value)}")
    return items[0], items[1]


def check_callable(name: str, value: object, allowed: str = "a function") -> Callable[..., object]:
    """``value`` if it can be called.

    Examples
    --------
    >>> check_callable("target", abs) is abs
    True
    """
    if not callable(value):
        raise _refuse_kind(name, allowed, value)
    return value


def check_network(name: str, value: object) -> Network:
    """``value`` if it is a `reluviz.Network`.

    Examples
    --------
    >>> check_network("network", None)
    Traceback (most recent call last):
    reluviz.checks.ArgumentTypeError: network must be a reluviz Network; got None
    """
    from .network import Network  # here, because network.py imports this module

    if not isinstance(value, Network):
        raise _refuse_kind(name, "a reluviz Network", value)
    return value


def check_array(name: str, value: object, finite: bool = True, allowed: str = "an array of real numbers") -> Array:
    """``value`` as a float64 array (``np.asarray(value, dtype=float)``, so a float64 array is returned as it is).

    Its items must be real numbers: not None, strings, complex numbers or bools. With ``finite``, NaN and
    infinities are refused too. The shape is the caller's to check.

    Raises
    ------
    TypeError
        If an item is not a real number, or ``value`` is no array at all (None, a generator, an object).
    ValueError
        If the lists are ragged, or (with ``finite``) an item is NaN or infinite.

    Examples
    --------
    >>> check_array("x", [[1, 2]]).tolist()
    [[1.0, 2.0]]
    >>> check_array("x", [1.0, float("nan")])
    Traceback (most recent call last):
    ValueError: x must hold finite numbers only (no NaN or inf); got nan at [1]
    """
    if isinstance(value, (str, bytes, bytearray)):
        raise _refuse_kind(name, allowed, value)
    try:
        raw = np.asarray(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be {allowed}, with rows of one length; got {shown(value)}") from None
    kind = raw.dtype.kind
    if kind == "O":
        for item in raw.flat:
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
                raise _refuse_kind(name, allowed, value if raw.ndim == 0 else item)
    elif kind not in "iuf":
        raise _refuse_kind(name, allowed, value)
    try:
        with np.errstate(all="ignore"):
            array: Array = np.asarray(raw, dtype=float)
    except OverflowError:  # a Python int beyond the largest double
        raise ValueError(f"{name} must hold finite numbers only; got a number too large for a float") from None
    if finite and not np.isfinite(array).all():
        where = np.argwhere(~np.isfinite(array))[0].tolist()
        value_there = array[tuple(where)]
        place = f" at {where}" if where else ""
        raise ValueError(f"{name} must hold finite numbers only (no NaN or inf); got {value_there}{place}")
    return array
