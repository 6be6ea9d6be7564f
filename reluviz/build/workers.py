"""Running the build's jobs in worker processes (`reluviz.build.worker`), with a time limit held from outside.

Each worker runs in a process group of its own. A job that takes longer than the time limit is stopped by killing
that group, whatever the job is doing (a long numpy call, a loop that ignores signals, a child process it started);
a worker that dies is reported with its job's name and the signal that killed it. The first failure stops every
worker and becomes one line, naming the job. The standard library's process pools are not used because they can
neither kill the one worker that overruns nor say which job a dead worker was running.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .store import Dependencies

DEFAULT_TIME_LIMIT_S = 300.0


class BuildError(Exception):
    """A problem that stops the build: its message is one line that names the job, file or setting at fault."""


@dataclass(frozen=True)
class Job:
    """One unit of work: ``module.function(params, inputs folder)`` returns the files it made, by name."""

    label: str  # how a message names it: "figure 'xor'", "the slides"
    module: str
    function: str
    params: Mapping[str, Any]
    inputs: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Done:
    files: dict[str, bytes]
    dependencies: Dependencies


def positive_setting(name: str, default: float, integer: bool) -> float:
    """The environment variable ``name`` as a positive number (a whole one if ``integer``), or ``default``."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = -1
    if not value > 0 or value != value or value == float("inf"):
        kind = "a positive whole number" if integer else "a positive number of seconds"
        raise BuildError(f"{name} must be {kind}; got {text!r}")
    return value


class _Worker:
    def __init__(self, root: Path, watch_fd: int) -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reluviz.build.worker", str(write_end), str(watch_fd)],
            cwd=root, stdin=subprocess.PIPE, stdout=_stderr(), pass_fds=(write_end, watch_fd),
            start_new_session=True, text=True,
        )
        os.close(write_end)
        self.results: TextIO = os.fdopen(read_end)
        self.job: Job | None = None
        self.folder: Path | None = None
        self.deadline = 0.0

    def start(self, job: Job, folder: Path, time_limit: float) -> None:
        (folder / "in").mkdir(parents=True)
        for name, payload in job.inputs.items():  # a name may hold folders ("reluviz/cli.py")
            (folder / "in" / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / "in" / name).write_bytes(payload)
        message = {"module": job.module, "function": job.function, "params": job.params,
                   "inputs": str(folder / "in"), "out": str(folder / "out")}
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        self.job, self.folder, self.deadline = job, folder, time.monotonic() + time_limit

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.results.close()


def _stderr() -> int | None:
    """Where a worker's own printing goes: this process's standard error (inherited, if it has no descriptor)."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _death(returncode: int) -> str:
    if returncode < 0:
        name = signal.Signals(-returncode).name
        hint = ", perhaps for lack of memory" if name == "SIGKILL" else ""
        return f"crashed its worker process (killed by {name}{hint})"
    return f"crashed its worker process (exit code {returncode})"


def run_jobs(jobs: Mapping[str, Job], scratch: Path, root: Path, workers: int, time_limit: float) -> dict[str, Done]:
    """Run every job (by key) and return what each made; the first failure raises BuildError naming the job.

    ``scratch`` holds the jobs' input and output folders; ``root`` is the source tree the workers import from.
    """
    if not jobs:
        return {}
    watch_read, watch_write = os.pipe()  # the workers' watchdogs hold the read end; only this process the write end
    pending = list(jobs.items())
    done: dict[str, Done] = {}
    pool: list[_Worker] = []
    selector = selectors.DefaultSelector()
    try:
        pool = [_Worker(root, watch_read) for _ in range(min(workers, len(jobs)))]
        os.close(watch_read)
        watch_read = -1
        keys: dict[int, str] = {}
        started = 0
        for worker in pool:
            selector.register(worker.results, selectors.EVENT_READ, worker)
        idle = list(pool)
        while pending or len(idle) < len(pool):
            while pending and idle:
                key, job = pending.pop(0)
                worker = idle.pop()
                keys[id(worker)] = key
                started += 1
                worker.start(job, scratch / f"job-{started}", time_limit)
            now = time.monotonic()
            busy = [w for w in pool if w not in idle]
            events = selector.select(timeout=max(0.0, min(w.deadline for w in busy) - now))
            if not events:
                late = min(busy, key=lambda w: w.deadline)
                assert late.job is not None
                late.kill()
                raise BuildError(f"{late.job.label} did not finish within {time_limit:g} s (RELUVIZ_FIGURE_TIME_LIMIT)")
            for event, _ in events:
                worker = event.data
                line = worker.results.readline()
                assert worker.job is not None and worker.folder is not None
                if not line:
                    worker.process.wait()
                    raise BuildError(f"{worker.job.label} {_death(worker.process.returncode)}")
                result = json.loads(line)
                if not result["ok"]:
                    raise BuildError(f"{worker.job.label} failed: {result['error']}")
                out = worker.folder / "out"
                files = {p.name: p.read_bytes() for p in sorted(out.iterdir())} if out.exists() else {}
                shutil.rmtree(worker.folder, ignore_errors=True)
                done[keys.pop(id(worker))] = Done(files, Dependencies(result["sources"], result["versions"]))
                worker.job = None
                idle.append(worker)
        return done
    finally:
        for worker in pool:
            if worker.process.stdin:
                with contextlib.suppress(OSError):
                    worker.process.stdin.close()
            worker.kill()
        selector.close()
        for fd in (watch_read, watch_write):
            if fd >= 0:
                os.close(fd)


def worker_count(jobs: Sequence[object]) -> int:
    """How many workers to start: ``RELUVIZ_WORKERS``, else one per core, never more than there are jobs."""
    wanted = int(positive_setting("RELUVIZ_WORKERS", float(os.cpu_count() or 1), integer=True))
    return max(1, min(wanted, len(jobs)))
