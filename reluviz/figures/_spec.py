"""What a figure is: its data (`FigureData`) and its description (`FigureSpec`).

This module imports no figure, so every figure module can import it without a circle.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..portable_random import MAX_SEED
from ..style import Palette

STANDARD_LIMITS: dict[str, tuple[float, float]] = {"seed": (0, MAX_SEED), "width": (1, 1000)}
"""The range of the parameters many figures share; a figure's own ``LIMITS`` adds to them or overrides them."""


MAX_FIGURE_SECONDS = 300.0
"""The most computing time a figure's parameters may ask for, as its ``COST`` estimates it (CPU seconds, 2 cores)."""
MAX_FIGURE_BYTES = 2 * 2**30
"""The most memory they may ask for."""
PROCESS_BYTES = 1e8
"""What the process computing a figure holds before it starts (Python, numpy, reluviz), with room; every estimate adds it."""


@dataclass(frozen=True)
class Cost:
    """What computing a figure takes, estimated from its parameters before anything is allocated, and the
    parameters (``drivers``) that make it large."""

    seconds: float
    bytes: float
    drivers: tuple[str, ...]


@dataclass(frozen=True)
class FigureData:
    """What a figure shows.

    ``published`` goes out as the figure's JSON, ``series`` only feeds the drawing, ``facts`` are the strings
    the prose and the caption quote (plain text, or TeX inside math), and ``explorer`` is the explorer's query for
    the figure's network (`reluviz.explorer.explorer_query`), when the explorer can show it; ``plane`` the same
    for the 2-D explorer (`reluviz.explorer.plane_query`).
    """

    published: dict[str, Any]
    series: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    explorer: str | None = None
    plane: str | None = None


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the site, read from its module ``reluviz/figures/<id with underscores>.py``.

    ``compute(**params)`` returns its `FigureData` (numpy only); ``draw(data, palette)`` returns a matplotlib
    Figure and never computes. ``caption`` and ``alt`` may quote facts as ``{name}``. ``site_params`` names the
    parameters that the site's shared settings (``extra.reluviz.seed`` and ``width`` in properdocs.yml) set;
    ``limits`` the range each numeric parameter may take, and ``cost`` (when the work grows with a product of them)
    estimates what they ask for; ``credit`` names whose work the figure reproduces.
    """

    id: str
    title: str
    caption: str
    alt: str
    params: Mapping[str, Any]
    site_params: tuple[str, ...]
    limits: Mapping[str, tuple[float, float]]
    credit: str
    compute: Callable[..., FigureData]
    draw: Callable[[FigureData, Palette], Any]
    cost: Callable[..., Cost] | None = None

    def resolve(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The default parameters with ``overrides`` applied; an unknown name, a wrong type, a value out of range
        or parameters that together would ask for more than `MAX_FIGURE_SECONDS` or `MAX_FIGURE_BYTES` are refused."""
        params = dict(self.params)
        for name, value in (overrides or {}).items():
            if name not in params:
                raise ValueError(f"figure {self.id!r} has no parameter {name!r}; it takes {', '.join(params) or 'none'}")
            params[name] = self._coerce(name, params[name], value)
            low, high = self.limits.get(name, (-math.inf, math.inf))
            if not low <= params[name] <= high:
                raise ValueError(f"figure {self.id!r} parameter {name!r} must be between {low:,} and {high:,}; got {value!r}")
        if self.cost is not None:
            cost = self.cost(**params)
            if cost.seconds > MAX_FIGURE_SECONDS or cost.bytes > MAX_FIGURE_BYTES:
                given = ", ".join(f"{name}={params[name]!r}" for name in cost.drivers)
                raise ValueError(
                    f"figure {self.id!r} with {given} would take about {cost.seconds:,.0f} s and {cost.bytes / 2**30:,.1f} GiB "
                    f"(at most {MAX_FIGURE_SECONDS:,.0f} s and {MAX_FIGURE_BYTES / 2**30:,.0f} GiB): lower {' or '.join(cost.drivers)}")
        return params

    def _coerce(self, name: str, default: Any, value: Any) -> Any:
        """``value`` in the type of ``default`` (an int is accepted for a float)."""
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            accepted = type(value) is type(default)
        elif isinstance(default, int):
            accepted = is_number and math.isfinite(value) and isinstance(value, int)
        else:
            accepted = is_number and math.isfinite(value)
        if not accepted:
            kind = "a finite number" if isinstance(default, float) else type(default).__name__
            raise ValueError(f"figure {self.id!r} parameter {name!r} must be {kind}; got {value!r}")
        return float(value) if isinstance(default, float) else value

    def filled(self, template: str, facts: Mapping[str, str]) -> str:
        """``template`` (the caption or alt text) with the figure's facts filled in."""
        try:
            return template.format_map(facts)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"figure {self.id!r}: its caption or alt text cannot be filled in: {error!r}") from None
