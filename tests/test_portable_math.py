"""The portable exp, log1p, sin and cos: within their stated ulps of 40-digit references, edge values, the constants
derived afresh, and every input outside a domain refused in one line."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz import portable_math as pm

DIGITS = 60
ULPS = {"exp": 1.5, "log1p": 3.0, "sin": 1.5, "cos": 1.5}  # as the docstrings state


def _pi() -> Decimal:
    """π by Machin's formula, 16 atan(1/5) − 4 atan(1/239), to DIGITS + 10 digits."""
    with localcontext() as context:
        context.prec = DIGITS + 10

        def atan_inverse(n: int) -> Decimal:
            power, total, k = Decimal(1) / n, Decimal(0), 0
            while power > Decimal(10) ** -(DIGITS + 10):
                total += (-1) ** k * power / (2 * k + 1)
                power /= n * n
                k += 1
            return total

        return 16 * atan_inverse(5) - 4 * atan_inverse(239)


PI = _pi()


def _true_sin(x: float, quarter_turns: int = 0) -> Decimal:
    """sin(x + quarter_turns · π/2) to DIGITS digits: reduced by the exact π/2 above, then its Taylor series."""
    with localcontext() as context:
        context.prec = DIGITS + 10
        value = Decimal(x)
        k = int((value / (PI / 2)).to_integral_value())
        r = value - k * PI / 2
        quadrant = (k + quarter_turns) % 4
        term, total, n = (r, Decimal(0), 1) if quadrant % 2 == 0 else (Decimal(1), Decimal(0), 0)
        while term != 0 and (total == 0 or abs(term) > abs(total) * Decimal(10) ** -(DIGITS + 5)):  # relative: x may be tiny
            total += term
            term = -term * r * r / ((n + 1) * (n + 2))
            n += 2
        return +total if quadrant < 2 else -total


def _true_exp(x: float) -> Decimal:
    with localcontext() as context:
        context.prec = DIGITS
        return Decimal(x).exp()


def _true_log1p(u: float) -> Decimal:
    with localcontext() as context:
        context.prec = DIGITS
        value = Decimal(u)
        if value < Decimal("1e-25"):  # 1 + u would drop u's digits: its series instead
            return value - value * value / 2 + value**3 / 3
        return (1 + value).ln()


def _ulps(got: float, true: Decimal) -> float:
    """|got − true| in units in the last place of the true value (subnormals: of the smallest normal exponent)."""
    exponent = max(math.frexp(abs(float(true)))[1] - 1, -1022) if true != 0 else -1022
    return float(abs(Decimal(got) - true) / Decimal(2.0 ** (exponent - 52)))


def _worst(function, reference, values) -> float:
    got = function(np.array(values, dtype=float))
    return max(_ulps(float(g), reference(float(v))) for g, v in zip(got, values))


FINITE = {"allow_nan": False, "allow_infinity": False}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-745.0, pm.EXP_MAX, **FINITE) | st.floats(-1.0, 1.0, **FINITE), min_size=1, max_size=40))
def test_exp_is_within_its_ulps(values):
    assert _worst(pm.exp, _true_exp, values) <= ULPS["exp"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0, **FINITE), min_size=1, max_size=40))
def test_log1p_is_within_its_ulps_down_to_the_smallest_u(values):
    assert _worst(pm.log1p, _true_log1p, values) <= ULPS["log1p"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-25.0, 25.0, **FINITE) | st.floats(-pm.TRIG_MAX, pm.TRIG_MAX, **FINITE), min_size=1, max_size=30))
def test_sin_and_cos_are_within_their_ulps(values):
    assert _worst(pm.sin, _true_sin, values) <= ULPS["sin"]
    assert _worst(pm.cos, lambda x: _true_sin(x, 1), values) <= ULPS["cos"]


def test_sin_and_cos_keep_full_precision_at_the_doubles_nearest_multiples_of_a_quarter_turn():
    """Where the reduction cancels most: the doubles next to k·π/2, for every k the domain holds (k ≤ 41,721)
    in steps, and their neighbours."""
    values = []
    for k in range(1, int(pm.TRIG_MAX / (math.pi / 2)) + 1, 97):
        nearest = float(k * PI / 2)
        values += [nearest, math.nextafter(nearest, 0.0), math.nextafter(nearest, math.inf)]
    assert _worst(pm.sin, _true_sin, values) <= ULPS["sin"]
    assert _worst(pm.cos, lambda x: _true_sin(x, 1), values) <= ULPS["cos"]


