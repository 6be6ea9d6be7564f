"""Linear regions of a network on a plane of its inputs, exactly: the plane cut into convex polygons.

It is `reluviz.pieces` one dimension up. On the starting square every first-layer pre-activation is an affine
function of the plane's coordinates, and its zero set is a line; cutting the square along each line leaves convex
polygons on which the first layer's pattern is fixed. There the second layer's pre-activations are affine, so their
zero lines cut each polygon further, and so on. Every final polygon is one activation region: a set on which the
network is one affine map. A region is convex, so it is never cut in two pieces with the same pattern.

The plane is the input itself for a network with two inputs, or ``origin + u · d₁ + v · d₂`` through any input
space (`analyze_plane`). As on a line, every question (which side of a unit's line a vertex lies on) is answered in
floating point with a rigorous error bound (`reluviz.filtered`) and exactly (`reluviz.exact`) when the bound cannot
decide, so the regions are exactly the network's; each vertex is reported as the double nearest to its exact place,
and the region's gradient and intercept are index-order sums, as in the explorer's JavaScript.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .checks import check_integer, check_interval
from .exact import ExactWalk, nearest_double
from .filtered import SLACK, TINY, UNKNOWN, Bounds, U, dot_bound
from .network import Network

Array = np.ndarray
PLANE_JSON_FIELDS = ("layers", "activation", "square", "regions")
"""The fields of a network's regions as JSON (`PlaneAnalysis.to_dict`, ``reluviz regions --json``), in order."""
Line = tuple[str, int, int, int]  # ("side", axis, index of the corner coordinate, 0) or ("unit", level, cell, unit)


@dataclass(frozen=True)
class Region:
    """A convex polygon (vertices counter-clockwise, shaped (k, 2), each the double nearest to the exact vertex),
    its activation pattern hidden layer by hidden layer, and the network's affine map on it: the output is
    ``intercept + gradient @ (u, v)``."""

    polygon: Array
    pattern: tuple[tuple[bool, ...], ...]
    gradient: Array
    intercept: Array


@dataclass
class _Cell:
    vertices: list[int]
    lines: list[Line]  # lines[i]: the line of the edge from vertices[i] to the next vertex
    signs: list[int] = field(default_factory=list)  # of the units of the layer being cut, so far


@dataclass
class _Vertices:
    """Every vertex made so far: floating-point coordinates with a bound on their error, and the two lines it
    lies on (from which its exact place is computed when asked for)."""

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    bound: list[float] = field(default_factory=list)
    lines: list[tuple[Line, Line]] = field(default_factory=list)
    exact: dict[int, tuple[Fraction, Fraction]] = field(default_factory=dict)

    def add(self, x: float, y: float, bound: float, lines: tuple[Line, Line]) -> int:
        self.x.append(x)
        self.y.append(y)
        self.bound.append(bound)
        self.lines.append(lines)
        return len(self.x) - 1


