"""The analysis as it was before it was exact (commit b03fe96): floating point with two tolerances, kept only so that
benchmarks/exact_vs_grid.py can time today's exact analysis against it in one run. Not used by the package.

Exact piecewise-linear analysis of a network along a line.

Along the line ``x(s) = origin + s · direction`` every pre-activation of the first hidden layer is affine in ``s``,
so its zero is found by one division. Between those zeros the first layer's mask is fixed, which makes the second
layer's pre-activations affine on each piece; their zeros split the pieces further, and so on through every layer.
What comes out is the list of *boundaries* (where some unit's input changes sign) and the exact affine map on each
piece.

Every sum runs over its terms in index order (`_times_transposed`), never in BLAS's order of its own, so that the
explorer's JavaScript, adding the same numbers in the same order, gets the same bits.

A boundary is a true *kink* only if the output's slope differs on its two sides. It need not: a unit whose
outgoing weights are zero, or two switches whose effects cancel, move the activation pattern but not the output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.network import Layer, Network

Array = np.ndarray

# Two zeros (or a zero and a piece's end) this many units in the last place apart, or closer, are one boundary:
# rounding cannot tell them apart, so a piece that short would be an artefact of the arithmetic, not of the network.
# It is counted in the spacing of the numbers compared, so kinks are told apart alike at every scale.
MERGE_ULPS = 8
MAX_PIECE_VALUES = 4_000_000
"""The most (piece, unit) pairs the analysis of one layer may hold (32 MB, well under a second); past it, a
ValueError says so."""
# A slope change smaller than this (relative to the largest slope on the line) is rounding, not a kink.
KINK_RTOL = 1e-9


@dataclass(frozen=True)
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
        Sorted ``s`` where some hidden unit's input changes sign.
    slopes, intercepts : ndarray, shape (pieces, output_dim)
    negative : ndarray of int, shape (pieces,)
    is_kink : ndarray of bool, shape (pieces - 1,)
        Whether the output's slope really changes at each boundary.

    Examples
    --------
    >>> from reluviz import Network
    >>> pieces = analyze_line(Network([([[1.0]], [-1.0]), ([[2.0]], [0.0])]), -3, 3)  # 2·relu(x − 1)
    >>> pieces.boundaries.tolist(), pieces.slopes[:, 0].tolist(), pieces.negative.tolist()
    ([1.0], [0.0, 2.0], [1, 0])
    """

    network: Network
    origin: Array
    direction: Array
    lo: float
    hi: float
    boundaries: Array
    slopes: Array
    intercepts: Array
    negative: Array
    is_kink: Array

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
        """The activation pattern (one bool array per hidden layer) on piece ``k``, read at a point inside it."""
        middle = self.point(inner_points(self.edges)[k])
        return [layer[0] for layer in self.network.activation_pattern(middle)]

    def to_dict(self) -> dict:
        """The published JSON schema (see docs: 'The data behind each figure')."""

        def per_piece(values: Array) -> list:
            return values[:, 0].tolist() if values.shape[1] == 1 else values.tolist()

        data = self.network.to_dict()
        data.update(
            interval=[end if np.isfinite(end) else None for end in (self.lo, self.hi)],  # null: unbounded
            breakpoints=self.breakpoints.tolist(),
            boundaries=self.boundaries.tolist(),
            slopes=per_piece(self.slopes),
            intercepts=per_piece(self.intercepts),
            negative=self.negative.tolist(),
        )
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
        The interval, lo < hi. Either end may be infinite: ``analyze_line(net, -inf, inf)`` finds every kink on the
        whole real line, and the first and last pieces are then rays. Here ``s`` is the input ``x`` itself.

    Returns
    -------
    PiecewiseLinear
        Boundaries, kinks, and the exact slope, intercept and negative-unit count on every piece.

    Raises
    ------
    ValueError
        If the network takes more than one input, its activation is smooth, or the interval is not valid.

    Examples
    --------
    >>> from reluviz import Network
    >>> pieces = analyze_line(Network.random([1, 10, 1], seed=0), -100, 100)
    >>> pieces.linear_pieces
    11
    """
    if network.input_dim != 1:
        raise ValueError(f"network must take a scalar input for analyze_line; it takes {network.input_dim} (use analyze_segment)")
    low, high = float(lo), float(hi)
    if not low < high or np.isposinf(low) or np.isneginf(high):
        raise ValueError(f"lo must be smaller than hi, and neither NaN (either may be infinite); got lo={lo}, hi={hi}")
    return _analyze(network, np.zeros(1), np.ones(1), low, high)


def analyze_segment(network: Network, start: object, end: object) -> PiecewiseLinear:
    """Exact pieces of any network along the segment from ``start`` to ``end``.

    Parameters
    ----------
    network : Network
        A network with a piecewise-linear activation.
    start, end : array_like, shape (input_dim,)
        Two different points; ``s`` runs from 0 (start) to 1 (end).

    Returns
    -------
    PiecewiseLinear

    Raises
    ------
    ValueError
        If a point has the wrong size or is not finite, the points coincide, or the activation is smooth.

    Examples
    --------
    >>> from reluviz import Network
    >>> net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])  # relu(x₁) + relu(x₂)
    >>> analyze_segment(net, [-1, -1], [1, 1]).boundaries.tolist()  # both units switch at the origin, s = ½
    [0.5]
    """
    start_arr = np.asarray(start, dtype=float).reshape(-1)
    end_arr = np.asarray(end, dtype=float).reshape(-1)
    for name, arr in (("start", start_arr), ("end", end_arr)):
        if arr.shape != (network.input_dim,) or not np.isfinite(arr).all():
            raise ValueError(f"{name} must be {network.input_dim} finite numbers; got {arr.tolist()!r}")
    if np.array_equal(start_arr, end_arr):
        raise ValueError("start and end must be different points")
    with np.errstate(over="ignore"):
        direction = end_arr - start_arr
    if not np.isfinite(direction).all():
        raise ValueError("start and end must be less than the largest float apart in every coordinate")
    return _analyze(network, start_arr, direction, 0.0, 1.0)


def _analyze(network: Network, origin: Array, direction: Array, lo: float, hi: float) -> PiecewiseLinear:
    activation = network.activation
    if not activation.piecewise_linear:
        raise ValueError(
            f"activation must be piecewise linear (identity, relu, leaky_relu) for exact analysis; got {activation.name!r}"
        )
    negative_slope = float(activation.negative_slope or 0.0)  # not None: checked piecewise linear above

    # Pre-activations of the current layer on each piece: z = offset + s * rate, both shaped (pieces, units).
    first = network.layers[0]
    offset = _times_transposed(origin[None, :], first.weight) + first.bias
    rate = _times_transposed(direction[None, :], first.weight)
    edges = np.array([lo, hi])
    negative = np.zeros(1, dtype=int)
    for index, next_layer in enumerate(network.layers[1:]):
        split = _split_single_piece if index == 0 else _split_pieces
        edges, offset, rate, negative = split(offset, rate, edges, negative, negative_slope, next_layer)

    slopes, intercepts = rate, offset
    jumps = np.abs(np.diff(slopes, axis=0)).max(axis=1) if len(slopes) > 1 else np.zeros(0)
    scale = np.abs(slopes).max()
    is_kink = jumps > KINK_RTOL * scale
    return PiecewiseLinear(network, origin, direction, lo, hi, edges[1:-1], slopes, intercepts, negative, is_kink)


def _apart(a: Array, b: Array) -> Array:
    """Whether ``b`` exceeds ``a`` by more than MERGE_ULPS units in the last place of the larger of the two."""
    magnitude = np.maximum(np.abs(a), np.abs(b))
    ulp = np.spacing(np.where(np.isfinite(magnitude), magnitude, 0.0))
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: never apart
        return (b - a) > MERGE_ULPS * ulp


def inner_points(edges: Array) -> Array:
    """A point inside each piece: its midpoint, or on a ray a point max(1, |end|) in from its finite end."""
    left, right = edges[:-1], edges[1:]
    with np.errstate(invalid="ignore", over="ignore"):
        points = 0.5 * left + 0.5 * right  # not (left + right) / 2, which overflows near the largest float
        points = np.where(np.isneginf(left), right - np.maximum(1.0, np.abs(right)), points)
        points = np.where(np.isposinf(right), left + np.maximum(1.0, np.abs(left)), points)
    return np.where(np.isneginf(left) & np.isposinf(right), 0.0, points)


def _zeros_inside(offset: Array, rate: Array, left: Array, right: Array) -> tuple[Array, Array]:
    """Where each ``offset + s * rate`` crosses zero strictly inside its piece: (mask, zeros)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zeros = -offset / rate
    inside = (rate != 0) & _apart(left, zeros) & _apart(zeros, right)
    return inside, zeros


