"""Run README.md's test command on every supported Python: ``nox`` (or ``nox -s tests-3.12`` for one)."""

from __future__ import annotations

import re
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"


def readme_test_command() -> str:
    """The command after ``<!-- test-command -->`` in README.md, exactly as .ci/run reads it."""
    text = Path(__file__).with_name("README.md").read_text()
    match = re.search(r"<!-- test-command -->\s*```\n(.+?)\n```", text)
    if match is None:
        raise RuntimeError("README.md has no test command after <!-- test-command -->")
    return match.group(1)


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    # pip and python resolve to the session's virtual environment, which nox puts first on PATH.
    session.run("bash", "-c", readme_test_command(), external=True)
