"""Jobs for the worker tests: each behaves as a figure that misbehaves might (run by reluviz.build.worker)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def echo(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    files = {name: (inputs / name).read_bytes() for name in sorted(os.listdir(inputs))}
    return files | {"params.txt": repr(params).encode()}


def loop_ignoring_alarms(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        pass


def start_a_child_and_wait(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path(params["pid_file"]).write_text(str(child.pid))
    time.sleep(600)
    return {}


def crash(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    os.kill(os.getpid(), signal.SIGSEGV)
    return {}


def interrupt(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    raise KeyboardInterrupt


def fill_the_disk(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    raise OSError(28, "No space left on device", "/mnt/full")
