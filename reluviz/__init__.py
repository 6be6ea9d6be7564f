"""reluviz: why a ReLU network is non-linear, computed exactly.

The mathematics lives here and imports numpy only; drawing lives in `reluviz.figures` and
`reluviz.export`, which import matplotlib when a figure is drawn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as the API reference and type checkers see them
    from .activations import ACTIVATION_NAMES, Activation, get_activation
    from .network import INITS, MAX_LAYERS, MAX_PARAMETERS, Layer, Network, collapse
    from .pieces import MAX_PIECE_VALUES, PiecewiseLinear, analyze_line, analyze_segment
    from .sampling import MAX_GRID_POINTS, MAX_GRID_VALUES, GridMeasurements, grid, measure_on_grid, sampled_kink_count
    from .training import TrainingRun, loss_and_gradients, train

# Each public name and the module that defines it. They load on first use, so that the build's HTML helpers
# (`reluviz.build`) and `reluviz --help` never pay for numpy.
_HOMES = {
    "ACTIVATION_NAMES": "activations", "Activation": "activations", "get_activation": "activations",
    "INITS": "network", "MAX_LAYERS": "network", "MAX_PARAMETERS": "network", "Layer": "network", "Network": "network",
    "collapse": "network",
    "MAX_PIECE_VALUES": "pieces", "PiecewiseLinear": "pieces", "analyze_line": "pieces", "analyze_segment": "pieces",
    "MAX_GRID_POINTS": "sampling", "MAX_GRID_VALUES": "sampling", "GridMeasurements": "sampling", "grid": "sampling",
    "measure_on_grid": "sampling", "sampled_kink_count": "sampling",
    "TrainingRun": "training", "loss_and_gradients": "training", "train": "training",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'reluviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


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
