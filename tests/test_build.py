"""The site build: every page and figure is built, numbers come from the computation, and bad input stops it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from reluviz.figures.export import SUFFIXES
from reluviz.figures.registry import FIGURES
from reluviz.figures.text import number

from .conftest import BUILD_ENV

pytestmark = pytest.mark.build

CHAPTERS = ["", "linear", "matrices", "derivative", "kinks", "affine", "depth", "regions", "activations", "approximation", "xor"]
PAGES = [f"{name}/index.html".lstrip("/") for name in CHAPTERS + ["gallery", "data", "about"]]


def page_text(project, page: str) -> str:
    return (project.site / page).read_text()


def test_every_page_and_every_figure_file_is_built(built_project):
    for page in PAGES:
        html = page_text(built_project, page)
        for leftover in ("{{ fact", "{{ figure", "{{ ref", "RELUVIZSTASH", "$$"):
            assert leftover not in html, f"{page} still holds {leftover!r}"
    for figure_id in FIGURES:
        for suffix in SUFFIXES:
            assert (built_project.site / "figures" / f"{figure_id}{suffix}").stat().st_size > 0
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    assert set(manifest["figures"]) == set(FIGURES)


def test_math_is_mathml_and_figures_are_numbered_once(built_project):
    assert "<math" in page_text(built_project, "matrices/index.html")
    numbers = []
    for page in PAGES[: len(CHAPTERS)]:
        numbers += [int(n) for n in re.findall(r"<strong>Figure (\d+)\.</strong>", page_text(built_project, page))]
    assert numbers == list(range(1, len(FIGURES) + 1))


def _published(project, figure_id):
    return json.loads((project.site / "figures" / f"{figure_id}.json").read_text())


def _prose_matches_figure_data(project):
    data = _published(project, "bias-moves-kinks")["with_biases"]
    a, b = data["layers"][0]["weight"][0][0], data["layers"][0]["bias"][0]
    html = page_text(project, "affine/index.html")
    for value in (a, b, -b / a):
        assert number(value) in html, f"{number(value)} missing from the affine page"
    kinks = _published(project, "relu-network-1d")["breakpoints"]
    assert f"finds {len(kinks)} corners" in re.sub(r"\s+", " ", page_text(project, "index.html"))
    return a


def test_changing_the_seed_changes_figures_and_prose_together(built_project, project):
    project.edit("mkdocs.yml", "    seed: 0 ", "    seed: 7 ")
    result = project.build()
    assert result.returncode == 0, result.stderr
    a_default = _prose_matches_figure_data(built_project)
    a_seed_7 = _prose_matches_figure_data(project)
    assert a_default != a_seed_7
    for figure_id, spec in FIGURES.items():
        default = (built_project.site / "figures" / f"{figure_id}.svg").read_bytes()
        changed = default != (project.site / "figures" / f"{figure_id}.svg").read_bytes()
        assert changed == ("seed" in spec.defaults), figure_id


def test_figure_that_raises_fails_the_build_and_names_it(project):
    project.edit("reluviz/figures/algebra.py", '    """The site network with and without its biases', '    raise RuntimeError("drawing exploded")\n    """The site network with and without its biases')
    result = project.build()
    assert result.returncode != 0
    assert "bias-moves-kinks" in result.stderr and "drawing exploded" in result.stderr
    assert "Traceback" not in result.stderr
    _assert_nothing_published(project)


def _assert_nothing_published(project):
    """A failed build leaves no page and no figure behind that could be deployed by mistake."""
    written = [p for p in project.site.rglob("*") if p.is_file()] if project.site.exists() else []
    assert written == [], f"a failed build left {len(written)} files, e.g. {written[:3]}"


@pytest.mark.parametrize(
    "config_lines, words",
    [
        ("    figures:\n      kinks-zoom:\n        kinks_shown: 1000\n", ["kinks-zoom", "kinks_shown"]),
        ("    figures:\n      relu-network-1d:\n        width: ten\n", ["relu-network-1d", "width", "int"]),
        ("    figures:\n      relu-network-1d:\n        colour: 3\n", ["relu-network-1d", "colour"]),
        ("    figures:\n      no-such-figure:\n        seed: 3\n", ["no-such-figure"]),
        ("    redirects:\n      old-name: no-such-figure\n", ["old-name", "no-such-figure"]),
    ],
)
def test_invalid_figure_parameters_fail_the_build_naming_the_figure(project, config_lines, words):
    project.edit("mkdocs.yml", "    width: 10 ", config_lines + "    width: 10 ")
    result = project.build()
    assert result.returncode != 0
    _assert_nothing_published(project)
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize(
    "token, words",
    [
        ("{{ figure no-such-figure }}", ["linear.md", "no-such-figure"]),
        ("{{ fact relu-network-1d.no_such_fact }}", ["linear.md", "no_such_fact"]),
        ("{{ fact no-such-figure.kinks }}", ["linear.md", "no-such-figure"]),
        ("{{ ref no-such-figure }}", ["linear.md", "no-such-figure"]),
        ("{{ frobnicate }}", ["linear.md", "frobnicate"]),
        ("{{ figure relu-network-1d }}", ["linear.md", "second time"]),
        ("{{ gallery }}", ["linear.md", "gallery"]),
        ("See {{ figure relu-network-1d }} here.", ["linear.md", "line of its own"]),
    ],
)
def test_bad_page_markup_fails_the_build_naming_the_page(project, token, words):
    project.edit("docs/linear.md", "# A linear network\n", f"# A linear network\n\n{token}\n")
    result = project.build()
    assert result.returncode != 0
    _assert_nothing_published(project)
    for word in words:
        assert word in result.stderr


def test_properdocs_builds_the_same_site(project):
    result = project.build("-f", "mkdocs.yml", tool="properdocs")
    assert result.returncode == 0, result.stderr
    assert (project.site / "figures" / "relu-network-1d.svg").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if needle in response.read().decode():
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_with_edited_reluviz_and_gen_code(project):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **BUILD_ENV},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(url, "evaluated at", 180), "mkdocs serve did not come up"
        project.edit("reluviz/figures/seed.py", "A random network with one input", "A freshly edited network with one input")
        project.edit("gen/markup.py", "Download: {links}", "Get it as: {links}")
        assert _wait_for(url, "A freshly edited network", 180), "an edit to reluviz did not reach the served page"
        assert _wait_for(url, "Get it as:", 30), "an edit to gen/ did not reach the served page"
    finally:
        server.terminate()
        server.wait(timeout=30)
