"""Exact piecewise-linear analysis of a network along a line.

Along the line ``x(s) = origin + s · direction`` every pre-activation of the first hidden layer is affine in ``s``,
so it is zero at one place at most. Between those places the first layer's mask is fixed, which makes the second
layer's pre-activations affine on each piece; their zeros split the pieces further, and so on through every layer.
What comes out is the list of *boundaries* (where some unit's input changes sign), the affine map on each piece,
and which boundaries are *kinks* (where the output's slope changes).

**Exact.** The weights and biases are doubles, and read as the rational numbers they are, they define one
piecewise-linear function; this module reports that function's boundaries and kinks exactly, with no tolerance.
Every question the analysis asks (is this zero inside the piece, which of two zeros comes first, are they the same
place, do the slopes on either side of a boundary differ) is first answered in floating point with a rigorous bound
on its rounding error (`reluviz.filtered`), and only when the bound cannot decide it is answered again in exact
arithmetic (`reluviz.exact`), as Shewchuk's adaptive predicates and CGAL's filtered kernels do. So:

- a boundary is a kink if and only if the exact slopes on its two sides differ; two distinct boundaries are two,
  however close, and if two round to the same double both are reported (``equal_as_doubles`` says which);
- every boundary is reported as the double nearest to its exact place;
- slopes and intercepts are floating-point sums taken in index order (the explorer's JavaScript takes the same
  ones, so they are the same bits there), each within `PiecewiseLinear.error_bounds` of the exact value;
- a slope, intercept or boundary beyond the largest double is refused with a one-line ValueError naming it.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .checks import check_array, check_interval, check_network, shown
from .exact import ExactWalk, nearest_double
from .filtered import (
    ROUNDED,
    UNDECIDED,
    UNKNOWN,
    Bounds,
    U,
    dot_bound,
    order,
    prefix_sum_bound,
    root_bound,
    slopes_differ,
    surely_one_sign,
)
from .network import Layer, Network

Array = np.ndarray

MAX_PIECE_VALUES = 4_000_000
"""The most (piece, unit) pairs the analysis of one layer may hold (32 MB, well under a second); past it, a
ValueError says so."""
LINE_JSON_FIELDS = ("layers", "activation", "interval", "breakpoints", "boundaries", "equal_as_doubles", "slopes",
                    "intercepts", "negative")
"""The fields of a one-input network's analysis as JSON (`PiecewiseLinear.to_dict`, ``reluviz network --json``), in
the order they are printed."""
_FEW_SUMS = 256
"""`_times_transposed` accumulates at most this many sums (pieces × outputs) along all their terms at once, and more
one term at a time: about where the two cost the same (a speed setting; the sums are the same either way)."""


@dataclass(frozen=True)
class _Zeros:
    """The zeros strictly inside their pieces, in order: by piece, then place, then unit, each as a double with its
    error bound (``values``, ``bounds``) and whether its unit turns positive there (``rising``). ``first`` marks the
    first zero at each distinct place (``distinct``: every one is); ``rank`` is each zero's place among its piece's
    distinct ones, and ``ranks`` (pieces × units) the same for every unit, -1 for none."""

    pieces: Array
    units: Array
    values: Array
    bounds: Array
    rising: Array
    first: Array
    distinct: bool
    rank: Array
    ranks: Array

    @functools.cached_property
    def places(self) -> tuple[Array, Array, Array, Array, Array]:
        """The pieces, units, values, bounds and ranks of the first zero at each distinct place."""
        if self.distinct:
            return self.pieces, self.units, self.values, self.bounds, self.rank
        first = self.first
        return self.pieces[first], self.units[first], self.values[first], self.bounds[first], self.rank[first]


@dataclass
class _Level:
    """One level of the walk: its pieces' edges (value, error bound, and where each came from), and the next
    layer's pre-activations ``offset + s · rate`` on each piece, with error bounds."""

    edges: Array
    edge_bounds: Array  # 0: exact; ROUNDED: the double nearest to the exact place; > 0: within that; UNKNOWN
    edge_sources: Array  # rows level, piece, unit: the zero that made each edge; level -1 for an end of the interval
    offset: Array
    rate: Array
    offset_bounds: Bounds
    rate_bounds: Bounds
    negative: Array
    made_by: _Zeros | None = None  # the zeros that split the level before into this one
    exact: bool = False  # offsets and rates exact: the first layer along the input itself

    @functools.cached_property
    def largest(self) -> tuple[Array, Array, Array, Array]:
        """Each piece's largest |offset| and |rate| and its largest error bounds on them (finding the zeros and
        carrying the next layer over both ask for them)."""
        most = np.abs(self.offset).max(axis=1), np.abs(self.rate).max(axis=1)
        if self.exact:
            return *most, np.zeros(len(self.offset)), np.zeros(len(self.offset))
        return *most, self.offset_bounds.largest(), self.rate_bounds.largest()


@dataclass
class Statistics:
    """How often floating point could not decide and the exact arithmetic was used (the benchmark prints these)."""

    decisions: int = 0
    exact: int = 0
    exact_positions: int = 0


