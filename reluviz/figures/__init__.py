"""The site's figures, one module per figure, and the registry that finds them.

Figure ``relu-network-1d`` is the module ``relu_network_1d.py`` in this package; modules whose names start with an
underscore are helpers. A figure module holds, in reading order: a docstring saying what it shows and why,
``TITLE``, ``CAPTION`` and ``ALT`` (which may quote the figure's facts as ``{name}``), ``PARAMS`` (the parameters
and their defaults), ``SITE_PARAMS`` (which of them the site's shared settings set), ``LIMITS`` (the range each
number may take beyond `STANDARD_LIMITS`, so that a typo fails at once instead of filling the memory), optionally ``CREDIT`` (whose work the
figure reproduces, repeated in its citation), optionally ``cost`` (what the parameters ask for together, a
`Cost`, checked against the largest time and memory a figure may take), then ``compute`` (numpy only) and ``draw`` (matplotlib only). Nothing here imports a figure until it is asked for.

Every fact is text made by `reluviz.figures._text`, the site's one number formatter (significant digits by kind of
quantity, counts grouped by thousands, real minus signs, plurals, sums computed from the shown numbers); shared
measurements live in `reluviz.measures`. ``tests/test_claims.py`` checks the built pages against both rules.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._spec import STANDARD_LIMITS, FigureData, FigureSpec

__all__ = ["FigureData", "FigureSpec", "figure_ids", "get_spec", "module_name"]


def module_name(figure_id: str) -> str:
    """The module that holds figure ``figure_id``."""
    return f"{__name__}.{figure_id.replace('-', '_')}"


def figure_ids() -> list[str]:
    """Every figure id, sorted."""
    return sorted(info.name.replace("_", "-") for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def get_spec(figure_id: str) -> FigureSpec:
    """The figure ``figure_id``, read from its module.

    Raises
    ------
    ValueError
        If no figure has that id.
    """
    ids = figure_ids()
    if figure_id not in ids:
        raise ValueError(f"figure_id must be one of {', '.join(ids)}; got {figure_id!r}")
    module = importlib.import_module(module_name(figure_id))
    return FigureSpec(
        id=figure_id,
        title=module.TITLE,
        caption=module.CAPTION,
        alt=module.ALT,
        params=module.PARAMS,
        site_params=module.SITE_PARAMS,
        limits=STANDARD_LIMITS | getattr(module, "LIMITS", {}),
        credit=getattr(module, "CREDIT", ""),
        compute=module.compute,
        draw=module.draw,
        cost=getattr(module, "cost", None),
    )