class PlaneAnalysis:
    """The exact activation regions of a network on a rectangle of a plane of its inputs.

    Attributes
    ----------
    network : Network
    corners : (float, float, float, float)
        The rectangle [u_lo, u_hi] × [v_lo, v_hi] in the plane's coordinates.
    exact_decisions, decisions : int
        How many questions floating point could not answer alone, of how many.
    """

    def __init__(self, network: Network, walk: ExactWalk, corners: tuple[float, float, float, float],
                 vertices: _Vertices, cells: list[_Cell], parents: list[list[int]], signs: list[list[list[int]]],
                 maps: tuple[Array, Array, Bounds, Bounds], statistics: tuple[int, int]) -> None:
        self.network, self.corners = network, corners
        self.walk, self.vertices, self._cells = walk, vertices, cells
        self._parents, self._signs, self._maps = parents, signs, maps
        self.decisions, self.exact_decisions = statistics

    def __len__(self) -> int:
        return len(self._cells)

    def approximate_polygons(self) -> list[Array]:
        """Each region's polygon with the floating-point vertices the cutting used: for drawing."""
        v = self.vertices
        return [np.array([[v.x[i], v.y[i]] for i in cell.vertices]) for cell in self._cells]

    def patterns(self) -> list[tuple[tuple[bool, ...], ...]]:
        found = []
        for index in range(len(self._cells)):
            layers, cell = [], index
            for level in range(len(self._signs), 0, -1):
                layers.append(tuple(s > 0 for s in self._signs[level - 1][cell]))
                cell = self._parents[level - 1][cell]
            found.append(tuple(reversed(layers)))
        return found

    @functools.cached_property
    def regions(self) -> list[Region]:
        """Every region, its vertices the doubles nearest to their exact places (computed exactly when the
        floating-point bound does not already pin the double down)."""
        offset, rates, _, _ = self._maps
        polygons = [np.array([self._nearest(i) for i in cell.vertices]) for cell in self._cells]
        return [Region(polygon, pattern, rates[k].copy(), offset[k].copy())
                for k, (polygon, pattern) in enumerate(zip(polygons, self.patterns()))]

    def _nearest(self, vertex: int) -> tuple[float, float]:
        v = self.vertices
        if v.bound[vertex] == 0:
            return v.x[vertex], v.y[vertex]
        x, y = _exact_vertex(self, vertex)
        return nearest_double(x, f"vertex {vertex}'s u"), nearest_double(y, f"vertex {vertex}'s v")

    def to_dict(self) -> dict:
        """The regions as the JSON ``reluviz regions`` prints (see its --help)."""

        def per_output(values: Array) -> list:
            return values[0].tolist() if len(values) == 1 else values.tolist()

        data = self.network.to_dict()
        data["square"] = list(self.corners)
        data["regions"] = [{"pattern": ["".join("1" if on else "0" for on in layer) for layer in region.pattern],
                            "polygon": region.polygon.tolist(), "gradient": per_output(region.gradient),
                            "intercept": region.intercept[0].item() if len(region.intercept) == 1 else region.intercept.tolist()}
                           for region in self.regions]
        assert tuple(data) == PLANE_JSON_FIELDS
        return data


