"""A slow, exact reference for the piecewise-linear analysis of a network, for property tests of the fast code.

The fast code in reluviz works in floating point and has to decide, for instance, whether two units switch at the
same place. This module answers the same questions with `fractions.Fraction` only (every float64 is a dyadic
rational, so ``Fraction(weight)`` loses nothing), by the plainest algorithm that is plainly right: follow the
network layer by layer, cut the input into the places where some hidden unit changes sign, and keep the exact affine
map on each place. It is written apart from `reluviz.pieces` and `reluviz.regions` on purpose, so that it cannot
share their mistakes; speed is no concern.

Conventions, the same as `reluviz.Network.activation_pattern` and `reluviz.Network.negative_count`: a unit is *on*
where its pre-activation is > 0 and *off* where it is <= 0, so a zero pre-activation is off; a unit is *negative* only
where its pre-activation is < 0, so a unit that is identically zero is off but not negative.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from reluviz import Network

Number = Fraction | int | float
Affine = tuple[Fraction, ...]
"""An affine map of the parameters as (constant, coefficient of parameter 1, ...): (A, R) on a line, (c, g1, g2)
on the plane."""
Pattern = tuple[tuple[bool, ...], ...]
"""Per hidden layer, per unit: whether the unit is on (pre-activation > 0)."""
Point = tuple[Fraction, Fraction]
ExactLayer = tuple[list[list[Fraction]], list[Fraction]]


def _rational(value: Number) -> Fraction:
    """A finite number as the exact rational it stands for; a float is read bit for bit, never rounded."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number; got {value!r}")
    return Fraction(value)


def _exact_layers(network: Network) -> tuple[list[ExactLayer], Fraction]:
    """The weights and biases as exact rationals, and the activation's slope left of zero."""
    alpha = network.activation.negative_slope
    if alpha is None:
        raise ValueError(f"the exact analysis needs a piecewise-linear activation; got {network.activation.name!r}")
    layers = [
        ([[Fraction(float(w)) for w in row] for row in layer.weight], [Fraction(float(b)) for b in layer.bias])
        for layer in network.layers
    ]
    return layers, Fraction(alpha)


def _input_dim(layers: list[ExactLayer]) -> int:
    return len(layers[0][0][0])


def _activate(z: Fraction, alpha: Fraction) -> Fraction:
    return z if z > 0 else alpha * z


def _all_preactivations(network: Network, x: Sequence[Number]) -> list[list[Fraction]]:
    """Every layer's pre-activations at x, the output layer's last: the exact forward pass."""
    layers, alpha = _exact_layers(network)
    h = [_rational(v) for v in x]
    if len(h) != _input_dim(layers):
        raise ValueError(f"x must have {_input_dim(layers)} coordinates; got {len(h)}")
    zs = []
    for weight, bias in layers:
        z = [sum((w * v for w, v in zip(row, h)), b) for row, b in zip(weight, bias)]
        zs.append(z)
        h = [_activate(v, alpha) for v in z]
    return zs


def exact_forward(network: Network, x: Sequence[Number]) -> list[Fraction]:
    """The network's outputs at the rational input x, computed exactly (the floats of x are read exactly)."""
    return _all_preactivations(network, x)[-1]


def exact_preactivations(network: Network, x: Sequence[Number]) -> list[list[Fraction]]:
    """The hidden layers' pre-activations at x, exactly: what patterns and negative counts are read from."""
    return _all_preactivations(network, x)[:-1]


def _compose(weight: list[list[Fraction]], bias: list[Fraction], inputs: list[Affine]) -> list[Affine]:
    """A layer's pre-activations as affine maps of the parameters, given its inputs as affine maps of them."""
    size = len(inputs[0])
    maps = []
    for row, b in zip(weight, bias):
        coefficients = [b] + [Fraction(0)] * (size - 1)
        for w, h in zip(row, inputs):
            coefficients = [c + w * hk for c, hk in zip(coefficients, h)]
        maps.append(tuple(coefficients))
    return maps


def _at(f: Affine, point: Sequence[Fraction]) -> Fraction:
    return f[0] + sum((c * x for c, x in zip(f[1:], point)), Fraction(0))


def _activated(f: Affine, on: bool, alpha: Fraction) -> Affine:
    """The unit's output map where its sign is fixed: the pre-activation times the activation's slope there."""
    return f if on else tuple(alpha * c for c in f)