Split = tuple[Array, Array, Array, Array]  # edges, next layer's offset and rate per piece, negative count per piece


def _split_single_piece(
    offset: Array, rate: Array, edges: Array, negative: Array, negative_slope: float, next_layer: Layer
) -> Split:
    """The first hidden layer, on one piece: sort its zeros and accumulate each switch's effect.

    This never forms a (pieces × units) array, which is what keeps a layer of 10,000 units fast.
    """
    offset, rate = offset[0], rate[0]
    inside, zeros = _zeros_inside(offset, rate, edges[0], edges[1])
    units = np.flatnonzero(inside)
    units = units[np.argsort(zeros[units], kind="stable")]
    crossings = zeros[units]
    first_of_group = np.r_[True, _apart(crossings[:-1], crossings[1:])] if len(crossings) else np.zeros(0, dtype=bool)
    last_of_group = np.r_[first_of_group[1:], True] if len(crossings) else first_of_group
    new_edges = np.concatenate([edges[:1], crossings[first_of_group], edges[1:]])

    z_start = offset + inner_points(new_edges[:2])[0] * rate
    factor = np.where(z_start > 0, 1.0, negative_slope)
    turns_on = rate[units] > 0
    change = np.where(turns_on, 1.0 - negative_slope, negative_slope - 1.0)
    weight_cols = next_layer.weight[:, units].T  # (crossings, next units)

    # The last piece's mask, read directly rather than accumulated: on a long or unbounded last piece a rounding
    # residue in its slope would be multiplied by huge inputs.
    end_factor = np.where(offset + inner_points(new_edges[-2:])[0] * rate > 0, 1.0, negative_slope)

    def accumulate(values: Array) -> Array:
        initial = _times_transposed((factor * values)[None, :], next_layer.weight)[0]
        steps = np.cumsum((change * values[units])[:, None] * weight_cols, axis=0)[last_of_group]
        pieces = np.vstack([initial, initial + steps])
        pieces[-1] = _times_transposed((end_factor * values)[None, :], next_layer.weight)[0]
        return pieces

    new_offset = accumulate(offset) + next_layer.bias
    new_rate = accumulate(rate)
    negative_steps = np.cumsum(np.where(turns_on, -1, 1))[last_of_group]
    start_negative = negative[0] + np.count_nonzero(z_start < 0)
    new_negative = np.concatenate([[start_negative], start_negative + negative_steps])
    return new_edges, new_offset, new_rate, new_negative


