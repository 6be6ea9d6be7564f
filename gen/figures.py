"""Put every figure into the site: figures/<id>.svg|-dark.svg|png|pdf|json and figures/manifest.json.

Run by mkdocs-gen-files on every build. A figure comes from its own entry in .cache/figures/ when nothing it
depends on has changed: its module, every reluviz module that module imports (read from the source, not imported),
the exporter, the numpy and matplotlib versions, and the settings in properdocs.yml that reach it. Otherwise worker
processes (`python -m reluviz.export`) render it. This process never imports reluviz, so under `properdocs serve` a
figure is always drawn by the code as it is on disk. RELUVIZ_CACHE=off builds without the cache; RELUVIZ_WORKERS
sets how many workers run (default: one per core); RELUVIZ_FIGURE_TIME_LIMIT the seconds one figure may take (300).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reluviz"
FORMAT = 2  # bump when the layout of a cache entry changes
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SHARED_SETTINGS = ("seed", "width")
RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
SITE_PARAMS = re.compile(r"^SITE_PARAMS\b[^=\n]*=\s*(\([^)]*\))", re.MULTILINE)
TIME_LIMIT_S = int(os.environ.get("RELUVIZ_FIGURE_TIME_LIMIT", "300"))  # seconds one figure may take
log = logging.getLogger("mkdocs.plugins.reluviz.figures")


def figure_ids() -> list[str]:
    """The same rule as reluviz.figures.figure_ids, read from the folder so that nothing is imported."""
    return sorted(p.stem.replace("_", "-") for p in (PACKAGE / "figures").glob("*.py") if not p.stem.startswith("_"))


def check_settings(settings: object, ids: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """``extra.reluviz`` of properdocs.yml as each figure's setting overrides, and the figure-id redirects."""
    if not isinstance(settings, dict):
        raise PluginError(f"extra.reluviz must be a mapping of seed, width, figures and redirects; got {settings!r}")
    unknown = sorted(set(settings) - {*SHARED_SETTINGS, "figures", "redirects"})
    if unknown:
        raise PluginError(f"extra.reluviz has unknown keys {unknown}; allowed: seed, width, figures, redirects")
    per_figure, redirects = settings.get("figures") or {}, settings.get("redirects") or {}
    if not isinstance(per_figure, dict) or not all(isinstance(v, dict) for v in per_figure.values()):
        raise PluginError("extra.reluviz.figures must map figure ids to mappings of parameters")
    if sorted(set(per_figure) - set(ids)):
        raise PluginError(f"extra.reluviz.figures names unknown figure ids {sorted(set(per_figure) - set(ids))}")
    if not isinstance(redirects, dict):
        raise PluginError("extra.reluviz.redirects must map old figure ids to current ones")
    for old, new in redirects.items():
        taken = {*ids, *(f"{i}-dark" for i in ids)}
        if not (isinstance(old, str) and ID.match(old)) or old in taken:
            raise PluginError(f"extra.reluviz.redirects: {old!r} must be a kebab-case id that no figure file uses")
        if new not in ids:
            raise PluginError(f"extra.reluviz.redirects sends {old!r} to unknown figure id {new!r}")
    overrides = {}
    for figure_id in ids:
        shared = {k: settings[k] for k in site_params(figure_id) if k in settings}
        overrides[figure_id] = shared | per_figure.get(figure_id, {})
    return overrides, redirects


def _module(figure_id: str) -> Path:
    return PACKAGE / "figures" / f"{figure_id.replace('-', '_')}.py"


def site_params(figure_id: str) -> tuple[str, ...]:
    """The figure's SITE_PARAMS, read from its source."""
    found = SITE_PARAMS.search(_module(figure_id).read_text())
    if found is None:
        raise PluginError(f"figure {figure_id!r}: {_module(figure_id).name} defines no SITE_PARAMS")
    return tuple(ast.literal_eval(found.group(1)))


def sources(figure_id: str) -> list[Path]:
    """The figure's module, the exporter, and every reluviz module they import, directly or not (reluviz imports
    its own modules relatively, so following relative imports finds them all)."""
    todo, seen = [_module(figure_id), PACKAGE / "export.py"], set()
    while todo:
        path = todo.pop()
        if path not in seen and path.exists():
            seen.add(path)
            todo += [p / "__init__.py" for p in path.parents if p.is_relative_to(PACKAGE)] + _imported_by(path)
    return sorted(seen)


@functools.cache  # once per build: mkdocs-gen-files runs this script afresh every time
def _imported_by(path: Path) -> list[Path]:
    """Where the relative imports of ``path`` may lead (a module, a package, or a module named in the import).

    Read with a regular expression rather than a parser, ten times faster on the warm path; a match inside a string
    only adds a file to the key, which can cost a redraw but never a stale figure.
    """
    candidates = []
    for dots, module, names in RELATIVE_IMPORT.findall(path.read_text()):
        base = path.parents[len(dots) - 1] / module.replace(".", "/")
        candidates += [base.with_suffix(".py"), base / "__init__.py", *(base / f"{name}.py" for name in re.findall(r"\w+", names))]
    return candidates


@functools.cache
def _versions() -> list[str]:
    return [f"{package} {metadata.version(package)}" for package in ("numpy", "matplotlib")]


