"""Drawing helpers shared by several figures (matplotlib is imported here, lazily).

A figure is drawn for one of two page widths: the page's column (7 inches) or a phone (`NARROW_WIDTH_IN`), where
panels that sit side by side are stacked instead, so that the text keeps its size. `page_layout` chooses which;
`new_figure` reads it, so a figure's ``draw`` is the same code for both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np

from ..style import FIGURE_WIDTH_IN, SERIES_STYLE, Palette

NARROW_WIDTH_IN = 3.6
"""A phone's figure width: 346 CSS pixels, which a 390-pixel screen shows at full size, text at 9 pixels or more."""
_NARROW: ContextVar[bool] = ContextVar("narrow", default=False)


@contextlib.contextmanager
def page_layout(narrow: bool) -> Iterator[None]:
    """Draw the figures made inside this block for a phone (``narrow``) or for the page's column."""
    token = _NARROW.set(narrow)
    try:
        yield
    finally:
        _NARROW.reset(token)


def new_figure(rows: int = 1, cols: int = 1, height: float = 3.2, **subplot_kw: Any) -> tuple[Any, Any]:
    """A free-standing Figure and its axes, shaped (rows, cols), never pyplot's global state (which would reset
    the SVG hash salt). Side-by-side panels are lettered (a), (b), …; for a phone they are stacked, each ``height``
    inches tall."""
    from matplotlib.figure import Figure

    if cols == 1 or not _NARROW.get():
        fig = Figure(figsize=(NARROW_WIDTH_IN if _NARROW.get() else FIGURE_WIDTH_IN, height), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False, **subplot_kw)
    else:
        fig = Figure(figsize=(NARROW_WIDTH_IN, height * rows * cols * (1.0 if cols <= 2 else 0.8)), layout="constrained")
        axes = fig.subplots(rows * cols, 1, squeeze=False, **subplot_kw).reshape(rows, cols)
    if cols > 1:  # captions name panels (a), (b), …, which stays true when a phone stacks them
        for letter, ax in zip("abcdefghij", axes.flat):
            ax.set_title(f"({letter})", loc="left", fontsize=9, fontweight="bold")
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