class PiecewiseLinear:
    """The network restricted to ``origin + s · direction`` for ``s`` in [lo, hi], exactly.

    Piece ``k`` runs from ``edges[k]`` to ``edges[k + 1]``; on it the output is ``intercepts[k] + slopes[k] · s``
    and ``negative[k]`` hidden units have a negative input.

    Attributes
    ----------
    network : Network
    origin, direction : ndarray, shape (input_dim,)
        The line ``origin + s · direction``.
    lo, hi : float
        The interval of ``s``; for `analyze_line` either end may be infinite (a ray, or the whole line).
    boundaries : ndarray, shape (pieces - 1,)
        Sorted ``s`` where some hidden unit's input changes sign, each the double nearest to the exact place.
    slopes, intercepts : ndarray, shape (pieces, output_dim)
    negative : ndarray of int, shape (pieces,)
    is_kink : ndarray of bool, shape (pieces - 1,)
        Whether the output's slope really changes at each boundary (decided exactly).
    statistics : Statistics
        How many questions floating point could not answer alone.

    Examples
    --------
    >>> from reluviz import Network
    >>> pieces = analyze_line(Network([([[1.0]], [-1.0]), ([[2.0]], [0.0])]), -3, 3)  # 2·relu(x − 1)
    >>> pieces.boundaries.tolist(), pieces.slopes[:, 0].tolist(), pieces.negative.tolist()
    ([1.0], [0.0, 2.0], [1, 0])
    """

    def __init__(self, network: Network, origin: Array, direction: Array, lo: float, hi: float, walk: ExactWalk,
                 final: _Level, is_kink: Array, statistics: Statistics) -> None:
        self.network, self.origin, self.direction, self.lo, self.hi = network, origin, direction, lo, hi
        self._walk, self._final = walk, final
        self.negative = final.negative
        self.is_kink = is_kink
        self.statistics = statistics

    @functools.cached_property
    def _settled(self) -> tuple[Array, Array, Array, Array]:
        """Slopes, intercepts and their bounds, with any that floating point lost recomputed exactly (on first use,
        so that the counts are there even when a slope is beyond the largest double)."""
        return _exact_where_floats_failed(self._final, self._walk, len(self._walk.signs))

    @property
    def slopes(self) -> Array:
        return self._settled[0]

    @property
    def intercepts(self) -> Array:
        return self._settled[1]

    @functools.cached_property
    def boundaries(self) -> Array:
        values = self._final.edges[1:-1].copy()
        bounds = self._final.edge_bounds[1:-1]
        for k in np.flatnonzero((bounds != 0) & (bounds != ROUNDED)):
            level, piece, unit = (int(v) for v in self._final.edge_sources[:, k + 1])
            values[k] = nearest_double(self._walk.root(level, piece, unit), f"boundary {k + 1} (after piece {k + 1})")
            self.statistics.exact_positions += 1
        return values

    @property
    def edges(self) -> Array:
        """``lo``, the boundaries, then ``hi``: piece ``k`` is [edges[k], edges[k + 1]]."""
        return np.concatenate([[self.lo], self.boundaries, [self.hi]])

    @property
    def breakpoints(self) -> Array:
        """The boundaries at which the output's slope really changes."""
        return self.boundaries[self.is_kink]

    @property
    def linear_pieces(self) -> int:
        """How many straight segments the output is made of (kinks + 1)."""
        return int(np.count_nonzero(self.is_kink)) + 1

    @property
    def equal_as_doubles(self) -> list[int]:
        """The ``k`` at which boundaries ``k`` and ``k + 1`` are different places that round to the same double."""
        return np.flatnonzero(self.boundaries[1:] == self.boundaries[:-1]).tolist()

    def error_bounds(self) -> tuple[Array, Array]:
        """For each piece and output, a bound on |slope − exact slope| and on |intercept − exact intercept|: the
        rounding of the index-order sums that made them, bounded as `reluviz.filtered` describes."""
        return self._settled[2].copy(), self._settled[3].copy()

    def piece_index(self, s: object) -> Array:
        """Index of the piece holding each ``s`` (a point on a boundary belongs to the piece on its right)."""
        index: Array = np.clip(np.searchsorted(self.boundaries, np.asarray(s, dtype=float), side="right"), 0, len(self.slopes) - 1)
        return index

    def evaluate(self, s: object) -> Array:
        """The output at each ``s`` from the piecewise affine maps, shaped (n, output_dim)."""
        s = np.atleast_1d(np.asarray(s, dtype=float))
        k = self.piece_index(s)
        return self.intercepts[k] + self.slopes[k] * s[:, None]

    def point(self, s: object) -> Array:
        """The input points ``origin + s · direction``, shaped (n, input_dim)."""
        s = np.atleast_1d(np.asarray(s, dtype=float))
        return self.origin[None, :] + s[:, None] * self.direction[None, :]

    def pattern(self, k: int) -> list[Array]:
        """The activation pattern (one bool array per hidden layer: whose input is positive) on piece ``k``."""
        found = []
        for level in range(len(self._walk.signs), 0, -1):
            found.append(np.array(self._walk.signs[level - 1](k)) > 0)
            k = int(self._walk.parents[level - 1][k])
        return found[::-1]

    def layer_ever_on(self) -> Array:
        """For each hidden layer, whether some unit of it has a positive input somewhere on the interval."""
        return np.array([signs.ever_positive() for signs in self._walk.signs])

    def to_dict(self) -> dict:
        """The published JSON schema (see docs: 'The data behind each figure')."""

        def per_piece(values: Array) -> list:
            return values[:, 0].tolist() if values.shape[1] == 1 else values.tolist()

        data = self.network.to_dict()
        data.update(
            interval=[end if np.isfinite(end) else None for end in (self.lo, self.hi)],  # null: unbounded
            breakpoints=self.breakpoints.tolist(),
            boundaries=self.boundaries.tolist(),
            equal_as_doubles=self.equal_as_doubles,
            slopes=per_piece(self.slopes),
            intercepts=per_piece(self.intercepts),
            negative=self.negative.tolist(),
        )
        assert self.network.input_dim > 1 or tuple(data) == LINE_JSON_FIELDS
        if self.network.input_dim > 1:
            data["segment"] = {"start": self.point(0.0)[0].tolist(), "end": self.point(1.0)[0].tolist()}
        return data


