"""Linear regions of a two-input network, exactly: the plane cut into convex polygons.

It is `reluviz.pieces` one dimension up. On the starting square every first-layer pre-activation is an affine
function of the input, and its zero set is a line; cutting the square along each line leaves convex polygons on
which the first layer's pattern is fixed. There the second layer's pre-activations are affine, so their zero lines
cut each polygon further, and so on. Every final polygon is one activation region: a set on which the network is
one affine map. A region is convex, so it is never cut in two pieces with the same pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_integer, check_interval
from .network import Network

Array = np.ndarray

# A vertex this close to a cutting line (relative to the size of the values involved) is on it.
VALUE_RTOL = 1e-12


@dataclass(frozen=True)
class Region:
    """A convex polygon (vertices counter-clockwise, shaped (k, 2)) with its activation pattern, hidden layer by layer."""

    polygon: Array
    pattern: tuple[tuple[bool, ...], ...]


def _area(polygon: Array) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _cut(polygon: Array, offset: float, gradient: Array) -> tuple[Array | None, Array | None]:
    """The parts of ``polygon`` where ``offset + gradient·p`` is > 0 and ≤ 0 (None where a part is empty).

    A vertex within rounding of the line belongs to both parts, so a line through a vertex leaves no sliver.
    """
    values = offset + polygon @ gradient
    tolerance = VALUE_RTOL * (abs(offset) + float(np.abs(polygon).max()) * float(np.abs(gradient).sum()))
    if np.all(values >= -tolerance) and not np.all(values <= tolerance):
        return polygon, None
    if np.all(values <= tolerance):
        return None, polygon
    positive, negative = [], []
    for i in range(len(polygon)):
        p, q = polygon[i], polygon[(i + 1) % len(polygon)]
        vp, vq = values[i], values[(i + 1) % len(polygon)]
        if vp >= -tolerance:
            positive.append(p)
        if vp <= tolerance:
            negative.append(p)
        if (vp > tolerance and vq < -tolerance) or (vp < -tolerance and vq > tolerance):
            crossing = p + (vp / (vp - vq)) * (q - p)
            positive.append(crossing)
            negative.append(crossing)
    return (np.array(positive) if len(positive) >= 3 else None), (np.array(negative) if len(negative) >= 3 else None)


def activation_regions(network: Network, lo: float, hi: float) -> list[Region]:
    """Every activation region of a two-input ReLU (or leaky ReLU) network inside the square [lo, hi]²."""
    if network.input_dim != 2:
        raise ValueError(f"network must take two inputs for a region map; it takes {network.input_dim}")
    if not network.activation.switches:
        raise ValueError(f"activation must switch (relu or leaky_relu) to have regions; got {network.activation.name!r}")
    lo, hi = check_interval(lo, hi)
    square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], dtype=float)
    first = network.layers[0]
    # Each cell: (polygon, pattern so far, offset and gradient of the current layer's pre-activations).
    cells: list[tuple[Array, tuple[tuple[bool, ...], ...], Array, Array]] = [(square, (), first.bias.copy(), first.weight.copy())]
    slope_off = float(network.activation.negative_slope or 0.0)  # not None: the activation switches
    for next_layer in network.layers[1:]:
        refined = []
        for polygon, pattern, offset, gradient in cells:
            pieces: list[tuple[Array, tuple[bool, ...]]] = [(polygon, ())]
            for unit in range(len(offset)):
                pieces = [
                    (part, signs + (sign,))
                    for piece, signs in pieces
                    for part, sign in zip(_cut(piece, offset[unit], gradient[unit]), (True, False))
                    if part is not None and _area(part) > 0
                ]
            for piece, signs in pieces:
                factor = np.where(signs, 1.0, slope_off)
                refined.append(
                    (piece, pattern + (signs,), next_layer.weight @ (factor * offset) + next_layer.bias,
                     next_layer.weight @ (factor[:, None] * gradient))
                )
        cells = refined
    return [Region(polygon, pattern) for polygon, pattern, _, _ in cells]


def pixel_region_count(network: Network, lo: float, hi: float, pixels: int) -> tuple[int, Array]:
    """Distinct activation patterns at the centres of a ``pixels`` × ``pixels`` grid, and a label for each pixel."""
    pixels = check_integer("pixels", pixels, 1)
    centres = lo + (np.arange(pixels) + 0.5) * (hi - lo) / pixels
    xx, yy = np.meshgrid(centres, centres)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    patterns = np.hstack(network.activation_pattern(points))
    _, labels = np.unique(patterns, axis=0, return_inverse=True)
    return int(labels.max()) + 1, labels.reshape(pixels, pixels)


def first_layer_crossings(network: Network) -> Array:
    """Where the first layer's lines cross each other, shaped (crossings, 2); parallel lines give none."""
    weight, bias = network.layers[0].weight, network.layers[0].bias
    if weight.shape[1] != 2:
        raise ValueError(f"network must take two inputs; it takes {weight.shape[1]}")
    points = [
        np.linalg.solve(weight[[i, j]], -bias[[i, j]])
        for i in range(len(bias)) for j in range(i + 1, len(bias))
        if abs(np.linalg.det(weight[[i, j]])) > 1e-12
    ]
    return np.array(points).reshape(-1, 2)


def arrangement_half_width(network: Network, margin: float = 1.15) -> float:
    """Half-width of a centred square holding every crossing of the first layer's lines and a point of each line,
    so that counting regions inside it counts all of the arrangement's regions."""
    weight, bias = network.layers[0].weight, network.layers[0].bias
    feet = [-bias[i] * weight[i] / np.dot(weight[i], weight[i]) for i in range(len(bias)) if np.any(weight[i])]
    points = np.concatenate([np.array(feet).reshape(-1, 2), first_layer_crossings(network)])
    return margin * max(1.0, float(np.abs(points).max())) if len(points) else 1.0


def whole_plane_regions(network: Network, reach: float = 1e9) -> tuple[list[Region], float]:
    """Every activation region of the whole plane, and the half-width of the square they were counted in.

    Regions are convex, so a square meets each region in one piece once it holds every vertex and a point of every
    boundary segment. Those are found on a square ``reach`` wide, and the count is taken on a square twice as wide as
    the farthest of them, where the arithmetic is at the scale of the network.
    """
    far = activation_regions(network, -reach, reach)
    nearest = [0.0]
    for polygon in (region.polygon for region in far):
        for p, q in zip(polygon, np.roll(polygon, -1, axis=0)):
            on_border = np.any((np.abs(p) >= reach * (1 - 1e-9)) & (np.abs(q) >= reach * (1 - 1e-9)) & (np.sign(p) == np.sign(q)))
            if not on_border:  # a piece of boundary: how close it comes to the origin
                step = q - p
                t = np.clip(-np.dot(p, step) / max(np.dot(step, step), 1e-300), 0.0, 1.0)
                nearest.append(float(np.abs(p + t * step).max()))
                nearest += [float(np.abs(v).max()) for v in (p, q) if np.abs(v).max() < reach * (1 - 1e-9)]
    farthest = max(nearest)
    if farthest > reach / 2:
        raise ValueError(f"network has boundaries or vertices further out than {reach / 2:g}; the whole plane cannot be counted")
    half = 2.0 * max(farthest, arrangement_half_width(network))
    return activation_regions(network, -half, half), half


def lines_in_general_position_regions(lines: int) -> int:
    """Regions cut from the plane by ``lines`` lines, no two parallel and no three through one point."""
    return 1 + lines + lines * (lines - 1) // 2