@dataclass(frozen=True)
class ExactLine:
    """The exact piecewise-affine form of a network along a line, pieces ordered from lo to hi.

    Piece k runs from ``boundaries[k - 1]`` (or lo) to ``boundaries[k]`` (or hi); on it the outputs are
    ``intercepts[k][j] + slopes[k][j] * s``. ``lo`` and ``hi`` are Fractions, or float infinities for an unbounded end.
    """

    lo: Fraction | float
    hi: Fraction | float
    boundaries: list[Fraction]
    kinks: list[Fraction]
    slopes: list[list[Fraction]]
    intercepts: list[list[Fraction]]
    negative: list[int]
    patterns: list[Pattern]

    def piece_of(self, s: Number) -> int:
        """The index of the piece holding s; a point on a boundary belongs to the piece on its right."""
        q = _rational(s)
        if not self.lo <= q <= self.hi:
            raise ValueError(f"s = {s} is outside [{self.lo}, {self.hi}]")
        return bisect.bisect_right(self.boundaries, q)

    def value(self, s: Number) -> list[Fraction]:
        """The outputs at s from the piece's affine map, to compare with `exact_forward` at the same point."""
        k = self.piece_of(s)
        q = _rational(s)
        return [c + m * q for c, m in zip(self.intercepts[k], self.slopes[k])]


class _Stretch(NamedTuple):
    """Part of the line, between two ends (None where unbounded), with the current layer's inputs on it."""

    left: Fraction | None
    right: Fraction | None
    inputs: list[Affine]
    pattern: Pattern
    negative: int


def _end(value: Number, infinity: float, name: str) -> Fraction | None:
    """An end of the interval as a rational, or None for an infinite end (only -inf for lo, +inf for hi)."""
    if value == infinity:
        return None
    try:
        return _rational(value)
    except ValueError:
        raise ValueError(f"{name} must be finite or {infinity}; got {value!r}") from None


def _inside(s: Fraction, left: Fraction | None, right: Fraction | None) -> bool:
    return (left is None or left < s) and (right is None or s < right)


def _interior_point(left: Fraction | None, right: Fraction | None) -> Fraction:
    """A rational point strictly between the ends, where a sign that is constant on the stretch can be read."""
    if left is None and right is None:
        return Fraction(0)
    if left is None:
        return right - 1
    if right is None:
        return left + 1
    return (left + right) / 2


def exact_line(
    network: Network,
    lo: Number,
    hi: Number,
    origin: Sequence[Number] | None = None,
    direction: Sequence[Number] | None = None,
) -> ExactLine:
    """The exact pieces, boundaries and kinks of the network on x(s) = origin + s * direction for s in [lo, hi].

    Parameters
    ----------
    network : Network
        With a piecewise-linear activation.
    lo, hi : float or Fraction
        The ends of the stretch of s; lo may be -inf and hi +inf.
    origin, direction : sequence of float or Fraction
        The line through the input space; by default [0] and [1], so that s is a one-input network's input.

    Returns
    -------
    ExactLine
    """
    layers, alpha = _exact_layers(network)
    origin_q = [Fraction(0)] if origin is None else [_rational(v) for v in origin]
    direction_q = [Fraction(1)] if direction is None else [_rational(v) for v in direction]
    if not len(origin_q) == len(direction_q) == _input_dim(layers):
        raise ValueError(f"origin and direction must have {_input_dim(layers)} coordinates, as the network's input")
    left, right = _end(lo, -math.inf, "lo"), _end(hi, math.inf, "hi")
    if left is not None and right is not None and not left < right:
        raise ValueError(f"lo must be less than hi; got [{lo}, {hi}]")

    stretches = [_Stretch(left, right, [(o, d) for o, d in zip(origin_q, direction_q)], (), 0)]
    for weight, bias in layers[:-1]:
        split = []
        for stretch in stretches:
            z = _compose(weight, bias, stretch.inputs)
            # On the stretch each unit is affine, so it changes sign exactly at its root when its slope is not 0, and
            # nowhere else inside. A set, so that units switching at the same rational make one boundary; strictly
            # inside, so that a switch at an existing boundary (or at lo or hi) makes none.
            roots = sorted({-a / r for a, r in z if r != 0 and _inside(-a / r, stretch.left, stretch.right)})
            ends = [stretch.left, *roots, stretch.right]
            for start, stop in zip(ends[:-1], ends[1:]):
                point = _interior_point(start, stop)
                values = [_at(f, [point]) for f in z]
                on = tuple(v > 0 for v in values)
                split.append(
                    _Stretch(
                        start,
                        stop,
                        [_activated(f, u, alpha) for f, u in zip(z, on)],
                        stretch.pattern + (on,),
                        stretch.negative + sum(v < 0 for v in values),
                    )
                )
        stretches = split

    outputs = [_compose(*layers[-1], stretch.inputs) for stretch in stretches]
    slopes = [[r for _, r in out] for out in outputs]
    boundaries = [stretch.left for stretch in stretches[1:]]
    return ExactLine(
        lo=-math.inf if left is None else left,
        hi=math.inf if right is None else right,
        boundaries=boundaries,
        kinks=[b for b, before, after in zip(boundaries, slopes, slopes[1:]) if before != after],
        slopes=slopes,
        intercepts=[[a for a, _ in out] for out in outputs],
        negative=[stretch.negative for stretch in stretches],
        patterns=[stretch.pattern for stretch in stretches],
    )