def analyze_line(network: Network, lo: float, hi: float) -> PiecewiseLinear:
    """Exact pieces of a one-input network on the interval [lo, hi].

    Parameters
    ----------
    network : Network
        A network with one input and a piecewise-linear activation (identity, relu, leaky_relu).
    lo, hi : float
        The interval, lo < hi: any two doubles, infinities included (``analyze_line(net, -inf, inf)`` finds every
        kink on the whole real line, and the first and last pieces are then rays). Here ``s`` is the input ``x``.

    Returns
    -------
    PiecewiseLinear
        Boundaries, kinks, and the slope, intercept and negative-unit count on every piece.

    Raises
    ------
    TypeError
        If ``network`` is not a Network, or ``lo`` or ``hi`` is not a real number.
    ValueError
        If the network takes more than one input, its activation is smooth, the interval is not valid, or a
        boundary, slope or intercept lies beyond the largest double.

    Examples
    --------
    >>> from reluviz import Network
    >>> pieces = analyze_line(Network.random([1, 10, 1], seed=0), -100, 100)
    >>> pieces.linear_pieces
    11
    """
    network = check_network("network", network)
    if network.input_dim != 1:
        raise ValueError(f"network must take a scalar input for analyze_line; it takes {network.input_dim} (use analyze_segment)")
    low, high = check_interval(lo, hi, finite=False)
    return _analyze(network, np.zeros(1), np.ones(1), low, high, None)


def analyze_segment(network: Network, start: object, end: object) -> PiecewiseLinear:
    """Exact pieces of any network along the segment from ``start`` to ``end``.

    Parameters
    ----------
    network : Network
        A network with a piecewise-linear activation.
    start, end : array_like, shape (input_dim,)
        Two different points; ``s`` runs from 0 (start) to 1 (end), along ``start + s · (end − start)`` taken
        exactly.

    Returns
    -------
    PiecewiseLinear

    Raises
    ------
    TypeError
        If ``network`` is not a Network, or a point holds something other than real numbers.
    ValueError
        If a point has the wrong size or is not finite, the points coincide, or the activation is smooth.

    Examples
    --------
    >>> from reluviz import Network
    >>> net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])  # relu(x₁) + relu(x₂)
    >>> analyze_segment(net, [-1, -1], [1, 1]).boundaries.tolist()  # both units switch at the origin, s = ½
    [0.5]
    """
    network = check_network("network", network)
    start_arr = check_array("start", start, finite=False).reshape(-1)
    end_arr = check_array("end", end, finite=False).reshape(-1)
    for name, arr in (("start", start_arr), ("end", end_arr)):
        if arr.shape != (network.input_dim,) or not np.isfinite(arr).all():
            raise ValueError(f"{name} must be {network.input_dim} finite numbers; got {shown(arr.tolist())}")
    return _analyze(network, start_arr, _direction(start_arr, end_arr), 0.0, 1.0, end_arr)


def _direction(start: Array, end: Array) -> Array:
    """end − start, refused in one line where there is no segment: equal points, or a difference beyond the
    doubles."""
    if np.array_equal(start, end):
        raise ValueError("start and end must be different points")
    with np.errstate(over="ignore"):
        direction = end - start
    if not np.isfinite(direction).all():
        raise ValueError("start and end must be less than the largest float apart in every coordinate")
    return direction


