"""A network of any input dimension seen on a line or a plane through points of its input space, and where on
them its largest output changes (the class a classifier predicts).

A real network takes many inputs (the handwritten digits chapter's takes 64 pixels), so its linear regions cannot be
drawn; but restricted to a line or a plane through data points it is again a piecewise-linear function of one or two
numbers, which `reluviz.pieces` and `reluviz.regions` cut exactly:

- `analyze_through`: the exact pieces on the segment from ``start`` to ``end`` (``s`` from 0 to 1), or on the whole
  line through them (``s`` over all the reals).
- `class_changes`: where along the line the largest of several outputs changes. On one piece every output is affine
  in ``s``, so the leader changes only where two of those straight lines cross: each change is computed from the
  piece's slopes and intercepts, never found by sampling.
- `plane_through`: the exact regions of the plane ``a + u (b − a) + v (c − a)`` through three points.
- `decision_cells` and `decision_boundary`: each region cut where the largest output changes. On a region every
  output is affine in (u, v), so where class ``j`` leads is the region intersected with the half-planes
  ``f_j ≥ f_i``: a convex polygon, and the decision boundary is made of straight segments on which the two largest
  outputs are equal.

The regions and pieces are exact (`reluviz.pieces`); the class changes and the decision cells are computed in
floating point from their affine maps, so each is within a few roundings of the exact place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .checks import check_array, check_network, shown
from .network import Network
from .pieces import PiecewiseLinear, _analyze, _direction, analyze_segment
from .regions import PlaneAnalysis, Region, analyze_plane

Array = np.ndarray

DEFAULT_MARGIN = 0.25
"""How far beyond the triangle of the three points `plane_through`'s square reaches, in the plane's coordinates:
u and v run from −0.25 to 1.25, so the three points sit well inside it."""


def _point(name: str, value: object, size: int) -> Array:
    point = check_array(name, value, finite=False).reshape(-1)
    if point.shape != (size,) or not np.isfinite(point).all():
        raise ValueError(f"{name} must be {size} finite numbers; got {shown(point.tolist())}")
    return point


def analyze_through(network: Network, start: object, end: object, whole_line: bool = False) -> PiecewiseLinear:
    """Exact pieces of ``network`` on the segment from ``start`` to ``end``, or on the whole line through them.

    The line is ``start + s · (end − start)``, the difference taken exactly, so ``s = 0`` is ``start`` and ``s = 1``
    is ``end``. A piece ends wherever any hidden unit switches, for every output at once.

    Parameters
    ----------
    network : Network
        Any number of inputs and outputs, a piecewise-linear activation.
    start, end : array_like, shape (input_dim,)
        Two different points.
    whole_line : bool
        False: ``s`` from 0 to 1 (`reluviz.analyze_segment`). True: ``s`` over all the reals; the first and last
        pieces are then rays.

    Returns
    -------
    PiecewiseLinear

    Raises
    ------
    TypeError, ValueError
        As `reluviz.analyze_segment`.

    Examples
    --------
    >>> net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, -4.0]), ([[1.0, 1.0]], [0.0])])  # relu(x₁) + relu(x₂ − 4)
    >>> analyze_through(net, [-1, 0], [1, 2]).boundaries.tolist()  # x₁ switches at s = ½; x₂ − 4 only beyond
    [0.5]
    >>> analyze_through(net, [-1, 0], [1, 2], whole_line=True).boundaries.tolist()
    [0.5, 2.0]
    """
    if not whole_line:
        return analyze_segment(network, start, end)
    network = check_network("network", network)
    origin, end_point = _point("start", start, network.input_dim), _point("end", end, network.input_dim)
    return _analyze(network, origin, _direction(origin, end_point), -math.inf, math.inf, end_point)  # the walk takes end − start exactly


@dataclass(frozen=True)
class ClassChanges:
    """Where along a line the largest output changes (see `class_changes`).

    Attributes
    ----------
    places : ndarray, shape (changes,)
        The ``s`` of each change, increasing.
    before, after : ndarray of int, shape (changes,)
        The output that is largest just before and just after each change.
    first : int
        The largest output at the start of the line (as ``s → −∞`` on a whole line).
    pieces : ndarray of int, shape (changes,)
        The piece each change lies on.
    """

    places: Array
    before: Array
    after: Array
    first: int
    pieces: Array

    def __len__(self) -> int:
        return len(self.places)

    @property
    def classes(self) -> list[int]:
        """The largest output on each stretch between two changes, in order: ``first``, then each ``after``."""
        return [self.first, *(int(c) for c in self.after)]

    def class_at(self, s: object) -> Array:
        """The largest output at each ``s`` according to the changes (a change's own place counts as after it)."""
        index = np.searchsorted(self.places, np.asarray(s, dtype=float), side="right")
        return np.asarray(self.classes)[index]


def _leader(slopes: Array, intercepts: Array, s: float) -> int:
    """The output that is largest just right of ``s`` (as s → −∞ when ``s`` is −inf): the largest value, then among
    equal values the steepest, then the first."""
    if s == -math.inf:
        keys = np.lexsort((-np.arange(len(slopes)), intercepts, -slopes))
    else:
        keys = np.lexsort((-np.arange(len(slopes)), slopes, intercepts + slopes * s))
    return int(keys[-1])


def class_changes(pieces: PiecewiseLinear) -> ClassChanges:
    """Where along the line of ``pieces`` the largest output changes: a classifier's predicted class.

    On piece ``k`` output ``j`` is ``intercepts[k, j] + slopes[k, j] · s``. Starting from the leader at the piece's
    left end, the next change is the nearest place right of it where a steeper output crosses the leader,
    ``s = (c_leader − c_j) / (m_j − m_leader)``; each change makes the leader steeper, so a piece holds at most one
    fewer change than there are outputs. At a boundary between pieces the outputs are continuous, so a change there
    is one whose crossing falls on the boundary (it is reported at the boundary).

    Parameters
    ----------
    pieces : PiecewiseLinear
        Any analysis (`reluviz.analyze_line`, `reluviz.analyze_segment`, `analyze_through`), one output or more.

    Returns
    -------
    ClassChanges

    Examples
    --------
    >>> net = Network([([[1.0], [-1.0]], [0.0, 0.0]), ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.5])])  # relu(x), relu(−x) + ½
    >>> changes = class_changes(analyze_through(net, [-2.0], [2.0]))
    >>> changes.places.tolist(), changes.classes
    ([0.625], [1, 0])
    """
    if not isinstance(pieces, PiecewiseLinear):
        raise TypeError(f"pieces must be a PiecewiseLinear; got {type(pieces).__name__}")
    edges, slopes, intercepts = pieces.edges, pieces.slopes, pieces.intercepts
    current = _leader(slopes[0], intercepts[0], float(edges[0]))
    first = current
    places: list[float] = []
    before: list[int] = []
    after: list[int] = []
    on_piece: list[int] = []

    def change(s: float, new: int, k: int) -> None:
        nonlocal current
        places.append(s)
        before.append(current)
        after.append(new)
        on_piece.append(k)
        current = new

    for k in range(len(slopes)):
        m, c = slopes[k], intercepts[k]
        left, right = float(edges[k]), float(edges[k + 1])
        start = _leader(m, c, left)
        if start != current:
            change(left, start, k)
        s = left
        while True:
            steeper = np.flatnonzero(m > m[current])
            if not len(steeper):
                break
            crossings = np.maximum((c[current] - c[steeper]) / (m[steeper] - m[current]), s)  # never left of s
            nearest = crossings.min()
            if not nearest < right:
                break
            ties = steeper[crossings == nearest]
            change(float(nearest), int(ties[np.argmax(m[ties])]), k)
            s = float(nearest)
    return ClassChanges(np.array(places), np.array(before, dtype=int), np.array(after, dtype=int), first,
                        np.array(on_piece, dtype=int))


def plane_through(network: Network, a: object, b: object, c: object, margin: float = DEFAULT_MARGIN) -> PlaneAnalysis:
    """The exact regions of ``network`` on the plane ``a + u (b − a) + v (c − a)`` through three points, on the square
    ``[−margin, 1 + margin]²`` of (u, v): ``a`` is at (0, 0), ``b`` at (1, 0) and ``c`` at (0, 1).

    Parameters
    ----------
    network : Network
    a, b, c : array_like, shape (input_dim,)
        Three points not on one line; the differences ``b − a`` and ``c − a`` are taken exactly.
    margin : float
        How far the square reaches beyond the triangle, in (u, v); at least 0.

    Returns
    -------
    PlaneAnalysis

    Examples
    --------
    >>> net = Network([([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [-0.5, -0.5]), ([[1.0, 1.0]], [0.0])])
    >>> len(plane_through(net, [0, 0, 0], [1, 0, 0], [0, 1, 0], margin=0.0))  # two lines cut the unit square in four
    4
    """
    network = check_network("network", network)
    a_, b_, c_ = (_point(name, value, network.input_dim) for name, value in (("a", a), ("b", b), ("c", c)))
    if not (isinstance(margin, (int, float)) and not isinstance(margin, bool) and 0 <= margin < math.inf):
        raise ValueError(f"margin must be a finite number ≥ 0; got {margin!r}")
    first, second = b_ - a_, c_ - a_
    gram = np.array([[first @ first, first @ second], [first @ second, second @ second]])
    if not np.linalg.det(gram) > 1e-12 * gram[0, 0] * gram[1, 1]:
        raise ValueError("a, b and c must not lie on one line (b − a and c − a must point in different directions)")
    return analyze_plane(network, (-margin, 1 + margin, -margin, 1 + margin), origin=a_, directions=[(b_, a_), (c_, a_)])


def plane_area_scale(a: object, b: object, c: object) -> float:
    """How much input-space area one unit of (u, v) area is on the plane of `plane_through`: the area of the
    parallelogram spanned by ``b − a`` and ``c − a``, √det of their Gram matrix."""
    first = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    second = np.asarray(c, dtype=float) - np.asarray(a, dtype=float)
    determinant = (first @ first) * (second @ second) - (first @ second) ** 2
    return math.sqrt(max(float(determinant), 0.0))


@dataclass(frozen=True)
class DecisionCell:
    """The part of a region where one output is the largest: a convex polygon (counter-clockwise, shaped (k, 2)),
    that output, and the index of the region."""

    polygon: Array
    label: int
    region: int


@dataclass(frozen=True)
class DecisionSegment:
    """A straight piece of the decision boundary: its two ends (shaped (2, 2)), the two outputs that are equal and
    largest along it, and the region it lies in."""

    ends: Array
    labels: tuple[int, int]
    region: int


def _clip(polygon: list[tuple[float, float]], sides: list[int], normal: Array, offset: float, side: int
          ) -> tuple[list[tuple[float, float]], list[int]]:
    """The convex ``polygon`` cut to where ``normal · (u, v) + offset ≥ 0`` (Sutherland–Hodgman); ``sides[i]`` names
    what edge i lies on (−1 for the region's own boundary), and the new edge along the cut gets ``side``."""
    values = [normal[0] * u + normal[1] * v + offset for u, v in polygon]
    kept: list[tuple[float, float]] = []
    kept_sides: list[int] = []
    count = len(polygon)
    for i in range(count):
        j = (i + 1) % count
        (u0, v0), (u1, v1), f0, f1 = polygon[i], polygon[j], values[i], values[j]
        if f0 >= 0:
            kept.append((u0, v0))
            kept_sides.append(sides[i])  # the edge from it, or the part of that edge up to the cut
        if (f0 >= 0) != (f1 >= 0):
            t = f0 / (f0 - f1)
            kept.append((u0 + t * (u1 - u0), v0 + t * (v1 - v0)))
            kept_sides.append(side if f0 >= 0 else sides[i])
    return kept, kept_sides


def _area(polygon: Sequence[tuple[float, float]]) -> float:
    total = 0.0
    for (u0, v0), (u1, v1) in zip(polygon, [*polygon[1:], polygon[0]]):
        total += u0 * v1 - u1 * v0
    return 0.5 * total


def decision_cells(analysis: PlaneAnalysis) -> tuple[list[DecisionCell], list[DecisionSegment]]:
    """Every region of ``analysis`` cut where its largest output changes, and the decision boundary's segments.

    On region ``r`` output ``j`` is ``intercept[j] + gradient[j] · (u, v)``; where ``j`` is the largest is the region
    cut by the half-planes ``f_j − f_i ≥ 0`` for every other ``i`` (a convex polygon). An output is cut for only if
    it beats each other output at some vertex of the region, which no output can miss and still lead somewhere.

    Returns
    -------
    (cells, segments)
        The cells of positive area (a region where one output leads throughout is one cell), and each segment of
        the decision boundary once, with the two outputs equal along it.

    Examples
    --------
    >>> net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])])  # relu(u), relu(v)
    >>> cells, segments = decision_cells(analyze_plane(net, (0.1, 1, 0.2, 1)))
    >>> sorted(cell.label for cell in cells), [s.ends.round(2).tolist() for s in segments]
    ([0, 1], [[[1.0, 1.0], [0.2, 0.2]]])
    """
    if not isinstance(analysis, PlaneAnalysis):
        raise TypeError(f"analysis must be a PlaneAnalysis; got {type(analysis).__name__}")
    cells: list[DecisionCell] = []
    segments: list[DecisionSegment] = []
    for index, region in enumerate(analysis.regions):
        region_cells, region_segments = _cut_region(region, index)
        cells += region_cells
        segments += region_segments
    return cells, segments


def _cut_region(region: Region, index: int) -> tuple[list[DecisionCell], list[DecisionSegment]]:
    gradient, intercept = np.atleast_2d(region.gradient), np.atleast_1d(region.intercept)
    vertices = region.polygon
    values = intercept[None, :] + vertices @ gradient.T  # (vertices, outputs)
    outputs = values.shape[1]
    wins = [j for j in range(outputs) if all(np.any(values[:, j] > values[:, i]) or i == j for i in range(outputs))]
    top = np.argmax(values, axis=1)
    if len(set(top.tolist())) == 1 and np.all(values[:, top[0]][:, None] >= values):
        return [DecisionCell(vertices.copy(), int(top[0]), index)], []
    cells: list[DecisionCell] = []
    segments: list[DecisionSegment] = []
    base = [(float(u), float(v)) for u, v in vertices]
    for j in wins:
        polygon, sides = base, [-1] * len(base)
        for i in range(outputs):
            if i == j or not polygon:
                continue
            polygon, sides = _clip(polygon, sides, gradient[j] - gradient[i], float(intercept[j] - intercept[i]), i)
        if len(polygon) < 3 or _area(polygon) <= 0:
            continue
        cells.append(DecisionCell(np.array(polygon), j, index))
        for k, other in enumerate(sides):
            if other > j:  # each segment once: from the cell of the smaller label
                ends = np.array([polygon[k], polygon[(k + 1) % len(polygon)]])
                if np.any(ends[0] != ends[1]):
                    segments.append(DecisionSegment(ends, (j, other), index))
    return cells, segments