def analyze_plane(network: Network, corners: Sequence[float], origin: object = None, directions: object = None) -> PlaneAnalysis:
    """Exact activation regions of ``network`` on the rectangle ``corners`` = (u_lo, u_hi, v_lo, v_hi) of the plane
    ``origin + u · d₁ + v · d₂`` (by default the network's own two inputs).

    Parameters
    ----------
    network : Network
        A network with a piecewise-linear activation; with two inputs unless ``origin`` and ``directions`` are given.
    corners : sequence of 4 floats
        u_lo < u_hi and v_lo < v_hi, finite.
    origin : array_like, shape (input_dim,), optional
    directions : pair of array_like, each shaped (input_dim,), or of (end, start) pairs taken as ``end − start``
        exactly, optional

    Returns
    -------
    PlaneAnalysis

    Raises
    ------
    ValueError
        If the network or the rectangle does not fit, or the activation is smooth.

    Examples
    --------
    >>> net = Network([([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.0])])  # relu(x₁) + relu(x₂)
    >>> len(analyze_plane(net, (-1, 1, -1, 1)))
    4
    """
    if not network.activation.piecewise_linear:
        raise ValueError(f"activation must be piecewise linear (identity, relu, leaky_relu) for regions; got {network.activation.name!r}")
    u_lo, u_hi = check_interval(corners[0], corners[1], ("u_lo", "u_hi"))
    v_lo, v_hi = check_interval(corners[2], corners[3], ("v_lo", "v_hi"))
    if origin is None and directions is None:
        if network.input_dim != 2:
            raise ValueError(f"network must take two inputs for a region map of its inputs; it takes {network.input_dim}")
        plane_origin, plane_directions = np.zeros(2), [np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    else:
        plane_origin, plane_directions = _plane(network, origin, directions)
    slope = float(network.activation.negative_slope or 0.0)
    walk = ExactWalk([layer.weight for layer in network.layers], [layer.bias for layer in network.layers], slope,
                     plane_origin, plane_directions)
    return _Cutting(network, walk, slope, (u_lo, u_hi, v_lo, v_hi), plane_origin, plane_directions).run()


def _plane(network: Network, origin: object, directions: object) -> tuple[Array, list]:
    start = np.asarray(origin, dtype=float).reshape(-1)
    if start.shape != (network.input_dim,) or not np.isfinite(start).all():
        raise ValueError(f"origin must be {network.input_dim} finite numbers; got shape {start.shape}")
    if not isinstance(directions, (list, tuple)) or len(directions) != 2:
        raise ValueError("directions must be two vectors (or two (end, start) pairs)")
    found: list = []
    for name, direction in zip(("directions[0]", "directions[1]"), directions):
        pair = isinstance(direction, tuple) and len(direction) == 2
        parts = [np.asarray(p, dtype=float).reshape(-1) for p in (direction if pair else (direction,))]
        if any(p.shape != (network.input_dim,) or not np.isfinite(p).all() for p in parts):
            raise ValueError(f"{name} must be {network.input_dim} finite numbers (or a pair of such points)")
        found.append(tuple(parts) if pair else parts[0])
    return start, found


def _floats(direction: Array | tuple[Array, Array]) -> tuple[Array, float]:
    """A direction as floats, and the bound on its error (one rounding when it is a difference)."""
    if isinstance(direction, tuple):
        with np.errstate(over="ignore"):
            difference = direction[0] - direction[1]
        return difference, U * float(np.abs(difference).max())
    return direction, 0.0


class _Cutting:
    """The cutting itself, layer by layer (see the module docstring)."""

    def __init__(self, network: Network, walk: ExactWalk, slope: float, corners: tuple[float, float, float, float],
                 origin: Array, directions: list) -> None:
        self.network, self.walk, self.slope, self.corners = network, walk, slope, corners
        self.vertices = _Vertices()
        self.decisions = self.exact = 0
        self.cell_bounds: tuple[list[float], list[float]] = ([], [])
        first = network.layers[0]
        on_the_input = (network.input_dim == 2 and np.array_equal(origin, np.zeros(2))
                        and all(isinstance(d, np.ndarray) for d in directions)
                        and np.array_equal(directions[0], [1.0, 0.0]) and np.array_equal(directions[1], [0.0, 1.0]))
        if on_the_input:
            offset = first.bias[None, :].copy()  # the plane is the input: its maps are the weights, exactly
            rates = np.stack([first.weight[:, 0], first.weight[:, 1]], axis=-1)[None, :, :].copy()
            self.bounds = (Bounds.exact(1, len(first.bias)), Bounds.exact(1, len(first.bias)))
        else:
            offset = (_times_transposed(origin[None, :], first.weight) + first.bias)
            steps = [_floats(d) for d in directions]
            rates = np.stack([_times_transposed(d[None, :], first.weight)[0] for d, _ in steps], axis=-1)[None, :, :]
            largest = max(float(np.abs(d).max()) for d, _ in steps)
            self.bounds = (dot_bound(first.weight, np.zeros(1), np.array([float(np.abs(origin).max())]), np.abs(first.bias)),
                           dot_bound(first.weight, np.array([max(e for _, e in steps)]), np.array([largest]), None))
        self.offset, self.rates = offset, rates  # (cells, units) and (cells, units, 2)

    def run(self) -> PlaneAnalysis:
        u_lo, u_hi, v_lo, v_hi = self.corners
        sides: list[Line] = [("side", 1, 2, 0), ("side", 0, 1, 0), ("side", 1, 3, 0), ("side", 0, 0, 0)]
        corners = [(u_lo, v_lo, (sides[3], sides[0])), (u_hi, v_lo, (sides[0], sides[1])),
                   (u_hi, v_hi, (sides[1], sides[2])), (u_lo, v_hi, (sides[2], sides[3]))]
        cells = [_Cell([self.vertices.add(u, v, 0.0, lines) for u, v, lines in corners], sides)]
        parents: list[list[int]] = []
        signs: list[list[list[int]]] = []
        for index, next_layer in enumerate(self.network.layers[1:]):
            new_cells, new_parents = [], []
            for c, cell in enumerate(cells):
                for piece in self._cut_by_layer(index, c, cell):
                    new_cells.append(piece)
                    new_parents.append(c)
            parents.append(new_parents)
            signs.append([cell.signs for cell in new_cells])
            self.walk.add_level(np.array(new_parents), _CellSigns(signs[-1]))
            self._carry(next_layer, new_parents, signs[-1])
            cells = [_Cell(cell.vertices, cell.lines) for cell in new_cells]
        maps = (self.offset, self.rates, *self.bounds)
        return PlaneAnalysis(self.network, self.walk, self.corners, self.vertices, cells, parents, signs, maps,
                             (self.decisions, self.exact))

    def _cut_by_layer(self, level: int, c: int, cell: _Cell) -> list[_Cell]:
        units = np.arange(self.offset.shape[1])
        here = np.full(len(units), c)
        self.cell_bounds = (self.bounds[0].at(here, units).tolist(), self.bounds[1].at(here, units).tolist())
        pieces = [cell]
        for unit in range(len(units)):
            pieces = [part for piece in pieces for part in self._cut(level, c, unit, piece)]
        return pieces

    def _value(self, level: int, c: int, unit: int, vertex: int) -> tuple[int, float]:
        """The sign of the unit's pre-activation at a vertex (decided exactly when the bound cannot), and its value."""
        v = self.vertices
        a, (r1, r2) = self.offset[c, unit], self.rates[c, unit]
        x, y, e = v.x[vertex], v.y[vertex], v.bound[vertex]
        ea, er = self.cell_bounds[0][unit], self.cell_bounds[1][unit]
        value = (a + r1 * x) + r2 * y
        with np.errstate(over="ignore", invalid="ignore"):
            bound = SLACK * (ea + (abs(x) + abs(y)) * er + (abs(r1) + abs(r2) + 2 * er) * e
                             + 3 * U * (abs(a) + abs(r1 * x) + abs(r2 * y))) + 4 * TINY
        self.decisions += 1
        if abs(value) > bound and math.isfinite(bound):
            return (1 if value > 0 else -1), value
        self.exact += 1
        offset, rate1, rate2 = self.walk.affine(level, c, unit)
        ex, ey = _exact_vertex(self, vertex)
        exact = offset + rate1 * ex + rate2 * ey
        return (exact > 0) - (exact < 0), value

    def _cut(self, level: int, c: int, unit: int, piece: _Cell) -> list[_Cell]:
        found = [self._value(level, c, unit, vertex) for vertex in piece.vertices]
        signs = [s for s, _ in found]
        if not (1 in signs and -1 in signs):
            piece.signs.append(1 if 1 in signs else -1 if -1 in signs else 0)
            return [piece]
        line: Line = ("unit", level, c, unit)
        sides: dict[int, tuple[list[int], list[Line]]] = {1: ([], []), -1: ([], [])}
        n = len(piece.vertices)
        for i in range(n):
            j = (i + 1) % n
            p, q, edge = piece.vertices[i], piece.vertices[j], piece.lines[i]
            sp, sq = signs[i], signs[j]
            crossing = self._crossing(p, q, found[i][1], found[j][1], edge, line, c, unit) if sp * sq < 0 else -1
            for side in (1, -1):
                vertices, lines = sides[side]
                if sp * side > 0:  # p on this side
                    vertices.append(p)
                    lines.append(edge)
                    if sq * side < 0:
                        vertices.append(crossing)
                        lines.append(line)
                elif sp == 0:  # p on the line: the edge leaving it follows the line if q is on the other side
                    vertices.append(p)
                    lines.append(line if sq * side < 0 else edge)
                elif sq * side > 0:  # p on the other side, q on this one
                    vertices.append(crossing)
                    lines.append(edge)
        parts = []
        for side in (1, -1):
            vertices, lines = sides[side]
            parts.append(_Cell(vertices, lines, piece.signs + [side]))
        return parts

    def _crossing(self, p: int, q: int, vp: float, vq: float, edge: Line, line: Line, c: int, unit: int) -> int:
        """The vertex where the edge p → q meets the unit's line, from the values at its ends."""
        v = self.vertices
        t = vp / (vp - vq)
        x = v.x[p] + t * (v.x[q] - v.x[p])
        y = v.y[p] + t * (v.y[q] - v.y[p])
        a, (r1, r2) = self.offset[c, unit], self.rates[c, unit]
        ea, er = self.cell_bounds[0][unit], self.cell_bounds[1][unit]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value_bound = [SLACK * (ea + (abs(v.x[k]) + abs(v.y[k])) * er + (abs(r1) + abs(r2) + 2 * er) * v.bound[k]
                                    + 3 * U * (abs(a) + abs(r1 * v.x[k]) + abs(r2 * v.y[k]))) + 4 * TINY for k in (p, q)]
            gap, gap_bound = abs(vp - vq), value_bound[0] + value_bound[1]
            t_bound = SLACK * (abs(vp) * gap_bound + gap * value_bound[0]) / (gap * (gap - gap_bound)) + U * abs(t) + TINY
            span = max(abs(v.x[q] - v.x[p]), abs(v.y[q] - v.y[p]))
            bound = SLACK * (v.bound[p] + abs(t) * (v.bound[p] + v.bound[q]) + t_bound * (span + v.bound[p] + v.bound[q])
                             + 3 * U * (max(abs(v.x[p]), abs(v.y[p])) + abs(t) * span)) + 2 * TINY
        sure = np.sign(vp) != np.sign(vq) and abs(vp) > value_bound[0] and abs(vq) > value_bound[1] and gap > gap_bound
        return v.add(x, y, bound if sure and math.isfinite(bound) else UNKNOWN, (edge, line))

    def _carry(self, next_layer: object, parents: list[int], signs: list[list[int]]) -> None:
        """The next layer's pre-activations on every new cell: index-order sums, with their bounds."""
        weight, bias = next_layer.weight, next_layer.bias  # type: ignore[attr-defined]
        factor = np.where(np.array(signs, dtype=float).reshape(len(signs), -1) > 0, 1.0, self.slope)
        index = np.array(parents, dtype=int)
        with np.errstate(over="ignore", invalid="ignore"):
            offset_in = factor * self.offset[index]
            rates_in = factor[:, :, None] * self.rates[index]
            offset = _times_transposed(offset_in, weight) + bias
            rates = np.stack([_times_transposed(rates_in[:, :, k], weight) for k in range(2)], axis=-1)
        largest_offset = np.abs(self.offset).max(axis=1, initial=0.0)[index]
        largest_rate = np.abs(self.rates).max(axis=(1, 2), initial=0.0)[index]
        self.bounds = (dot_bound(weight, self.bounds[0].largest()[index], largest_offset, np.abs(bias)),
                       dot_bound(weight, self.bounds[1].largest()[index], largest_rate, None))
        self.offset, self.rates = offset, rates


@dataclass(frozen=True)
class _CellSigns:
    signs: list[list[int]]

    def __call__(self, piece: int) -> list[int]:
        return self.signs[piece]

    def ever_positive(self) -> bool:
        return any(s > 0 for cell in self.signs for s in cell)


def _exact_line(owner: _Cutting | PlaneAnalysis, line: Line) -> tuple[Fraction, Fraction, Fraction]:
    """The line as exact (c, a, b) with c + a·u + b·v = 0."""
    kind, first, second, third = line
    if kind == "side":
        axis, corner = first, owner.corners[second]
        return (-Fraction(corner), Fraction(1 - axis), Fraction(axis))
    offset, rate1, rate2 = owner.walk.affine(first, second, third)
    return offset, rate1, rate2


def _exact_vertex(owner: _Cutting | PlaneAnalysis, vertex: int) -> tuple[Fraction, Fraction]:
    """Where the vertex's two lines meet, exactly (Cramer's rule)."""
    vertices = owner.vertices
    if vertex not in vertices.exact:
        (c1, a1, b1), (c2, a2, b2) = (_exact_line(owner, line) for line in vertices.lines[vertex])
        determinant = a1 * b2 - a2 * b1
        vertices.exact[vertex] = ((b1 * c2 - b2 * c1) / determinant, (a2 * c1 - a1 * c2) / determinant)
    return vertices.exact[vertex]


def _times_transposed(values: Array, weight: Array) -> Array:
    """``values @ weight.T``, each sum over k = 0, 1, … in that order (as `reluviz.pieces` and the explorer)."""
    total = values[:, :1] * weight[:, 0]
    for k in range(1, values.shape[1]):
        total = total + values[:, k : k + 1] * weight[:, k]
    return total


def activation_regions(network: Network, lo: float, hi: float) -> list[Region]:
    """Every activation region of a two-input network inside the square [lo, hi]², exactly (see `analyze_plane`)."""
    if network.input_dim != 2:
        raise ValueError(f"network must take two inputs for a region map; it takes {network.input_dim}")
    if not network.activation.switches:
        raise ValueError(f"activation must switch (relu or leaky_relu) to have regions; got {network.activation.name!r}")
    lo, hi = check_interval(lo, hi)
    return analyze_plane(network, (lo, hi, lo, hi)).regions


def pixel_region_count(network: Network, lo: float, hi: float, pixels: int) -> tuple[int, Array]:
    """Distinct activation patterns at the centres of a ``pixels`` × ``pixels`` grid, and a label for each pixel:
    sampling, shown beside the exact count."""
    pixels = check_integer("pixels", pixels, 1)
    centres = lo + (np.arange(pixels) + 0.5) * (hi - lo) / pixels
    xx, yy = np.meshgrid(centres, centres)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    patterns = np.hstack(network.activation_pattern(points))
    _, labels = np.unique(patterns, axis=0, return_inverse=True)
    return int(labels.max()) + 1, labels.reshape(pixels, pixels)


def first_layer_crossings(network: Network) -> Array:
    """Where the first layer's lines cross each other, shaped (crossings, 2): exactly, so parallel lines (and only
    they) give none; each crossing is the double nearest to it."""
    weight, bias = network.layers[0].weight, network.layers[0].bias
    if weight.shape[1] != 2:
        raise ValueError(f"network must take two inputs; it takes {weight.shape[1]}")
    w = [[Fraction(float(v)) for v in row] for row in weight]
    b = [Fraction(float(v)) for v in bias]
    points = []
    for i in range(len(b)):
        for j in range(i + 1, len(b)):
            determinant = w[i][0] * w[j][1] - w[j][0] * w[i][1]
            if determinant:
                points.append((float((-b[i] * w[j][1] + b[j] * w[i][1]) / determinant),
                               float((-w[i][0] * b[j] + w[j][0] * b[i]) / determinant)))
    return np.array(points, dtype=float).reshape(-1, 2)


def arrangement_half_width(network: Network, margin: float = 1.15) -> float:
    """Half-width of a centred square holding every crossing of the first layer's lines and a point of each line,
    so that counting regions inside it counts all of the arrangement's regions."""
    weight, bias = network.layers[0].weight, network.layers[0].bias
    feet = [-bias[i] * weight[i] / np.dot(weight[i], weight[i]) for i in range(len(bias)) if np.any(weight[i])]
    points = np.concatenate([np.array(feet).reshape(-1, 2), first_layer_crossings(network)])
    return margin * max(1.0, float(np.abs(points).max())) if len(points) else 1.0


WHOLE_PLANE_REACH = 1e9
"""Half-width of the square in which `whole_plane_regions` looks for the arrangement's vertices."""


def whole_plane_regions(network: Network, reach: float = WHOLE_PLANE_REACH) -> tuple[list[Region], float]:
    """Every activation region of the whole plane, and the half-width of the square they were counted in.

    Regions are convex, so a square meets each region in one piece once it holds every vertex and a point of every
    boundary segment. Those are looked for on a square ``reach`` wide, and the count is taken on a square twice as
    wide as the farthest of them, where the arithmetic is at the scale of the network. A vertex beyond the first
    square would not be seen: the first square is far wider than any the site draws.
    """
    far = analyze_plane(network, (-reach, reach, -reach, reach))
    nearest = [0.0]
    edge = reach * (1 - 1e-9)
    for polygon in far.approximate_polygons():
        for p, q in zip(polygon, np.roll(polygon, -1, axis=0)):
            on_border = np.any((np.abs(p) >= edge) & (np.abs(q) >= edge) & (np.sign(p) == np.sign(q)))
            if not on_border:  # a piece of boundary: how close it comes to the origin
                step = q - p
                t = np.clip(-np.dot(p, step) / max(np.dot(step, step), 1e-300), 0.0, 1.0)
                nearest.append(float(np.abs(p + t * step).max()))
                nearest += [float(np.abs(v).max()) for v in (p, q) if np.abs(v).max() < edge]
    farthest = max(nearest)
    if farthest > reach / 2:
        raise ValueError(f"network has boundaries or vertices further out than {reach / 2:g}; the whole plane cannot be counted")
    half = 2.0 * max(farthest, arrangement_half_width(network))
    return analyze_plane(network, (-half, half, -half, half)).regions, half


def lines_in_general_position_regions(lines: int) -> int:
    """Regions cut from the plane by ``lines`` lines, no two parallel and no three through one point."""
    return 1 + lines + lines * (lines - 1) // 2


def region_upper_bound(widths: Sequence[int], activation: str = "relu") -> int:
    """The most activation regions that hidden layers of ``widths`` units can cut the plane into: an upper bound.

    With ReLU it is Theorem 1 of Serra, Tjandraatmadja and Ramalingam (2018) for two inputs: the sum, over every
    choice of j_l units that can cut each layer's regions, of the products of C(n_l, j_l), where j_l is at most 2,
    at most n_l and at most n_k − j_k for every earlier layer k (a layer that zeroes units flattens the image the next
    one cuts). Leaky ReLU and the identity zero nothing, so a region's image is at most a plane, which a layer of
    n units cuts into at most 1 + n + n(n − 1)/2 regions, as n lines cut the plane (2 for one unit); the product
    over the layers bounds the count. One layer reaches its bound when no two of its lines are parallel and no three
    meet in a point.

    Examples
    --------
    >>> region_upper_bound([6]), region_upper_bound([2, 2]), region_upper_bound([2, 2], "leaky_relu")
    (22, 11, 16)
    """
    if not widths or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in widths):
        raise ValueError(f"widths must be a non-empty list of whole numbers of units, each at least 1; got {list(widths)}")
    if activation != "relu":
        return math.prod(lines_in_general_position_regions(n) if n > 1 else 2 for n in widths)
    budgets = {2: 1}  # how many choices end with this many dimensions still free, and in how many ways
    for n in widths:
        following: dict[int, int] = {}
        for free, ways in budgets.items():
            for j in range(min(free, n) + 1):
                room = min(free, n - j)
                following[room] = following.get(room, 0) + ways * math.comb(n, j)
        budgets = following
    return sum(budgets.values())
