"""Shared fixtures: copies of the project, built with ProperDocs, the built site served to Chromium, and the gen/
modules loaded for unit tests."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from .browsing import CHROMIUM_FLAGS, chromium_executable

# In CI the property tests draw the same examples every run, so a red run can be reproduced; elsewhere they vary.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "properdocs.yml"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", ".nox", "site", ".cache", ".hypothesis", ".pytest_cache", "__pycache__", "*.egg-info")


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

    def build(self, *extra_args: str, env: dict[str, str] | None = None, tool: str = "properdocs") -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", tool, "build", "--strict", *extra_args]
        return subprocess.run(command, cwd=self.root, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "reluviz"

    def cache_entries(self) -> dict[str, str]:
        """Each figure's cache entry (its folder's name), by the figure whose files it holds."""
        found = {}
        for entry in self.cache.iterdir():
            if (entry / "record.json").exists():
                figure_id = next(p.stem for p in entry.glob("*.json") if p.name not in {"record.json", "entry.json"})
                found[figure_id] = entry.name
        return found


# The tests build the site with these figures made cheaper (fewer networks drawn, shorter training, coarser
# pictures): the build, its pages and its checks are the same for any parameters, and the site as published is
# built by .ci/run with README's build command. Each is a mapping in YAML's flow style, as properdocs.yml takes it.
TEST_SIZED = {
    "pieces-vs-depth": "{networks: 20, limit: 40}",
    "sawtooth-depth": "{search: 40}",
    "training-fit": "{steps: 300}",
    "training-pieces": "{steps: 300}",
    "regions-2d": "{pixels: 100}",
    "approximation": "{samples: 2001}",
    "digits-lines": "{steps: 20, pairs: 10}",
    "digits-plane": "{steps: 20, planes: 2}",  # the same training as digits-lines, so both show one network
}


def copy_project(destination: Path, cache_from: Path | None = None) -> Project:
    """A copy of the project whose site is test-sized (`TEST_SIZED`); a test adds its own figure settings under
    ``    figures:\n`` in properdocs.yml."""
    shutil.copytree(ROOT, destination, ignore=COPY_IGNORE)
    sized = "".join(f"      {figure_id}: {params}\n" for figure_id, params in TEST_SIZED.items())
    Project(destination).edit(CONFIG, "    width: 10 ", f"    figures:\n{sized}    width: 10 ")
    if cache_from is not None and (cache_from / ".cache").exists():
        shutil.copytree(cache_from / ".cache", destination / ".cache")
    return Project(destination)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Project:
    """The project as it is, built once with ``properdocs build --strict``; tests only read it."""
    project = copy_project(tmp_path_factory.mktemp("built") / "reluviz")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def seeded_project(tmp_path_factory, built_project) -> Project:
    """The project built with the site's seed set to 7 instead of 0; tests only read it."""
    project = copy_project(tmp_path_factory.mktemp("seeded") / "reluviz", cache_from=built_project.root)
    project.edit(CONFIG, "    seed: 0 ", "    seed: 7 ")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(tmp_path, built_project) -> Project:
    """A fresh copy to edit, with the figure cache of the session's build (so unchanged figures are not redrawn)."""
    return copy_project(tmp_path / "reluviz", cache_from=built_project.root)


def figure_workers(project: Project) -> list[int]:
    """Process ids of the build's workers (and their watchdogs) working in this project's folder."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
            folder = os.readlink(proc / "cwd")
        except OSError:
            continue
        if (b"reluviz.build.worker" in command or b"os.killpg(0" in command) and folder == str(project.root):
            found.append(int(proc.name))
    return found


def wait_until(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def json_objects(value: object) -> Iterator[dict]:
    """Every JSON object in a parsed document, outermost first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from json_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_objects(item)


def load_gen_module(name: str, root: Path = ROOT) -> ModuleType:
    """A gen/ script or hook module, imported for unit tests (its build-time entry point does not run)."""
    path = root / "gen" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"gen_{name}_{abs(hash(root))}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as importlib's own recipe does (dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(built_project):
    handler = functools.partial(_QuietHandler, directory=str(built_project.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def executable() -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return chromium_executable(playwright)


@pytest.fixture(scope="session")
def browser(executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


BUILDS = {"built_project", "seeded_project", "project", "server"}
DRIVES_A_BROWSER = {"browser", "executable"}
# What builds the site again (a copy to edit, another seed), reads every page in Chromium, or runs every notebook:
# the "slow" tests, which .ci/run runs after README's test command. Tests mark themselves slow for the same reasons.
SLOW = {"seeded_project", "project", "tour", "executed"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by what it needs, so that ``-m "not build and not browser"`` never builds the site and
    ``-m "not slow"`` builds it once."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BUILDS:
            item.add_marker(pytest.mark.build)
        if used & DRIVES_A_BROWSER:
            item.add_marker(pytest.mark.browser)
        if used & SLOW:
            item.add_marker(pytest.mark.slow)
