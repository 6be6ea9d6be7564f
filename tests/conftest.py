"""Shared fixtures: fresh copies of the project, and building them with MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run, so a red run can be reproduced; elsewhere they vary.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "site", ".cache", ".hypothesis", ".pytest_cache", "__pycache__", "*.egg-info")
BUILD_ENV = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Project:
    """A copy of the project in a temporary folder, so a test can edit it and build it freely."""

    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1))

    def build(self, *extra_args: str, env: dict[str, str] | None = None, tool: str = "mkdocs") -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", tool, "build", "--strict", *extra_args]
        return subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, env={**os.environ, **BUILD_ENV, **(env or {})}, timeout=600
        )


def copy_project(destination: Path, cache_from: Path | None = None) -> Project:
    shutil.copytree(ROOT, destination, ignore=COPY_IGNORE)
    if cache_from is not None and (cache_from / ".cache").exists():
        shutil.copytree(cache_from / ".cache", destination / ".cache")
    return Project(destination)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Project:
    """The project as it is, built once with ``mkdocs build --strict``."""
    project = copy_project(tmp_path_factory.mktemp("built") / "reluviz")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(tmp_path, built_project) -> Project:
    """A fresh copy to edit, with the figure cache of the session's build (so unchanged figures are not redrawn)."""
    return copy_project(tmp_path / "reluviz", cache_from=built_project.root)
