"""The site's settings for its figures (``extra.reluviz`` in properdocs.yml), checked, and each figure's parameters.

``seed`` and ``width`` reach every figure that lists them in its ``SITE_PARAMS``; ``figures`` sets one figure's
parameters; ``redirects`` keeps the files of a figure whose id changed at the old addresses too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..export import SUFFIXES
from ..figures import get_spec
from .workers import BuildError

SHARED = ("seed", "width")
KEYS = (*SHARED, "figures", "redirects")
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def figure_parameters(settings: object, figure_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each figure's parameters: its defaults, then the shared settings it takes, then its own settings."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise BuildError(f"extra.reluviz must be a mapping of {', '.join(KEYS)}; got {settings!r}")
    unknown = sorted(str(key) for key in set(settings) - set(KEYS))
    if unknown:
        raise BuildError(f"extra.reluviz has unknown keys {unknown}; allowed: {', '.join(KEYS)}")
    per_figure = settings.get("figures") or {}
    if not isinstance(per_figure, dict) or not all(isinstance(value, dict) for value in per_figure.values()):
        raise BuildError("extra.reluviz.figures must map figure ids to mappings of parameters")
    strangers = sorted(str(key) for key in set(per_figure) - set(figure_ids))
    if strangers:
        raise BuildError(f"extra.reluviz.figures names unknown figure ids {strangers}")
    resolved = {}
    for figure_id in figure_ids:
        spec = get_spec(figure_id)
        overrides = {key: settings[key] for key in spec.site_params if key in settings} | per_figure.get(figure_id, {})
        try:
            resolved[figure_id] = spec.resolve(overrides)
        except ValueError as error:
            raise BuildError(f"extra.reluviz: {error}") from None
    return resolved


def redirects(settings: object, figure_ids: list[str]) -> dict[str, str]:
    """``extra.reluviz.redirects``: old id -> current id, each old id free of every file name a figure has."""
    found = (settings or {}).get("redirects") if isinstance(settings, dict) else None
    if found is None:
        return {}
    if not isinstance(found, Mapping):
        raise BuildError("extra.reluviz.redirects must map old figure ids to current ones")
    taken = {figure_id + suffix for figure_id in figure_ids for suffix in SUFFIXES}
    for old, new in found.items():
        clashes = sorted(taken & {f"{old}{suffix}" for suffix in SUFFIXES}) if isinstance(old, str) else []
        if not (isinstance(old, str) and ID.match(old)) or clashes:
            raise BuildError(f"extra.reluviz.redirects: {old!r} must be a kebab-case id whose files no figure has"
                             + (f" ({clashes[0]} is a figure's)" if clashes else ""))
        if new not in figure_ids:
            raise BuildError(f"extra.reluviz.redirects sends {old!r} to unknown figure id {new!r}")
    return dict(found)
