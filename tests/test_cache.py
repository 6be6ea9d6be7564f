"""The figure cache, through real builds: each figure is keyed on what it depends on, a damaged entry is never
published, concurrent builds and edits during a build do no harm, and the build process imports no numerical code.
(RELUVIZ_CACHE=off is checked in test_site; that an edit to a shared module changes every key, in test_gen_figures.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from reluviz.figures import figure_ids

from .conftest import copy_project, figure_workers, wait_until

BUILD_AND_REPORT = (
    "import sys\n"
    "from properdocs.__main__ import cli\n"
    "try:\n"
    "    cli(['build', '--strict'], standalone_mode=False)\n"
    "finally:\n"
    "    print('imported:', sorted(m for m in ('mkdocs', 'properdocs', 'numpy', 'matplotlib', 'reluviz') if m in sys.modules))\n"
)


def test_the_build_process_imports_no_numerical_code(project):
    result = subprocess.run([sys.executable, "-c", BUILD_AND_REPORT], cwd=project.root, capture_output=True, text=True,
                            env=os.environ.copy(), timeout=600)
    assert result.returncode == 0, result.stderr
    # mkdocs and properdocs show the check sees the build's own imports; the hooks use the package's HTML helpers
    # (reluviz.build, which needs neither numpy nor matplotlib); the figures are drawn by worker processes.
    assert "imported: ['mkdocs', 'properdocs', 'reluviz']" in result.stdout


def _made_with(project) -> dict[str, str]:
    """What each figure's cache entry records it was made with (the sources and versions), by figure."""
    return {figure_id: (project.cache / entry / "entry.json").read_text() for figure_id, entry in project.cache_entries().items()}


def test_a_comment_in_one_figure_file_redraws_only_that_figure(project, built_project):
    before = _made_with(project)
    assert set(before) == set(figure_ids())
    project.edit("reluviz/figures/xor.py", '"""XOR with one hidden ReLU layer', '# A comment a maintainer added.\n"""XOR with one hidden ReLU layer')
    result = project.build()
    assert result.returncode == 0, result.stderr
    after = _made_with(project)
    changed = sorted(figure_id for figure_id in after if after[figure_id] != before[figure_id])
    assert changed == ["xor"]
    assert len(before) == len(after) == len([e for e in project.cache.iterdir() if (e / "record.json").exists()]), "the old entry should be deleted"
    assert (project.site / "figures" / "xor.svg").read_bytes() == (built_project.site / "figures" / "xor.svg").read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble the manifest"])
def test_a_damaged_entry_is_drawn_again_never_published(project, built_project, damage):
    entry = project.cache / project.cache_entries()["kinks-zoom"]
    if damage == "truncate":
        svg = entry / "kinks-zoom.svg"
        svg.write_bytes(svg.read_bytes()[:500])
    elif damage == "delete":
        (entry / "kinks-zoom.png").unlink()
    else:
        (entry / "entry.json").write_text("{not json")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "kinks-zoom" in result.stderr and "damaged" in result.stderr
    for suffix in (".svg", ".png", ".json"):
        name = f"kinks-zoom{suffix}"
        assert (project.site / "figures" / name).read_bytes() == (built_project.site / "figures" / name).read_bytes()


def test_concurrent_builds_sharing_one_cache_each_publish_the_right_figures(project, built_project, tmp_path):
    # A second copy uses the first one's cache folder: both draw the same new entries at once, and each build deletes
    # the entries it did not use, the other's included. Neither may fail or publish a wrong file.
    project.edit("reluviz/figures/xor.py", '"""XOR with', '# edited for this test\n"""XOR with')
    other = copy_project(tmp_path / "other")
    shutil.rmtree(other.root / ".cache", ignore_errors=True)
    (other.root / ".cache").symlink_to(project.root / ".cache")
    other.edit("reluviz/figures/xor.py", '"""XOR with', '# edited for this test\n"""XOR with')
    other.edit("properdocs.yml", "    figures:\n", "    figures:\n      kinks-zoom:\n        kinks_shown: 2\n")
    runs = [subprocess.Popen([sys.executable, "-m", "properdocs", "build", "--strict"], cwd=copy.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for copy in (project, other)]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.communicate()[1]
    for name in ("xor.svg", "kinks-zoom.svg", "regions-2d.png"):
        assert (project.site / "figures" / name).read_bytes() == (built_project.site / "figures" / name).read_bytes()
    assert (other.site / "figures" / "xor.svg").read_bytes() == (built_project.site / "figures" / "xor.svg").read_bytes()
    assert json.loads((other.site / "figures" / "kinks-zoom.json").read_text())["params"]["kinks_shown"] == 2


def test_an_edit_while_a_figure_is_drawn_never_files_the_new_drawing_under_the_old_code(project, built_project):
    # xor.py waits before it imports reluviz.experiments; meanwhile experiments.py changes. What was drawn then
    # belongs to neither version of the code, so it must not be cached under the key computed before the edit.
    project.edit("reluviz/figures/xor.py", "from ..experiments import", "import time\n\ntime.sleep(1)\nfrom ..experiments import")
    original = (project.root / "reluviz" / "experiments.py").read_text()
    build = subprocess.Popen([sys.executable, "-m", "properdocs", "build", "--strict"], cwd=project.root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_until(lambda: figure_workers(project), 60)  # the key is computed; the worker has not read experiments.py
    project.edit("reluviz/experiments.py", "[0.0, -1.0]), ([[1.0, -2.0]]", "[0.0, -1.0]), ([[1.0, -3.0]]")
    assert build.wait(timeout=600) == 0
    assert (project.site / "figures" / "xor.json").read_text() != (built_project.site / "figures" / "xor.json").read_text()
    (project.root / "reluviz" / "experiments.py").write_text(original)
    assert project.build().returncode == 0  # the xor.py edit stays; only experiments.py went back
    xor = json.loads((project.site / "figures" / "xor.json").read_text())
    assert xor["layers"][1]["weight"] == [[1.0, -2.0]], "the drawing made from the edited code was cached under the old key"


def test_figures_ignore_the_user_s_matplotlibrc(built_project, tmp_path):
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 9\nfont.size: 30\naxes.grid: False\n")
    number = json.loads((built_project.site / "figures" / "manifest.json").read_text())["numbers"]["kinks-zoom"]
    code = ("from reluviz.export import render, figure_credit; import sys; "
            f"sys.stdout.buffer.write(render('kinks-zoom', {{'width': 10, 'seed': 0, 'kinks_shown': 3}}, ('.svg',), figure_credit('kinks-zoom', {number}))[0]['.svg'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            env={**os.environ, "MPLCONFIGDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == (built_project.site / "figures" / "kinks-zoom.svg").read_bytes()
