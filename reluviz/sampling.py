"""The Quora experiment's measurements: a one-input network sampled on a regular grid.

This is the experiment of Nathan Yan's Quora comment, kept as it was so the site can show it first: evaluate on
x = -100 … 100 in steps of 0.01, take finite differences, mark where they change, and count the hidden units that
are negative. Sampling is also what `reluviz.pieces` is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import ArgumentTypeError, check_interval, check_network, check_number, shown
from .network import Network

Array = np.ndarray

# The Quora experiment's grid: x = -100 … 100 in steps of 0.01.
QUORA_LO, QUORA_HI, QUORA_STEP = -100.0, 100.0, 0.01
MAX_GRID_POINTS = 10_000_000
"""The largest grid `grid` makes: 80 MB per float series; a larger grid is almost surely a typo in step."""
MAX_GRID_VALUES = 20_000_000
"""The most (grid point, hidden unit) pairs `measure_on_grid` evaluates at once (160 MB per layer)."""
# Finite-difference slopes that differ by less than this, relative to the largest one, count as unchanged.
SLOPE_CHANGE_RTOL = 1e-6


def grid(lo: float = QUORA_LO, hi: float = QUORA_HI, step: float = QUORA_STEP) -> Array:
    """``lo, lo + step, …, hi`` without floating drift: the count comes first, the points from ``linspace``.

    Parameters
    ----------
    lo, hi : float
        The ends, finite, lo < hi; both are grid points.
    step : float
        The spacing; ``(hi - lo) / step`` must be a whole number (within 1e-9).

    Returns
    -------
    ndarray
        The grid, at most `MAX_GRID_POINTS` points.

    Raises
    ------
    TypeError
        If ``lo``, ``hi`` or ``step`` is not a real number.
    ValueError
        If the interval is not valid, ``step`` does not divide it, or the grid would be too large.

    Examples
    --------
    >>> len(grid(-100, 100, 0.01))
    20001
    """
    lo, hi = check_interval(lo, hi)
    step = check_number("step", step, 0.0, open_minimum=True, allowed="a positive finite number")
    intervals = (hi - lo) / step
    if intervals + 1 > MAX_GRID_POINTS:
        raise ValueError(f"step is too small: the grid would have {intervals + 1:.0f} points (at most {MAX_GRID_POINTS:,})")
    count = round(intervals)
    if abs(intervals - count) > 1e-9 * max(1.0, intervals):
        raise ValueError(f"step must divide hi - lo into a whole number of steps; {hi - lo} / {step} = {intervals}")
    return np.linspace(lo, hi, count + 1)


@dataclass(frozen=True)
class GridMeasurements:
    """Everything the Quora experiment plotted, on one grid.

    Attributes
    ----------
    x, output : ndarray
        The grid and the network's output on it (the blue series).
    slope : ndarray
        ``slope[i]`` is the finite difference between points i and i+1.
    slope_changed : ndarray of bool
        True at an interior point where the finite differences on its two sides disagree (the green series).
    negative : ndarray of int
        How many hidden units have a negative input at ``x[i]`` (the orange series).

    Examples
    --------
    >>> from reluviz import Network
    >>> samples = measure_on_grid(Network.random([1, 10, 1], seed=0))
    >>> len(samples.x), int(samples.negative.min()), int(samples.negative.max())
    (20001, 2, 8)
    """

    x: Array
    output: Array
    slope: Array
    slope_changed: Array
    negative: Array


def measure_on_grid(
    network: Network, lo: float = QUORA_LO, hi: float = QUORA_HI, step: float = QUORA_STEP
) -> GridMeasurements:
    """The Quora experiment's series for a network with one input and one output.

    Parameters
    ----------
    network : Network
        One input, one output, any activation.
    lo, hi, step : float
        The grid, as for `grid`.

    Returns
    -------
    GridMeasurements

    Raises
    ------
    TypeError
        If ``network`` is not a Network, or ``lo``, ``hi`` or ``step`` is not a real number.
    ValueError
        If the network has more than one input or output, or the grid is not valid.

    Examples
    --------
    >>> from reluviz import Network
    >>> net = Network([([[1.0]], [-0.5]), ([[1.0]], [0.0])])  # relu(x − ½)
    >>> samples = measure_on_grid(net, -1, 1, 0.25)
    >>> samples.slope.tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    """
    network = check_network("network", network)
    if network.input_dim != 1 or network.output_dim != 1:
        raise ValueError(
            f"network must have one input and one output to be sampled on a grid; it has {network.widths[0]} and {network.widths[-1]}"
        )
    x = grid(lo, hi, step)
    if len(x) * max(network.widths[1:-1], default=1) > MAX_GRID_VALUES:
        raise ValueError(
            f"step is too small for this network: {len(x):,} points × {max(network.widths[1:-1]):,} units is more than "
            f"{MAX_GRID_VALUES:,} values"
        )
    output = network.forward(x)[:, 0]
    slope = np.diff(output) / np.diff(x)
    tolerance = SLOPE_CHANGE_RTOL * max(1.0, float(np.abs(slope).max()))
    slope_changed = np.zeros(len(x), dtype=bool)
    slope_changed[1:-1] = np.abs(np.diff(slope)) > tolerance
    return GridMeasurements(x, output, slope, slope_changed, network.negative_count(x))


def sampled_kink_count(measurements: GridMeasurements) -> int:
    """How many kinks the grid reveals: each run of adjacent "slope changed" marks is one.

    A kink strictly between two grid points marks both of them; two kinks within one step merge into one run,
    which is how sampling misses kinks that the exact analysis finds.

    Parameters
    ----------
    measurements : GridMeasurements
        What `measure_on_grid` returned.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``measurements`` is not a GridMeasurements.
    ValueError
        If its ``slope_changed`` is not a non-empty 1-D bool array.

    Examples
    --------
    >>> from reluviz import Network
    >>> net = Network([([[1.0], [1.0]], [-0.501, -0.504]), ([[1.0, 1.0]], [0.0])])  # kinks 0.003 apart
    >>> sampled_kink_count(measure_on_grid(net, -1, 1, 0.01))
    1
    """
    if not isinstance(measurements, GridMeasurements):
        raise ArgumentTypeError(f"measurements must be the GridMeasurements that measure_on_grid returns; got {shown(measurements)}")
    changed = measurements.slope_changed
    if not (isinstance(changed, np.ndarray) and changed.dtype == bool and changed.ndim == 1 and len(changed)):
        raise ValueError(f"measurements.slope_changed must be a non-empty 1-D bool array; got {shown(changed)}")
    marks = changed.astype(np.int8)
    return int(np.count_nonzero(np.diff(marks) == 1) + marks[0])
