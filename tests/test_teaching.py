"""What teachers take away: the figure pack, the slides and a notebook per chapter, checked in the built site."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml

from .conftest import ROOT


def _manifest(site: Path) -> dict:
    return json.loads((site / "figures" / "manifest.json").read_text())["figures"]


def test_the_figure_pack_holds_every_figure_its_licence_credits_citation_and_slides(built_project):
    site = built_project.site
    figures = _manifest(site)
    with zipfile.ZipFile(site / "downloads" / "reluviz-figures.zip") as pack:
        names = set(pack.namelist())
        expected = {f"reluviz-figures/{figure_id}{suffix}" for figure_id in figures for suffix in (".svg", ".pdf", ".png")}
        assert expected <= names
        for figure_id in figures:
            assert pack.read(f"reluviz-figures/{figure_id}.svg") == (site / "figures" / f"{figure_id}.svg").read_bytes()
        citation = yaml.safe_load(pack.read("reluviz-figures/CITATION.cff"))
        project = yaml.safe_load((ROOT / "CITATION.cff").read_text())
        assert citation == project | {"license": "CC-BY-4.0"}, "the pack's citation: the project's, with the figures' licence"
        assert pack.read("reluviz-figures/reluviz-slides.pdf") == (site / "downloads" / "reluviz-slides.pdf").read_bytes()
        licence = pack.read("reluviz-figures/LICENCE.txt").decode()
        credits = pack.read("reluviz-figures/CREDITS.txt").decode()
        assert "CC BY 4.0" in licence and "https://creativecommons.org/licenses/by/4.0/" in licence
        assert all(entry["title"] in credits for entry in figures.values()) and "Nathan Yan" in credits
        assert len({info.date_time for info in pack.infolist()}) == 1, "every entry carries the build's date"


def test_the_slides_have_one_page_per_figure_with_its_number_caption_and_citation(built_project):
    from pptx import Presentation
    from pypdf import PdfReader

    figures = _manifest(built_project.site)
    reader = PdfReader(built_project.site / "downloads" / "reluviz-slides.pdf")
    pages = reader.pages[1 : len(figures) + 1]  # after the title slide, before the credits
    assert "CC BY 4.0" in reader.pages[-1].extract_text() + reader.pages[-2].extract_text()
    assert len(Presentation(built_project.site / "downloads" / "reluviz-slides.pptx").slides) == len(reader.pages)
    texts = [" ".join(page.extract_text().split()) for page in pages]
    for number, text in enumerate(texts, start=1):
        assert text.startswith(f"Figure {number}.") and "Licensed under CC BY 4.0" in text
    titles = [text.split(". ", 1)[1] for text in texts]
    assert all(any(title.startswith(entry["title"]) for title in titles) for entry in figures.values())


def test_the_gallery_links_every_download(built_project):
    gallery = (built_project.site / "gallery" / "index.html").read_text()
    for target in ["../downloads/reluviz-figures.zip", "../downloads/reluviz-slides.pdf", "../downloads/reluviz-slides.pptx", "../notebooks/index.ipynb",
                   "../notebooks/xor.ipynb"]:
        assert f'href="{target}"' in gallery, target
    assert 'href="../notebooks/kinks.ipynb" download' in (built_project.site / "kinks" / "index.html").read_text()
