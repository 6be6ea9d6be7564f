"""The slides as an editable PowerPoint deck: the PDF's pages (`reluviz.slides.deck_pages`), each text a text box.

A teacher can retype a caption, move a figure or drop a slide. Each box sits where the PDF draws its text, and
as wide; the deck names Arial, narrower than the DejaVu Sans the boxes were measured in, so PowerPoint's own
wrapping never needs more lines than the PDF's. python-pptx is an optional dependency (the ``slides`` extra),
imported only here. The same inputs give the same bytes: the zip's entries carry one date, ``epoch``, and so do
the document's properties.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from .credits import FIGURE_LICENCE, Credits
from .slides import PAGE_PT, Block, deck_pages, half_resolution
from .style import LIGHT

ZIP_EPOCH = 315532800
"""1980-01-01, the earliest date a zip entry can carry (seconds since 1970)."""
FONT = "Arial"
INSTALL = 'the PPTX slides need python-pptx: pip install "reluviz[slides]"'


def slides_pptx(slides: Sequence[Mapping[str, Any]], images: Mapping[str, bytes], credits: Credits,
                epoch: int = ZIP_EPOCH) -> bytes:
    """The slides PPTX for ``slides`` and ``images``, as for `reluviz.slides.slides_pdf`, dated ``epoch``
    (SOURCE_DATE_EPOCH, seconds since 1970; dates before 1980 become 1980). A slide's ``alt``, when given,
    describes its figure to screen readers (otherwise its title does).

    Raises
    ------
    ImportError
        If python-pptx is not installed.
    """
    try:
        from pptx import Presentation
        from pptx.util import Pt
    except ImportError:
        raise ImportError(INSTALL) from None

    pictures = {slide["id"]: half_resolution(images[slide["id"]]) for slide in slides}
    pages = deck_pages(slides, {i: picture.size for i, picture in pictures.items()}, credits)
    describe = {slide["id"]: str(slide.get("alt") or f"Figure {slide['number']}: {slide['title']}") for slide in slides}
    deck: Any = Presentation()
    deck.slide_width, deck.slide_height = Pt(PAGE_PT[0]), Pt(PAGE_PT[1])
    title_only = deck.slide_layouts[5]  # its one placeholder is the slide's title, which outlines and screen readers list
    for page in pages:
        slide = deck.slides.add_slide(title_only)
        for block in page.blocks:
            shape = slide.shapes.title if block.role == "title" else slide.shapes.add_textbox(0, 0, 0, 0)
            _fill(shape, block)
        if page.picture is not None:
            p = page.picture
            png = io.BytesIO()
            pictures[p.figure_id].save(png, format="PNG", compress_level=9)
            picture = slide.shapes.add_picture(io.BytesIO(png.getvalue()), Pt(p.left), Pt(PAGE_PT[1] - p.bottom - p.height),
                                               Pt(p.width), Pt(p.height))
            picture.element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", describe[p.figure_id])
    buffer = io.BytesIO()
    deck.save(buffer)
    return _reproducible(buffer.getvalue(), epoch, _core_properties(credits, epoch))


def _fill(shape: Any, block: Block) -> None:
    """Put ``block`` in ``shape``: its box, its text as one paragraph that PowerPoint wraps, its style."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Pt

    shape.left, shape.top = Pt(block.left), Pt(PAGE_PT[1] - block.top)
    shape.width, shape.height = Pt(block.width), Pt(block.height)
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.line_spacing = Pt(block.pitch)  # the PDF's baseline to baseline, so the lines fill the same box
    run = paragraph.add_run()
    run.text = block.text
    run.font.name = FONT
    run.font.size = Pt(block.style.size)
    run.font.bold = block.style.bold
    colour = (LIGHT.muted if block.style.muted else LIGHT.text).lstrip("#")
    run.font.color.rgb = RGBColor(*bytes.fromhex(colour))  # type: ignore[no-untyped-call]


def _core_properties(credits: Credits, epoch: int) -> bytes:
    """docProps/core.xml: the deck's title, author and licence, created and modified at ``epoch``, and nothing
    else (python-pptx's template names its own author as the last to modify it)."""
    date = datetime.fromtimestamp(max(epoch, ZIP_EPOCH), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(credits.title)}: the figures</dc:title>"
        f"<dc:subject>Licensed under {FIGURE_LICENCE}</dc:subject>"
        f"<dc:creator>{escape(credits.authors)}</dc:creator>"
        f"<dc:description>Made by reluviz {escape(credits.version)}</dc:description>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _reproducible(pptx: bytes, epoch: int, core: bytes) -> bytes:
    """``pptx`` rezipped in python-pptx's order ([Content_Types].xml first, as Office wants), every entry dated
    ``epoch`` with the same attributes, and its core properties replaced by ``core``."""
    date = time.gmtime(max(epoch, ZIP_EPOCH))[:6]
    source = zipfile.ZipFile(io.BytesIO(pptx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date)
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_STORED if info.filename.endswith((".png", ".jpeg")) else zipfile.ZIP_DEFLATED
            payload = core if info.filename == "docProps/core.xml" else source.read(info)
            target.writestr(entry, payload, compresslevel=9)
    return buffer.getvalue()
