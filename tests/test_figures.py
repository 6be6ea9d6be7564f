"""Figures people cite: stable addresses, byte-identical regeneration, citation metadata, light and dark."""

from __future__ import annotations

import json
import multiprocessing
import shlex
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml

from reluviz.cli import main
from reluviz.export import SUFFIXES, data_json
from reluviz.figures import FigureData, figure_ids, get_spec
from reluviz.figures._text import number

from .conftest import ROOT

PUBLISHED = [line for line in (ROOT / "reluviz" / "figures" / "published.txt").read_text().splitlines() if line and not line.startswith("#")]


def _redirects(config_path: Path = ROOT / "properdocs.yml") -> dict:
    config = yaml.load(config_path.read_text(), Loader=yaml.BaseLoader)  # BaseLoader: the config may hold !tags
    return (config.get("extra", {}).get("reluviz", {}) or {}).get("redirects", {}) or {}


def test_every_published_id_is_still_served_or_redirected():
    redirects = _redirects()
    for figure_id in PUBLISHED:
        assert figure_id in figure_ids() or redirects.get(figure_id) in figure_ids(), (
            f"figure {figure_id!r} was published but is gone; keep it or add extra.reluviz.redirects: {{{figure_id}: NEW-ID}}"
        )


def test_every_figure_is_recorded_as_published():
    missing = sorted(set(figure_ids()) - set(PUBLISHED))
    assert not missing, f"add {missing} to reluviz/figures/published.txt"


def test_figure_ids_are_kebab_case():
    for figure_id in figure_ids():
        assert figure_id == figure_id.lower() and " " not in figure_id and "_" not in figure_id


def test_a_redirect_serves_the_old_address(project):
    project.edit("properdocs.yml", "    width: 10 ", "    redirects:\n      relu-net-old-name: relu-network-1d\n    width: 10 ")
    assert project.build().returncode == 0
    for suffix in SUFFIXES:
        old = project.site / "figures" / f"relu-net-old-name{suffix}"
        assert old.read_bytes() == (project.site / "figures" / f"relu-network-1d{suffix}").read_bytes()


def _regenerate(command: str, cwd: Path, suffix: str = ".svg") -> bytes:
    """Run the printed command as ``reluviz`` would (in this process: the CLI's own wiring is tested in test_cli)."""
    args = shlex.split(command)
    assert args[:2] == ["reluviz", "figure"]
    out_index = args.index("--out") + 1
    args[out_index] = str(cwd / (args[out_index].removesuffix(".svg") + suffix))
    assert main(args[1:]) == 0
    return Path(args[out_index]).read_bytes()


@pytest.mark.slow  # a second whole build or every figure drawn again
def test_gallery_commands_regenerate_the_sites_svgs_byte_for_byte(built_project, tmp_path):
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    gallery = (built_project.site / "gallery" / "index.html").read_text()
    commands = {figure_id: entry["command"] for figure_id, entry in manifest["figures"].items()}
    for command in commands.values():
        assert command.replace('"', "&quot;") in gallery
    # Two fresh interpreters share the work, as a reader's shell would run the commands: one per core.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        files = dict(zip(commands, pool.map(_regenerate, commands.values(), [tmp_path] * len(commands))))
    for figure_id, payload in files.items():
        assert payload == (built_project.site / "figures" / f"{figure_id}.svg").read_bytes(), figure_id


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".json", "-dark.svg"])
def test_every_download_format_regenerates_byte_for_byte(built_project, tmp_path, suffix):
    command = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]["relu-network-1d"]["command"]
    assert _regenerate(command, tmp_path, suffix) == (built_project.site / "figures" / f"relu-network-1d{suffix}").read_bytes()


def test_regenerate_command_carries_a_non_default_seed(seeded_project, tmp_path):
    command = json.loads((seeded_project.site / "figures" / "manifest.json").read_text())["figures"]["slope-vs-x"]["command"]
    assert "--seed 7" in command
    assert _regenerate(command, tmp_path) == (seeded_project.site / "figures" / "slope-vs-x.svg").read_bytes()


