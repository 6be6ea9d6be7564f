"""Colours and matplotlib settings shared by every figure.

Colours are from the Okabe–Ito palette, which stays distinguishable for the common forms of colour blindness; each
of the Quora experiment's three series also has its own line style and marker, so a grey-scale print keeps them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Palette:
    name: str
    text: str
    grid: str
    output: str  # the Quora experiment's blue series
    slope_change: str  # its green series
    negative: str  # its orange series (units with a negative input)
    linear: str
    accent: str
    muted: str


LIGHT = Palette("light", "#1a1a1a", "#d0d0d0", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#6b6b6b")
DARK = Palette("dark", "#e8e8e8", "#4a4a4a", "#56B4E9", "#2EC4A0", "#F0B030", "#E09AC4", "#F07040", "#a0a0a0")
PALETTES = {"light": LIGHT, "dark": DARK}

# The line style and marker of each of its series, so colour is never the only cue.
SERIES_STYLE: dict[str, dict[str, Any]] = {
    "output": {"linestyle": "-", "marker": None},
    "slope_change": {"linestyle": "--", "marker": "o"},
    "negative": {"linestyle": ":", "marker": "s"},
}

FIGURE_WIDTH_IN = 7.0


def rc_params(palette: Palette) -> dict[str, Any]:
    """Settings that make output identical from run to run and legible on the page's background."""
    return {
        "svg.hashsalt": "reluviz",
        "svg.fonttype": "path",
        "pdf.compression": 9,
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.edgecolor": palette.text,
        "axes.labelcolor": palette.text,
        "axes.facecolor": "none",
        "axes.grid": True,
        "grid.color": palette.grid,
        "grid.linewidth": 0.6,
        "xtick.color": palette.text,
        "ytick.color": palette.text,
        "text.color": palette.text,
        "legend.frameon": False,
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "path.simplify": True,
        "path.simplify_threshold": 0.5,
        "lines.linewidth": 1.6,
    }
