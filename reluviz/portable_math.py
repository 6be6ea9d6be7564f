"""exp, log1p, sin and cos that give the same bits on every machine, in Python and in the browser.

A platform's ``exp`` or ``sin`` may differ in the last bit from another's (IEEE 754 does not require them to be
correctly rounded), so training that used them would not repeat bit for bit in another browser or on another
machine. These are built only from +, −, ×, ÷ and the reading of a float's bits, which every IEEE 754 machine does
the same way, as `reluviz.portable_random.log_fixed` is:

- a fixed **range reduction** by a constant split into parts (Cody and Waite, "Software manual for the elementary
  functions", 1980): the first part has trailing zero bits, so its product with the small integer ``k`` is exact;
- a fixed **series**, whose coefficients are below, evaluated by Horner's rule in a fixed order.

``docs/explorer/reluviz-train.js`` repeats each function operation for operation, reading these constants from the
file the build generates (`reluviz.build.twin`). Each function takes an array (or a number) and returns a float
array of its shape; input outside its domain is refused with a one-line ValueError that names the parameter. The
accuracy stated is the largest error measured in tests/test_portable_math.py against 40-digit references, in units
in the last place (ulps) of the true value.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import check_array

Array = np.ndarray

LOG2E = 1.4426950408889634
"""1 / ln 2, rounded: picks k in exp's reduction x = k·ln 2 + r (any nearby k would do)."""
LN2_HI = 0.6931471805598903
"""ln 2 rounded to 42 bits (0x1.62e42fefa38p-1): k · LN2_HI is exact for |k| < 2^11."""
LN2_LO = 5.497923018708371e-14
"""ln 2 − LN2_HI, rounded to a double."""
EXP_MAX = 709.782712893384
"""The largest x whose exp is finite (the largest double whose exp is below the largest double)."""
EXP_ZERO_BELOW = -746.0
"""exp(x) < 2^-1075 below this, which rounds to 0: smaller x are raised to it first (so −inf gives 0 too)."""
EXP_SERIES = [1.0 / math.factorial(n) for n in range(14)]
"""exp(r) = Σ rⁿ / n! for |r| ≤ ln(2)/2 after the reduction; the first term left out is below 5e-18 of the sum."""
LOG1P_SERIES = [1.0 / (2 * k + 1) for k in range(18)]
"""atanh(t) / t = Σ t^(2k) / (2k + 1) for t = u / (2 + u) ≤ 1/3; the first term left out is below 2e-18."""
TWO_OVER_PI = 0.6366197723675814
"""2 / π, rounded: picks k in the reduction x = k·π/2 + r of sin and cos."""
PIO2_PARTS = (1.5707963267923333, 2.5633441515839558e-12, 1.0562999066987428e-23)
"""π/2 in three parts, each what is left of π/2 rounded: the first two to 37 bits (so that k times them is exact for
|k| < 2^16), the last to 53; together they hold π/2 to about 127 bits."""
TRIG_MAX = 65536.0
"""The largest |x| sin and cos take: k = round(x · 2/π) stays below 2^16, which keeps the reduction exact."""
SIN_SERIES = [(-1) ** k / math.factorial(2 * k + 1) for k in range(9)]
"""sin(r) / r = Σ (−1)^k r^(2k) / (2k + 1)! for |r| ≤ π/4; the first term left out is below 2e-19 of the sum."""
COS_SERIES = [(-1) ** k / math.factorial(2 * k) for k in range(9)]
"""cos(r) = Σ (−1)^k r^(2k) / (2k)! for |r| ≤ π/4; the first term left out is below 3e-18 of the sum."""
_EXPONENT_BIAS, _MANTISSA_BITS = 1023, 52


def _horner(coefficients: list[float], t: Array) -> Array:
    """Σ coefficients[i] · tⁱ, from the highest term down: c_last · t + c_(last−1), times t, …, + c_0."""
    total = np.full_like(t, coefficients[-1])
    for coefficient in reversed(coefficients[:-1]):
        total = total * t + coefficient
    return total


def _power_of_two(exponents: Array) -> Array:
    """2^e for integers e in [−1022, 1023], built from its bits (exact)."""
    biased = (exponents.astype(np.int64) + _EXPONENT_BIAS).astype(np.uint64)
    result: Array = (biased << np.uint64(_MANTISSA_BITS)).view(np.float64)
    return result


def _scaled(p: Array, k: Array) -> Array:
    """p · 2^k for p near 1 and k in [−1077, 1024], rounded once: p · 2^⌊k/2⌋ is exact, the second factor rounds."""
    first = np.floor(k / 2.0)
    return (p * _power_of_two(first)) * _power_of_two(k - first)


