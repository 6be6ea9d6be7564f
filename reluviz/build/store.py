"""The build's one cache: every generated file (figures, the math font, slides, the pack, notebooks) is kept here.

An entry is a folder named by its key (64 hex digits) holding the entry's files and ``entry.json``, which lists each
file's SHA-256 and what the job that made it depended on: the source of every reluviz module it imported (hashed as
it was compiled) and the versions of the libraries it used. An entry is read back only if every listed file is there
with its hash and every dependency is unchanged; it is put in place by a single rename, so a reader sees a whole
entry or none. Only entries the store can recognise as its own (name, ``entry.json`` and nothing else) are ever
deleted, and a store whose folder is a symbolic link deletes nothing at all. Scratch folders are named after the
process that made them, and a later build removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = "reluviz-cache-3"
"""Written into every entry; an entry of another format is not read (bump it when the layout changes)."""
ENTRY_FILE = "entry.json"
KEY = re.compile(r"[0-9a-f]{64}\Z")
SCRATCH = re.compile(r"\.scratch-(\d+)-[0-9a-z_]+\Z")
log = logging.getLogger("reluviz.build")


def digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def cache_disabled() -> bool:
    """Whether ``RELUVIZ_CACHE`` turns the cache off (``off``, ``0``, ``false`` or ``no``)."""
    return os.environ.get("RELUVIZ_CACHE", "on").strip().lower() in {"off", "0", "false", "no"}


@dataclass(frozen=True)
class Dependencies:
    """What a job's output depended on: module sources by path (relative to the package's parent) and library
    versions by distribution name."""

    sources: Mapping[str, str]
    versions: Mapping[str, str]

    def unchanged(self, root: Path) -> bool:
        """Whether every source still has its recorded hash under ``root`` and every library its version."""
        for relative, expected in self.sources.items():
            try:
                if digest((root / relative).read_bytes()) != expected:
                    return False
            except OSError:
                return False
        return all(_installed_version(name) == version for name, version in self.versions.items())

    def to_json(self) -> dict[str, Any]:
        return {"sources": dict(sorted(self.sources.items())), "versions": dict(sorted(self.versions.items()))}


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


class Store:
    """A folder of verified entries; see the module's docstring."""

    def __init__(self, folder: Path, source_root: Path) -> None:
        """Open (and make) ``folder``; ``source_root`` is where recorded module paths are looked up.

        Raises
        ------
        OSError
            If the folder cannot be made or written (the caller then builds without a cache).
        """
        self.folder = folder
        self.source_root = source_root
        self.linked = folder.is_symlink() or folder.parent.is_symlink()  # the store's folder, or the .cache holding it
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(f"{folder} is not a folder")
        self.scratch = Path(tempfile.mkdtemp(prefix=f".scratch-{os.getpid()}-", dir=folder))
        self.used: set[str] = set()
        if self.linked:
            log.warning(f"the cache folder {folder} is (inside) a symbolic link: using it, but deleting nothing in it")

    def read(self, key: str, label: str = "") -> dict[str, bytes] | None:
        """The files of entry ``key`` if it is whole and nothing it depends on has changed, else None; ``label``
        names what the entry holds in the note about a damaged entry."""
        self.used.add(key)
        entry = self.folder / key
        if not entry.is_dir() or entry.is_symlink():
            return None
        manifest = _manifest(entry)
        if manifest is None:
            log.info(f"the cache entry of {label or key[:12]} is damaged; making it again")
            return None
        if not Dependencies(manifest["sources"], manifest["versions"]).unchanged(self.source_root):
            return None
        files = {}
        for name, expected in manifest["files"].items():
            try:
                payload = (entry / name).read_bytes()
            except OSError:
                payload = None
            if payload is None or digest(payload) != expected:
                log.info(f"the cache entry of {label or key[:12]} is damaged; making it again")
                return None
            files[name] = payload
        return files

    def write(self, key: str, files: Mapping[str, bytes], dependencies: Dependencies) -> None:
        """Put ``files`` in place as entry ``key``; a damaged or outdated entry there is replaced."""
        self.used.add(key)
        folder = Path(tempfile.mkdtemp(prefix="entry-", dir=self.scratch))
        try:
            for name, payload in files.items():
                if not _plain_name(name):
                    raise ValueError(f"cache entry files must have plain names; got {name!r}")
                (folder / name).write_bytes(payload)
            manifest = {"format": FORMAT, "files": {name: digest(payload) for name, payload in sorted(files.items())},
                        **dependencies.to_json()}
            (folder / ENTRY_FILE).write_text(json.dumps(manifest, sort_keys=True))
            target = self.folder / key
            with contextlib.suppress(OSError):  # another build may have put an entry there or moved it meanwhile
                if target.exists() and not target.is_symlink() and _manifest(target) is not None:
                    target.rename(self.scratch / f"replaced-{key}")
                folder.rename(target)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Remove this build's scratch folder, the scratch folders of builds whose process is gone, and the entries
        this build did not use (only entries recognisably the store's own, and none if the folder is a link)."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.linked:
            return
        for entry in self._own_entries():
            if entry.name not in self.used:
                shutil.rmtree(entry, ignore_errors=True)

    def _own_entries(self) -> Iterator[Path]:
        try:
            children = list(self.folder.iterdir())
        except OSError:
            return
        for child in children:
            if child.is_symlink() or not child.is_dir():
                continue
            scratch = SCRATCH.match(child.name)
            if (scratch and not _process_alive(int(scratch.group(1)))) or (KEY.match(child.name) and _manifest(child) is not None and _holds_only_its_files(child)):
                yield child


def open_store(folder: Path, source_root: Path) -> Store | None:
    """The store in ``folder``, or None (with a warning) when ``RELUVIZ_CACHE`` is off or the folder is unusable."""
    if cache_disabled():
        return None
    try:
        return Store(folder, source_root)
    except OSError as error:
        log.warning(f"the cache in {folder} cannot be used ({error.strerror or error}); building without it")
        return None


def _manifest(entry: Path) -> dict[str, Any] | None:
    """The entry's ``entry.json`` if it is of this format and well formed."""
    try:
        manifest = json.loads((entry / ENTRY_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    parts = [manifest.get(name) for name in ("files", "sources", "versions")]
    if not all(isinstance(part, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in part.items()) for part in parts):
        return None
    if not all(_plain_name(name) for name in manifest["files"]):
        return None
    return manifest


def _holds_only_its_files(entry: Path) -> bool:
    manifest = _manifest(entry)
    try:
        present = {child.name for child in entry.iterdir()}
    except OSError:
        return False
    return manifest is not None and present <= {*manifest["files"], ENTRY_FILE}


def _plain_name(name: str) -> bool:
    return bool(name) and name not in {".", "..", ENTRY_FILE} and "/" not in name and "\\" not in name and "\0" not in name


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