def test_edge_values():
    assert pm.exp([0.0, -0.0, -math.inf, pm.EXP_ZERO_BELOW, -745.2]).tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert math.isfinite(float(pm.exp(pm.EXP_MAX)[()])) and float(pm.exp(pm.EXP_MAX)[()]) > 1.79e308
    assert float(pm.exp(-745.0)[()]) == 5e-324  # the smallest subnormal, rounded to once
    assert _ulps(float(pm.exp(-709.0)[()]), _true_exp(-709.0)) <= 0.5 + 1e-9  # subnormal: one rounding
    assert pm.log1p([0.0, 5e-324, 1.0]).tolist()[:2] == [0.0, 5e-324]
    assert pm.sin([0.0, pm.TRIG_MAX, -pm.TRIG_MAX]).tolist()[0] == 0.0
    assert pm.cos([0.0]).tolist() == [1.0] and pm.sin([math.pi / 2]).tolist() == [1.0]
    assert pm.sin(np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: pm.exp([1.0, math.nan]), "x must hold numbers ≤ 709.782712893384"),
        (lambda: pm.exp(710.0), "x must hold numbers ≤"),
        (lambda: pm.exp(math.inf), "x must hold numbers ≤"),
        (lambda: pm.log1p(-1e-300), "u must hold numbers in [0, 1]; got -1e-300"),
        (lambda: pm.log1p([0.5, 1.5]), "u must hold numbers in [0, 1]; got 1.5"),
        (lambda: pm.log1p(math.nan), "u must hold numbers in [0, 1]; got nan"),
        (lambda: pm.sin(pm.TRIG_MAX * 2), "x must hold numbers with |x| ≤ 65536"),
        (lambda: pm.cos(-math.inf), "x must hold numbers with |x| ≤ 65536"),
        (lambda: pm.sin(math.nan), "x must hold numbers with |x|"),
        (lambda: pm.sin("a"), "x must be an array of real numbers"),
    ],
)
def test_out_of_domain_input_is_refused_in_one_line_naming_the_parameter(call, fragment):
    with pytest.raises(ValueError) as raised:
        call()
    assert fragment in str(raised.value) and "\n" not in str(raised.value)


def _rounded(value: Fraction, bits: int) -> float:
    """``value`` rounded to ``bits`` significant bits."""
    exponent = math.frexp(float(value))[1]
    scale = Fraction(2) ** (bits - exponent)
    return float(Fraction(round(value * scale)) / scale)


def test_the_split_constants_are_what_they_say():
    """π/2 in parts of 37, 37 and 53 bits; ln 2 in parts of 42 and 53 bits; the series are the Taylor ones."""
    with localcontext() as context:
        context.prec = DIGITS
        half_pi, ln2 = Fraction(PI / 2), Fraction(Decimal(2).ln())
    first = _rounded(half_pi, 37)
    second = _rounded(half_pi - Fraction(first), 37)
    third = _rounded(half_pi - Fraction(first) - Fraction(second), 53)
    assert (first, second, third) == pm.PIO2_PARTS
    assert _rounded(ln2, 42) == pm.LN2_HI and _rounded(ln2 - Fraction(pm.LN2_HI), 53) == pm.LN2_LO
    assert float(1 / half_pi) == pm.TWO_OVER_PI and float(1 / ln2) == pm.LOG2E
    assert float(Fraction(Decimal(math.nextafter(math.inf, 0.0)).ln(context))) == pm.EXP_MAX
    # k·part is exact for the largest k: its significand still fits in 53 bits
    largest_k = math.floor(pm.TRIG_MAX * pm.TWO_OVER_PI + 0.5)
    for part in pm.PIO2_PARTS[:2]:
        assert Fraction(largest_k * part) == largest_k * Fraction(part)
    assert Fraction(1076 * pm.LN2_HI) == 1076 * Fraction(pm.LN2_HI)
    assert pm.SIN_SERIES[3] == -1 / 5040 and pm.COS_SERIES[2] == 1 / 24 and pm.EXP_SERIES[5] == 1 / 120


def test_the_series_leave_out_less_than_they_say():
    assert (math.log(2) / 2) ** len(pm.EXP_SERIES) / math.factorial(len(pm.EXP_SERIES)) < 5e-18
    assert (1 / 3) ** (2 * len(pm.LOG1P_SERIES)) / (2 * len(pm.LOG1P_SERIES) + 1) < 2e-18
    quarter = math.pi / 4
    assert quarter ** (2 * len(pm.SIN_SERIES)) / math.factorial(2 * len(pm.SIN_SERIES) + 1) < 2e-19
    assert quarter ** (2 * len(pm.COS_SERIES)) / math.factorial(2 * len(pm.COS_SERIES)) < 3e-18


def test_the_platform_s_functions_agree_within_their_own_error():
    """A plain cross-check against numpy, which is within a few ulps itself."""
    x = np.linspace(-20, 20, 10001)
    np.testing.assert_allclose(pm.sin(x), np.sin(x), rtol=0, atol=4e-16 * 20)
    np.testing.assert_allclose(pm.cos(x), np.cos(x), rtol=0, atol=4e-16 * 20)
    np.testing.assert_allclose(pm.exp(x), np.exp(x), rtol=5e-16)
    u = np.linspace(0, 1, 10001)
    np.testing.assert_allclose(pm.log1p(u), np.log1p(u), rtol=8e-16)
