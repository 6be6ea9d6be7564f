"""The site's portable generator: Philox's published answers, honest distributions, and widths that nest."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz import Network
from reluviz.portable_random import MAX_SEED, derived_seed, indices, log_fixed, philox4x32, standard_normal, uniform

# Random123's known-answer vectors for Philox4x32-10: counter, key, output.
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0), (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_philox_gives_the_published_answers(counter, key, expected):
    words = philox4x32(tuple(np.array([c], dtype=np.uint32) for c in counter), key)
    assert tuple(int(w[0]) for w in words) == expected


UNIT_ROUNDOFF = 2.0**-53


def _true_log(value: float) -> Decimal:
    with localcontext() as context:
        context.prec = 40
        return Decimal(value).ln()


@given(st.lists(st.floats(min_value=2.0**-1022, max_value=1.0, exclude_max=True), min_size=1, max_size=50))
def test_the_fixed_series_logarithm_is_within_its_derived_bound_of_the_true_logarithm(values):
    """log_fixed(s) = e·LN2 + 2t·S(t²) with t = (m − 1)/(m + 1) and m in (√½, √2]. m − 1 is exact (Sterbenz),
    m + 1 and the division each round once, so t is within 2u of its value (u = 2⁻⁵³); Horner's S, dominated by the
    last + 1, within 1.1u; the product 2t·S rounds once more: 4.1u, and the series' truncation (t²⁴/25 < 1e-37) is
    nothing. For e ≠ 0, e·LN2 adds LN2's own rounding and one multiplication and one addition, each at most u
    relative to |log s| ≥ ln(2)/2, with the 4.1u of the series now relative to a smaller part. So 5u bounds it."""
    for value in values:
        error = abs(Decimal(float(log_fixed(np.array([value]))[0])) - _true_log(value))
        assert error <= Decimal(5 * UNIT_ROUNDOFF) * abs(_true_log(value)), value


def test_normal_numbers_have_the_normal_distributions_moments_and_tails():
    rows, columns = indices((1000, 200))
    z = standard_normal(12, 0, rows, columns)
    n = len(z)
    assert abs(z.mean()) < 5 / math.sqrt(n)
    assert abs(z.var() - 1) < 5 * math.sqrt(2 / n)
    for t in (1.0, 2.0, 3.0):  # P(|z| > t) against erfc, within five standard errors
        p = math.erfc(t / math.sqrt(2))
        assert abs(np.mean(np.abs(z) > t) - p) < 5 * math.sqrt(p * (1 - p) / n)


def test_uniform_numbers_fill_the_unit_interval_evenly():
    u = uniform(3, 2, np.arange(200_000), np.zeros(200_000))
    assert u.min() >= 0 and u.max() < 1
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    chi_square = float(((counts - 10_000) ** 2 / 10_000).sum())
    assert chi_square < 50  # 19 degrees of freedom: above 50 happens with probability 1e-4


@given(st.integers(0, MAX_SEED), st.integers(1, 12), st.integers(1, 12))
def test_a_wider_network_keeps_the_narrower_ones_units(seed, narrow, extra):
    small = Network.random([1, narrow, 1], seed=seed)
    large = Network.random([1, narrow + extra, 1], seed=seed)
    np.testing.assert_array_equal(large.layers[0].weight[:narrow], small.layers[0].weight)
    np.testing.assert_array_equal(large.layers[0].bias[:narrow], small.layers[0].bias)


def test_seeds_and_streams_give_different_numbers():
    rows, columns = indices((4, 4))
    draws = [standard_normal(seed, stream, rows, columns) for seed in (0, 1, 2**32) for stream in (0, 1)]
    assert len({d.tobytes() for d in draws}) == len(draws)
    assert len({derived_seed(5, i) for i in range(100)}) == 100
    assert all(0 <= derived_seed(MAX_SEED, i) <= MAX_SEED for i in range(10))


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2.5, True])
def test_a_seed_out_of_range_is_refused_by_name(seed):
    with pytest.raises(ValueError, match="seed"):
        Network.random([1, 3, 1], seed=seed)
