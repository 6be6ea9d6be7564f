"""The figure registry: a stable id for every figure, with how to compute it and how to draw it.

Computing (numpy only) and drawing (matplotlib) are separate steps so that a build whose figures are all cached
never imports matplotlib, and so that the drawing code only ever shows what the math returned.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..style import Palette


@dataclass(frozen=True)
class FigureData:
    """What a figure shows: ``published`` goes out as the figure's JSON, ``series`` only feeds the drawing,
    ``facts`` are the strings the prose quotes (plain text or TeX)."""

    published: dict[str, Any]
    series: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FigureSpec:
    """A figure: ``compute(**params)`` gives its data, ``draw(data, palette)`` a matplotlib Figure.

    ``caption`` and ``alt`` may quote the figure's facts as ``{name}``. The parameters and their defaults are
    those of ``compute``'s keyword arguments.
    """

    id: str
    title: str
    caption: str
    alt: str
    compute: Callable[..., FigureData]
    draw: Callable[[FigureData, Palette], Any]

    @property
    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in inspect.signature(self.compute).parameters.items()}


def _collect() -> dict[str, FigureSpec]:
    from . import algebra, beyond, seed  # noqa: F401  (chapter modules, in reading order)

    specs: dict[str, FigureSpec] = {}
    for module in (seed, algebra, beyond):
        for spec in module.SPECS:
            if spec.id in specs:
                raise ValueError(f"figure id {spec.id!r} is registered twice")
            specs[spec.id] = spec
    return specs


FIGURES: dict[str, FigureSpec] = _collect()


def get_spec(figure_id: str) -> FigureSpec:
    if figure_id not in FIGURES:
        raise ValueError(f"figure_id must be one of the registered ids ({', '.join(FIGURES)}); got {figure_id!r}")
    return FIGURES[figure_id]


def resolve_params(figure_id: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The figure's defaults with ``overrides`` applied; an unknown name or a value of the wrong type is refused."""
    spec = get_spec(figure_id)
    params = dict(spec.defaults)
    for name, value in (overrides or {}).items():
        if name not in params:
            raise ValueError(f"figure {figure_id!r} has no parameter {name!r}; it takes {', '.join(params) or 'none'}")
        params[name] = _coerce(figure_id, name, params[name], value)
    return params


def _coerce(figure_id: str, name: str, default: Any, value: Any) -> Any:
    """``value`` in the type of ``default`` (an int is accepted for a float), or a ValueError naming both."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        accepted = type(value) is type(default)
    elif isinstance(default, int):
        accepted = is_number and isinstance(value, int)
    else:
        accepted = is_number
    if not accepted:
        raise ValueError(f"figure {figure_id!r} parameter {name!r} must be {type(default).__name__}; got {value!r}")
    return float(value) if isinstance(default, float) else value
