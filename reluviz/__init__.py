"""reluviz: why a ReLU network is non-linear, computed exactly.

The mathematics lives here and imports numpy only; drawing lives in `reluviz.figures` and
`reluviz.export`, which import matplotlib when a figure is drawn.
"""

from .activations import ACTIVATION_NAMES, Activation, get_activation
from .network import INITS, MAX_LAYERS, MAX_PARAMETERS, Layer, Network, collapse
from .pieces import MAX_PIECE_VALUES, PiecewiseLinear, analyze_line, analyze_segment
from .sampling import MAX_GRID_POINTS, MAX_GRID_VALUES, GridMeasurements, grid, measure_on_grid, sampled_kink_count
from .training import TrainingRun, loss_and_gradients, train

__all__ = [
    "ACTIVATION_NAMES",
    "INITS",
    "MAX_GRID_POINTS",
    "MAX_GRID_VALUES",
    "MAX_LAYERS",
    "MAX_PARAMETERS",
    "MAX_PIECE_VALUES",
    "Activation",
    "GridMeasurements",
    "Layer",
    "Network",
    "PiecewiseLinear",
    "TrainingRun",
    "analyze_line",
    "analyze_segment",
    "collapse",
    "get_activation",
    "grid",
    "loss_and_gradients",
    "measure_on_grid",
    "sampled_kink_count",
    "train",
]
