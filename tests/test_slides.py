"""The slides teachers project: every text inside the margins and large enough for a lecture hall, a title slide and
credits, the same bytes from the same inputs, an editable PPTX of the same deck, and panel letters that never
collide with a panel's title."""

from __future__ import annotations

import io
import math
import re
import sys
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest

from reluviz.credits import DEFAULT_CREDITS, FIGURE_LICENCE, FIGURE_LICENCE_URL
from reluviz.slides import CAPTION, CITATION, MARGIN_PT, PAGE_PT, deck_pages, half_resolution, slides_pdf

TOLERANCE_PT = 0.05  # rounding in the PDF's numbers


FIGURES = {  # each lays a slide out its own way
    "relu-network-1d": {},  # tall: the caption in a column beside it; a citation with an address
    "slope-vs-x": {},  # a title of two lines
    "sawtooth-depth": {"search": 20},  # wide: the caption under it (a short search: the layout is what is tested)
    "pieces-vs-depth": {"networks": 20, "limit": 20},  # the longest caption
    "regions-2d": {"pixels": 100},
    "xor": {},
}


@pytest.fixture(scope="session")
def deck() -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Slide records and PNGs of a few figures, drawn and captioned as the site does it."""
    from reluviz.build.html import Citation, plain_citation
    from reluviz.export import render
    from reluviz.figures import get_spec

    cite = Citation(DEFAULT_CREDITS.authors, DEFAULT_CREDITS.title, DEFAULT_CREDITS.version, "2026", DEFAULT_CREDITS.site_url)
    slides, images = [], {}
    for number, (figure_id, params) in enumerate(FIGURES.items(), start=1):
        spec = get_spec(figure_id)
        files, data, _ = render(figure_id, spec.resolve(params), (".png",))
        record = {"title": spec.title, "credit": spec.credit}
        slides.append({"id": figure_id, "number": number, "title": spec.title,
                       "caption": spec.filled(spec.caption, data.facts),
                       "citation": plain_citation(figure_id, record, number, cite)})
        images[figure_id] = files[".png"]
    return slides, images


@pytest.fixture(scope="session")
def pdf(deck) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(slides_pdf(*deck, DEFAULT_CREDITS)))


@dataclass(frozen=True)
class Run:
    """A piece of text the PDF shows, where its ink lies (points from the page's bottom-left corner)."""

    text: str
    size: float
    bold: bool
    x0: float
    y0: float
    x1: float
    y1: float


def _runs(page: Any) -> list[Run]:
    """Each run of text on ``page``: its origin and size from the text and current matrices, its ink's extent from
    DejaVu Sans's outlines (the font matplotlib embeds) at that size."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.replace("\n", "")
        if not text.strip() or not font:
            return
        _, _, c, d, e, f = tm
        x, y = e * cm[0] + f * cm[2] + cm[4], e * cm[1] + f * cm[3] + cm[5]
        scale = math.hypot(c * cm[0] + d * cm[2], c * cm[1] + d * cm[3])  # the text matrix times the current one
        bold = "Bold" in str(font["/BaseFont"])
        ink = TextPath((0, 0), text, size=size * scale, prop=FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")).get_extents()
        runs.append(Run(text, size * scale, bold, x + ink.x0, y + ink.y0, x + ink.x1, y + ink.y1))

    page.extract_text(visitor_text=visit)
    return runs


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_text_lies_inside_the_margins_and_captions_and_citations_are_large(deck, pdf):
    slides, _ = deck
    width, height = PAGE_PT
    assert len(pdf.pages) > len(slides) + 1
    for number, page in enumerate(pdf.pages, start=1):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(PAGE_PT, abs=0.05)
        runs = _runs(page)
        assert runs, f"page {number} shows no text"
        for run in runs:
            inside = (run.x0 >= MARGIN_PT - TOLERANCE_PT and run.x1 <= width - MARGIN_PT + TOLERANCE_PT
                      and run.y0 >= MARGIN_PT - TOLERANCE_PT and run.y1 <= height - MARGIN_PT + TOLERANCE_PT)
            assert inside, f"page {number}: {run.text!r} reaches into the margin: {run}"
            assert run.size >= CITATION.size, f"page {number}: {run.text!r} is {run.size:.1f} points"
    for slide, page in zip(slides, pdf.pages[1:]):
        runs = _runs(page)
        caption = "".join(run.text for run in runs if not run.bold and run.size >= 14)
        citation = "".join(run.text for run in runs if run.size < 14)
        assert _squeezed(caption) == _squeezed(slide["caption"]), slide["id"]
        assert _squeezed(citation) == _squeezed(slide["citation"]), slide["id"]
        assert min(run.size for run in runs if run.size >= 14) >= CAPTION.size >= 14
        assert min(run.size for run in runs) >= CITATION.size >= 10


def test_the_deck_opens_with_a_title_slide_and_ends_with_credits_under_the_licence(deck, pdf):
    slides, _ = deck
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    first = texts[0]
    for expected in [DEFAULT_CREDITS.title, DEFAULT_CREDITS.authors, f"Version {DEFAULT_CREDITS.version}", FIGURE_LICENCE,
                     FIGURE_LICENCE_URL]:
        assert expected in first
    for slide, text in zip(slides, texts[1:]):
        assert text.startswith(f"Figure {slide['number']}. ")
    credits = texts[len(slides) + 1:]
    assert credits and all(text.startswith("Credits") for text in credits)
    squeezed = _squeezed(" ".join(credits))
    assert all(_squeezed(slide["citation"]) in squeezed for slide in slides)
    assert _squeezed(f"licensed under {FIGURE_LICENCE}, {FIGURE_LICENCE_URL}") in squeezed


def test_the_same_inputs_give_the_same_pdf_and_pptx_bytes(deck):
    pytest.importorskip("pptx")
    from reluviz.slides_pptx import slides_pptx

    slides, images = deck
    few = [slides[0], slides[-1]]
    assert slides_pdf(few, images, DEFAULT_CREDITS) == slides_pdf(few, images, DEFAULT_CREDITS)
    first, again = (slides_pptx(few, images, DEFAULT_CREDITS, epoch=1_700_000_000) for _ in range(2))
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as deck_zip:
        assert deck_zip.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in deck_zip.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        core = deck_zip.read("docProps/core.xml").decode()
    assert core.count("2023-11-14T22:13:20Z") == 2 and "lastModifiedBy" not in core
    assert f"<dc:creator>{DEFAULT_CREDITS.authors}</dc:creator>" in core


def test_the_pptx_has_the_pdfs_slides_with_editable_text_inside_the_margins(deck, pdf, monkeypatch):
    pptx = pytest.importorskip("pptx")
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.util import Emu

    from reluviz.slides_pptx import slides_pptx

    slides, images = deck
    presentation = pptx.Presentation(io.BytesIO(slides_pptx(slides, images, DEFAULT_CREDITS)))
    width, height = (Emu(presentation.slide_width).pt, Emu(presentation.slide_height).pt)
    assert (width, height) == pytest.approx(PAGE_PT) and width / height == pytest.approx(16 / 9)
    pages = deck_pages(slides, {i: half_resolution(png).size for i, png in images.items()}, DEFAULT_CREDITS)
    assert len(presentation.slides) == len(pages) == len(pdf.pages) > len(slides) + 1
    for number, (slide, page) in enumerate(zip(presentation.slides, pages), start=1):
        assert slide.shapes.title.text_frame.text == page.title
        for shape in slide.shapes:
            left, top = Emu(shape.left).pt, Emu(shape.top).pt
            right, bottom = left + Emu(shape.width).pt, top + Emu(shape.height).pt
            assert MARGIN_PT - 0.01 <= left < right <= width - MARGIN_PT + 0.01, (number, shape.name)
            assert MARGIN_PT - 0.01 <= top < bottom <= height - MARGIN_PT + 0.01, (number, shape.name)
    texts = {}
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts[shape.text_frame.text] = [run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs]
    first = " ".join(texts)
    assert DEFAULT_CREDITS.title in first and FIGURE_LICENCE_URL in first
    for record, slide in zip(slides, list(presentation.slides)[1:]):
        assert slide.shapes.title.text_frame.text == f"Figure {record['number']}. {record['title']}"
        assert sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes) == 1
        assert min(texts[record["caption"]]) >= 14 and min(texts[record["citation"]]) >= 10
    assert list(presentation.slides)[-1].shapes.title.text_frame.text.startswith("Credits")
    monkeypatch.setitem(sys.modules, "pptx", None)  # python-pptx is an optional dependency
    with pytest.raises(ImportError, match=re.escape('pip install "reluviz[slides]"')):
        slides_pptx(slides, images, DEFAULT_CREDITS)


def _own_left_titles(data: Any, palette: Any) -> Any:
    """Three narrow panels whose draw gives each a left title of its own, over its letter."""
    from reluviz.figures._draw import new_figure

    fig, axes = new_figure(1, 3, height=2.0)
    for ax in axes[0]:
        ax.set_title("a left title of its own", loc="left", fontsize=9)
    return fig


@pytest.mark.parametrize("figure_id, params", [("sawtooth-depth", {"max_depth": 4, "search": 20}), ("xor", {}),
                                                ("regions-2d", {"pixels": 40}), ("own left titles", None)])
def test_no_two_texts_of_a_panelled_figure_overlap_and_titles_follow_their_letters(figure_id, params):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reluviz.export import figure_style
    from reluviz.figures import get_spec
    from reluviz.figures._draw import page_layout
    from reluviz.style import LIGHT

    if params is None:
        draw, data = _own_left_titles, None
    else:
        spec = get_spec(figure_id)
        draw, data = spec.draw, spec.compute(**spec.resolve(params))
    for narrow in (False, True):
        with figure_style(LIGHT), page_layout(narrow):
            fig = draw(data, LIGHT)
            renderer = FigureCanvasAgg(fig).get_renderer()
            drawn = _record_texts(renderer)
            fig.draw(renderer)
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn if t.get_text().strip()]
            lettered = [ax for ax in fig.axes if re.fullmatch(r"\([a-j]\)", ax.get_title("left"))]
            for ax in lettered:
                title = ax.get_title("center")
                if title:
                    letter = next(box for text, box in boxes if text == ax.get_title("left"))
                    own = ax.title.get_window_extent(renderer)
                    assert own.x0 > letter.x1 and own.y0 == pytest.approx(letter.y0, abs=1.5), (figure_id, narrow, title)
        assert len(lettered) >= 2, figure_id
        assert params is not None or all(ax.get_title("center") == "a left title of its own" for ax in lettered)
        for i, (text, box) in enumerate(boxes):
            for other, other_box in boxes[i + 1:]:
                overlap = box.intersection(box, other_box)
                assert overlap is None or overlap.width * overlap.height < 0.5, (figure_id, narrow, text, other)


def _record_texts(renderer: Any) -> list[Any]:
    """The Text artists ``renderer`` goes on to draw, in order (a tick outside the axis' limits keeps its label
    but is not drawn)."""
    drawn: list[Any] = []
    draw_text = renderer.draw_text

    def recording(gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False, mtext: Any = None) -> Any:
        if mtext is not None and mtext not in drawn:
            drawn.append(mtext)
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = recording
    return drawn
