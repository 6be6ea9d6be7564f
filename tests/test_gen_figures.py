"""gen/figures.py, unit by unit: what a figure's cache key depends on, the settings it accepts, and the cache."""

from __future__ import annotations

import datetime
import hashlib
import json
import multiprocessing
import shutil
import tempfile
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from reluviz.figures import figure_ids, get_spec

from .conftest import ROOT, copy_project, load_gen_module

figures = load_gen_module("figures")


def test_figure_ids_and_site_params_are_read_without_importing():
    assert figures.figure_ids() == figure_ids()
    for figure_id in figure_ids():
        assert figures.site_params(figure_id) == get_spec(figure_id).site_params


def test_sources_follow_the_figure_s_imports_and_no_others():
    names = {str(path.relative_to(ROOT)) for path in figures.sources("xor")}
    assert {"reluviz/figures/xor.py", "reluviz/experiments.py", "reluviz/export.py", "reluviz/figures/_spec.py",
            "reluviz/figures/_draw.py", "reluviz/style.py", "reluviz/__init__.py", "reluviz/figures/__init__.py"} <= names
    assert "reluviz/regions.py" not in names and "reluviz/figures/relu_network_1d.py" not in names
    assert "reluviz/figures/relu_network_1d.py" in {str(p.relative_to(ROOT)) for p in figures.sources("linear-network-1d")}


def test_a_comment_in_one_figure_changes_only_its_key_and_a_shared_module_every_key(tmp_path):
    copy = copy_project(tmp_path / "copy")

    def keys() -> dict[str, str]:
        module = load_gen_module("figures", copy.root)  # afresh, as mkdocs-gen-files runs it on every build
        return {figure_id: module.cache_key(figure_id, {}) for figure_id in figure_ids()}

    before = keys()
    copy.edit("reluviz/figures/xor.py", "from __future__", "# a comment\nfrom __future__")
    after_comment = keys()
    assert [fid for fid in figure_ids() if after_comment[fid] != before[fid]] == ["xor"]
    copy.edit("reluviz/style.py", '"lines.linewidth": 1.6', '"lines.linewidth": 2.4')
    after_style = keys()
    assert all(after_style[fid] != after_comment[fid] for fid in figure_ids())


def test_the_key_follows_settings_and_library_versions(monkeypatch):
    key = figures.cache_key("kinks-zoom", {})
    assert figures.cache_key("kinks-zoom", {"seed": 1}) != key
    real_version = figures.metadata.version
    monkeypatch.setattr(figures.metadata, "version", lambda name: "0.0" if name == "matplotlib" else real_version(name))
    figures._versions.cache_clear()
    try:
        assert figures.cache_key("kinks-zoom", {}) != key
    finally:
        figures._versions.cache_clear()


def test_settings_reach_only_the_figures_that_take_them():
    overrides, redirects = figures.check_settings({"seed": 3, "width": 12, "figures": {"xor": {}}}, figure_ids())
    assert overrides["relu-network-1d"] == {"seed": 3, "width": 12}
    assert overrides["regions-2d"] == {"seed": 3}
    assert overrides["xor"] == {} and redirects == {}


@pytest.mark.parametrize(
    "settings, words",
    [
        ("seed: 3", ["extra.reluviz", "mapping"]),
        (["seed"], ["extra.reluviz", "mapping"]),
        (datetime.date(2026, 1, 1), ["extra.reluviz", "mapping"]),
        (b"seed", ["extra.reluviz", "mapping"]),
        ({"redirects": ["xor"]}, ["extra.reluviz.redirects"]),
        ({"colour": 3}, ["colour"]),
        ({"figures": {"no-such-figure": {"seed": 3}}}, ["no-such-figure"]),
        ({"figures": ["xor"]}, ["extra.reluviz.figures"]),
        ({"redirects": {"old-name": "no-such-figure"}}, ["old-name", "no-such-figure"]),
        ({"redirects": {"../../escape": "xor"}}, ["../../escape", "kebab-case"]),
        ({"redirects": {"/tmp/anywhere": "xor"}}, ["/tmp/anywhere"]),
        ({"redirects": {"relu-network-1d-dark": "xor"}}, ["relu-network-1d-dark"]),
        ({"redirects": {"kinks-zoom": "xor"}}, ["kinks-zoom"]),
    ],
)
def test_bad_settings_are_refused_in_one_line(settings, words):
    with pytest.raises(PluginError) as raised:
        figures.check_settings(settings, figure_ids())
    for word in words:
        assert word in str(raised.value)


def _entry(cache, key: str = "k" * 64) -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp(dir=cache.scratch))
    files = {"xor.svg": b"<svg/>", "record.json": b"{}"}
    for name, payload in files.items():
        (folder / name).write_bytes(payload)
    cache.store(key, folder)
    return files


def test_an_entry_reads_back_whole_or_not_at_all(tmp_path):
    cache = figures.Cache(tmp_path / "figures")
    files = _entry(cache)
    read = cache.read("k" * 64, "xor")
    assert read is not None and {name: read[name] for name in files} == files
    (tmp_path / "figures" / ("k" * 64) / "xor.svg").write_bytes(b"<sv")
    assert cache.read("k" * 64, "xor") is None
    (tmp_path / "figures" / ("k" * 64) / "xor.svg").unlink()
    assert cache.read("k" * 64, "xor") is None
    assert cache.read("n" * 64, "xor") is None


def test_checksums_hold_every_file(tmp_path):
    cache = figures.Cache(tmp_path / "figures")
    _entry(cache)
    checksums = json.loads((tmp_path / "figures" / ("k" * 64) / "checksums.json").read_text())
    assert checksums == {"record.json": hashlib.sha256(b"{}").hexdigest(), "xor.svg": hashlib.sha256(b"<svg/>").hexdigest()}


def test_a_second_writer_of_one_entry_is_harmless_and_close_prunes(tmp_path):
    first, second = figures.Cache(tmp_path / "figures"), figures.Cache(tmp_path / "figures")
    _entry(first)
    _entry(second)
    assert second.read("k" * 64, "xor") is not None
    _entry(first, "u" * 64)
    first.close({"k" * 64})
    second.close({"k" * 64})
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["k" * 64]


def test_an_unusable_cache_folder_means_a_build_without_cache(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "copy"
    shutil.copytree(ROOT / "gen", blocked / "gen")
    (blocked / ".cache").write_text("a file where the cache folder should be")
    module = load_gen_module("figures", blocked)
    assert module.open_cache() is None
    assert "cannot be used" in caplog.text


def _hammer(folder: str, rounds: int) -> list[str]:
    """Store and read one entry over and over, as many builds at once would; report any partial read."""
    cache = figures.Cache(Path(folder))
    partial = []
    for round_number in range(rounds):
        files = _entry(cache, f"{round_number:064d}"[-64:])
        for key in (f"{round_number:064d}"[-64:], f"{max(0, round_number - 1):064d}"[-64:]):
            read = cache.read(key, "xor")
            if read is not None and {name: read[name] for name in files} != files:
                partial.append(key)
    cache.close(set())
    return partial


def test_many_processes_storing_and_reading_one_cache_never_see_a_partial_entry(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_hammer, [(str(tmp_path / "figures"), 150)] * 4)
    assert results == [[], [], [], []]


def test_a_damaged_copy_of_the_math_font_is_never_used(tmp_path, monkeypatch):
    font = load_gen_module("math_font")
    monkeypatch.setattr(font, "CACHE", tmp_path)
    good = font.cached_subset()
    (cached,) = tmp_path.glob("*.woff2")
    cached.write_bytes(good[:1000])
    assert font.cached_subset() == good
