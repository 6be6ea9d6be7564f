"""The site's random numbers, the same bits in Python and in the browser.

numpy's generators cannot be reproduced outside numpy, so every network the site draws comes from this one,
which the explorer's JavaScript (``docs/explorer/reluviz-core.js``) implements operation for operation:

- **Integers**: Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
  SC 2011), a counter-based generator: the numbers for counter ``(c0, c1, c2, c3)`` and key ``(k0, k1)`` are a
  fixed function of them, computed with 32-bit multiplications, additions and exclusive ors, which every language
  has. The key is the seed (below 2**53, so that JavaScript holds it exactly).
- **Uniform** numbers in [0, 1): two 32-bit words give 53 random bits, divided by 2**53 (exact).
- **Normal** numbers: Marsaglia's polar method, whose logarithm is computed here from a fixed series (`log_fixed`)
  rather than by the platform's ``log``: +, −, ×, ÷ and sqrt are rounded the same way by every IEEE 754 machine,
  library functions are not.

A network's weight ``[row, column]`` of layer ``l`` is drawn from counter ``(row, column, attempt, 4·l + kind)``,
so it does not depend on the other layers' sizes: a wider network keeps the units of a narrower one with the same
seed. ``attempt`` counts the polar method's rejections.
"""

from __future__ import annotations

import numpy as np

from .checks import check_integer

Array = np.ndarray

MAX_SEED = 2**53 - 1
"""The largest seed: JavaScript numbers hold every integer up to it exactly."""
KIND_WEIGHT, KIND_BIAS, KIND_KINK = 0, 1, 2
"""The stream of a layer's weights, biases and (for the spread initialisation) kink positions, within the layer's
`STREAMS_PER_LAYER`: layer ``l`` draws from streams ``STREAMS_PER_LAYER · l + kind``."""
STREAMS_PER_LAYER = 4
SEED_STREAM = 0xFFFFFFFF
"""The stream `derived_seed` draws from, far above any layer's."""

PHILOX_MULTIPLIERS = (0xD2511F53, 0xCD9E8D57)
PHILOX_KEY_STEPS = (0x9E3779B9, 0xBB67AE85)
PHILOX_ROUNDS = 10
FRACTION_SHIFTS = (5, 6)
"""A uniform number keeps the top 27 bits of one word and the top 26 of the next: 53 bits in all."""
LN2 = 0.6931471805599453
SQRT2 = 1.4142135623730951
LOG_SERIES = [1.0 / (2 * k + 1) for k in range(12)]
"""atanh(t) / t = Σ t^(2k) / (2k + 1); |t| ≤ 0.172 after the reduction in `log_fixed`, so 12 terms reach 1e-19."""
_MASK32 = 0xFFFFFFFF


def philox4x32(counter: tuple[Array, Array, Array, Array], key: tuple[int, int]) -> tuple[Array, Array, Array, Array]:
    """Philox4x32-10 of each counter (four arrays of 32-bit words) under ``key`` (two 32-bit words).

    Examples
    --------
    >>> words = philox4x32(tuple(np.zeros(1, dtype=np.uint32) for _ in range(4)), (0, 0))
    >>> [f"{int(w[0]):08x}" for w in words]  # Random123's known answer
    ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']
    """
    # Words are held in 64-bit integers, so a 32 × 32-bit product needs no conversion; a mask keeps the low half.
    x0, x1, x2, x3 = (np.asarray(c, dtype=np.uint32).astype(np.uint64) for c in counter)
    k0, k1 = key[0] & _MASK32, key[1] & _MASK32
    low_half, shift = np.uint64(_MASK32), np.uint64(32)
    multiplier0, multiplier1 = np.uint64(PHILOX_MULTIPLIERS[0]), np.uint64(PHILOX_MULTIPLIERS[1])
    for round_index in range(PHILOX_ROUNDS):
        if round_index:
            k0, k1 = (k0 + PHILOX_KEY_STEPS[0]) & _MASK32, (k1 + PHILOX_KEY_STEPS[1]) & _MASK32
        product0, product1 = multiplier0 * x0, multiplier1 * x2
        x0, x1, x2, x3 = (
            (product1 >> shift) ^ x1 ^ np.uint64(k0),
            product1 & low_half,
            (product0 >> shift) ^ x3 ^ np.uint64(k1),
            product0 & low_half,
        )
    return x0.astype(np.uint32), x1.astype(np.uint32), x2.astype(np.uint32), x3.astype(np.uint32)


def _key(seed: int) -> tuple[int, int]:
    checked = check_integer("seed", seed, 0, MAX_SEED)
    return checked & _MASK32, checked >> 32


