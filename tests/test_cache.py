"""The build cache: correct by construction (a change to anything a figure depends on changes its key), no
matplotlib in a fully cached build, an off switch and a clear command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import BUILD_ENV, ROOT

pytestmark = pytest.mark.build

BUILD_AND_REPORT = (
    "import sys\n"
    "from mkdocs.__main__ import cli\n"
    "try:\n"
    "    cli(['build', '--strict'], standalone_mode=False)\n"
    "finally:\n"
    "    print('matplotlib imported:', 'matplotlib' in sys.modules)\n"
)


def _build_in_process(project, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BUILD_AND_REPORT], cwd=project.root, capture_output=True, text=True,
        env={**os.environ, **BUILD_ENV, **env}, timeout=600,
    )


def test_a_fully_cached_build_never_imports_matplotlib(project):
    warm = _build_in_process(project)
    assert warm.returncode == 0, warm.stderr
    assert "matplotlib imported: False" in warm.stdout
    baseline = _build_in_process(project, RELUVIZ_CACHE="off")
    assert "matplotlib imported: True" in baseline.stdout, "the check should see matplotlib when figures are drawn here"


def test_editing_reluviz_changes_the_figure_and_matches_an_uncached_render(project, tmp_path):
    svg = project.site / "figures" / "relu-network-1d.svg"
    assert project.build().returncode == 0
    before = svg.read_bytes()
    project.edit("reluviz/style.py", '"lines.linewidth": 1.6', '"lines.linewidth": 2.4')
    assert project.build().returncode == 0
    after = svg.read_bytes()
    assert after != before, "an edit to reluviz left a stale figure"
    assert project.build(env={"RELUVIZ_CACHE": "off"}).returncode == 0
    assert svg.read_bytes() == after


def test_editing_gen_invalidates_the_cache(project):
    cache = project.root / ".cache" / "figures"
    assert project.build().returncode == 0
    entries = set(p.name for p in cache.iterdir())
    project.edit("gen/figure_build.py", '"""A figure could not be built; the message names it."""', '"""A figure could not be built."""')
    assert project.build().returncode == 0
    assert set(p.name for p in cache.iterdir()) - entries, "a gen/ edit should make new cache entries"


def test_cache_off_writes_no_cache_and_clear_removes_it(project):
    cache = project.root / ".cache"
    subprocess.run([sys.executable, "gen/build_cache.py", "clear"], cwd=project.root, check=True, capture_output=True)
    assert not cache.exists()
    assert project.build(env={"RELUVIZ_CACHE": "off"}).returncode == 0
    assert not cache.exists()
    assert project.build().returncode == 0
    assert any((cache / "figures").iterdir())


def test_fingerprint_follows_package_versions(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "gen"))
    import build_cache

    before = build_cache.fingerprint(("reluviz",), ("numpy", "matplotlib"))
    real_version = build_cache.metadata.version
    monkeypatch.setattr(build_cache.metadata, "version", lambda name: "0.0-other" if name == "numpy" else real_version(name))
    assert build_cache.fingerprint(("reluviz",), ("numpy", "matplotlib")) != before
