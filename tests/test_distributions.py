"""The package as the site publishes it: a wheel and an sdist of the same sources, byte-stable, that install and run."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from reluviz.build.package import distributions, project_version, source_files

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_and_sdist_are_byte_stable_and_hold_the_whole_package():
    files = source_files(ROOT)
    first, again = distributions(files, 1_700_000_000), distributions(files, 1_700_000_000)
    version = project_version(ROOT)
    wheel, sdist = f"reluviz-{version}-py3-none-any.whl", f"reluviz-{version}.tar.gz"
    assert sorted(first) == [wheel, sdist] and first == again
    assert distributions(files, 1_800_000_000)[wheel] != first[wheel]  # the date is in the entries
    packaged = [name for name in files if name.startswith("reluviz/")]
    in_wheel = set(zipfile.ZipFile(io.BytesIO(first[wheel])).namelist())
    assert set(packaged) <= in_wheel, sorted(set(packaged) - in_wheel)[:5]
    with tarfile.open(fileobj=io.BytesIO(first[sdist])) as tar:
        members = tar.getmembers()
    assert {m.name.split("/", 1)[1] for m in members if m.isfile()} >= set(files)
    assert {(m.mtime, m.uid, m.uname) for m in members} == {(1_700_000_000, 0, "")}


def test_the_published_wheel_installs_and_runs_without_the_repository(built_project, tmp_path):
    wheels = sorted((built_project.site / "downloads").glob("reluviz-*-py3-none-any.whl"))
    assert len(wheels) == 1 and (built_project.site / "downloads" / wheels[0].name.replace("-py3-none-any.whl", ".tar.gz")).is_file()
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target), str(wheels[0])],
                   check=True)
    script = ("import reluviz, sys; assert reluviz.__file__.startswith(sys.argv[1]), reluviz.__file__; "
              "from reluviz.cli import main; sys.exit(main(['figure', 'relu-network-1d', '--out', sys.argv[2]]))")
    out = tmp_path / "figure.json"
    done = subprocess.run([sys.executable, "-c", script, str(target), str(out)], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (built_project.site / "figures" / "relu-network-1d.json").read_bytes()