def _analyze(network: Network, origin: Array, direction: Array, lo: float, hi: float, end: Array | None) -> PiecewiseLinear:
    activation = network.activation
    if not activation.piecewise_linear:
        raise ValueError(
            f"activation must be piecewise linear (identity, relu, leaky_relu) for exact analysis; got {activation.name!r}"
        )
    slope = float(activation.negative_slope or 0.0)  # not None: checked piecewise linear above
    weights = [layer.weight for layer in network.layers]
    walk = ExactWalk(weights, [layer.bias for layer in network.layers], slope, origin,
                     [direction if end is None else (end, origin)])
    statistics = Statistics()
    # An overflow or a division by zero shows as an infinity or NaN, which the error bounds turn into UNKNOWN.
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        level = _first_level(network.layers[0], origin, direction, lo, hi, end is None)
        for index, next_layer in enumerate(network.layers[1:]):
            level = _next_level(level, index, next_layer, slope, walk, statistics)
        is_kink = _kinks(level, walk, len(network.layers) - 1, statistics)
    return PiecewiseLinear(network, origin, direction, lo, hi, walk, level, is_kink, statistics)


def _first_level(first: Layer, origin: Array, direction: Array, lo: float, hi: float, on_the_input: bool) -> _Level:
    """The interval as one piece, with the first layer's pre-activations along the line."""
    if on_the_input:  # s is the input itself: the offsets and rates are the biases and weights, exactly
        offset, rate = first.bias[None, :].copy(), first.weight[:, 0][None, :].copy()
        offset_bounds = rate_bounds = Bounds.exact(1, len(first.bias))
    else:
        offset = _times_transposed(origin[None, :], first.weight) + first.bias
        rate = _times_transposed(direction[None, :], first.weight)
        largest_step = np.abs(direction).max(keepdims=True)
        offset_bounds = dot_bound(first.weight, np.zeros(1), np.abs(origin).max(keepdims=True), np.abs(first.bias))
        rate_bounds = dot_bound(first.weight, U * largest_step, largest_step, None)  # end − start rounded once
    return _Level(np.array([lo, hi]), np.zeros(2), np.full((3, 2), -1), offset, rate, offset_bounds, rate_bounds,
                  np.zeros(1, dtype=int), exact=on_the_input)


def _next_level(level: _Level, index: int, next_layer: Layer, slope: float, walk: ExactWalk, statistics: Statistics) -> _Level:
    """Split every piece where a unit of hidden layer ``index + 1`` changes sign, and carry the next layer's
    pre-activations onto the new pieces."""
    pieces, units = level.offset.shape
    if pieces * max(units, next_layer.weight.shape[0]) > MAX_PIECE_VALUES:
        raise ValueError(f"network has too many pieces to analyse exactly: {pieces:,} pieces × {units:,} units "
                         f"is more than {MAX_PIECE_VALUES:,} values")
    place = _place_exact_first_zeros if level.exact else _place_roots
    left_sign, right_sign, inside = place(level, index, walk, statistics)
    zeros = _group_roots(level, index, inside, walk, statistics)
    del inside  # sorted into zeros: let it go before the new pieces are made
    return _split(level, index, next_layer, slope, zeros, left_sign, right_sign, walk)


_Inside = tuple[Array, Array, Array, Array, Array]
"""The zeros strictly inside their pieces, in (piece, unit) order: pieces, units, values, their error bounds, and
whether each unit turns positive there."""


def _place_exact_first_zeros(level: _Level, index: int, walk: ExactWalk, statistics: Statistics) -> tuple[Array, Array, _Inside]:
    """`_place_roots` for exact offsets and rates on one piece (the first layer, along the input itself): each zero
    is one division, which rounds to the nearest double and so keeps order; only a zero that rounds onto an end of
    the interval needs the exact comparison."""
    offset, rate = level.offset[0], level.rate[0]
    lo, hi = level.edges
    zeros = -offset / rate
    has_root = rate != 0
    left, right = _compared(zeros, lo), _compared(zeros, hi)  # 0: equal in floating point, or NaN
    statistics.decisions += len(offset)
    for unit in (has_root & ((left == 0) | (right == 0))).nonzero()[0]:
        statistics.exact += 1
        zero = walk.root(index, 0, int(unit))
        left[unit], right[unit] = _exact_order(zero, level, 0, walk), _exact_order(zero, level, 1, walk)
    rate_sign, offset_sign = np.sign(rate).astype(np.int8), np.sign(offset).astype(np.int8)
    inside = has_root & (left == 1) & (right == -1)
    left_sign = np.where(has_root, np.where(left <= 0, rate_sign, -rate_sign), offset_sign)
    right_sign = np.where(inside, rate_sign, left_sign)
    units = inside.nonzero()[0]
    values = zeros[units]
    bounds = np.where(offset[units] == 0, 0.0, np.where(np.isfinite(values), ROUNDED, UNKNOWN))  # a zero beyond the doubles
    return left_sign[None, :], right_sign[None, :], (np.zeros(len(units), dtype=np.int64), units, values, bounds, rate[units] > 0)


def _compared(values: Array, end: float) -> Array:
    """-1 or 1 where each value is below or above ``end`` in floating point, 0 where neither (equal, or NaN)."""
    return (values > end).astype(np.int8) - (values < end)