def cache_key(figure_id: str, overrides: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps([FORMAT, figure_id, overrides, _versions()], sort_keys=True).encode())
    for path in sources(figure_id):
        digest.update(f"\0{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


class Cache:
    """Entries are folders named by key, holding the files and checksums.json; one is put in place by a single
    rename, and read back only if every file is there with its recorded size and hash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))

    def read(self, key: str, figure_id: str) -> dict[str, bytes] | None:
        if not (self.folder / key).exists():
            return None
        files = self._verified(key)
        if files is None:
            log.info(f"figure {figure_id!r}: its cache entry is damaged, rendering it again")
        return files

    def _verified(self, key: str) -> dict[str, bytes] | None:
        entry = self.folder / key
        try:
            expected = json.loads((entry / "checksums.json").read_text())
            files = {name: (entry / name).read_bytes() for name in expected}
            if all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in expected.items()):
                return files
        except (OSError, ValueError, TypeError, AttributeError):
            pass
        return None

    def store(self, key: str, folder: Path) -> None:
        """Put ``folder`` in place as entry ``key``; a damaged entry there is moved aside first."""
        checksums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}
        (folder / "checksums.json").write_text(json.dumps(checksums, sort_keys=True))
        target = self.folder / key
        with contextlib.suppress(OSError):  # a concurrent build may have moved it, or put a good one in place
            if target.exists() and self._verified(key) is None:
                target.rename(self.scratch / f"damaged-{key}")
            folder.rename(target)

    def close(self, used: set[str]) -> None:
        """Delete the scratch folder, entries this build did not use, and scratch folders over an hour old."""
        for entry in self.folder.iterdir():
            try:
                stale = entry.name.startswith(".tmp-") and time.time() - entry.stat().st_mtime > 3600
            except FileNotFoundError:
                continue  # another build removed it meanwhile
            if entry == self.scratch or stale or (not entry.name.startswith(".") and entry.name not in used):
                shutil.rmtree(entry, ignore_errors=True)


def open_cache() -> Cache | None:
    if os.environ.get("RELUVIZ_CACHE", "on").lower() in {"off", "0", "false", "no"}:
        return None
    try:
        return Cache(ROOT / ".cache" / "figures")
    except OSError as error:
        log.warning(f"the figure cache cannot be used ({error}); building without it")
        return None


def render(jobs: dict[str, dict[str, Any]], out: Path) -> None:
    """Render each figure into out/<id>/ in worker processes that take the figures from a queue folder."""
    (out / "queue").mkdir()
    for figure_id, overrides in jobs.items():
        (out / "queue" / f"{figure_id}.json").write_text(json.dumps(overrides))
    count = min(len(jobs), int(os.environ.get("RELUVIZ_WORKERS") or os.cpu_count() or 1))
    command = [sys.executable, "-m", "reluviz.export", str(out), str(TIME_LIMIT_S)]
    workers = [subprocess.Popen(command, cwd=ROOT) for _ in range(count)]
    try:
        for worker in workers:
            worker.wait()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    for figure_id in sorted(jobs, key=lambda figure_id: not (out / f"{figure_id}.claimed").exists()):
        error = out / f"{figure_id}.error"
        if error.exists():
            raise PluginError(f"figure {figure_id!r} failed: {error.read_text().strip()}")
        if not (out / figure_id / "record.json").exists():
            raise PluginError(f"figure {figure_id!r} crashed its worker process (killed, or out of memory?)")


def build(settings: object) -> dict[str, bytes]:
    """Every file of figures/, by name, for the ``extra.reluviz`` settings of the site's configuration."""
    ids = figure_ids()
    overrides, redirects = check_settings(settings, ids)
    keys = {figure_id: cache_key(figure_id, overrides[figure_id]) for figure_id in ids}
    cache = open_cache()
    entries = {figure_id: cache.read(keys[figure_id], figure_id) if cache else None for figure_id in ids}
    missing = [figure_id for figure_id, files in entries.items() if files is None]
    out = cache.scratch if cache else Path(tempfile.mkdtemp(prefix="reluviz-figures-"))
    try:
        render({figure_id: overrides[figure_id] for figure_id in missing}, out)
        for figure_id in missing:
            entries[figure_id] = {p.name: p.read_bytes() for p in (out / figure_id).iterdir()}
            if cache and cache_key(figure_id, overrides[figure_id]) == keys[figure_id]:  # the code did not change meanwhile
                cache.store(keys[figure_id], out / figure_id)
    finally:
        if cache:
            cache.close(set(keys.values()))
        else:
            shutil.rmtree(out, ignore_errors=True)
    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {"figures": {}, "redirects": redirects}
    for figure_id, entry in entries.items():
        assert entry is not None
        manifest["figures"][figure_id] = json.loads(entry.pop("record.json"))
        entry.pop("checksums.json", None)
        for name in [figure_id, *(old for old, new in redirects.items() if new == figure_id)]:
            files |= {name + file[len(figure_id):]: payload for file, payload in entry.items()}
    files["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    return files


if __name__ == "<run_path>":  # run by mkdocs-gen-files (runpy's name); tests import this file instead
    for name, payload in build(mkdocs_gen_files.config.extra.get("reluviz", {})).items():
        with mkdocs_gen_files.open(f"figures/{name}", "wb") as out:
            out.write(payload)
