"""The site build as a maintainer runs it: every page and figure, numbers from the computation, failures that stop
the build naming the culprit and publish nothing, a quiet documented build tool, live reload, and interruption."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from reluviz.export import SUFFIXES
from reluviz.figures import figure_ids, get_spec
from reluviz.figures._text import number

from .conftest import figure_workers, wait_until

CHAPTERS = ["", "linear", "matrices", "derivative", "kinks", "affine", "depth", "training", "regions", "activations", "approximation", "xor", "digits"]
PAGES = [f"{name}/index.html".lstrip("/") for name in CHAPTERS + ["gallery", "data", "about", "api"]]


def page_text(project, page: str) -> str:
    return (project.site / page).read_text()


def test_every_page_and_every_figure_file_is_built(built_project):
    for page in PAGES:
        html = page_text(built_project, page)
        for leftover in ("{{ fact", "{{ figure", "{{ ref", "$$", 'class="arithmatex"'):
            assert leftover not in html, f"{page} still holds {leftover!r}"
    for figure_id in figure_ids():
        for suffix in SUFFIXES:
            assert (built_project.site / "figures" / f"{figure_id}{suffix}").stat().st_size > 0
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    assert set(manifest["figures"]) == set(figure_ids())


def test_math_is_mathml_and_figures_are_numbered_once(built_project):
    assert "<math" in page_text(built_project, "matrices/index.html")
    numbers = []
    for page in PAGES[: len(CHAPTERS)]:
        numbers += [int(n) for n in re.findall(r"<strong>Figure (\d+)\.</strong>", page_text(built_project, page))]
    assert numbers == list(range(1, len(figure_ids()) + 1))


def test_the_api_page_documents_every_public_name(built_project):
    import reluviz

    html = page_text(built_project, "api/index.html")
    for name in reluviz.__all__:
        assert f'id="reluviz.{name}"' in html, f"{name} is missing from the API page"


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


def test_changing_the_seed_changes_figures_and_prose_together(built_project, seeded_project):
    assert _prose_matches_figure_data(built_project) != _prose_matches_figure_data(seeded_project)
    for figure_id in figure_ids():
        # A seed may reach only a figure's published data (sawtooth-depth's search), not its drawing.
        changed = any((built_project.site / "figures" / f"{figure_id}{suffix}").read_bytes()
                      != (seeded_project.site / "figures" / f"{figure_id}{suffix}").read_bytes() for suffix in (".svg", ".json"))
        assert changed == ("seed" in get_spec(figure_id).site_params), figure_id


def _assert_nothing_published(project):
    """A failed build leaves no page and no figure behind that could be deployed by mistake."""
    written = [p for p in project.site.rglob("*") if p.is_file()] if project.site.exists() else []
    assert written == [], f"a failed build left {len(written)} files, e.g. {written[:3]}"


def test_figure_that_raises_fails_the_build_and_names_it(project):
    project.edit("reluviz/figures/bias_moves_kinks.py", "    with_bias = Network.random(", '    raise RuntimeError("drawing exploded")\n    with_bias = Network.random(')
    result = project.build()
    assert result.returncode != 0
    assert "bias-moves-kinks" in result.stderr and "drawing exploded" in result.stderr
    assert "Traceback" not in result.stderr
    _assert_nothing_published(project)


def test_bad_settings_fail_the_build_naming_the_figure(project):
    project.edit("properdocs.yml", "    figures:\n", "    figures:\n      kinks-zoom:\n        kinks_shown: 1000\n")
    result = project.build()
    assert result.returncode != 0 and "kinks-zoom" in result.stderr and "kinks_shown" in result.stderr
    _assert_nothing_published(project)


def test_bad_page_markup_fails_the_build_naming_the_page(project):
    project.edit("docs/linear.md", "# A linear network\n", "# A linear network\n\n{{ fact relu-network-1d.no_such_fact }}\n")
    result = project.build()
    assert result.returncode != 0 and "linear.md" in result.stderr and "no_such_fact" in result.stderr
    _assert_nothing_published(project)


BANNERS = ("MkDocs may break", "end of life", "properdocs.yml", "ProperDocs")


def test_the_documented_build_is_quiet_and_mkdocs_builds_the_same_site(built_project, project):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "properdocs build --strict" in readme
    quiet = project.build()
    assert quiet.returncode == 0, quiet.stderr
    assert not [banner for banner in BANNERS if banner in quiet.stderr + quiet.stdout], quiet.stderr
    result = project.build(tool="mkdocs")
    assert result.returncode == 0, result.stderr
    article = re.compile(r"<article.*</article>", re.DOTALL)  # the pages differ only in the generator's name
    for page in ("xor/index.html", "gallery/index.html"):
        assert article.search(page_text(project, page)).group(0) == article.search(page_text(built_project, page)).group(0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def test_serve_redraws_a_figure_after_an_edit_to_reluviz(project):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "properdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(url, "redrawn", 180), "properdocs serve did not come up"
        project.edit("reluviz/figures/relu_network_1d.py", "Nathan Yan's experiment, redrawn", "Nathan Yan's experiment, freshly edited")
        assert _wait_for(url, "freshly edited", 180), "an edit to reluviz did not reach the served page"
    finally:
        server.terminate()
        server.wait(timeout=30)


# What `properdocs serve` does on every change (a fresh configuration, then a build into the same folder), 20 times
# in one process: each build's configuration, with its plugins and Jinja environments, must be let go once the one
# after it starts, and nothing else may pile up, or the server grows with every rebuild (it did: by 8 MB a rebuild
# through a cache of mkdocstrings-python's, then by 6 MB through one of griffe's; gen/hooks.py empties both).
# benchmarks/serve_memory.py measures a real server's memory over 20 rebuilds.
REBUILDS = """
import gc, json, sys, weakref
import properdocs.__main__  # as its command line does: plugins' imports of mkdocs reach properdocs
from properdocs.commands.build import build
from properdocs.config import load_config
alive = []
for _ in range(int(sys.argv[2])):
    config = load_config(site_dir=sys.argv[1])
    build(config)
    alive.append(weakref.ref(config))
    del config
    gc.collect()
    resident_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:"))
    print(json.dumps({"earlier builds alive": sum(ref() is not None for ref in alive[:-1]),  # the newest stays until
                      "objects": len(gc.get_objects()), "resident MB": resident_kb / 1024}))  # the next one starts
