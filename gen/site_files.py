"""Run the reluviz build step and put every file it makes into the site (run by mkdocs-gen-files on every build).

The step (``python -m reluviz.build``, see reluviz/build/) runs in a process of its own, so under ``properdocs serve``
every rebuild uses the package as it is on disk. Its notes are passed on to MkDocs' log; its error stops the build.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from pathlib import Path

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.reluviz")
PREFIX = "reluviz.build: "


def run_build_step(config_file: Path, out: Path) -> None:
    """Run the step into ``out``; its standard input stays open until it ends, so it stops if this process dies."""
    command = [sys.executable, "-m", "reluviz.build", "--config", str(config_file), "--exit-with-parent", str(out)]
    step = subprocess.Popen(command, cwd=config_file.parent, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert step.stderr is not None and step.stdin is not None
    notes = step.stderr.read().splitlines()
    step.wait()
    step.stdin.close()
    for note in notes[:-1] if step.returncode else notes:
        log.info(note.removeprefix(PREFIX))
    if step.returncode:
        last = notes[-1] if notes else f"exit code {step.returncode}"
        raise PluginError(last.removeprefix(PREFIX).removeprefix("error: "))


if __name__ == "<run_path>":  # run by mkdocs-gen-files (runpy's name)
    with tempfile.TemporaryDirectory(prefix="reluviz-site-") as folder:
        run_build_step(Path(mkdocs_gen_files.config.config_file_path).resolve(), Path(folder))
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            with mkdocs_gen_files.open(path.relative_to(folder).as_posix(), "wb") as placed:
                placed.write(path.read_bytes())
