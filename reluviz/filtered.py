"""Floating-point answers with rigorous error bounds: the fast half of the analysis's filtered predicates.

Each number the analysis computes comes with a bound on how far it may be from the exact value it stands for: 0
when it is exact, `ROUNDED` when it is the double nearest to the exact value, a positive number otherwise, and
`UNKNOWN` (infinity) when floating point has lost it (an overflow). The functions here answer the analysis's
questions from those numbers and bounds when the bounds allow, and say `UNDECIDED` when they do not; the analysis
then asks `reluviz.exact`.

The bounds are the standard ones for sums taken in order (Higham, *Accuracy and Stability of Numerical Algorithms*,
§3.1): with u = 2⁻⁵³, the computed sum of n products is within γₙ · Σ|products| of the exact one, γₙ = nu/(1 − nu),
plus, when a result underflows, an absolute error of at most one smallest subnormal per operation. `GAMMA` takes
γₙ with room to spare, and every bound is inflated by `SLACK` to cover the rounding of its own computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

U = 2.0**-53
TINY = 2.0**-1074
"""The smallest subnormal double: the most that one operation whose result underflows can be off by."""
ROUNDED = -1.0
"""The bound of a value that is the double nearest to the exact value."""
UNKNOWN = np.inf
UNDECIDED = 2
"""What `order` says where floating point cannot tell."""
SLACK = 1.0 + 2.0**-40
GAMMA_UNIT, GAMMA_SPARE = 2.0**-52, 2


def gamma(n: int) -> float:
    """A number at least γₙ = nu/(1 − nu) for the n used here (n u < 1/2)."""
    return (n + GAMMA_SPARE) * GAMMA_UNIT


def _width(values: Array, bounds: Array) -> Array:
    rounded = bounds == ROUNDED
    if not rounded.any():
        return np.maximum(bounds, 0.0)
    return np.where(rounded, np.spacing(np.abs(values)), bounds)


def order(a: Array, a_bound: Array, b: Array, b_bound: Array) -> Array:
    """-1, 0 or 1 where the exact number ``a`` stands for is certainly before, at or after ``b``'s; `UNDECIDED`
    (2) where the bounds do not tell. An exact infinite ``b`` (an end of the interval) is after or before every
    finite ``a``."""
    with np.errstate(over="ignore", invalid="ignore"):
        gap = a - b
        margin = SLACK * (_width(a, a_bound) + _width(b, b_bound) + 4 * U * (np.abs(a) + np.abs(b))) + TINY
        result = np.where(gap > margin, np.int8(1), np.where(gap < -margin, np.int8(-1), np.int8(UNDECIDED)))
    undecided = result == UNDECIDED
    if not undecided.any():
        return result
    # Rounding to nearest keeps order: a double below another never stands for a larger number.
    exact = (a_bound == 0) & (b_bound == 0)
    monotone = undecided & ((a_bound == 0) | (a_bound == ROUNDED)) & ((b_bound == 0) | (b_bound == ROUNDED))
    result[monotone & (a < b)] = -1
    result[monotone & (a > b)] = 1
    result[monotone & exact & (a == b)] = 0
    finite_a = undecided & np.isfinite(a) & np.isfinite(a_bound)
    result[finite_a & (b == -np.inf) & (b_bound == 0)] = 1
    result[finite_a & (b == np.inf) & (b_bound == 0)] = -1
    return result


def root_bound(offset: Array, rate: Array, offset_bound: Array, rate_bound: Array, root: Array) -> tuple[Array, Array]:
    """The bound of each computed zero ``root = -offset / rate``, and whether the unit may have a zero at all.

    A unit whose rate is exactly zero has no zero; one whose rate might be zero has bound `UNKNOWN`. With exact
    offset and rate the division rounds once, to the nearest double (`ROUNDED`); otherwise the bound is that of
    a quotient of two perturbed numbers, (|a| e_r + |r| e_a) / (|r| (|r| − e_r)), plus the division's rounding.
    """
    has_root = ~((rate == 0) & (rate_bound == 0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        magnitude = np.abs(rate)
        perturbed = (np.abs(offset) * rate_bound + magnitude * offset_bound) / (magnitude * (magnitude - rate_bound))
        bound = SLACK * perturbed + U * np.abs(root) + TINY
    exact_inputs = (offset_bound == 0) & (rate_bound == 0)
    bound = np.where(exact_inputs, np.where(offset == 0, 0.0, ROUNDED), bound)
    unsure = ~(magnitude > rate_bound) | ~np.isfinite(root) | ~np.isfinite(bound)
    return np.where(has_root & unsure, UNKNOWN, bound), has_root


@dataclass(frozen=True)
class Bounds:
    """Error bounds of a (pieces × units) array, as ``scale[p] · norm[u] + extra[u]``: a number per piece and two
    per unit, which is how `dot_bound` finds them, and all a layer of the analysis needs to keep."""

    scale: Array
    norm: Array
    extra: Array

    @classmethod
    def exact(cls, pieces: int, units: int) -> Bounds:
        return cls(np.zeros(pieces), np.zeros(units), np.zeros(units))

    def at(self, pieces: Array, units: Array) -> Array:
        with np.errstate(over="ignore", invalid="ignore"):
            scale, extra = self.scale[pieces], self.extra[units]
            bound = np.where(scale == 0, extra, scale * self.norm[units] + extra)
        return np.where(np.isfinite(bound), bound, UNKNOWN)

    def full(self) -> Array:
        with np.errstate(over="ignore", invalid="ignore"):
            scale = self.scale[:, None]
            bound = np.where(scale == 0, self.extra, scale * self.norm + self.extra)
        return np.where(np.isfinite(bound), bound, UNKNOWN)

    def largest(self) -> Array:
        """For each piece, a bound on every unit's error there."""
        with np.errstate(over="ignore", invalid="ignore"):
            bound = self.scale * self.norm.max(initial=0.0) + self.extra.max(initial=0.0)
        return np.where(np.isfinite(bound), bound, UNKNOWN)

    def of_pieces(self, pieces: Array) -> Bounds:
        return Bounds(self.scale[pieces], self.norm, self.extra)


