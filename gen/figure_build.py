"""Which figures the site renders, with which parameters, where their files go, and the figure cache.

Orchestration only: the mathematics and the drawing live in ``reluviz``. A figure is rendered again only when
something that determines it changed (its id and parameters, any source file of ``reluviz`` or ``gen``, and the
numpy and matplotlib versions); renders run in fresh worker processes on every core, so ``mkdocs serve`` always
draws with the code as it is now. ``RELUVIZ_CACHE=off`` renders everything in this process, one after another: the
naive baseline the benchmark compares against.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "figures"
CACHE_FORMAT = 1
SUFFIXES = (".svg", "-dark.svg", ".png", ".pdf", ".json")


class FigureBuildError(Exception):
    """A figure could not be built; the message names it."""


def cache_enabled() -> bool:
    return os.environ.get("RELUVIZ_CACHE", "on").lower() not in {"off", "0", "false", "no"}


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


def source_fingerprint() -> str:
    """A hash of everything, other than parameters, that a figure depends on."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for package in ("numpy", "matplotlib"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    for folder in ("reluviz", "gen"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(fingerprint: str, figure_id: str, params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([fingerprint, figure_id, params], sort_keys=True).encode()).hexdigest()[:32]


def render_one(figure_id: str, params: dict[str, Any]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Render one figure (in a worker process, or here for the baseline); any error names the figure."""
    try:
        from reluviz.figures.export import render

        files, data = render(figure_id, params)
        return files, data.facts
    except Exception as error:  # noqa: BLE001  (re-raised with the figure's name; the build must stop)
        raise FigureBuildError(f"figure {figure_id!r} failed: {type(error).__name__}: {error}") from None


def _read_cache(key: str) -> tuple[dict[str, bytes], dict[str, str]] | None:
    folder = CACHE_DIR / key
    if not (folder / "facts.json").exists():
        return None
    files = {suffix: (folder / f"figure{suffix}").read_bytes() for suffix in SUFFIXES}
    return files, json.loads((folder / "facts.json").read_text())


def _write_cache(key: str, files: dict[str, bytes], facts: dict[str, str]) -> None:
    """Written to a temporary folder and renamed, so an interrupted build never leaves half an entry."""
    folder = CACHE_DIR / key
    partial = CACHE_DIR / f"{key}.partial-{os.getpid()}"
    partial.mkdir(parents=True, exist_ok=True)
    for suffix, payload in files.items():
        (partial / f"figure{suffix}").write_bytes(payload)
    (partial / "facts.json").write_text(json.dumps(facts, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)


def _render_in_workers(jobs: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter imports the code as it is on disk now
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {figure_id: pool.submit(render_one, figure_id, params) for figure_id, params in jobs.items()}
        return {figure_id: future.result() for figure_id, future in futures.items()}


def forget_loaded_modules() -> None:
    """Drop reluviz from this process's module cache, so that a rebuild in ``mkdocs serve`` uses the current code."""
    for name in [name for name in sys.modules if name == "reluviz" or name.startswith("reluviz.")]:
        del sys.modules[name]


def build_figures(params: dict[str, dict[str, Any]]) -> dict[str, tuple[dict[str, bytes], dict[str, str]]]:
    """Every figure's files and facts, from the cache where possible."""
    if not cache_enabled():
        return {figure_id: render_one(figure_id, p) for figure_id, p in params.items()}
    fingerprint = source_fingerprint()
    keys = {figure_id: cache_key(fingerprint, figure_id, p) for figure_id, p in params.items()}
    results = {figure_id: _read_cache(key) for figure_id, key in keys.items()}
    missing = {figure_id: params[figure_id] for figure_id, hit in results.items() if hit is None}
    if missing:
        for figure_id, (files, facts) in _render_in_workers(missing).items():
            _write_cache(keys[figure_id], files, facts)
            results[figure_id] = (files, facts)
    return results  # type: ignore[return-value]


def clear_cache() -> None:
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["clear"]:
        clear_cache()
        print(f"removed {CACHE_DIR}")
    else:
        sys.exit("usage: python gen/figure_build.py clear")