def _fraction(high: Array, low: Array) -> Array:
    """53 bits from two words, as a float in [0, 1): (high's top 27 bits · 2^26 + low's top 26 bits) / 2^53."""
    top = (high >> np.uint32(FRACTION_SHIFTS[0])).astype(np.float64)
    bottom = (low >> np.uint32(FRACTION_SHIFTS[1])).astype(np.float64)
    result: Array = (top * 2.0 ** (32 - FRACTION_SHIFTS[1]) + bottom) / 2.0**53
    return result


def derived_seed(seed: int, index: int) -> int:
    """A seed for the ``index``-th of several networks drawn under ``seed``: 53 bits of counter (index, 0, 0, SEED_STREAM)."""
    words = philox4x32(tuple(np.array([value], dtype=np.uint32) for value in (index, 0, 0, SEED_STREAM)), _key(seed))  # type: ignore[arg-type]
    return (int(words[0][0]) >> 11) * 2**32 + int(words[1][0])


def uniform(seed: int, stream: int, rows: Array, columns: Array) -> Array:
    """One uniform number in [0, 1) for each (row, column) of ``stream``, from counter (row, column, 0, stream)."""
    rows, columns = np.asarray(rows, dtype=np.uint32), np.asarray(columns, dtype=np.uint32)
    zeros = np.zeros_like(rows)
    w0, w1, _, _ = philox4x32((rows, columns, zeros, zeros + np.uint32(stream)), _key(seed))
    return _fraction(w0, w1)


def standard_normal(seed: int, stream: int | Array, rows: Array, columns: Array) -> Array:
    """One standard normal number for each (row, column) of ``stream`` (one stream, or one per entry), by
    Marsaglia's polar method.

    Attempt ``a`` for an entry uses counter (row, column, a, stream); the first pair (u, v) inside the unit disc gives
    ``u · sqrt(−2 log(s) / s)`` with ``s = u² + v²``.

    Examples
    --------
    >>> standard_normal(0, 0, np.arange(3), np.zeros(3)).round(4).tolist()
    [-0.6434, 1.4709, 0.6489]
    """
    rows, columns = np.asarray(rows, dtype=np.uint32).ravel(), np.asarray(columns, dtype=np.uint32).ravel()
    streams = np.broadcast_to(np.asarray(stream, dtype=np.uint32), rows.shape)
    key = _key(seed)
    result = np.empty(rows.shape, dtype=np.float64)
    pending = np.arange(len(rows))
    attempt = 0
    while len(pending):
        r = rows[pending]
        w0, w1, w2, w3 = philox4x32((r, columns[pending], np.full_like(r, attempt), streams[pending]), key)
        u = 2.0 * _fraction(w0, w1) - 1.0
        v = 2.0 * _fraction(w2, w3) - 1.0
        s = u * u + v * v
        accepted = (s > 0.0) & (s < 1.0)
        s_ok = s[accepted]
        result[pending[accepted]] = u[accepted] * np.sqrt(-2.0 * log_fixed(s_ok) / s_ok)
        pending = pending[~accepted]
        attempt += 1
    return result


def log_fixed(s: Array) -> Array:
    """The natural logarithm of positive normal floats by a fixed sequence of +, −, ×, ÷, within 5 · 2⁻⁵³ (5.6e-16)
    relative to the exact value: the bound is derived in tests/test_portable_random.py, which checks it against a
    40-digit logarithm.

    ``s = m · 2^e`` with m in (√½, √2], then ``log m = 2 atanh(t)``, ``t = (m − 1)/(m + 1)``, by its series. The
    split reads the float's bits, which is exact in any language.

    Examples
    --------
    >>> abs(float(log_fixed(np.array([0.3]))[0]) / float(np.log(0.3)) - 1) < 5e-16
    True
    """
    bits = np.asarray(s, dtype=np.float64).view(np.uint64)
    exponent = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64) - 1023
    mantissa = ((bits & np.uint64(0x000FFFFFFFFFFFFF)) | np.uint64(0x3FF0000000000000)).view(np.float64)
    high = mantissa > SQRT2
    mantissa = np.where(high, mantissa / 2.0, mantissa)
    exponent = exponent + high
    t = (mantissa - 1.0) / (mantissa + 1.0)
    t2 = t * t
    series = np.full_like(t, LOG_SERIES[-1])
    for coefficient in reversed(LOG_SERIES[:-1]):
        series = series * t2 + coefficient
    result: Array = exponent.astype(np.float64) * LN2 + 2.0 * t * series
    return result


def indices(shape: tuple[int, int]) -> tuple[Array, Array]:
    """Row and column indices of every entry of a (rows, columns) array, in C order."""
    rows, columns = np.indices(shape, dtype=np.uint32)
    return rows.ravel(), columns.ravel()
