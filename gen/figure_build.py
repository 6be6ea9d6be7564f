"""Which figures the site renders, with which parameters, and whether they come from the cache.

Orchestration only: the mathematics and the drawing live in ``reluviz``. A figure is rendered again only when
something that determines it changed (its id and parameters, any source file of ``reluviz`` or ``gen``, and the
numpy and matplotlib versions); renders run in fresh worker processes on every core, so ``mkdocs serve`` always
draws with the code as it is now. ``RELUVIZ_CACHE=off`` renders everything in this process, one after another: the
naive baseline the benchmark compares against.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import build_cache
from reluviz.figures.export import SUFFIXES

FACTS_FILE = "facts.json"


class FigureBuildError(Exception):
    """A figure could not be built; the message names it."""


def figure_settings(extra: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each figure's parameters from ``extra.reluviz`` in mkdocs.yml, and the figure-id redirects.

    ``seed`` and ``width`` apply to every figure that takes them; ``figures: {id: {param: value}}`` sets one
    figure's parameters; ``redirects: {old-id: new-id}`` keeps an old figure address working.
    """
    from reluviz.figures.registry import FIGURES, resolve_params

    settings = dict(extra.get("reluviz") or {})
    shared = {key: settings.pop(key) for key in ("seed", "width") if key in settings}
    per_figure = settings.pop("figures", None) or {}
    redirects = settings.pop("redirects", None) or {}
    if settings:
        raise FigureBuildError(f"extra.reluviz has unknown keys {sorted(settings)}; allowed: seed, width, figures, redirects")
    unknown = sorted(set(per_figure) - set(FIGURES))
    if unknown:
        raise FigureBuildError(f"extra.reluviz.figures names unknown figure ids {unknown}; known: {', '.join(FIGURES)}")
    params = {}
    for figure_id, spec in FIGURES.items():
        overrides = {k: v for k, v in shared.items() if k in spec.defaults}
        overrides.update(per_figure.get(figure_id) or {})
        try:
            params[figure_id] = resolve_params(figure_id, overrides)
        except ValueError as error:
            raise FigureBuildError(f"figure {figure_id!r}: invalid parameters in mkdocs.yml: {error}") from None
    for old, new in redirects.items():
        if new not in FIGURES:
            raise FigureBuildError(f"extra.reluviz.redirects sends {old!r} to unknown figure id {new!r}")
    return params, dict(redirects)


def render_one(figure_id: str, params: dict[str, Any]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Render one figure (in a worker process, or here for the baseline); any error names the figure."""
    try:
        from reluviz.figures.export import render

        files, data = render(figure_id, params)
        return files, data.facts
    except Exception as error:  # noqa: BLE001  (re-raised with the figure's name; the build must stop)
        raise FigureBuildError(f"figure {figure_id!r} failed: {type(error).__name__}: {error}") from None


def _from_cache(entry: str) -> tuple[dict[str, bytes], dict[str, str]] | None:
    files = build_cache.read("figures", entry)
    if files is None:
        return None
    facts = json.loads(files.pop(FACTS_FILE))
    return {suffix: files[f"figure{suffix}"] for suffix in SUFFIXES}, facts


def _to_cache(entry: str, files: dict[str, bytes], facts: dict[str, str]) -> None:
    named = {f"figure{suffix}": payload for suffix, payload in files.items()}
    build_cache.write("figures", entry, named | {FACTS_FILE: json.dumps(facts, sort_keys=True).encode()})


def _render_in_workers(jobs: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter imports the code as it is on disk now
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {figure_id: pool.submit(render_one, figure_id, params) for figure_id, params in jobs.items()}
        return {figure_id: future.result() for figure_id, future in futures.items()}


def build_figures(params: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    """Every figure's files and facts, from the cache where possible."""
    if not build_cache.enabled():
        return {figure_id: render_one(figure_id, p) for figure_id, p in params.items()}
    sources = build_cache.fingerprint(("reluviz", "gen"), ("numpy", "matplotlib"))
    keys = {figure_id: build_cache.key(sources, figure_id, p) for figure_id, p in params.items()}
    results = {figure_id: _from_cache(entry) for figure_id, entry in keys.items()}
    missing = {figure_id: params[figure_id] for figure_id, hit in results.items() if hit is None}
    if missing:
        for figure_id, (files, facts) in _render_in_workers(missing).items():
            _to_cache(keys[figure_id], files, facts)
            results[figure_id] = (files, facts)
    return results  # type: ignore[return-value]