def surely_one_sign(offset: Array, rate: Array, offset_most: Array, rate_most: Array, offset_error: Array,
                    rate_error: Array, start: Array, start_bound: Array, end: Array, end_bound: Array) -> Array:
    """The sign (1 or -1) that ``offset + s · rate`` certainly has at both ends of its piece, so that it has no zero
    inside, as int8; 0 where that is not certain. Judged with each piece's largest values and bounds: two
    multiplications and additions per unit, and a few numbers per piece."""
    with np.errstate(over="ignore", invalid="ignore"):
        at_start, sure_at_start = _surely_at(offset, rate, offset_most, rate_most, offset_error, rate_error, start, start_bound)
        at_end, sure_at_end = _surely_at(offset, rate, offset_most, rate_most, offset_error, rate_error, end, end_bound)
        positive = at_start > 0
        sure = sure_at_start & sure_at_end & (positive == (at_end > 0))  # sure: neither is 0 or NaN
    return (sure & positive).view(np.int8) - (sure & ~positive).view(np.int8)


def _surely_at(offset: Array, rate: Array, offset_most: Array, rate_most: Array, offset_error: Array, rate_error: Array,
               value: Array, bound: Array) -> tuple[Array, Array]:
    """``offset + s · rate`` at each piece's end ``s = value``, and whether its sign there is certain. At a finite end
    e, the computed value is within e_a + |e| e_r + (|r| + e_r) w_e + 2u(|a| + |e r|) of the exact one (w_e the
    end's own bound); at an infinite end the sign is the rate's."""
    finite = np.isfinite(value)
    near = np.where(finite, value, 0.0)
    width = _width(value, bound)
    error = np.where(finite, SLACK * (offset_error + np.abs(near) * rate_error + (rate_most + rate_error) * width
                                      + 2 * U * (offset_most + np.abs(near) * rate_most)) + 2 * TINY, rate_error)
    at = offset + near[:, None] * rate
    if not finite.all():
        far = (~finite).nonzero()[0]
        at[far] = np.sign(value[far])[:, None] * rate[far]
    return at, np.abs(at) > error[:, None]


def dot_bound(weight: Array, carried: Array, largest: Array, bias: Array | None) -> Bounds:
    """A bound, for each piece and unit, on the error of ``weight @ x (+ bias)`` summed in index order, where on each
    piece every computed input is at most ``largest`` in size and within ``carried`` of the exact one, and was
    rounded once more when the activation scaled it: the row's 1-norm times (carried + (u + γₙ₊₁) largest), plus
    γₙ₊₁ |bias| and the underflows. A little looser than term by term, and a few operations per piece."""
    n = weight.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        scale = SLACK * SLACK * (carried + (U + gamma(n + 1)) * largest + TINY)
        extra = SLACK * ((2 * n + 2) * TINY + (gamma(n + 1) * bias if bias is not None else 0.0))
    return Bounds(np.where(np.isfinite(scale), scale, UNKNOWN), SLACK * np.abs(weight).sum(axis=1),
                  np.full(len(weight), extra))


def prefix_sum_bound(weight: Array, largest: float, carried: float, bias: Array | None, terms: int, pieces: int) -> Bounds:
    """`dot_bound` for values built by adding each switch's effect to a first sum in turn, ``terms`` additions in
    all (every unit switches at most once, by at most the activation's whole slope change, so all the terms
    together are at most twice the first sum's): the same bound on every piece."""
    scale = SLACK * SLACK * 2 * (carried + (U + gamma(terms)) * largest + TINY)  # Python floats: inf or NaN, no warning
    extra = SLACK * ((2 * terms + 2) * TINY + (gamma(terms) * bias if bias is not None else 0.0))
    return Bounds(np.full(pieces, scale if math.isfinite(scale) else UNKNOWN), SLACK * np.abs(weight).sum(axis=1),
                  np.full(len(weight), extra))


def slopes_differ(a: Array, a_bound: Array, b: Array, b_bound: Array) -> Array:
    """1 where two rows of slopes certainly differ (some output does), 0 where they are certainly equal (all exact
    and equal), `UNDECIDED` elsewhere."""
    compared = order(a, a_bound, b, b_bound)
    differ = ((compared == -1) | (compared == 1)).any(axis=1)
    equal = (compared == 0).all(axis=1)
    return np.where(differ, 1, np.where(equal, 0, UNDECIDED)).astype(np.int8)
