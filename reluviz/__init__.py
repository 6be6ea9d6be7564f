"""reluviz: why a ReLU network is non-linear, computed exactly.

The math lives here and imports numpy only; drawing lives in :mod:`reluviz.figures`.
"""

from .activations import ACTIVATION_NAMES, Activation, get_activation
from .network import INITS, Layer, Network, collapse, random_network
from .pieces import PiecewiseLinear, analyze_line, analyze_segment
from .sampling import MAX_GRID_POINTS, GridMeasurements, grid, measure_on_grid, sampled_kink_count

__all__ = [
    "ACTIVATION_NAMES",
    "INITS",
    "MAX_GRID_POINTS",
    "Activation",
    "GridMeasurements",
    "Layer",
    "Network",
    "PiecewiseLinear",
    "analyze_line",
    "analyze_segment",
    "collapse",
    "get_activation",
    "grid",
    "measure_on_grid",
    "random_network",
    "sampled_kink_count",
]
