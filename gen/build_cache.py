"""A content-addressed cache of build outputs in .cache/ (ignored by git), shared by the gen scripts.

An entry is a folder of named files under a key that hashes everything the output depends on, so a stale entry can
only be found under a key nobody asks for any more. ``RELUVIZ_CACHE=off`` turns it off; ``python gen/build_cache.py
clear`` empties it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache"
FORMAT = 1


def enabled() -> bool:
    return os.environ.get("RELUVIZ_CACHE", "on").lower() not in {"off", "0", "false", "no"}


def fingerprint(folders: tuple[str, ...], packages: tuple[str, ...], files: tuple[Path, ...] = ()) -> str:
    """A hash of the source files under ``folders``, any extra ``files``, and the versions of ``packages``."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for package in packages:
        digest.update(f"{package} {metadata.version(package)}".encode())
    paths = [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))] + list(files)
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def read(section: str, entry: str) -> dict[str, bytes] | None:
    """The files of a complete entry, or None."""
    folder = CACHE_DIR / section / entry
    if not folder.is_dir():
        return None
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def write(section: str, entry: str, files: dict[str, bytes]) -> None:
    """Written to a temporary folder and renamed into place, so an interrupted build never leaves half an entry."""
    folder = CACHE_DIR / section / entry
    partial = CACHE_DIR / section / f"{entry}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, payload in files.items():
        (partial / name).write_bytes(payload)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)


def clear() -> None:
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["clear"]:
        sys.exit("usage: python gen/build_cache.py clear")
    clear()
    print(f"removed {CACHE_DIR}")
