"""Drawing helpers shared by several figures (matplotlib is imported here, lazily)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..style import FIGURE_WIDTH_IN, SERIES_STYLE, Palette


def new_figure(rows: int = 1, cols: int = 1, height: float = 3.2, **subplot_kw: Any) -> tuple[Any, Any]:
    """A free-standing Figure and its axes (never pyplot's global state, which would reset the SVG hash salt)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(FIGURE_WIDTH_IN, height), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, **subplot_kw)
    return fig, axes


def quora_panels(
    x: np.ndarray, output: np.ndarray, slope_changed: np.ndarray, negative: np.ndarray, palette: Palette, title: str
) -> Any:
    """The Quora experiment's figure: output, slope-change marks and negative-unit count on one shared x axis."""
    fig, axes = new_figure(3, 1, height=5.2, sharex=True, gridspec_kw={"height_ratios": [2.2, 1, 1]})
    top, middle, bottom = axes[:, 0]
    top.plot(x, output, color=palette.output, **SERIES_STYLE["output"])
    top.set_ylabel("output")
    top.set_title(title, loc="left")
    marks = np.flatnonzero(slope_changed)
    middle.plot(x, slope_changed.astype(float), color=palette.slope_change, markevery=list(marks), markersize=4,
                **SERIES_STYLE["slope_change"])
    middle.set_ylabel("slope\nchanged")
    middle.set_yticks([0, 1], ["no", "yes"])
    middle.set_ylim(-0.2, 1.3)
    steps = list(np.flatnonzero(np.diff(negative)) + 1)
    bottom.plot(x, negative, color=palette.negative, markevery=[0, *steps], markersize=4, drawstyle="steps-post",
                **SERIES_STYLE["negative"])
    bottom.set_ylabel("units\nnegative")
    bottom.set_ylim(-0.5, max(1, int(negative.max())) + 0.5)
    bottom.yaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlabel("input x")
    bottom.set_xlim(x[0], x[-1])
    return fig