@dataclass(frozen=True)
class ExactRegion:
    """One activation region of a two-input network inside a square: a convex polygon and its sign pattern.

    ``vertices`` run counter-clockwise, with no vertex repeated and none on the segment between its neighbours.
    """

    vertices: list[Point]
    pattern: Pattern

    @property
    def area(self) -> Fraction:
        """The shoelace area: positive because the vertices run counter-clockwise; the areas sum to the square's."""
        n = len(self.vertices)
        twice = Fraction(0)
        for i, (x0, y0) in enumerate(self.vertices):
            x1, y1 = self.vertices[(i + 1) % n]
            twice += x0 * y1 - x1 * y0
        return twice / 2


class _Cell(NamedTuple):
    polygon: list[Point]
    inputs: list[Affine]
    pattern: Pattern


def _clip(polygon: list[Point], values: list[Fraction], sign: int) -> list[Point]:
    """The part of a convex polygon where sign * f >= 0, given f at its vertices (Sutherland–Hodgman, one line).

    The order of the vertices is kept, so the part is counter-clockwise too. Called only when f is > 0 at some vertex
    and < 0 at another, and then the part needs no tidying: new vertices lie strictly inside edges, and only the two
    ends of the chord lie on the line, so no vertex repeats and none is collinear with its neighbours.
    """
    part = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        fp, fq = values[i], values[(i + 1) % n]
        if sign * fp >= 0:
            part.append(p)
        if fp * fq < 0:
            t = fp / (fp - fq)
            part.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return part


def _cut(polygon: list[Point], f: Affine) -> list[list[Point]]:
    """The parts of positive area on each side of the line f = 0: the polygon itself when the line misses its inside."""
    values = [_at(f, p) for p in polygon]
    if all(v >= 0 for v in values) or all(v <= 0 for v in values):
        return [polygon]
    return [_clip(polygon, values, 1), _clip(polygon, values, -1)]


def _vertex_centroid(polygon: list[Point]) -> Point:
    """A point strictly inside a convex polygon of positive area, where its constant signs can be read."""
    n = len(polygon)
    return (sum((p[0] for p in polygon), Fraction(0)) / n, sum((p[1] for p in polygon), Fraction(0)) / n)


def exact_regions(network: Network, lo: Number, hi: Number) -> list[ExactRegion]:
    """The exact activation regions of a two-input network inside the square [lo, hi]^2.

    Each region is a maximal part of the square of positive area on which every hidden unit's sign is constant.
    Cells are cut layer by layer, so two cells always differ in the sign of the unit whose line first separated
    them, and each pattern's region (an intersection of half-planes, hence convex) is exactly one cell.

    Parameters
    ----------
    network : Network
        With two inputs and a piecewise-linear activation.
    lo, hi : float or Fraction
        Finite, lo < hi.

    Returns
    -------
    list of ExactRegion
    """
    layers, alpha = _exact_layers(network)
    if _input_dim(layers) != 2:
        raise ValueError(f"exact_regions needs a two-input network; this one has {_input_dim(layers)} inputs")
    low, high = _rational(lo), _rational(hi)
    if not low < high:
        raise ValueError(f"lo must be less than hi; got [{lo}, {hi}]")
    one, zero = Fraction(1), Fraction(0)
    square = [(low, low), (high, low), (high, high), (low, high)]
    cells = [_Cell(square, [(zero, one, zero), (zero, zero, one)], ())]
    for weight, bias in layers[:-1]:
        split = []
        for cell in cells:
            z = _compose(weight, bias, cell.inputs)
            polygons = [cell.polygon]
            for f in z:
                polygons = [part for polygon in polygons for part in _cut(polygon, f)]
            for polygon in polygons:
                centre = _vertex_centroid(polygon)
                on = tuple(_at(f, centre) > 0 for f in z)
                split.append(_Cell(polygon, [_activated(f, u, alpha) for f, u in zip(z, on)], cell.pattern + (on,)))
        cells = split
    return [ExactRegion(cell.polygon, cell.pattern) for cell in cells]


def exact_region_count(network: Network, lo: Number, hi: Number) -> int:
    """How many activation regions the two-input network has inside [lo, hi]^2, exactly."""
    return len(exact_regions(network, lo, hi))