def _split_pieces(
    offset: Array, rate: Array, edges: Array, negative: Array, negative_slope: float, next_layer: Layer
) -> Split:
    """A deeper layer: split every piece at its units' zeros, then read each new piece's mask at a point inside it."""
    if offset.size > MAX_PIECE_VALUES:
        raise ValueError(f"network has too many pieces to analyse exactly: {offset.size:,} values, at most {MAX_PIECE_VALUES:,}")
    inside, zeros = _zeros_inside(offset, rate, edges[:-1, None], edges[1:, None])
    candidates = np.sort(np.concatenate([edges, zeros[inside]]))
    new_edges = candidates[np.r_[True, _apart(candidates[:-1], candidates[1:])]]
    new_edges[-1] = edges[-1]
    if (len(new_edges) - 1) * max(offset.shape[1], next_layer.weight.shape[0]) > MAX_PIECE_VALUES:
        raise ValueError(
            f"network has too many pieces to analyse exactly: {len(new_edges) - 1:,} pieces × {offset.shape[1]:,} units "
            f"is more than {MAX_PIECE_VALUES:,} values"
        )
    middles = inner_points(new_edges)
    parent = np.searchsorted(edges, middles, side="right") - 1
    with np.errstate(over="ignore", invalid="ignore"):  # far out on a ray a pre-activation may be ±inf: its sign holds
        z = offset[parent] + middles[:, None] * rate[parent]
    factor = np.where(z > 0, 1.0, negative_slope)
    new_offset = _times_transposed(factor * offset[parent], next_layer.weight) + next_layer.bias
    new_rate = _times_transposed(factor * rate[parent], next_layer.weight)
    new_negative = negative[parent] + np.count_nonzero(z < 0, axis=1)
    return new_edges, new_offset, new_rate, new_negative


def _times_transposed(values: Array, weight: Array) -> Array:
    """``values @ weight.T`` for values shaped (pieces, n), each sum taken over k = 0, 1, …, n − 1 in that order."""
    if len(values) == 1:  # one piece: accumulate down the columns, vectorised (add.accumulate is sequential)
        return np.add.accumulate(values[0][:, None] * weight.T, axis=0)[-1:]
    total = values[:, :1] * weight[:, 0]
    for k in range(1, values.shape[1]):
        total = total + values[:, k : k + 1] * weight[:, k]
    return total