def _exp(x: Array) -> Array:
    """`exp` without the domain check: x must not be NaN or above EXP_MAX."""
    x = np.maximum(x, EXP_ZERO_BELOW)
    k = np.floor(x * LOG2E + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO  # x − k·LN2_HI is exact (Sterbenz), k·LN2_HI too
    return _scaled(_horner(EXP_SERIES, r), k)


def exp(x: object) -> Array:
    """e^x for x ≤ `EXP_MAX` (−inf included, which gives 0), within 1.5 ulps (1.08 measured); the same bits
    on every machine.

    ``x = k · ln 2 + r`` with ``k = ⌊x · LOG2E + ½⌋`` and ``r = (x − k·LN2_HI) − k·LN2_LO``, so |r| ≤ ln(2)/2 (and
    a little); then ``e^r`` by `EXP_SERIES` and the product with 2^k built from its bits. Results below the smallest
    normal double are rounded once to the subnormal that is nearest to the series' value, or to 0.

    Raises
    ------
    ValueError
        If ``x`` holds NaN or a number above `EXP_MAX` (+inf included).

    Examples
    --------
    >>> exp([0.0, 1.0, -math.inf]).tolist()  # e to 1 ulp: 2.718281828459045 rounds e correctly
    [1.0, 2.7182818284590455, 0.0]
    """
    values = check_array("x", x, finite=False)
    bad = np.isnan(values) | (values > EXP_MAX)
    if bad.any():
        raise ValueError(f"x must hold numbers ≤ {EXP_MAX!r} (exp would overflow) and no NaN; got {float(values[bad].flat[0])!r}")
    return _exp(values)


def _log1p(u: Array) -> Array:
    """`log1p` without the domain check: u must be in [0, 1]."""
    twice_t = (2.0 * u) / (2.0 + u)  # 2t in one rounding, which keeps the smallest (subnormal) u to the last bit
    t = 0.5 * twice_t
    return twice_t * _horner(LOG1P_SERIES, t * t)


def log1p(u: object) -> Array:
    """log(1 + u) for u in [0, 1], within 3 ulps (2.6 measured), the smallest u included; the same bits on every
    machine.

    ``log(1 + u) = 2 atanh(t)`` with ``t = u / (2 + u)`` in [0, 1/3], by `LOG1P_SERIES`; no 1 + u is formed, so
    nothing of a small u is lost. The logistic loss needs it for ``u = e^(−|z|)``, which is in this domain.

    Raises
    ------
    ValueError
        If ``u`` holds a number outside [0, 1], or NaN.

    Examples
    --------
    >>> log1p([0.0, 1.0, 1e-300]).tolist()  # ln 2 to 1 ulp
    [0.0, 0.6931471805599452, 1e-300]
    """
    values = check_array("u", u, finite=False)
    bad = ~((values >= 0.0) & (values <= 1.0))
    if bad.any():
        raise ValueError(f"u must hold numbers in [0, 1]; got {float(values[bad].flat[0])!r}")
    return _log1p(values)


def _reduced(x: Array) -> tuple[Array, Array]:
    """(r, quadrant) with x = k·π/2 + r, |r| ≲ π/4 and quadrant = k mod 4."""
    k = np.floor(x * TWO_OVER_PI + 0.5)
    part1, part2, part3 = PIO2_PARTS
    r = ((x - k * part1) - k * part2) - k * part3  # x − k·part1 is exact (Sterbenz), k·part1 and k·part2 too
    return r, np.mod(k, 4.0)


def _sin_series(r: Array, r2: Array) -> Array:
    """sin r = r + r³ · (−1/6 + r²/120 − …): the small correction added last, to the exact r."""
    return r + (r * r2) * _horner(SIN_SERIES[1:], r2)


def _cos_series(r2: Array) -> Array:
    """cos r = 1 + r² · (−1/2 + r²/24 − …)."""
    return 1.0 + r2 * _horner(COS_SERIES[1:], r2)


def _sin_cos(x: Array, shift: int) -> Array:
    """sin x (shift 0) or cos x = sin(x + π/2) (shift 1), by the quadrant of x."""
    r, quadrant = _reduced(x)
    r2 = r * r
    sine, cosine = _sin_series(r, r2), _cos_series(r2)
    quadrant = np.mod(quadrant + shift, 4.0)
    return np.where(quadrant == 0.0, sine, np.where(quadrant == 1.0, cosine, np.where(quadrant == 2.0, -sine, -cosine)))


def _check_angle(name: str, x: object) -> Array:
    values = check_array(name, x, finite=False)
    bad = ~(np.abs(values) <= TRIG_MAX)
    if bad.any():
        raise ValueError(f"{name} must hold numbers with |{name}| ≤ {TRIG_MAX:g}; got {float(values[bad].flat[0])!r}")
    return values


def sin(x: object) -> Array:
    """sin x for |x| ≤ `TRIG_MAX`, within 1.5 ulps (1.33 measured); the same bits on every machine.

    ``x = k · π/2 + r`` with ``k = ⌊x · TWO_OVER_PI + ½⌋`` and ``r = ((x − k·P₁) − k·P₂) − k·P₃`` (`PIO2_PARTS`),
    then ``±sin r`` or ``±cos r`` by k mod 4, from `SIN_SERIES` and `COS_SERIES`. The three parts hold π/2 to about
    127 bits, so even the doubles nearest a multiple of π/2 keep r to full precision.

    Raises
    ------
    ValueError
        If ``x`` holds NaN, ±inf or a number beyond ±`TRIG_MAX`.

    Examples
    --------
    >>> sin([0.0, math.pi / 2, math.pi]).tolist()
    [0.0, 1.0, 1.2246467991473532e-16]
    """
    return _sin_cos(_check_angle("x", x), 0)


def cos(x: object) -> Array:
    """cos x for |x| ≤ `TRIG_MAX`, within 1.5 ulps (1.22 measured); the same bits on every machine (as `sin`, one
    quadrant on).

    Raises
    ------
    ValueError
        If ``x`` holds NaN, ±inf or a number beyond ±`TRIG_MAX`.

    Examples
    --------
    >>> cos([0.0, math.pi]).tolist()
    [1.0, -1.0]
    """
    return _sin_cos(_check_angle("x", x), 1)