def _place_roots(level: _Level, index: int, walk: ExactWalk, statistics: Statistics) -> tuple[Array, Array, _Inside]:
    """Each unit's sign left and right of its zero on each piece (the same sign on both sides for a unit that does
    not change sign on the piece), and the zeros strictly inside their pieces.

    Most units keep one sign all along a piece, which their signs at the piece's two ends show at the cost of two
    operations; only the others have their zero computed and placed."""
    left_sign = surely_one_sign(level.offset, level.rate, *level.largest, level.edges[:-1], level.edge_bounds[:-1],
                                level.edges[1:], level.edge_bounds[1:])
    right_sign = left_sign.copy()
    pieces, units = (left_sign == 0).nonzero()
    statistics.decisions += level.offset.size
    offset, rate = level.offset[pieces, units], level.rate[pieces, units]
    zeros = -offset / rate
    offset_bounds, rate_bounds = level.offset_bounds.at(pieces, units), level.rate_bounds.at(pieces, units)
    zero_bounds, has_root = root_bound(offset, rate, offset_bounds, rate_bounds, zeros)
    left = order(zeros, zero_bounds, level.edges[pieces], level.edge_bounds[pieces])
    right = order(zeros, zero_bounds, level.edges[pieces + 1], level.edge_bounds[pieces + 1])
    rate_sign, offset_sign = np.sign(rate).astype(np.int8), np.sign(offset).astype(np.int8)
    unsure = has_root & ((left == UNDECIDED) | (right == UNDECIDED))
    unsure |= ~has_root & (offset_bounds != 0) & ~(np.abs(offset) > offset_bounds)
    for i in unsure.nonzero()[0]:
        piece, unit = int(pieces[i]), int(units[i])
        statistics.exact += 1
        rate_sign[i] = walk.sign(index, piece, unit, rate=True)
        if rate_sign[i] == 0:
            offset_sign[i] = walk.sign(index, piece, unit, rate=False)
            has_root[i] = False
            continue
        has_root[i] = True
        zero = walk.root(index, piece, unit)
        left[i] = _exact_order(zero, level, piece, walk)
        right[i] = _exact_order(zero, level, piece + 1, walk)
        with contextlib.suppress(OverflowError):  # beyond the doubles: its place stays unknown to floating point
            zeros[i], zero_bounds[i] = zero.numerator / zero.denominator, ROUNDED
    inside = has_root & (left == 1) & (right == -1)
    # A zero at or before the piece's start leaves the rate's sign all along; one inside or past its end, the other.
    steady = np.where(has_root, np.where(left <= 0, rate_sign, -rate_sign), offset_sign)
    left_sign[pieces, units] = steady
    right_sign[pieces, units] = np.where(inside, rate_sign, steady)
    return left_sign, right_sign, (pieces[inside], units[inside], zeros[inside], zero_bounds[inside], rate_sign[inside] > 0)


def _exact_order(zero: Fraction, level: _Level, edge: int, walk: ExactWalk) -> int:
    """-1, 0 or 1 as ``zero`` is before, at or after edge ``edge`` of ``level``, exactly."""
    source_level, piece, unit = (int(v) for v in level.edge_sources[:, edge])
    if source_level < 0:
        end = float(level.edges[edge])
        if not np.isfinite(end):
            return 1 if end < 0 else -1
        value = Fraction(end)
    else:
        value = walk.root(source_level, piece, unit)
    return (zero > value) - (zero < value)


def _group_roots(level: _Level, index: int, inside: _Inside, walk: ExactWalk, statistics: Statistics) -> _Zeros:
    """The zeros inside their pieces put in order, each piece's apart, with the rank of each among its piece's
    distinct zeros (0 for the first); zeros at exactly the same place share a rank."""
    pieces, units, values, widths, rising = inside
    ranks = np.full(level.offset.shape, -1, dtype=np.int64)
    one_piece = len(level.negative) == 1
    # They come by piece, then unit; a stable sort by place keeps equal zeros in unit order.
    ordering = np.argsort(values, kind="stable") if one_piece else np.lexsort((values, pieces))
    units, values, widths, rising = units[ordering], values[ordering], widths[ordering], rising[ordering]
    if not one_piece:  # on one piece, all zeros already
        pieces = pieces[ordering]
    first_of_piece = np.concatenate(([True], pieces[1:] != pieces[:-1]))[: len(pieces)]
    run_start = first_of_piece.copy()
    # Exact zeros (bound 0) and nearest doubles (ROUNDED, the only bound below 0) keep order: only equal ones need a look.
    if (widths <= 0).all():
        run_start[1:] |= values[1:] != values[:-1]
    else:
        run_start[1:] |= _clear_of_those_before(first_of_piece, values, widths)[1:]
    new_place = run_start.copy()
    starts = run_start.nonzero()[0]
    if len(starts) < len(values):
        sizes = np.diff(starts, append=len(values))
        for a, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
            # Zeros whose floating-point places might overlap: put them in order, and find equal ones, exactly.
            statistics.exact += size
            exact = sorted((walk.root(index, int(pieces[i]), int(units[i])), int(units[i]), i) for i in range(a, a + size))
            chosen = [i for _, _, i in exact]
            pieces[a : a + size], units[a : a + size] = pieces[chosen], units[chosen]
            values[a : a + size], widths[a : a + size], rising[a : a + size] = values[chosen], widths[chosen], rising[chosen]
            new_place[a : a + size] = [True] + [exact[k][0] != exact[k - 1][0] for k in range(1, size)]
    distinct = bool(new_place.all())
    rank = np.cumsum(new_place)
    rank -= 1 if one_piece else np.maximum.accumulate(np.where(first_of_piece, rank, 0))
    ranks[pieces, units] = rank
    return _Zeros(pieces, units, values, widths, rising, new_place, distinct, rank, ranks)


