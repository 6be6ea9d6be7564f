"""The figure cache, through real builds: each figure is keyed on what it depends on, a damaged entry is never
published, and the build process imports no numerical code (RELUVIZ_CACHE=off is checked in test_site)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reluviz.figures import figure_ids

pytestmark = pytest.mark.build

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
    # mkdocs and properdocs show the check sees the build's own imports; the figures are drawn by worker processes.
    assert "imported: ['mkdocs', 'properdocs']" in result.stdout


def test_a_comment_in_one_figure_file_redraws_only_that_figure(project, built_project):
    before = project.cache_entries()
    assert set(before) == set(figure_ids())
    project.edit("reluviz/figures/xor.py", '"""XOR with one hidden ReLU layer', '# A comment a maintainer added.\n"""XOR with one hidden ReLU layer')
    result = project.build()
    assert result.returncode == 0, result.stderr
    after = project.cache_entries()
    changed = sorted(figure_id for figure_id in after if after[figure_id] != before[figure_id])
    assert changed == ["xor"]
    assert len(list((project.root / ".cache" / "figures").iterdir())) == len(after), "the old entry should be deleted"
    assert (project.site / "figures" / "xor.svg").read_bytes() == (built_project.site / "figures" / "xor.svg").read_bytes()


def test_an_edit_to_a_shared_module_redraws_every_figure(project, built_project):
    # That a cached build and an uncached one give the same bytes is test_site's two-clean-builds test.
    before = project.cache_entries()
    project.edit("reluviz/style.py", '"lines.linewidth": 1.6', '"lines.linewidth": 2.4')
    assert project.build().returncode == 0
    after = project.cache_entries()
    assert all(after[figure_id] != before[figure_id] for figure_id in figure_ids())
    svg = "figures/relu-network-1d.svg"
    assert (project.site / svg).read_bytes() != (built_project.site / svg).read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble the checksums"])
def test_a_damaged_entry_is_drawn_again_never_published(project, built_project, damage):
    entry = project.root / ".cache" / "figures" / project.cache_entries()["kinks-zoom"]
    if damage == "truncate":
        svg = entry / "kinks-zoom.svg"
        svg.write_bytes(svg.read_bytes()[:500])
    elif damage == "delete":
        (entry / "kinks-zoom.png").unlink()
    else:
        (entry / "checksums.json").write_text("{not json")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "kinks-zoom" in result.stderr and "damaged" in result.stderr
    for suffix in (".svg", ".png", ".json"):
        name = f"kinks-zoom{suffix}"
        assert (project.site / "figures" / name).read_bytes() == (built_project.site / "figures" / name).read_bytes()
