"""Run README.md's test command on every supported Python: ``nox`` (or ``nox -s tests-3.12`` for one)."""

from __future__ import annotations

import subprocess

import nox

nox.options.default_venv_backend = "venv"


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    command = subprocess.run(["bash", ".ci/readme_command.sh", "test"], capture_output=True, text=True, check=True).stdout
    # pip and python resolve to the session's virtual environment, which nox puts first on PATH.
    session.run("bash", "-c", command.strip(), external=True)
