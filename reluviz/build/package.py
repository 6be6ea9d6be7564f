"""The package itself, published with the site: a wheel and an sdist built from the same sources as the site.

A teacher can then install reluviz from the site, without the repository and without an index. setuptools builds
both (the project's own build backend, in a process of its own and in a copy of the sources, so that nothing is
written into the working tree); they are then written again entry by entry, in one order and dated by the build's
SOURCE_DATE_EPOCH, so that two builds of one commit give the same bytes.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

SOURCES = ("pyproject.toml", "README.md", "LICENSE")
"""The files besides the package folder that the distributions are built from."""
EARLIEST_ZIP_DATE = 315532800  # 1980-01-01: zip dates start there
BUILD = "import setuptools.build_meta as backend, sys; getattr(backend, sys.argv[1])(sys.argv[2])"


def project_version(root: Path) -> str:
    """The version pyproject.toml gives."""
    version: str = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    return version


def source_files(root: Path) -> dict[str, bytes]:
    """What the distributions are built from, by path: `SOURCES` and every file of the package (no caches)."""
    files = {name: (root / name).read_bytes() for name in SOURCES}
    for path in sorted((root / "reluviz").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def distributions(files: dict[str, bytes], epoch: int) -> dict[str, bytes]:
    """The wheel and the sdist of the sources ``files``, by file name, each byte-stable for one ``epoch``."""
    with tempfile.TemporaryDirectory(prefix="reluviz-package-") as folder:
        source, out = Path(folder) / "source", Path(folder) / "out"
        for name, data in files.items():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes(data)
        out.mkdir()
        environment = os.environ | {"SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
        for hook in ("build_sdist", "build_wheel"):  # one process each: the backend keeps state between them
            done = subprocess.run([sys.executable, "-c", BUILD, hook, str(out)], cwd=source, env=environment,
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
                raise RuntimeError(f"setuptools could not build the package ({hook}): {last}")
        made = {path.name: path.read_bytes() for path in out.iterdir()}
    return {name: _rezipped(data, epoch) if name.endswith(".whl") else _retarred(data, epoch) for name, data in sorted(made.items())}


def _rezipped(wheel: bytes, epoch: int) -> bytes:
    """The wheel with every entry dated ``epoch`` and given one mode, in the order the backend wrote them."""
    date = time.gmtime(max(epoch, EARLIEST_ZIP_DATE))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wheel)) as given, zipfile.ZipFile(buffer, "w") as again:
        for entry in given.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            again.writestr(info, given.read(entry), compresslevel=9)
    return buffer.getvalue()


def _retarred(sdist: bytes, epoch: int) -> bytes:
    """The sdist with its entries sorted, dated ``epoch``, owned by no one, and a gzip header without a date."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(sdist), mode="r:gz") as given, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as again:
        for member in sorted(given.getmembers(), key=lambda m: m.name):
            data = given.extractfile(member) if member.isfile() else None
            member.mtime, member.uid, member.gid, member.uname, member.gname = epoch, 0, 0, "", ""
            member.mode = 0o755 if member.isdir() else 0o644
            member.pax_headers = {}
            again.addfile(member, data)
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as zipped:
        zipped.write(raw.getvalue())
    return packed.getvalue()