def _clear_of_those_before(first_of_piece: Array, values: Array, widths: Array) -> Array:
    """For zeros sorted by piece and value, whether each one's interval [value ± width] starts after every interval
    before it in its piece ends. Compared by rank in one sort, so the running maximum restarts with each piece."""
    margin = np.where(widths == ROUNDED, np.spacing(np.abs(values)), widths) * 2 + 4 * U * np.abs(values)
    ends = np.concatenate([values - margin, values + margin])
    ends = np.where(np.isfinite(ends), ends, np.where(np.arange(len(ends)) < len(values), -np.inf, np.inf))
    rank = np.empty(len(ends), dtype=np.int64)
    rank[np.argsort(ends, kind="stable")] = np.arange(len(ends))
    lower, upper = rank[: len(values)], rank[len(values) :]
    offset = np.cumsum(first_of_piece) * 2 * len(ends)
    reach = np.maximum.accumulate(upper + offset) - offset  # the furthest end so far in this piece (by rank)
    clear = np.ones(len(values), dtype=bool)
    clear[1:] = lower[1:] > reach[:-1]
    return clear


@dataclass(frozen=True)
class _Signs:
    """The signs (-1, 0, 1) of one layer's units on the pieces it cut: on piece ``k`` of parent ``p``, a unit whose
    zero has rank ``r`` in ``p`` has its right sign if ``k``'s position in ``p`` is past ``r``, else its left one.
    Kept in this form, a layer of n units on one piece costs n numbers, not n² (the first layer's case)."""

    parents: Array
    positions: Array
    left: Array
    right: Array
    ranks: Array

    def __call__(self, piece: int) -> list[int]:
        parent = int(self.parents[piece])
        signs: list[int] = np.where(self.positions[piece] > self.ranks[parent], self.right[parent], self.left[parent]).tolist()
        return signs

    def positive(self) -> Array:
        """Whether each unit's input is positive on each piece, as a (pieces × units) array."""
        past = self.positions[:, None] > self.ranks[self.parents]
        return np.where(past, (self.right > 0)[self.parents], (self.left > 0)[self.parents])

    def ever_positive(self) -> bool:
        return bool((self.left > 0).any() or (self.right > 0).any())


def _split(level: _Level, index: int, next_layer: Layer, slope: float, zeros: _Zeros, left_sign: Array,
           right_sign: Array, walk: ExactWalk) -> _Level:
    """The new pieces: each piece cut at its distinct zeros, the signs of the units on each new piece, and the
    next layer's pre-activations there."""
    sizes = np.bincount(zeros.places[0], minlength=len(level.negative)) + 1  # new pieces per piece
    starts = np.cumsum(sizes) - sizes  # each piece's first new piece
    parents = np.repeat(np.arange(len(sizes)), sizes)
    positions = np.arange(len(parents)) - np.repeat(starts, sizes)
    signs = _Signs(parents, positions, left_sign, right_sign, zeros.ranks)
    walk.add_level(parents, signs)
    edges, edge_bounds, edge_sources = _new_edges(level, index, zeros, starts)
    negative = _negative_counts(level, zeros, left_sign, starts, sizes)
    if len(level.negative) == 1:
        offset, rate, offset_bounds, rate_bounds = _carry_along_one_piece(level, next_layer, slope, zeros, left_sign, right_sign)
    else:
        offset, rate, offset_bounds, rate_bounds = _carry(level, next_layer, parents, np.where(signs.positive(), 1.0, slope))
    return _Level(edges, edge_bounds, edge_sources, offset, rate, offset_bounds, rate_bounds, negative, zeros)


def _negative_counts(level: _Level, zeros: _Zeros, left_sign: Array, starts: Array, sizes: Array) -> Array:
    """Negative units per new piece: the parent's count, those negative at the piece's start, then each switch."""
    first_negative = level.negative + (left_sign < 0).sum(axis=1)
    change = np.where(zeros.rising, -1, 1)  # a zero only ever separates two nonzero signs
    if len(level.negative) == 1:  # the switches in order, counted up to the last at each place
        return first_negative[0] + np.concatenate(([0], np.cumsum(change)[_last_of_each_place(zeros)]))
    steps = np.bincount(starts[zeros.pieces] + zeros.rank + 1, weights=change, minlength=starts[-1] + sizes[-1]).astype(int)
    return np.repeat(first_negative, sizes) + _cumsum_within(steps, starts, sizes)


