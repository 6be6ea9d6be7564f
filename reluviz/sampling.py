"""The seed's measurements: a scalar network sampled on a regular grid.

This is the experiment of Nathan Yan's Quora comment, kept as it was so the site can show it first: evaluate on
x = -100 … 100 in steps of 0.01, take finite differences, mark where they change, and count the hidden units that
are negative. Sampling is also what :mod:`reluviz.pieces` is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .pieces import check_interval

Array = np.ndarray

# 10 million points is 80 MB per float series; a larger grid is almost surely a typo in step.
MAX_GRID_POINTS = 10_000_000
# Finite-difference slopes that differ by less than this, relative to the largest one, count as unchanged.
SLOPE_CHANGE_RTOL = 1e-6


def grid(lo: float = -100.0, hi: float = 100.0, step: float = 0.01) -> Array:
    """``lo, lo + step, …, hi`` without floating drift: the count comes first, the points from ``linspace``.

    ``(hi - lo) / step`` must be a whole number (within 1e-9), so that ``hi`` itself is a grid point.
    """
    lo, hi = check_interval(lo, hi)
    step = float(step)
    if not (np.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive finite number; got {step}")
    intervals = (hi - lo) / step
    if intervals + 1 > MAX_GRID_POINTS:
        raise ValueError(f"step is too small: the grid would have {intervals + 1:.0f} points (at most {MAX_GRID_POINTS:,})")
    count = round(intervals)
    if abs(intervals - count) > 1e-9 * max(1.0, intervals):
        raise ValueError(f"step must divide hi - lo into a whole number of steps; {hi - lo} / {step} = {intervals}")
    return np.linspace(lo, hi, count + 1)


@dataclass(frozen=True)
class GridMeasurements:
    """Everything the seed plotted, on one grid.

    ``slope[i]`` is the finite difference between points i and i+1; ``slope_changed[i]`` is True at an interior
    point where the finite differences on its two sides disagree (the green series); ``inactive[i]`` counts hidden
    units with pre-activation ≤ 0 at x[i] (the orange series).
    """

    x: Array
    output: Array
    slope: Array
    slope_changed: Array
    inactive: Array


def measure_on_grid(network: Network, lo: float = -100.0, hi: float = 100.0, step: float = 0.01) -> GridMeasurements:
    """The seed's four series for a network with one input and one output."""
    if network.input_dim != 1 or network.output_dim != 1:
        raise ValueError(
            f"network must have one input and one output to be sampled on a grid; it has {network.widths[0]} and {network.widths[-1]}"
        )
    x = grid(lo, hi, step)
    output = network.forward(x)[:, 0]
    slope = np.diff(output) / np.diff(x)
    tolerance = SLOPE_CHANGE_RTOL * max(1.0, float(np.abs(slope).max()))
    slope_changed = np.zeros(len(x), dtype=bool)
    slope_changed[1:-1] = np.abs(np.diff(slope)) > tolerance
    return GridMeasurements(x, output, slope, slope_changed, network.inactive_count(x))


def sampled_kink_count(measurements: GridMeasurements) -> int:
    """How many kinks the grid reveals: each run of adjacent 'slope changed' marks is one.

    A kink strictly between two grid points marks both of them; two kinks within one step merge into one run,
    which is how sampling misses kinks that the exact analysis finds.
    """
    marks = measurements.slope_changed.astype(np.int8)
    return int(np.count_nonzero(np.diff(marks) == 1) + marks[0])
