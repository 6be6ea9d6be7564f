"""Measurements the figures share, made on networks with one input (numpy only).

- `kink_spread`: how many of a network's kinks the data can tell apart. Training can move several kinks into the
  same gap between two neighbouring data points; the data then see one bend where the function has several, so
  the number of gaps that hold a kink (its *effective* kinks) can fall while the number of kinks stays the same.
- `pieces_at_random_init`: the exact whole-line piece count of He-initialised networks, drawn in batches until
  the mean is known to a given standard error.
- `most_pieces_found`: a seeded search for a network of a given shape with as many pieces as it can find, each
  counted exactly by `reluviz.analyze_line` over the whole line. What it finds is a lower bound on the most
  pieces the shape can have, never more than that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .checks import check_integer
from .network import Layer, Network
from .pieces import analyze_line
from .portable_random import derived_seed, standard_normal

Array = np.ndarray


@dataclass(frozen=True)
class KinkSpread:
    """Where a network's kinks lie against its data points (see `kink_spread`).

    Attributes
    ----------
    kinks : int
        Kinks on the whole line.
    in_band : int
        Kinks from the first data point to the last.
    gaps : int
        Gaps between consecutive data points (one fewer than the points).
    occupied_gaps : int
        Gaps that hold at least one kink: the kinks the data can tell apart, its *effective* kinks.
    most_in_one_gap : int
        The most kinks in a single gap (0 if none is in the band).
    narrow_pieces : int
        Finite pieces (between two consecutive kinks, anywhere on the line) narrower than the data's spacing.
    finite_pieces : int
        Finite pieces in all: one fewer than the kinks, or none.
    spacing : float
        The smallest distance between two consecutive data points.
    """

    kinks: int
    in_band: int
    gaps: int
    occupied_gaps: int
    most_in_one_gap: int
    narrow_pieces: int
    finite_pieces: int
    spacing: float


def kink_spread(kinks: Array, data_x: Array) -> KinkSpread:
    """How a network's kinks lie among its data points: how many gaps between consecutive data points hold a
    kink, and how many pieces are narrower than the data's spacing.

    Gap ``i`` is the half-open interval from data point ``i`` to data point ``i + 1`` (the last gap also holds the
    last point). Kinks outside the data's band fall in no gap.

    Parameters
    ----------
    kinks : array of float
        The network's kinks on the whole line (`reluviz.PiecewiseLinear.breakpoints`).
    data_x : array of float
        The data's inputs, at least two distinct points, in any order.

    Returns
    -------
    KinkSpread

    Raises
    ------
    ValueError
        If ``data_x`` has fewer than two distinct points, or either array holds NaN or infinity.

    Examples
    --------
    >>> spread = kink_spread(np.array([0.11, 0.12, 0.13, 0.55, 2.0]), np.linspace(0.0, 1.0, 11))
    >>> spread.in_band, spread.occupied_gaps, spread.most_in_one_gap, spread.narrow_pieces
    (4, 2, 3, 2)
    """
    kinks = np.sort(np.asarray(kinks, dtype=float).ravel())
    points = np.unique(np.asarray(data_x, dtype=float).ravel())
    if not (np.all(np.isfinite(kinks)) and np.all(np.isfinite(points))):
        raise ValueError("kinks and data_x must be finite numbers")
    if len(points) < 2:
        raise ValueError(f"data_x must hold at least two distinct points; got {len(points)}")
    inside = kinks[(kinks >= points[0]) & (kinks <= points[-1])]
    gap = np.minimum(np.searchsorted(points, inside, side="right") - 1, len(points) - 2)
    per_gap = np.bincount(gap, minlength=len(points) - 1)
    spacing = float(np.diff(points).min())
    widths = np.diff(kinks)
    return KinkSpread(
        kinks=len(kinks),
        in_band=len(inside),
        gaps=len(points) - 1,
        occupied_gaps=int(np.count_nonzero(per_gap)),
        most_in_one_gap=int(per_gap.max()),
        narrow_pieces=int(np.count_nonzero(widths < spacing)),
        finite_pieces=len(widths),
        spacing=spacing,
    )


def mean_and_standard_error(values: Array) -> tuple[float, float]:
    """The mean of ``values`` and its standard error, the sample standard deviation (n − 1) over √n; the error of a
    single value is 0."""
    values = np.asarray(values, dtype=float).ravel()
    if not len(values):
        raise ValueError("values must hold at least one number")
    if len(values) == 1:
        return float(values[0]), 0.0
    return float(values.mean()), float(values.std(ddof=1) / math.sqrt(len(values)))


@dataclass(frozen=True)
class RandomCounts:
    """The networks of one shape drawn by `pieces_at_random_init`: for each, its pieces on the whole line and
    whether some hidden layer is off at every input; for the first few, its pieces on the window."""

    hidden: tuple[int, ...]
    whole_line: Array
    in_window: Array
    dead_layer: Array

    @property
    def networks(self) -> int:
        return len(self.whole_line)


def pieces_at_random_init(
    hidden: Sequence[int], seed: int, first: int, batch: int, relative_error: float, limit: int,
    window: tuple[float, float], window_networks: int,
) -> RandomCounts:
    """Count the pieces of He-initialised networks (weights and biases) with one input, one output and these hidden
    widths, exactly over the whole line, drawing networks until the mean's standard error is at most
    ``relative_error`` times ``sum(hidden) + 1`` (the expected count for wide layers).

    ``first`` networks are drawn, then ``batch`` more at a time, up to ``limit``. Network ``k`` is drawn with
    seed ``derived_seed(seed, k)``, so a run that stops later holds the networks of one that stopped earlier. The
    first ``window_networks`` of them are analysed on ``window`` too (``in_window`` holds their counts only).
    """
    first = check_integer("first", first, 1)
    batch = check_integer("batch", batch, 1)
    limit = check_integer("limit", limit, first)
    if not (relative_error > 0 and math.isfinite(relative_error)):
        raise ValueError(f"relative_error must be a positive number; got {relative_error!r}")
    widths = [1, *hidden, 1]
    scale = sum(hidden) + 1
    whole: list[int] = []
    inside: list[int] = []
    dead: list[bool] = []
    while len(whole) < limit:
        wanted = first if not whole else min(batch, limit - len(whole))
        for k in range(len(whole), len(whole) + wanted):
            net = Network.random(widths, init="he", seed=derived_seed(seed, k))
            pieces = analyze_line(net, -math.inf, math.inf)
            whole.append(pieces.linear_pieces)
            if k < window_networks:
                inside.append(analyze_line(net, *window).linear_pieces)
            dead.append(not pieces.layer_ever_on().all())
        if mean_and_standard_error(np.array(whole))[1] <= relative_error * scale:
            break
    return RandomCounts(tuple(hidden), np.array(whole), np.array(inside), np.array(dead))


def _network(parameters: Array, widths: Sequence[int]) -> Network:
    layers, start = [], 0
    for rows, columns in zip(widths[1:], widths[:-1]):
        weight = parameters[start : start + rows * columns].reshape(rows, columns)
        start += rows * columns
        layers.append(Layer(weight, parameters[start : start + rows]))
        start += rows
    return Network(layers, "relu")


def _parameters(network: Network) -> Array:
    return np.concatenate([np.concatenate([layer.weight.ravel(), layer.bias]) for layer in network.layers])


def _pieces(parameters: Array, widths: Sequence[int]) -> int:
    return analyze_line(_network(parameters, widths), -math.inf, math.inf).linear_pieces


@dataclass(frozen=True)
class SearchResult:
    """What `most_pieces_found` found: the most pieces, a network that has them, and how many networks it counted."""

    hidden: tuple[int, ...]
    pieces: int
    network: Network
    networks: int


def most_pieces_found(hidden: Sequence[int], networks: int, seed: int, starts: Sequence[Network] = (),
                      random_starts: int = 4) -> SearchResult:
    """A seeded search for a network with these hidden widths and as many pieces over the whole line as it can find.

    From each start (the given ``starts``, then ``random_starts`` networks with standard-normal weights and
    biases) it climbs: it adds normal noise to every weight and bias, with a size that shrinks from 30 % to 0.3 %
    of the start's root-mean-square parameter, and keeps the new network when it has at least as many pieces.
    The ``networks`` counts (each by `reluviz.analyze_line` over the whole line) are shared evenly between the
    starts. The result is a lower bound on the most pieces the shape can have.

    Examples
    --------
    >>> most_pieces_found([2], 20, seed=0).pieces  # one layer of n units: n + 1
    3
    """
    networks = check_integer("networks", networks, 1)
    widths = [1, *(check_integer(f"hidden[{i}]", n, 1) for i, n in enumerate(hidden)), 1]
    size = sum(rows * columns + rows for rows, columns in zip(widths[1:], widths[:-1]))
    draws = iter(range(10**9))

    def noise() -> Array:
        return standard_normal(derived_seed(seed, next(draws)), 0, np.arange(size), np.zeros(size, dtype=int))

    beginnings = [_parameters(start) for start in starts] + [noise() for _ in range(random_starts)]
    if any(len(start) != size for start in beginnings):
        raise ValueError(f"every start must have hidden widths {list(hidden)}")
    per_start = max(1, networks // len(beginnings))
    best, best_parameters, counted = -1, beginnings[0], 0
    for start in beginnings:
        current, current_pieces = start, _pieces(start, widths)
        counted += 1
        scale = float(np.sqrt(np.mean(start**2))) or 1.0
        for step in range(per_start - 1):
            size_now = scale * (0.3 * (1.0 - step / per_start) + 0.003)
            candidate = current + size_now * noise()
            pieces = _pieces(candidate, widths)
            counted += 1
            if pieces >= current_pieces:
                current, current_pieces = candidate, pieces
        if current_pieces > best:
            best, best_parameters = current_pieces, current
    return SearchResult(tuple(hidden), best, _network(best_parameters, widths), counted)
