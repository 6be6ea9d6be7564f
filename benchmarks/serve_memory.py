"""The memory of `properdocs serve` over many rebuilds, as a maintainer editing a page sees it; prints a table.

Run by hand from the project root: python benchmarks/serve_memory.py [--rebuilds 20]
A copy of the project (with this checkout's figure cache, so the rebuilds redraw nothing) is served; a page is
edited, and once the server says the documentation is built, the server's resident memory is read from /proc.
The server should level off after the first few rebuilds: each build's configuration is let go when the next one
starts (tests/test_build.py checks that in one process).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", ".nox", "site", ".hypothesis", ".pytest_cache", "__pycache__", "*.egg-info")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=20)
    rebuilds = parser.parse_args().rebuilds
    with tempfile.TemporaryDirectory(prefix="reluviz-serve-") as folder:
        root = Path(folder) / "reluviz"
        shutil.copytree(ROOT, root, ignore=IGNORE, symlinks=True)
        server = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "--dev-addr", f"127.0.0.1:{free_port()}"],
                                  cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  env=os.environ | {"DISABLE_MKDOCS_2_WARNING": "true"})
        built = [0]

        def count_builds() -> None:
            assert server.stdout is not None
            for line in server.stdout:
                built[0] += "Documentation built" in line

        threading.Thread(target=count_builds, daemon=True).start()

        def wait_for_build(done: int) -> float:
            start = time.monotonic()
            while built[0] <= done:
                if server.poll() is not None or time.monotonic() - start > 600:
                    raise RuntimeError("properdocs serve stopped or took longer than 600 s to build")
                time.sleep(0.2)
            return time.monotonic() - start

        try:
            seconds = wait_for_build(0)
            print("| build | seconds | resident MB |\n|---:|---:|---:|")
            print(f"| first | {seconds:.1f} | {resident_mb(server.pid):.0f} |")
            page = root / "docs" / "linear.md"
            for rebuild in range(1, rebuilds + 1):
                page.write_text(page.read_text() + "\n")
                seconds = wait_for_build(rebuild)
                print(f"| {rebuild} | {seconds:.1f} | {resident_mb(server.pid):.0f} |", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
