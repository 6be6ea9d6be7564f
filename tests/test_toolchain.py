"""The locked toolchain: the package's record of what drew the published figures agrees with the lock files, every
figure file and the manifest name it, ``reluviz figure`` warns when it draws with other versions, and a fresh
environment installed from the lock file regenerates the site's figures byte for byte."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest
import yaml

from reluviz import toolchain
from reluviz.cli import main
from reluviz.export import draw_files, figure_credit
from reluviz.figures import get_spec
from reluviz.toolchain import DRAWING_LIBRARIES, INSTALL, describe, drawn_with, installed_versions, pinned_in

from .conftest import ROOT, Project, copy_project

LOCKS = ROOT / "requirements"
OTHER = {"numpy": "2.3.5", "matplotlib": "3.10.9", "python": "3.11"}  # what a citer might have a year on


def _fake_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, versions: dict[str, str] | None) -> None:
    """Make the package's record say ``versions`` (None: no record at all)."""
    record = tmp_path / "toolchain.json"
    if versions is not None:
        record.write_text(json.dumps(versions))
    monkeypatch.setattr(toolchain, "RECORD", record)


def test_the_record_is_what_the_lock_files_pin_for_the_python_the_site_is_built_with():
    record = toolchain.recorded_versions()
    for lock in ("build.txt", "test.txt"):
        assert pinned_in((LOCKS / lock).read_text()) == {name: record[name] for name in DRAWING_LIBRARIES}, lock
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    site_python = next(step["with"]["python-version"] for step in workflow["jobs"]["site"]["steps"] if "setup-python" in step.get("uses", ""))
    assert record["python"] == str(site_python)
    assert f"SITE_PYTHON={record['python']} " in (LOCKS / "refresh.sh").read_text()


def test_every_locked_package_is_pinned_with_hashes():
    for lock in ("build.txt", "test.txt"):
        requirements = re.split(r"\n(?=[a-z0-9])", (LOCKS / lock).read_text().split("\n", 2)[2], flags=re.IGNORECASE)
        for requirement in (r for r in requirements if not r.lstrip().startswith("#")):
            assert re.match(r"[a-z0-9_.-]+==\S+", requirement) and "--hash=sha256:" in requirement, f"{lock}: {requirement[:80]}"


def test_the_package_ships_the_record():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert toolchain.RECORD.name in package_data["reluviz"]


def test_a_lock_file_without_one_toolchain_is_refused():
    numpy = "numpy==2.4.6 \\\n    --hash=sha256:00\n"
    assert pinned_in(numpy + "matplotlib==3.11.2 \\\n    --hash=sha256:11\n") == {"numpy": "2.4.6", "matplotlib": "3.11.2"}
    with pytest.raises(ValueError, match=r"must pin matplotlib once, for every Python and platform; it pins none"):
        pinned_in(numpy)
    forked = "matplotlib==3.11.2 ; python_full_version < '3.12' \\\nmatplotlib==3.12.0 ; python_full_version >= '3.12' \\\n"
    with pytest.raises(ValueError, match=re.escape("it pins 3.11.2 ; python_full_version < '3.12', 3.12.0 ; python_full_version >= '3.12'")):
        pinned_in(numpy + forked)
    with pytest.raises(ValueError, match=re.escape("it pins 3.11.2 ; sys_platform == 'linux'")):
        pinned_in(numpy + "matplotlib==3.11.2 ; sys_platform == 'linux' \\\n")