def test_png_downloads_are_at_least_300_dpi(built_project):
    png = (built_project.site / "figures" / "relu-network-1d.png").read_bytes()
    width = int.from_bytes(png[16:20], "big")
    assert width >= 7 * 300  # the figures are 7 inches wide


def test_gallery_lists_every_figure_with_downloads_and_citations(built_project):
    html = (built_project.site / "gallery" / "index.html").read_text()
    for figure_id in figure_ids():
        assert f'id="figure-{figure_id}"' in html
        for suffix in (".svg", ".png", ".pdf", ".json"):
            assert f"figures/{figure_id}{suffix}" in html
        assert f"@misc{{reluviz-{figure_id}," in html
    assert "CC BY 4.0" in html
    assert "reluviz.github.io" not in html and "howpublished" not in html, "no address while the site has none"


def test_every_figure_has_alt_text_and_both_palettes(built_project):
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    for figure_id, entry in manifest["figures"].items():
        assert len(entry["alt"]) > 40 and "{" not in entry["alt"], figure_id
        dark = (built_project.site / "figures" / f"{figure_id}-dark.svg").read_bytes()
        assert dark != (built_project.site / "figures" / f"{figure_id}.svg").read_bytes()
        assert b"#e8e8e8" in dark, "dark variant should draw its text in the light colour"


def _validate_citation(folder: Path) -> subprocess.CompletedProcess:
    cffconvert = Path(sys.executable).parent / "cffconvert"
    return subprocess.run([str(cffconvert), "--validate", "-i", str(folder / "CITATION.cff")], capture_output=True, text=True)


def test_citation_cff_is_valid(tmp_path):
    assert _validate_citation(ROOT).returncode == 0
    broken = (ROOT / "CITATION.cff").read_text().replace("cff-version: 1.2.0", "cff-version: 1.2.0\nauthors_typo: x").replace("authors:", "writers:", 1)
    (tmp_path / "CITATION.cff").write_text(broken)
    assert _validate_citation(tmp_path).returncode != 0


def test_every_numeric_parameter_has_limits_that_are_enforced():
    for figure_id in figure_ids():
        spec = get_spec(figure_id)
        for name, default in spec.params.items():
            low, high = spec.limits[name]
            assert low <= default <= high, (figure_id, name)
            too_big = high + 1 if isinstance(default, int) else high + 0.5
            with pytest.raises(ValueError, match=f"{figure_id}.*{name}.*between"):
                spec.resolve({name: too_big})


def test_nothing_that_is_not_a_finite_number_is_published(tmp_path):
    with pytest.raises(ValueError, match="finite"):
        number(float("nan"))
    with pytest.raises(ValueError):
        data_json("xor", {}, FigureData({"error": float("nan")}))


def test_a_caption_with_a_stray_brace_is_one_line_naming_the_figure():
    spec = get_spec("xor")
    with pytest.raises(ValueError) as raised:
        spec.filled("a stray { brace", {})
    assert "'xor'" in str(raised.value) and "\n" not in str(raised.value)


def test_figures_of_the_quora_experiment_credit_nathan_yan_in_caption_and_citation(built_project):
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    gallery = (built_project.site / "gallery" / "index.html").read_text()
    quora = ["relu-network-1d", "linear-network-1d", "standard-init-1d", "kinks-zoom"]
    for figure_id in quora:
        entry = manifest["figures"][figure_id]
        assert "Nathan Yan" in entry["caption"] and "Nathan Yan" in entry["credit"], figure_id
        section = gallery[gallery.index(f'id="figure-{figure_id}"'):]
        section = section[: section.index("</section>")]
        assert section.count("After an experiment by Nathan Yan") == 2, f"{figure_id}: plain and BibTeX citations"