def _last_of_each_place(zeros: _Zeros) -> Array | slice:
    """Picks, from values for each zero in order, those of the last zero at each distinct place."""
    return slice(None) if zeros.distinct else np.append(zeros.first[1:], True)


def _cumsum_within(steps: Array, starts: Array, sizes: Array) -> Array:
    """Running sums of ``steps`` that start afresh at each of ``starts`` (segments of the given sizes)."""
    total = np.cumsum(steps)
    return total - np.repeat(total[starts] - steps[starts], sizes)


def _new_edges(level: _Level, index: int, zeros: _Zeros, starts: Array) -> tuple[Array, Array, Array]:
    """Every piece's start, then its distinct zeros in order, then the interval's end; with their bounds and
    sources. ``starts`` says where each piece's start goes."""
    pieces, units, values, bounds, rank = zeros.places
    total = len(level.negative) + len(pieces) + 1
    sources = np.empty((3, total), dtype=np.int64)
    if len(level.negative) == 1:  # one piece: its start, its zeros in order, its end
        sources[:, 0], sources[0, 1:-1], sources[1, 1:-1], sources[2, 1:-1], sources[:, -1] = (
            level.edge_sources[:, 0], index, pieces, units, level.edge_sources[:, -1])
        return (np.concatenate([level.edges[:1], values, level.edges[1:]]),
                np.concatenate([level.edge_bounds[:1], bounds, level.edge_bounds[1:]]), sources)
    at = starts[pieces] + 1 + rank
    edges, edge_bounds = np.empty(total), np.empty(total)
    edges[starts], edge_bounds[starts], sources[:, starts] = level.edges[:-1], level.edge_bounds[:-1], level.edge_sources[:, :-1]
    edges[at], edge_bounds[at] = values, bounds
    sources[0, at], sources[1, at], sources[2, at] = index, pieces, units
    edges[-1], edge_bounds[-1], sources[:, -1] = level.edges[-1], level.edge_bounds[-1], level.edge_sources[:, -1]
    return edges, edge_bounds, sources


def _carry(level: _Level, next_layer: Layer, parents: Array, factor: Array) -> tuple[Array, Array, Bounds, Bounds]:
    """The next layer's pre-activations on every new piece, each an index-order sum, with their error bounds (the
    activation scales by at most 1, so a parent's largest input and error bound its children's)."""
    if len(parents) * max(level.offset.shape[1], next_layer.weight.shape[0]) > MAX_PIECE_VALUES:
        raise ValueError(
            f"network has too many pieces to analyse exactly: {len(parents):,} pieces × {level.offset.shape[1]:,} units "
            f"is more than {MAX_PIECE_VALUES:,} values"
        )
    # The offsets and rates as one stack, kept by columns as `_times_transposed` reads them: one sum of twice the rows.
    pieces = len(parents)
    stack = np.empty((2 * pieces, level.offset.shape[1]), order="F")
    np.multiply(factor, level.offset[parents], out=stack[:pieces])
    np.multiply(factor, level.rate[parents], out=stack[pieces:])
    sums = _times_transposed(stack, next_layer.weight)
    offset, rate = np.add(sums[:pieces], next_layer.bias, out=sums[:pieces]), sums[pieces:]
    largest_offset, largest_rate, offset_carried, rate_carried = (most[parents] for most in level.largest)
    offset_bounds = dot_bound(next_layer.weight, offset_carried, largest_offset, np.abs(next_layer.bias))
    rate_bounds = dot_bound(next_layer.weight, rate_carried, largest_rate, None)
    return offset, rate, offset_bounds, rate_bounds


def _carry_along_one_piece(level: _Level, next_layer: Layer, slope: float, zeros: _Zeros, left_sign: Array,
                           right_sign: Array) -> tuple[Array, Array, Bounds, Bounds]:
    """`_carry` for the first hidden layer, on one piece: start from the first new piece and add each switch's
    effect in turn, which never forms a (pieces × units) product and keeps a layer of 10,000 units fast. Offsets
    and rates go together, as the two rows of a stack."""
    switching, weight = zeros.units, next_layer.weight
    values = np.concatenate([level.offset, level.rate])
    pieces = np.empty((2, len(zeros.places[0]) + 1, len(weight)))
    pieces[:, 0] = _times_transposed(np.where(left_sign[0] > 0, 1.0, slope) * values, weight)
    # Each switch's effect on every next unit, (2 × switches × next units), added up in order.
    effects = np.where(zeros.rising, 1.0 - slope, slope - 1.0) * values[:, switching]
    effects = np.cumsum(effects[:, :, None] * weight[:, switching].T, axis=1)
    np.add(pieces[:, :1], effects[:, _last_of_each_place(zeros)], out=pieces[:, 1:])
    # The last piece's values are summed afresh, not accumulated: on a long or unbounded last piece a rounding
    # residue in its slope would be multiplied by huge inputs.
    pieces[:, -1] = _times_transposed(np.where(right_sign[0] > 0, 1.0, slope) * values, weight)
    offset, rate = np.add(pieces[0], next_layer.bias, out=pieces[0]), pieces[1]
    terms = len(switching) + level.offset.shape[1] + 3
    largest_offset, largest_rate, offset_carried, rate_carried = (float(most[0]) for most in level.largest)
    offset_bounds = prefix_sum_bound(weight, largest_offset, offset_carried, np.abs(next_layer.bias), terms, len(offset))
    rate_bounds = prefix_sum_bound(weight, largest_rate, rate_carried, None, terms, len(offset))
    return offset, rate, offset_bounds, rate_bounds