def test_every_figure_file_names_the_versions_that_drew_it():
    credit = figure_credit("xor", 13)
    files = draw_files("xor", get_spec("xor").compute(**get_spec("xor").params), (".svg", ".png", ".pdf"), credit)
    made = f"reluviz {credit.credits.version}, {drawn_with()}"
    assert re.fullmatch(r"reluviz \S+, numpy \S+, matplotlib \S+, Python 3\.\d+", made)
    description = ET.fromstring(files[".svg"]).findtext(".//dc:description", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    assert description == made

    from PIL import Image
    from pypdf import PdfReader

    assert Image.open(io.BytesIO(files[".png"])).text["Software"] == made
    assert PdfReader(io.BytesIO(files[".pdf"])).metadata["/Creator"] == made


def _regenerate(tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str = "xor.svg") -> tuple[bytes, str]:
    """``reluviz figure xor``, as the gallery gives it: the file written and what went to stderr."""
    assert main(["figure", "xor", "--number", "13", "--out", str(tmp_path / out)]) == 0
    return (tmp_path / out).read_bytes(), capsys.readouterr().err


def test_reluviz_figure_warns_in_one_line_when_the_drawing_libraries_differ(monkeypatch, tmp_path, capsys):
    _fake_record(monkeypatch, tmp_path, installed_versions())
    same, quiet = _regenerate(tmp_path, capsys)
    assert quiet == ""
    _fake_record(monkeypatch, tmp_path, OTHER)
    written, warning = _regenerate(tmp_path, capsys)
    assert written == same, "the file is written all the same"
    assert warning.count("\n") == 1 and warning.startswith("reluviz: warning: ")
    installed = installed_versions()
    assert f"drawn with numpy {OTHER['numpy']} and matplotlib {OTHER['matplotlib']}" in warning
    assert f"this is numpy {installed['numpy']} and matplotlib {installed['matplotlib']}" in warning
    assert f"bytes of {tmp_path / 'xor.svg'} may differ" in warning and "data (the .json) do not beyond rounding error" in warning
    assert INSTALL in warning


def test_only_the_drawing_libraries_count_and_the_data_are_warned_about_too(monkeypatch, tmp_path, capsys):
    _fake_record(monkeypatch, tmp_path, installed_versions() | {"python": "3.99"})
    assert _regenerate(tmp_path, capsys)[1] == "", "the same libraries under another Python: no warning"
    _fake_record(monkeypatch, tmp_path, OTHER)
    data, warning = _regenerate(tmp_path, capsys, "xor.json")  # numpy 2.5.5 moves the last bits of xor's fit
    assert json.loads(data)["figure"] == "xor" and warning.count("\n") == 1 and "xor.json may differ" in warning


def test_an_installation_without_the_record_says_it_cannot_tell(monkeypatch, tmp_path, capsys):
    _fake_record(monkeypatch, tmp_path, None)
    warning = _regenerate(tmp_path, capsys)[1]
    assert warning.count("\n") == 1 and "no record of the versions" in warning


def test_the_manifest_and_the_gallery_name_the_toolchain(built_project):
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    gallery = (built_project.site / "gallery" / "index.html").read_text()
    for figure_id, entry in manifest["figures"].items():
        assert entry["drawn_with"] == installed_versions(), figure_id
    assert gallery.count(escape(INSTALL)) == len(manifest["figures"])
    assert f"with the versions that drew it ({describe(installed_versions())})" in gallery


LOCKFILE_FIGURES = {"relu-network-1d": (".svg", ".png", ".pdf"), "regions-2d": (".svg",), "xor": (".svg", "-dark.svg")}
"""The figures and formats the lock file test regenerates: the site's first figure in every drawn format, a figure of
the plane, and a dark one."""


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900,
                          env=os.environ | {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_PROGRESS_BAR": "off"})
    assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stderr[-3000:]}"
    return done


@pytest.mark.lockfile
def test_a_fresh_environment_from_the_lock_file_regenerates_the_sites_figures_byte_for_byte(built_project: Project, tmp_path):
    record = toolchain.recorded_versions()
    if any(installed_versions()[name] != record[name] for name in DRAWING_LIBRARIES):
        message = f"the site was built here with {drawn_with()}, not the lock file's {describe(record)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (.ci/run installs the lock file)")
        pytest.skip(message + ": install requirements/test.txt")
    venv, work = tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python, scripts = venv / "bin" / "python", venv / "bin"
    _run([str(python), "-m", "pip", "install", "-q", "-r", str(LOCKS / "build.txt")], work)
    # A wheel built from a copy (setuptools writes into the folder it builds from), so the package data are tested too.
    source = copy_project(tmp_path / "source")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(source.root)], work)
    commands = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    for figure_id, suffixes in LOCKFILE_FIGURES.items():
        for suffix in suffixes:
            args = shlex.split(commands[figure_id]["command"])
            out = args.index("--out")
            assert args[0] == "reluviz" and args[out + 1] == f"{figure_id}.svg", args
            args[out + 1] = f"{figure_id}{suffix}"
            done = _run([str(scripts / "reluviz"), *args[1:]], work)
            assert done.stderr == "", f"{figure_id}{suffix}: {done.stderr}"
            published = (built_project.site / "figures" / f"{figure_id}{suffix}").read_bytes()
            assert (work / f"{figure_id}{suffix}").read_bytes() == published, f"{figure_id}{suffix} differs from the site's"