"""
SERVE_REBUILDS = 20
GROWTH_BOUND_OBJECTS = 2_000  # Python objects from the 3rd build to the 20th (the griffe leak: 23,000 a build)
GROWTH_BOUND_MB = 20  # resident memory from the 3rd build to the 20th (the griffe leak: 6 MB a build)


def test_twenty_rebuilds_in_one_process_stay_within_a_bound(project, tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    result = subprocess.run([sys.executable, "-c", REBUILDS, str(tmp_path / "site"), str(SERVE_REBUILDS)],
                            cwd=project.root, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    builds = [json.loads(line) for line in result.stdout.split("\n") if line.startswith("{")]
    assert len(builds) == SERVE_REBUILDS, result.stdout
    assert [b["earlier builds alive"] for b in builds] == [0] * SERVE_REBUILDS, result.stdout
    third, last = builds[2], builds[-1]
    assert last["objects"] - third["objects"] <= GROWTH_BOUND_OBJECTS, result.stdout
    assert last["resident MB"] - third["resident MB"] <= GROWTH_BOUND_MB, result.stdout


@pytest.mark.parametrize("how", ["SIGKILL of the build", "Ctrl-C"])
def test_an_interrupted_build_leaves_no_worker_and_no_trusted_half_entry(project, built_project, how):
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    project.edit("reluviz/figures/xor.py", "    net = xor_network()", "    import time\n    time.sleep(1)\n    net = xor_network()")
    build = subprocess.Popen([sys.executable, "-m", "properdocs", "build", "--strict"], cwd=project.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    assert wait_until(lambda: figure_workers(project), 60), "no figure worker started"
    time.sleep(1.0)  # the worker is at work: importing, or drawing xor
    if how == "Ctrl-C":
        os.killpg(build.pid, signal.SIGINT)  # a terminal sends it to the whole foreground group
    else:
        build.kill()
    build.wait(timeout=60)
    assert wait_until(lambda: not figure_workers(project), 15), f"workers left behind: {figure_workers(project)}"
    cache = project.cache
    for entry in cache.iterdir():
        if not entry.name.startswith("."):
            manifest = json.loads((entry / "entry.json").read_text())
            assert sorted(manifest["files"]) == sorted(p.name for p in entry.iterdir() if p.name != "entry.json")
    if how == "Ctrl-C":
        assert not [e for e in cache.iterdir() if e.name.startswith(".scratch-")], "Ctrl-C should clean up its scratch folder"
        return
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.site / "figures" / "xor.svg").read_bytes() == (built_project.site / "figures" / "xor.svg").read_bytes()


def test_a_figure_that_crashes_its_worker_fails_the_build_naming_it(project):
    project.edit("reluviz/figures/xor.py", "    net = xor_network()", "    import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)\n    net = xor_network()")
    result = project.build()
    assert result.returncode != 0 and "figure 'xor' crashed its worker process (killed by SIGSEGV)" in result.stderr
    _assert_nothing_published(project)


def test_a_figure_that_never_finishes_is_stopped_by_its_time_limit(project):
    project.edit("reluviz/figures/xor.py", "    net = xor_network()", "    import time\n    time.sleep(30)\n    net = xor_network()")
    started = time.monotonic()
    result = project.build(env={"RELUVIZ_FIGURE_TIME_LIMIT": "2"})
    assert result.returncode != 0 and "figure 'xor' did not finish within 2 s" in result.stderr
    assert time.monotonic() - started < 25
    _assert_nothing_published(project)
