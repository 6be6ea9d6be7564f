"""Numbers as the site writes them: the one formatter every fact goes through, and the credits the figures share.

Every number a page quotes is made here, by these rules, so that the same quantity reads the same everywhere:

- **Kinds.** A real number is written with a fixed number of significant digits set by its kind (`KINDS`):
  ``"value"`` (3) for anything measured or computed (weights, biases, slopes, places on the axis, losses, means,
  fitted exponents, approximation errors), ``"error"`` (2) for how far two computations of one number are apart
  (rounding differences) and for what is zero but for rounding. Trailing zeros are kept, so a kind's numbers always show its digits
  ("−1.70", never "−1.7" beside "−1.88"). A number below 10⁻³ in size is written with a power of ten
  ("2.2 × 10⁻¹⁶"). `exact` writes a number that is exact by construction (a parameter, ReLU at 1) in full.
- **Shares** (`percent`): two significant digits and a percent sign ("64%", "2.4%", "0.50%").
- **Estimates** (`estimate`): a mean with its standard error to two significant digits, the mean to the same
  decimal place ("66.55 ± 0.36").
- **Counts** (`count`): integers, refused if not whole, with a comma between thousands from 1,000 on ("2,000",
  "20,001"); the integer part of every other number is grouped the same way. `plural` puts the noun after it
  ("1 unit", "4 units").
- **Signs.** A minus is U+2212 in text and ``-`` in TeX; an expression never shows "+ −": `affine` writes
  "−1.51x − 137".
- **Arithmetic on the page.** When the page adds or multiplies the numbers it shows, the result is computed from
  the shown (rounded) numbers (`shown_sum`, `shown_dot`), so that the page's arithmetic is right as printed;
  `shown_decimal` turns a shown number back into the decimal it says.
- **Lists** (`listing`, `number_list`, `count_list`): "a, b and c".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np

QUORA_URL = "https://www.quora.com/Why-is-ReLU-non-linear/answer/Nathan-Yan-2"
QUORA_CREDIT = f"After an experiment by Nathan Yan ({QUORA_URL})."
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"

KINDS: dict[str, int] = {"value": 3, "error": 2}
"""Significant digits of each kind of real number (see the module docstring)."""
SHARE_DIGITS = 2
"""Significant digits of a percentage."""
ESTIMATE_DIGITS = 2
"""Significant digits of a standard error."""
SMALLEST_PLAIN = Decimal("0.001")
"""Numbers smaller than this in size are written with a power of ten."""
EXACT_DIGITS = 6
"""`exact` refuses a number whose shortest decimal needs more significant digits than this."""


def _finite(value: object) -> float:
    """``value`` as a float; NaN or infinity never reaches the prose."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"a fact must be a number, not a truth value; got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"a fact must be a finite number to be quoted; got {number}")
    return number


def _exponent(decimal: Decimal) -> int:
    """The power of ten of a finite decimal's last digit (-2 for 1.23)."""
    exponent = decimal.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{decimal} is not a finite number")
    return exponent


def _digits(kind: str) -> int:
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    return KINDS[kind]


def rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` significant digits (half to even, from its exact binary value).

    A value that rounds up to the next power of ten keeps ``digits`` digits: 9.996 to 3 digits is 10.0.
    """
    exact_value = Decimal(_finite(value) + 0.0)  # + 0.0 turns -0.0 into 0.0
    if exact_value == 0:
        return Decimal(0)
    power = exact_value.adjusted()
    result = exact_value.quantize(Decimal(1).scaleb(power - digits + 1), rounding=ROUND_HALF_EVEN)
    if result.adjusted() > power:  # rounded up to the next power of ten: one digit too many
        result = exact_value.quantize(Decimal(1).scaleb(power - digits + 2), rounding=ROUND_HALF_EVEN)
    return result


def _plain(decimal: Decimal, tex: bool = False) -> str:
    """A rounded decimal written out, its digits as they are (trailing zeros kept), thousands grouped."""
    negative = decimal < 0
    magnitude = abs(decimal)
    if magnitude != 0 and magnitude < SMALLEST_PLAIN:
        mantissa = magnitude.scaleb(-magnitude.adjusted())
        text = f"{mantissa:f}"
        power = magnitude.adjusted()
        body = rf"{text} \times 10^{{{power}}}" if tex else f"{text} × 10{str(power).translate(SUPERSCRIPTS)}"
    else:
        whole, _, fraction = f"{magnitude:f}".partition(".")
        grouped = f"{int(whole):,}"
        if tex:
            grouped = grouped.replace(",", "{,}")
        body = grouped + (f".{fraction}" if fraction else "")
    if negative and magnitude != 0:
        return ("-" if tex else MINUS) + body
    return body


def number(value: float, kind: str = "value") -> str:
    """A real number with its kind's significant digits, a real minus sign and, below 10⁻³, a power of ten.

    Examples
    --------
    >>> number(-1.5062), number(63.4), number(136.94), number(2.2e-16, "error")
    ('−1.51', '63.4', '137', '2.2 × 10⁻¹⁶')
    >>> number(-1.7)
    '−1.70'
    """
    return _plain(rounded(value, _digits(kind)))


def tex_number(value: float, kind: str = "value") -> str:
    """`number`, written for TeX."""
    return _plain(rounded(value, _digits(kind)), tex=True)


def decimal_text(decimal: Decimal, tex: bool = False) -> str:
    """A decimal computed from shown numbers (their sum, twice one of them), written with exactly its digits."""
    return _plain(decimal, tex)


def shown_decimal(text: str) -> Decimal:
    """The decimal a number written by this module says ("−1.51" → Decimal("-1.51"))."""
    body = text.replace(MINUS, "-").replace(",", "").replace("{,}", "").replace("%", "").strip()
    if "×" in body or r"\times" in body:
        mantissa, _, power = body.replace(r"\times", "×").partition("×")
        power = power.strip().removeprefix("10").strip("^{} ").translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        return Decimal(mantissa.strip()).scaleb(int(power))
    return Decimal(body)


def exact(value: float, tex: bool = False) -> str:
    """A number that is exact by construction (a parameter, ReLU at ±1, a weight the page writes down), in full.

    Raises
    ------
    ValueError
        If its shortest decimal has more than `EXACT_DIGITS` significant digits: it is then a computed number,
        which `number` writes.
    """
    number_ = _finite(value) + 0.0
    if number_ == int(number_) and abs(number_) < 1e15:
        decimal = Decimal(int(number_))
    else:
        decimal = Decimal(repr(number_))
    if len(decimal.normalize().as_tuple().digits) > EXACT_DIGITS:
        raise ValueError(f"{number_!r} is not a short exact number; write it with number(value, kind)")
    return _plain(decimal, tex)


def parameter(value: float) -> str:
    """A parameter as it was given: in full when it is short (`exact`), else as a ``"value"``."""
    try:
        return exact(value)
    except ValueError:
        return number(value)


def count(value: object) -> str:
    """A whole number that counts something, thousands grouped from 1,000 on.

    Raises
    ------
    ValueError
        If ``value`` is not a whole number.

    Examples
    --------
    >>> count(6561), count(20001.0), count(-3)
    ('6,561', '20,001', '−3')
    """
    number_ = _finite(value)
    if number_ != int(number_):
        raise ValueError(f"a count must be a whole number; got {value!r}")
    return _plain(Decimal(int(number_)))


def tex_count(value: object) -> str:
    """`count`, written for TeX."""
    return count(value).replace(",", "{,}").replace(MINUS, "-")


def plural(value: object, singular: str, plural_form: str | None = None) -> str:
    """A count and its noun: ``plural(1, "unit")`` is "1 unit", ``plural(4, "unit")`` "4 units"."""
    text = count(value)
    return f"{text} {singular if _finite(value) == 1 else (plural_form or singular + 's')}"


def percent(fraction: float) -> str:
    """A share (0.64 for 64 %) with two significant digits: "64%", "2.4%", "0.50%", "0%" and "100%".

    Examples
    --------
    >>> percent(0.6399), percent(0.02), percent(1.0), percent(0.0)
    ('64%', '2.0%', '100%', '0%')
    """
    return _plain(rounded(100.0 * _finite(fraction), SHARE_DIGITS)) + "%"


def estimate(mean: float, standard_error: float) -> str:
    """A mean and its standard error: the error with two significant digits, the mean to the same place.

    Examples
    --------
    >>> estimate(66.5512, 0.3619), estimate(17.0, 0.0), estimate(126.04, 12.3)
    ('66.55 ± 0.36', '17 ± 0', '126 ± 12')
    """
    mean, standard_error = _finite(mean), _finite(standard_error)
    if standard_error < 0:
        raise ValueError(f"a standard error cannot be negative; got {standard_error}")
    if standard_error == 0:
        return f"{exact(mean)} ± 0"
    error = rounded(standard_error, ESTIMATE_DIGITS)
    place = min(0, _exponent(error))
    centre = Decimal(mean).quantize(Decimal(1).scaleb(place), rounding=ROUND_HALF_EVEN)
    return f"{_plain(centre)} ± {_plain(error)}"


def listing(items: Sequence[str]) -> str:
    """``a, b and c``."""
    items = list(items)
    if not items:
        raise ValueError("a list to quote must hold something")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def number_list(values: Iterable[float], kind: str = "value") -> str:
    """Real numbers of one kind, ``a, b and c``."""
    return listing([number(v, kind) for v in values])


def count_list(values: Iterable[object]) -> str:
    """Counts, ``a, b and c``."""
    return listing([count(v) for v in values])


def affine(slope: str, intercept: str, variable: str = "x", tex: bool = False) -> str:
    """The map ``slope·variable + intercept`` from two shown numbers, with the intercept's sign as the operator:
    "−1.51x − 137", never "−1.51x + −137"."""
    sign = "-" if tex else MINUS
    joined = rf"\,{variable}" if tex else variable
    if intercept.startswith(sign):
        return f"{slope}{joined} {sign} {intercept[len(sign):]}"
    return f"{slope}{joined} + {intercept}"


def _shown_places(values: Sequence[float], kind: str) -> int:
    """How many decimals a sum's terms share: those the largest term gets with its kind's digits (at least 0)."""
    largest = max(abs(_finite(v)) for v in values)
    if largest == 0:
        return 0
    return max(0, -_exponent(rounded(largest, _digits(kind))))


def _at_places(value: float | Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def shown_sum(terms: Sequence[float] | np.ndarray, others: Sequence[float] | np.ndarray = (), kind: str = "value") -> tuple[list[str], str, list[str]]:
    """Terms to be shown added up, their sum, and ``others`` to be shown beside them, all with the same decimals.

    The sum is the sum of the shown (rounded) terms, so that the page's addition is right as printed. Terms that
    are exact short decimals (ReLU at ±1) are shown in full, and their sum with them.

    Returns
    -------
    (terms, sum, others) as text.

    Examples
    --------
    >>> shown_sum([0.31326, 1.31326], [0.69315])
    (['0.31', '1.31'], '1.62', ['0.69'])
    >>> shown_sum([-0.1, 1.0], [0.0])
    (['−0.1', '1'], '0.9', ['0'])
    """
    values = [_finite(v) for v in [*terms, *others]]
    try:
        exact_terms = [Decimal(exact(v).replace(MINUS, "-").replace(",", "")) for v in values]
    except ValueError:
        exact_terms = []
    if exact_terms and all(float(d) == v for d, v in zip(exact_terms, values)) and max(
        -_exponent(d.normalize()) for d in exact_terms
    ) <= 3:
        total = sum(exact_terms[: len(terms)], Decimal(0))
        return ([exact(v) for v in terms], _plain(total.normalize() if total != 0 else Decimal(0)),
                [exact(v) for v in others])
    places = _shown_places(values, kind)
    shown_terms = [_at_places(v, places) for v in terms]
    total = sum(shown_terms, Decimal(0))
    return [_plain(t) for t in shown_terms], _plain(_at_places(total, places)), [_plain(_at_places(v, places)) for v in others]


def shown_dot(left: Sequence[float] | np.ndarray, right: Sequence[float] | np.ndarray, kind: str = "value") -> tuple[list[str], list[str], Decimal]:
    """Two vectors as shown (each entry with its kind's digits) and the dot product of the shown entries, exactly."""
    shown_left, shown_right = [number(v, kind) for v in left], [number(v, kind) for v in right]
    product = sum((shown_decimal(a) * shown_decimal(b) for a, b in zip(shown_left, shown_right)), Decimal(0))
    return shown_left, shown_right, product


def same_when_shown(text: str, value: float | Decimal, kind: str = "value") -> bool:
    """Whether ``value`` (say, computed from shown numbers) is written ``text`` with ``kind``'s digits."""
    return number(float(value), kind) == text


def tex_matrix(matrix: np.ndarray, kind: str = "value") -> str:
    """A bracketed matrix, each entry with its kind's digits; a 1-D array becomes a row."""
    rows = np.atleast_2d(matrix)
    body = r" \\ ".join(" & ".join(tex_number(v, kind) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def tex_exact_matrix(matrix: np.ndarray) -> str:
    """A bracketed matrix of exact short numbers (a mask of 0s and 1s)."""
    rows = np.atleast_2d(matrix)
    body = r" \\ ".join(" & ".join(exact(v, tex=True) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def agreement(difference: float) -> str:
    """How closely two computations agree, as the prose says it: "exactly", or "to within" the difference."""
    return "exactly" if difference == 0 else f"to within {number(difference, 'error')}"

