"""Drawing helpers shared by several figures (matplotlib is imported here, lazily).

A figure is drawn for one of two page widths: the page's column (7 inches) or a phone (`NARROW_WIDTH_IN`), where
panels that sit side by side are stacked instead, so that the text keeps its size. `page_layout` chooses which;
`new_figure` reads it, so a figure's ``draw`` is the same code for both.
"""

from __future__ import annotations

import contextlib
import functools
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


LETTER_PT = 9.0
"""The size of a panel's letter, (a), (b), …, set in bold at the left of the panel's title line."""


def new_figure(rows: int = 1, cols: int = 1, height: float = 3.2, **subplot_kw: Any) -> tuple[Any, Any]:
    """A free-standing Figure and its axes, shaped (rows, cols), never pyplot's global state (which would reset
    the SVG hash salt). Side-by-side panels are lettered (a), (b), …; for a phone they are stacked, each ``height``
    inches tall.

    The letter is the panel's left title; a title the figure gives a lettered panel (centred or on the left)
    follows the letter on the same line, one space after it, so the two never collide however narrow the panel.
    The layout engine places them each time it lays the figure out (`_LetteredLayout`), after ``draw`` has set
    the titles.
    """
    from matplotlib.figure import Figure

    layout = _lettered_layout()
    narrow = _NARROW.get()
    if cols == 1 or not narrow:
        fig = Figure(figsize=(NARROW_WIDTH_IN if narrow else FIGURE_WIDTH_IN, height), layout=layout)
        axes = fig.subplots(rows, cols, squeeze=False, **subplot_kw)
    else:
        fig = Figure(figsize=(NARROW_WIDTH_IN, height * rows * cols * (1.0 if cols <= 2 else 0.8)), layout=layout)
        axes = fig.subplots(rows * cols, 1, squeeze=False, **subplot_kw).reshape(rows, cols)
    if cols > 1:  # captions name panels (a), (b), …, which stays true when a phone stacks them
        for letter, ax in zip("abcdefghij", axes.flat):
            title = ax.set_title(f"({letter})", loc="left", fontsize=LETTER_PT, fontweight="bold")
            layout.letters.append((ax, title, f"({letter})"))
    return fig, axes


def _lettered_layout() -> Any:
    """A new `_LetteredLayout`, for one figure."""
    return _lettered_layout_class()()


@functools.cache
def _lettered_layout_class() -> type:
    """matplotlib's constrained layout that first puts each panel's own title after its letter (`_place_title`):
    a class made on first use, as matplotlib is imported lazily."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    class _LetteredLayout(ConstrainedLayoutEngine):
        def __init__(self) -> None:
            super().__init__()
            self.letters: list[tuple[Any, Any, str]] = []  # (axes, its left title, the letter)

        def execute(self, fig: Any) -> Any:
            for ax, left_title, letter in self.letters:
                _place_title(fig, ax, left_title, letter)
            return super().execute(fig)

    return _LetteredLayout


def _place_title(fig: Any, ax: Any, left_title: Any, letter: str) -> None:
    """Put the panel's own title (its centred one, or a left one that replaced the letter) left-aligned one space
    after ``letter`` on the title line, with its own font; the letter keeps the left title. Running it again
    changes nothing."""
    from matplotlib.textpath import text_to_path
    from matplotlib.transforms import ScaledTranslation

    own, centre = left_title.get_text(), ax.title
    if own != letter:  # the figure set its own left title over the letter: it moves to the centre title's slot
        if own and not centre.get_text():
            centre.update_from(left_title)
            centre.set_text(own)
        left_title.set_text(letter)
        left_title.set_fontsize(LETTER_PT)
        left_title.set_fontweight("bold")
    if not centre.get_text():
        return
    letter_pt = text_to_path.get_text_width_height_descent(letter, left_title.get_fontproperties(), ismath=False)[0]
    space_pt = text_to_path.get_text_width_height_descent(" ", centre.get_fontproperties(), ismath=False)[0]
    centre.set_x(0.0)
    centre.set_horizontalalignment("left")
    shift = ScaledTranslation((letter_pt + space_pt) / 72, 0.0, fig.dpi_scale_trans)
    centre.set_transform(ax.transAxes + ax.titleOffsetTrans + shift)


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