def _kinks(level: _Level, walk: ExactWalk, last: int, statistics: Statistics) -> Array:
    """Whether the exact slopes on the two sides of each boundary differ."""
    if last == 1 and level.made_by is not None:
        return _one_layer_kinks(level.made_by, walk, statistics)
    bounds = level.rate_bounds.full()
    differ = slopes_differ(level.rate[:-1], bounds[:-1], level.rate[1:], bounds[1:])
    statistics.decisions += len(differ)
    for k in (differ == UNDECIDED).nonzero()[0]:
        statistics.exact += 1
        differ[k] = walk.map(last, int(k))[1][0] != walk.map(last, int(k) + 1)[1][0]
    return differ.astype(bool)


def _one_layer_kinks(zeros: _Zeros, walk: ExactWalk, statistics: Statistics) -> Array:
    """`_kinks` for one hidden layer, exactly and without sums: across the place where units u switch, the slope
    changes by (1 − α) Σ ±V_u R_u (V the output weights, R_u ≠ 0 the unit's rate), so where one unit switches
    alone there is a kink exactly when α ≠ 1 and the unit's output weights are not all zero."""
    weights = walk.weights[1]
    feeds = (weights[:, zeros.units] != 0).any(axis=0)
    bends = walk.negative_slope != 1.0
    if zeros.distinct:  # every unit switches alone
        statistics.decisions += len(feeds)
        return feeds & bends
    group = np.cumsum(zeros.first) - 1
    alone = np.bincount(group) == 1
    differ = (np.bincount(group, weights=feeds) > 0) & bends
    statistics.decisions += len(alone)
    for place in (~alone & bends).nonzero()[0]:  # units switching at exactly one place
        statistics.exact += 1
        rate = walk.map(0, 0)[1][0]
        units = [int(u) for u in zeros.units[group == place]]
        differ[place] = any(sum(Fraction(float(weights[o, u])) * abs(rate[u]) for u in units) != 0
                            for o in range(len(weights)))
    return differ


def _exact_where_floats_failed(level: _Level, walk: ExactWalk, last: int) -> tuple[Array, Array, Array, Array]:
    """Slopes, intercepts and their bounds, with every one that overflowed (or whose bound did) replaced by the
    double nearest its exact value; one beyond the largest double is refused."""
    slopes, intercepts = level.rate.copy(), level.offset.copy()
    slope_bounds, intercept_bounds = level.rate_bounds.full(), level.offset_bounds.full()
    broken = ~(np.isfinite(slopes) & np.isfinite(intercepts) & np.isfinite(slope_bounds) & np.isfinite(intercept_bounds))
    for piece in np.flatnonzero(broken.any(axis=1)):
        offset, (rate,) = walk.map(last, int(piece))
        for output in range(slopes.shape[1]):
            slopes[piece, output] = nearest_double(rate[output], f"the slope on piece {piece + 1}")
            intercepts[piece, output] = nearest_double(offset[output], f"the intercept on piece {piece + 1}")
            slope_bounds[piece, output] = np.spacing(abs(slopes[piece, output]))
            intercept_bounds[piece, output] = np.spacing(abs(intercepts[piece, output]))
    return slopes, intercepts, slope_bounds, intercept_bounds


def _times_transposed(values: Array, weight: Array) -> Array:
    """``values @ weight.T`` for values shaped (pieces, n), each sum taken over k = 0, 1, …, n − 1 in that order.
    An overflow gives an infinity (or NaN) that the error bounds notice. A few sums are accumulated along all their
    terms at once; more, one term at a time for all of them (the same two roundings per term either way)."""
    if len(values) * len(weight) <= _FEW_SUMS:  # add.accumulate adds in order
        products = values[:, None, :] * weight
        return np.add.accumulate(products, axis=-1, out=products)[:, :, -1].copy()
    # Summed as (outputs × pieces) in place, each step reading one contiguous row (values kept by columns are not
    # copied), and returned transposed, as a view.
    columns, weight_columns = np.ascontiguousarray(values.T), weight.T[:, :, None]
    total = columns[0] * weight_columns[0]
    term = np.empty_like(total)
    for k in range(1, len(columns)):
        np.multiply(columns[k], weight_columns[k], out=term)
        np.add(total, term, out=total)
    return total.T
