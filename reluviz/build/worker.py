"""A build worker: a process that runs the build's jobs one at a time and says what each one depended on.

The build starts it as ``python -m reluviz.build.worker RESULTS WATCH`` in a process group of its own, sends one job
per line on standard input (JSON: ``module``, ``function``, ``params``, ``inputs``, ``out``) and reads one result
per line from the file descriptor RESULTS. Before each job every reluviz module is forgotten and imported afresh
through a loader that hashes the source it compiles, so the result lists exactly the code that made the output; the
job's libraries (numpy, matplotlib, …) stay loaded, and their versions are listed instead.

A watchdog child reads the file descriptor WATCH, whose other end only the build holds: when the build ends in any
way, even by SIGKILL, the read returns and the watchdog kills the whole process group, the worker and anything a job
started with it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any, ClassVar

PACKAGE = "reluviz"
_compiled: dict[str, CodeType] = {}  # by source hash: the same source is compiled once per worker


class _RecordingLoader(importlib.machinery.SourceFileLoader):
    """Loads a module from its source, always, and records the source's hash (no .pyc: its freshness is judged by
    the file's time stamp, which can miss an edit)."""

    sources: ClassVar[dict[str, str]] = {}  # path -> hash of what was compiled, for the job that runs now

    def get_code(self, fullname: str) -> CodeType:
        source = self.get_data(self.path)
        key = hashlib.sha256(source).hexdigest()
        _RecordingLoader.sources[self.path] = key
        if key not in _compiled:
            _compiled[key] = compile(source, self.path, "exec", dont_inherit=True)
        return _compiled[key]


class _RecordingFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader) and spec.origin:
            spec.loader = _RecordingLoader(fullname, spec.origin)
        return spec


def _forget_the_package() -> None:
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    _RecordingLoader.sources.clear()


def _library_versions(distributions: Mapping[str, list[str]]) -> dict[str, str]:
    """The versions of the installed distributions that provide a module this process has loaded."""
    loaded = {name.partition(".")[0] for name in list(sys.modules)}
    versions = {}
    for top in sorted(loaded & set(distributions)):
        for distribution in distributions[top]:
            if distribution != PACKAGE:
                versions[distribution] = metadata.version(distribution)
    return versions


def _one_line(error: BaseException, out: Path) -> str:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return f"no space left on {error.filename or out}"
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message}".rstrip(": ")


def run(job: dict[str, Any], root: Path, distributions: Mapping[str, list[str]]) -> dict[str, Any]:
    """Run one job: call ``module.function(params, inputs folder)`` and write the files it returns into ``out``."""
    out = Path(job["out"])
    _forget_the_package()
    try:
        function = getattr(importlib.import_module(job["module"]), job["function"])
        files = function(job["params"], Path(job["inputs"]))
        out.mkdir(parents=True, exist_ok=True)
        for name, payload in files.items():
            (out / name).write_bytes(payload)
    except BaseException as error:
        return {"ok": False, "error": _one_line(error, out)}
    sources = {}
    for path, key in _RecordingLoader.sources.items():
        with contextlib.suppress(ValueError):  # imported from outside the source tree: judged by its version
            sources[Path(path).resolve().relative_to(root).as_posix()] = key
    return {"ok": True, "sources": sources, "versions": _library_versions(distributions)}


WATCHDOG = (
    "import os, signal, sys\n"
    "fd = int(sys.argv[1])\n"
    "while os.read(fd, 1):\n"
    "    pass\n"
    "os.killpg(0, signal.SIGKILL)\n"
)


def _start_watchdog(watch_fd: int) -> None:
    """Start a small process in this process group that kills the group once nobody holds the other end of
    ``watch_fd`` (a separate interpreter, not a fork: this process already runs numpy's threads)."""
    subprocess.Popen([sys.executable, "-c", WATCHDOG, str(watch_fd)], pass_fds=(watch_fd,), stdin=subprocess.DEVNULL)
    os.close(watch_fd)


def main(argv: Sequence[str]) -> None:
    results_fd, watch_fd = int(argv[0]), int(argv[1])
    _start_watchdog(watch_fd)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    root = Path.cwd().resolve()
    sys.meta_path.insert(0, _RecordingFinder())
    distributions = metadata.packages_distributions()
    with os.fdopen(results_fd, "w") as results:
        for line in sys.stdin:
            results.write(json.dumps(run(json.loads(line), root, distributions)) + "\n")
            results.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
