"""Which figures the site renders, with which parameters, and the files that go into figures/.

Orchestration only: the mathematics and the drawing live in ``reluviz``. A figure is rendered again only when
something that determines it changed (its id and parameters, any source file of ``reluviz`` or ``gen``, and the
numpy and matplotlib versions). Renders run in fresh worker processes on every core, so ``mkdocs serve`` always
draws with the code as it is now. When nothing at all changed, the whole figures/ folder comes from the cache
without importing reluviz. ``RELUVIZ_CACHE=off`` renders everything in this process, one figure after another: the
naive baseline the benchmark compares against.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import build_cache

FACTS_FILE = "facts.json"
MANIFEST = "manifest.json"


class FigureBuildError(Exception):
    """A figure could not be built; the message names it."""


def site_figures(settings: dict[str, Any] | None) -> dict[str, bytes]:
    """Every file of figures/ (name -> bytes) for the ``extra.reluviz`` settings of mkdocs.yml."""
    settings = settings or {}
    if not build_cache.enabled():
        return _assemble(settings, cached=False)
    entry = build_cache.key(_sources(), settings)
    files = build_cache.read("site", entry)
    if files is None:
        files = _assemble(settings, cached=True)
        build_cache.write("site", entry, files)
    return files


def _sources() -> str:
    return build_cache.fingerprint(("reluviz", "gen"), ("numpy", "matplotlib"))


def _assemble(settings: dict[str, Any], cached: bool) -> dict[str, bytes]:
    from reluviz.figures.export import regenerate_command
    from reluviz.figures.registry import FIGURES

    params, redirects = figure_settings(settings)
    built = _build_cached(params) if cached else {fid: render_one(fid, p) for fid, p in params.items()}
    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {"figures": {}, "redirects": redirects}
    for figure_id, (figure_files, facts) in built.items():
        spec = FIGURES[figure_id]
        for name in [figure_id, *(old for old, new in redirects.items() if new == figure_id)]:
            files.update({f"{name}{suffix}": payload for suffix, payload in figure_files.items()})
        width, height = _svg_size(figure_files[".svg"])
        manifest["figures"][figure_id] = {
            "title": spec.title,
            "caption": _with_facts(figure_id, spec.caption, facts),
            "alt": _with_facts(figure_id, spec.alt, facts),
            "params": params[figure_id],
            "facts": facts,
            "command": regenerate_command(figure_id, params[figure_id]),
            "width": width,
            "height": height,
        }
    files[MANIFEST] = (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    return files


def figure_settings(settings: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each figure's parameters, and the figure-id redirects, from ``extra.reluviz``.

    ``seed`` and ``width`` apply to every figure that takes them; ``figures: {id: {param: value}}`` sets one
    figure's parameters; ``redirects: {old-id: new-id}`` keeps an old figure address working.
    """
    from reluviz.figures.registry import FIGURES, resolve_params

    settings = dict(settings)
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


def _build_cached(params: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    """Each figure from its own cache entry where it has one; the rest rendered in worker processes."""
    sources = _sources()
    keys = {figure_id: build_cache.key(sources, figure_id, p) for figure_id, p in params.items()}
    results = {figure_id: build_cache.read("figures", entry) for figure_id, entry in keys.items()}
    missing = {figure_id: params[figure_id] for figure_id, hit in results.items() if hit is None}
    rendered = _render_in_workers(missing) if missing else {}
    built = {}
    for figure_id, entry in keys.items():
        if figure_id in rendered:
            files, facts = rendered[figure_id]
            build_cache.write("figures", entry, files | {FACTS_FILE: json.dumps(facts, sort_keys=True).encode()})
        else:
            files = dict(results[figure_id])
            facts = json.loads(files.pop(FACTS_FILE))
        built[figure_id] = (files, facts)
    return built


def _render_in_workers(jobs: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter imports the code as it is on disk now
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {figure_id: pool.submit(render_one, figure_id, params) for figure_id, params in jobs.items()}
        return {figure_id: future.result() for figure_id, future in futures.items()}


def _svg_size(svg: bytes) -> tuple[int, int]:
    """Display size in CSS pixels from the SVG's width and height in points."""
    width, height = (float(v) for v in re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    return round(width * 4 / 3), round(height * 4 / 3)


def _with_facts(figure_id: str, template: str, facts: dict[str, str]) -> str:
    try:
        return template.format(**facts)
    except KeyError as missing:
        raise FigureBuildError(f"figure {figure_id!r}: its text quotes unknown fact {missing}") from None
