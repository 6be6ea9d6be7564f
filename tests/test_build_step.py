"""The generation step, without MkDocs, unit by unit: the one cache, the workers and their time limit, the site's
settings and configuration, and the file the explorer shares with the package."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from reluviz.build.settings import figure_parameters, redirects
from reluviz.build.site import page_url, read_config, read_site, relative_url
from reluviz.build.store import Dependencies, Store, open_store
from reluviz.build.twin import shared_script, shared_values
from reluviz.build.workers import BuildError, Job, positive_setting, run_jobs
from reluviz.figures import figure_ids, get_spec

from .conftest import ROOT, wait_until

NOTHING = Dependencies({}, {})


def _store(folder: Path) -> Store:
    return Store(folder, ROOT)


# The cache


def test_an_entry_reads_back_whole_or_not_at_all(tmp_path):
    cache = _store(tmp_path / "cache")
    cache.write("1" * 64, {"xor.svg": b"<svg/>", "record.json": b"{}"}, NOTHING)
    assert cache.read("1" * 64) == {"xor.svg": b"<svg/>", "record.json": b"{}"}
    (tmp_path / "cache" / ("1" * 64) / "xor.svg").write_bytes(b"<sv")
    assert cache.read("1" * 64) is None
    (tmp_path / "cache" / ("1" * 64) / "xor.svg").unlink()
    assert cache.read("1" * 64) is None
    assert cache.read("3" * 64) is None


@pytest.mark.parametrize("damage", ["not json", "a directory", "other format", "a file name with a slash", "empty"])
def test_a_damaged_manifest_is_never_trusted(tmp_path, damage):
    cache = _store(tmp_path / "cache")
    cache.write("1" * 64, {"a.svg": b"<svg/>"}, NOTHING)
    manifest = tmp_path / "cache" / ("1" * 64) / "entry.json"
    if damage == "a directory":
        manifest.unlink()
        manifest.mkdir()
    elif damage == "not json":
        manifest.write_text("{not json")
    elif damage == "empty":
        manifest.write_text("")
    else:
        data = json.loads(manifest.read_text())
        if damage == "other format":
            data["format"] = "reluviz-cache-0"
        else:
            data["files"] = {"../a.svg": data["files"]["a.svg"]}
        manifest.write_text(json.dumps(data))
    assert cache.read("1" * 64) is None


def test_the_manifest_holds_every_file_s_hash_and_what_made_it(tmp_path):
    cache = _store(tmp_path / "cache")
    cache.write("1" * 64, {"xor.svg": b"<svg/>"}, Dependencies({"reluviz/style.py": "abc"}, {"numpy": "1.0"}))
    manifest = json.loads((tmp_path / "cache" / ("1" * 64) / "entry.json").read_text())
    assert manifest["files"] == {"xor.svg": hashlib.sha256(b"<svg/>").hexdigest()}
    assert manifest["sources"] == {"reluviz/style.py": "abc"} and manifest["versions"] == {"numpy": "1.0"}


def test_an_entry_is_used_only_while_the_code_and_libraries_that_made_it_are_unchanged(tmp_path):
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "mod.py"
    module.write_text("x = 1\n")
    cache = Store(tmp_path / "cache", tmp_path)
    import numpy

    made_with = Dependencies({"pkg/mod.py": hashlib.sha256(b"x = 1\n").hexdigest()}, {"numpy": numpy.__version__})
    cache.write("1" * 64, {"a": b"1"}, made_with)
    assert cache.read("1" * 64) == {"a": b"1"}
    module.write_text("x = 2\n")
    assert cache.read("1" * 64) is None
    module.write_text("x = 1\n")
    cache.write("4" * 64, {"a": b"1"}, Dependencies(made_with.sources, {"numpy": "0.0"}))
    assert cache.read("4" * 64) is None, "another numpy"


def test_close_prunes_only_the_store_s_own_unused_entries(tmp_path):
    folder = tmp_path / "cache"
    first = _store(folder)
    first.write("1" * 64, {"a": b"1"}, NOTHING)
    first.write("2" * 64, {"a": b"2"}, NOTHING)
    (folder / "thesis").mkdir()
    (folder / "thesis" / "chapter.tex").write_text("mine")
    (folder / "lecture.pdf").write_bytes(b"%PDF mine")
    (folder / ("f" * 64)).mkdir()
    (folder / ("f" * 64) / "notes.txt").write_text("not the cache's: no entry.json")
    first.write("e" * 64, {"a": b"3"}, NOTHING)
    (folder / ("e" * 64) / "extra.txt").write_text("someone added a file to an entry")
    first.close()
    later = _store(folder)
    later.read("1" * 64)
    later.close()
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(["1" * 64, "thesis", "lecture.pdf", "f" * 64, "e" * 64])
    assert (folder / "thesis" / "chapter.tex").read_text() == "mine"


def test_a_linked_cache_folder_is_used_but_nothing_in_it_is_deleted(tmp_path, caplog):
    real = tmp_path / "somewhere"
    real.mkdir()
    (real / "lecture.pdf").write_bytes(b"%PDF mine")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "reluviz").symlink_to(real)
    cache = Store(tmp_path / ".cache" / "reluviz", tmp_path)
    cache.write("1" * 64, {"a": b"1"}, NOTHING)
    cache.close()
    again = Store(tmp_path / ".cache" / "reluviz", tmp_path)
    again.close()
    assert (real / "lecture.pdf").read_bytes() == b"%PDF mine" and (real / ("1" * 64)).is_dir()
    assert "symbolic link" in caplog.text


def test_scratch_folders_of_builds_that_are_gone_are_removed(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    gone = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(0,))
    gone.start()
    gone.join()
    (folder / f".scratch-{gone.pid}-abc").mkdir()
    (folder / f".scratch-{os.getpid()}-alive").mkdir()
    cache = _store(folder)
    cache.close()
    assert sorted(p.name for p in folder.iterdir()) == [f".scratch-{os.getpid()}-alive"]


@pytest.mark.parametrize("blocked", ["a file", "read-only"])
def test_an_unusable_cache_folder_means_a_build_without_cache(tmp_path, caplog, blocked):
    if blocked == "a file":
        (tmp_path / ".cache").write_text("a file where the cache folder should be")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        (tmp_path / ".cache").mkdir(mode=0o500)
    assert open_store(tmp_path / ".cache" / "reluviz", tmp_path) is None
    assert "cannot be used" in caplog.text and "building without it" in caplog.text


def _hammer(folder: str, rounds: int) -> list[str]:
    """Write and read entries over and over, as many builds at once would; report any partial read."""
    cache = Store(Path(folder), ROOT)
    partial = []
    for round_number in range(rounds):
        files = {"xor.svg": f"<svg>{round_number}</svg>".encode() * 50, "record.json": b"{}"}
        key = f"{round_number % 7:064d}"
        cache.write(key, files, NOTHING)
        read = cache.read(key)
        if read is not None and read["record.json"] != b"{}":
            partial.append(key)
    cache.close()
    return partial


def test_many_processes_writing_and_reading_one_cache_never_see_a_partial_entry(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_hammer, [(str(tmp_path / "cache"), 120)] * 4)
    assert results == [[], [], [], []]


# The workers


def _run(jobs: dict[str, Job], tmp_path: Path, time_limit: float = 60.0):
    (tmp_path / "scratch").mkdir(exist_ok=True)
    return run_jobs(jobs, tmp_path / "scratch", ROOT, 2, time_limit)


def test_workers_return_each_job_s_files_and_the_code_it_ran(tmp_path):
    jobs = {f"echo {i}": Job(f"job {i}", "tests.build_jobs", "echo", {"i": i}, {"in.txt": f"input {i}".encode()}) for i in range(3)}
    done = _run(jobs, tmp_path)
    assert done["echo 2"].files == {"in.txt": b"input 2", "params.txt": b"{'i': 2}"}
    assert "tests/build_jobs.py" not in done["echo 0"].dependencies.sources, "only reluviz's own code is recorded"
    figure = run_jobs({"f": Job("figure 'xor'", "reluviz.build.jobs", "math_font", {},
                                {"STIXMath-Regular.otf": (ROOT / "reluviz/build/fonts/STIXMath-Regular.otf").read_bytes()})},
                      tmp_path / "scratch", ROOT, 1, 120)["f"]
    assert {"reluviz/build/jobs.py", "reluviz/build/font.py"} <= set(figure.dependencies.sources)
    assert "reluviz/regions.py" not in figure.dependencies.sources and "fonttools" in figure.dependencies.versions


@pytest.mark.parametrize("job, message", [
    ("crash", "job 'x' crashed its worker process (killed by SIGSEGV)"),
    ("interrupt", "job 'x' failed: KeyboardInterrupt"),
    ("fill_the_disk", "job 'x' failed: no space left on /mnt/full"),
])
def test_a_job_that_fails_or_crashes_is_named_in_one_line(tmp_path, job, message):
    with pytest.raises(BuildError) as raised:
        _run({"x": Job("job 'x'", "tests.build_jobs", job, {})}, tmp_path)
    assert str(raised.value) == message


def test_the_time_limit_stops_a_job_that_ignores_signals_and_every_process_it_started(tmp_path):
    pid_file = tmp_path / "child.pid"
    started = time.monotonic()
    with pytest.raises(BuildError, match=r"job 'loop' did not finish within 1.5 s"):
        _run({"loop": Job("job 'loop'", "tests.build_jobs", "loop_ignoring_alarms", {}),
              "child": Job("job 'child'", "tests.build_jobs", "start_a_child_and_wait", {"pid_file": str(pid_file)})},
             tmp_path, time_limit=1.5)
    assert time.monotonic() - started < 10
    assert wait_until(pid_file.exists, 5)
    child = int(pid_file.read_text())
    assert wait_until(lambda: not _alive(child), 10), "the job's child process outlived the build"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state not in {"Z", "X"}


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", "1e400"])
def test_time_limit_and_worker_settings_must_be_positive_numbers(monkeypatch, value):
    monkeypatch.setenv("RELUVIZ_FIGURE_TIME_LIMIT", value)
    with pytest.raises(BuildError, match=r"RELUVIZ_FIGURE_TIME_LIMIT must be a positive number of seconds; got"):
        positive_setting("RELUVIZ_FIGURE_TIME_LIMIT", 300, integer=False)
    monkeypatch.setenv("RELUVIZ_WORKERS", value)
    with pytest.raises(BuildError, match=r"RELUVIZ_WORKERS must be a positive whole number; got"):
        positive_setting("RELUVIZ_WORKERS", 2, integer=True)


def test_a_build_killed_by_sigkill_leaves_no_worker(tmp_path):
    import subprocess
    import sys

    code = ("from pathlib import Path; from reluviz.build.workers import Job, run_jobs; "
            f"run_jobs({{'a': Job('a', 'tests.build_jobs', 'loop_ignoring_alarms', {{}})}}, Path({str(tmp_path)!r}), Path({str(ROOT)!r}), 1, 600)")
    build = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)

    def workers() -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if b"reluviz.build.worker" in (proc / "cmdline").read_bytes() and int((proc / "stat").read_text().split()[3]) == build.pid:
                    found.append(int(proc.name))
            except (OSError, ValueError, IndexError):
                continue
        return found

    assert wait_until(workers, 30)
    (worker,) = workers()
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert wait_until(lambda: not _alive(worker), 10)


# The settings and the site's configuration


def test_settings_reach_only_the_figures_that_take_them():
    parameters = figure_parameters({"seed": 3, "width": 12, "figures": {"xor": {}}}, figure_ids())
    assert parameters["relu-network-1d"] == get_spec("relu-network-1d").resolve({"seed": 3, "width": 12})
    assert parameters["regions-2d"]["seed"] == 3 and parameters["xor"] == get_spec("xor").resolve({})


@pytest.mark.parametrize(
    "settings, words",
    [
        ("seed: 3", ["extra.reluviz", "mapping"]),
        (["seed"], ["extra.reluviz", "mapping"]),
        ({"colour": 3}, ["colour"]),
        ({"figures": {"no-such-figure": {"seed": 3}}}, ["no-such-figure"]),
        ({"figures": ["xor"]}, ["extra.reluviz.figures"]),
        ({"figures": {"kinks-zoom": {"kinks_shown": 5000}}}, ["kinks-zoom", "kinks_shown"]),
        ({"seed": "zero"}, ["seed", "zero"]),
    ],
)
def test_bad_settings_are_refused_in_one_line(settings, words):
    with pytest.raises(BuildError) as raised:
        figure_parameters(settings, figure_ids())
    assert all(word in str(raised.value) for word in words) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "setting, words",
    [
        (["xor"], ["extra.reluviz.redirects"]),
        ({"old-name": "no-such-figure"}, ["old-name", "no-such-figure"]),
        ({"../../escape": "xor"}, ["../../escape", "kebab-case"]),
        ({"/tmp/anywhere": "xor"}, ["/tmp/anywhere"]),
        ({"relu-network-1d-dark": "xor"}, ["relu-network-1d-dark"]),
        ({"relu-network-1d-narrow": "xor"}, ["relu-network-1d-narrow", "is a figure's"]),
        ({"kinks-zoom": "xor"}, ["kinks-zoom"]),
    ],
)
def test_a_redirect_may_never_take_a_figure_s_file_name(setting, words):
    with pytest.raises(BuildError) as raised:
        redirects({"redirects": setting}, figure_ids())
    assert all(word in str(raised.value) for word in words)
    assert redirects({"redirects": {"old-xor": "xor"}}, figure_ids()) == {"old-xor": "xor"}


def test_the_configuration_is_read_as_mkdocs_reads_it_inherit_and_tags_included(tmp_path):
    (tmp_path / "base.yml").write_text("site_name: Base\nextra:\n  a: 1\n  b: {c: 2}\nmarkdown_extensions:\n  - x: !!python/name:os.path\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nextra:\n  b: {d: 3}\nsite_url: !ENV [SITE, 'https://x.org/']\n")
    config = read_config(tmp_path / "mkdocs.yml")
    assert config["site_name"] == "Base" and config["extra"] == {"a": 1, "b": {"c": 2, "d": 3}}
    site = read_site(ROOT / "mkdocs.yml")
    assert [page.src for page in site.pages] == [page.src for page in read_site(ROOT / "properdocs.yml").pages]


def test_page_addresses_and_relative_links_are_mkdocs_own():
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    for src in ("index.md", "kinks.md", "a/index.md", "a/b.md"):
        for directory_urls in (True, False):
            expected = File(src, "docs", "site", directory_urls).url
            assert page_url(src, directory_urls) == expected
    for url in ("", "figures/x.svg", "gallery/", "a/b/", "index.html", "../x"):
        for other in ("", "kinks/", "a/b.html", "figures/x.svg"):
            assert relative_url(url, other) == get_relative_url(url, other)


def test_a_page_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_bytes(b"# Hi \xff there\n")
    (tmp_path / "properdocs.yml").write_text("site_name: x\nnav:\n  - Home: index.md\n")
    with pytest.raises(BuildError, match=r"page index.md is not valid UTF-8 \(byte 0xff at offset 5\)"):
        read_site(tmp_path / "properdocs.yml")


# The file the explorer shares with the package


def test_the_shared_file_holds_the_package_s_own_values(monkeypatch):
    from reluviz import explorer, portable_random

    values = shared_values()
    assert values["random"]["multipliers"] == list(portable_random.PHILOX_MULTIPLIERS)
    assert [c["name"] for c in values["explorer"]["controls"]] == [c.name for c in explorer.LINE_CONTROLS]
    monkeypatch.setattr(portable_random, "LN2", 0.5)
    assert shared_values()["random"]["ln2"] == 0.5, "read afresh from the package"
    script = shared_script()
    assert script.count("ReluvizShared") == 1 and '"ln2":0.5' in script



def test_a_second_build_into_the_same_site_folder_is_refused_until_the_first_ends(tmp_path):
    from reluviz.build.site_lock import SiteBusyError, SiteLock

    site = tmp_path / "site"
    first, second = SiteLock(site), SiteLock(site)
    first.acquire()
    with pytest.raises(SiteBusyError, match=r"another build is writing into .*site; wait for it to finish"):
        second.acquire()
    SiteLock(tmp_path / "elsewhere").acquire()  # another folder is free
    first.release()
    second.acquire()
    second.release()
