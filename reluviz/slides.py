"""Slides for teachers: a title slide, a figure a slide with its number, title, caption and citation, and credits.

The site build makes them in a worker (`reluviz.build.jobs.slides`) from the figures' PNGs, in the order of their
numbers. `deck_pages` lays every slide out once, in points on a 16:9 page, wrapping each text by the width
matplotlib's renderer measures for it (not by a count of characters, which varies with the letters), so that no
text comes within the margin; `slides_pdf` draws those pages and `reluviz.slides_pptx` places the same boxes in an
editable deck. The same inputs give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .credits import FIGURE_LICENCE, FIGURE_LICENCE_URL, Credits
from .export import figure_style
from .style import LIGHT

PAGE_PT = (960.0, 540.0)
"""16:9 at PowerPoint's size, 13⅓ × 7½ inches, the shape of a projected slide."""
PAGE_IN = (PAGE_PT[0] / 72, PAGE_PT[1] / 72)
MARGIN_PT = 36.0
"""Half an inch on every side, kept free of text and figure."""
GAP_PT = 12.0  # between the title, the figure, the caption and the citation
PARAGRAPH_GAP_PT = 6.0  # between the citations of a credits slide
LINE_SPACING = 1.3  # matplotlib's linespacing: baseline to baseline, in heights of "lp"
MEASURE_DPI = 288
"""The resolution texts are measured at: at 72 dpi hinting rounds each glyph's width and a long line comes out up to
1.5 % too narrow; at four times that the measured extent is within a point of the outline's."""
INK_PAD_EM = 0.1
"""What a line's ink may reach beyond the extent matplotlib measures for it (a side bearing, or a ``j`` that hangs
left), in ems: each line starts that far inside its box, and its measured extent ends twice that far before the
box's right edge."""
MIN_COLUMN_PT = 288.0
"""The narrowest caption column beside a figure: four inches, about 35 characters at 16 points."""
MIN_PICTURE_PT = 108.0
"""The shortest a figure may be drawn before a caption is refused as too long for a slide."""


@dataclass(frozen=True)
class TextStyle:
    """How a text is set; the PDF and the PPTX read the same one."""

    size: float  # points
    bold: bool = False
    muted: bool = False


DECK_TITLE = TextStyle(36, bold=True)
SUBTITLE = TextStyle(24)
NOTE = TextStyle(18)
HEADING = TextStyle(24, bold=True)
CAPTION = TextStyle(16)
"""Captions: read from the back of a lecture hall (at least 14 points on the page)."""
CITATION = TextStyle(11, muted=True)
"""The citation under each figure (at least 10 points)."""
CREDIT = TextStyle(12)


@dataclass(frozen=True)
class Block:
    """A text of a slide: the text as given (an editable deck rewraps it), its lines as wrapped for this page, and
    its box in points from the page's left and bottom edges. ``height`` is ``len(lines)`` baselines of ``pitch``,
    which holds the lines' ink, descenders included. ``role`` is ``"title"`` for the slide's title."""

    text: str
    lines: tuple[str, ...]
    style: TextStyle
    left: float
    top: float
    width: float
    height: float
    pitch: float
    role: str = ""


@dataclass(frozen=True)
class Picture:
    """Where a figure's image goes, in points from the page's left and bottom edges."""

    figure_id: str
    left: float
    bottom: float
    width: float
    height: float


@dataclass(frozen=True)
class Page:
    blocks: tuple[Block, ...]
    picture: Picture | None = None

    @property
    def title(self) -> str:
        return next((block.text for block in self.blocks if block.role == "title"), "")


def slides_pdf(slides: Sequence[Mapping[str, Any]], images: Mapping[str, bytes], credits: Credits) -> bytes:
    """The slides PDF for ``slides`` (dicts with ``id``, ``number``, ``title``, ``caption`` and ``citation``, in
    order) and each figure's PNG in ``images``, by id: a title slide, a slide a figure and the credits."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    pictures = {slide["id"]: half_resolution(images[slide["id"]]) for slide in slides}
    pages = deck_pages(slides, {i: picture.size for i, picture in pictures.items()}, credits)
    metadata = {"Title": f"{credits.title}: the figures", "Author": credits.authors, "Subject": f"Licensed under {FIGURE_LICENCE}",
                "Creator": f"reluviz {credits.version}", "Producer": None, "CreationDate": None, "ModDate": None}
    buffer = io.BytesIO()
    # TrueType fonts, so that every character of a caption is text a reader can copy (Type 3 draws the ones past
    # the first 256 as pictures)
    with figure_style(LIGHT), matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(draw_page(page, pictures))
    return buffer.getvalue()


def draw_page(page: Page, pictures: Mapping[str, Any]) -> Any:
    """``page`` as a matplotlib Figure, its figure's image from ``pictures`` (PIL images by id)."""
    import numpy as np
    from matplotlib.figure import Figure

    width, height = PAGE_PT
    fig = Figure(figsize=PAGE_IN, dpi=72)
    for block in page.blocks:
        pad = INK_PAD_EM * block.style.size
        fig.text((block.left + pad) / width, block.top / height, "\n".join(block.lines), va="top", ha="left",
                 **_text_properties(block.style))
    if page.picture is not None:
        p = page.picture
        axes = fig.add_axes((p.left / width, p.bottom / height, p.width / width, p.height / height))
        axes.imshow(np.asarray(pictures[p.figure_id]), interpolation="none", aspect="auto")
        axes.set_axis_off()
    return fig


def deck_pages(slides: Sequence[Mapping[str, Any]], sizes: Mapping[str, tuple[int, int]], credits: Credits) -> list[Page]:
    """Every page of the deck laid out, from the figures' image sizes in pixels (width, height) by id: the title
    slide, a slide a figure in order, then as many credits slides as the citations fill.

    Raises
    ------
    ValueError
        If a caption is so long that its figure would be drawn less than `MIN_PICTURE_PT` tall.
    """
    with figure_style(LIGHT):
        measure = _Measure()
        return [_title_page(credits, len(slides), measure),
                *(_figure_page(slide, sizes[slide["id"]], measure) for slide in slides),
                *_credits_pages(slides, credits, measure)]


def half_resolution(png: bytes) -> Any:
    """The 300 dpi figure at 150 dpi, each pixel the mean of four: sharp on a projector, a quarter of the bytes
    (a PIL image, RGBA)."""
    from PIL import Image  # matplotlib's own dependency

    return Image.open(io.BytesIO(png)).convert("RGBA").reduce(2)


def licence_line(credits: Credits) -> str:
    return (f"The figures and the text of {credits.title} are licensed under {FIGURE_LICENCE}, {FIGURE_LICENCE_URL}: "
            "you may share and adapt them, crediting them as above.")


def _text_properties(style: TextStyle) -> dict[str, Any]:
    return {"fontsize": style.size, "fontweight": "bold" if style.bold else "normal", "linespacing": LINE_SPACING,
            "color": LIGHT.muted if style.muted else LIGHT.text, "parse_math": False}


class _Measure:
    """Texts' extents in points as matplotlib's renderer draws them on a slide (`MEASURE_DPI`), and wrapping by
    them."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=PAGE_IN, dpi=MEASURE_DPI)
        canvas: Any = FigureCanvasAgg(figure)
        self._renderer = canvas.get_renderer()
        self._text = figure.text(0, 0, "")
        self._pitch: dict[TextStyle, float] = {}

    def extent(self, text: str, style: TextStyle) -> tuple[float, float]:
        """The width and height, in points, of ``text`` (lines split at newlines) set in ``style``."""
        self._text.set_text(text)
        self._text.update(_text_properties(style))
        box = self._text.get_window_extent(self._renderer)
        return box.width * 72 / MEASURE_DPI, box.height * 72 / MEASURE_DPI

    def pitch(self, style: TextStyle) -> float:
        """Baseline to baseline of ``style``'s lines; a line's ink, descenders included, fits in one."""
        if style not in self._pitch:
            self._pitch[style] = self.extent("lp\nlp", style)[1] - self.extent("lp", style)[1]
        return self._pitch[style]

    def wrap(self, text: str, style: TextStyle, width: float) -> list[str]:
        """``text``'s lines, broken between words so that each line's ink fits in ``width`` points; a word
        longer than a line (an address) is broken between characters."""
        room = width - 3 * INK_PAD_EM * style.size

        def fits(line: str) -> bool:
            return self.extent(line, style)[0] <= room

        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if fits(candidate):
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                while not fits(line):
                    cut = max(1, max((n for n in range(1, len(line)) if fits(line[:n])), default=1))
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line)
        return lines

    def block(self, text: str, style: TextStyle, left: float, top: float, width: float, role: str = "") -> Block:
        """``text`` wrapped to ``width`` in a box whose top-left corner is at (``left``, ``top``)."""
        lines = tuple(self.wrap(text, style, width))
        pitch = self.pitch(style)
        return Block(text, lines, style, left, top, width, len(lines) * pitch, pitch, role)


def _below(block: Block, gap: float = GAP_PT) -> float:
    return block.top - block.height - gap


def _title_page(credits: Credits, figures: int, measure: _Measure) -> Page:
    """The work's title, authors, version, address and licence, centred in the page's height."""
    width = PAGE_PT[0] - 2 * MARGIN_PT
    version = f"Version {credits.version}" + (f", {credits.site_url}" if credits.site_url else "")
    texts = [(credits.title, DECK_TITLE, "title"), (f"The figures: {figures} slides, one figure each", SUBTITLE, ""),
             (credits.authors, SUBTITLE, ""), (version, NOTE, ""),
             (f"Licensed under {FIGURE_LICENCE}: {FIGURE_LICENCE_URL}", NOTE, ""),
             ("Each slide gives its figure's citation; the last slides list them all.", TextStyle(NOTE.size, muted=True), "")]
    blocks = [measure.block(text, style, MARGIN_PT, 0.0, width, role) for text, style, role in texts]
    gaps = [2 * GAP_PT, GAP_PT, 2 * GAP_PT, GAP_PT, 2 * GAP_PT, 0.0]
    total = sum(block.height for block in blocks) + sum(gaps)
    top = (PAGE_PT[1] + total) / 2
    placed = []
    for block, gap in zip(blocks, gaps):
        placed.append(replace(block, top=top))
        top -= block.height + gap
    return Page(tuple(placed))


def _figure_page(slide: Mapping[str, Any], size: tuple[int, int], measure: _Measure) -> Page:
    """The figure's title on top and its citation at the bottom; between them the figure and its caption, the
    caption under the figure or in a column beside it, whichever draws the figure larger."""
    page_width, page_height = PAGE_PT
    width = page_width - 2 * MARGIN_PT
    title = measure.block(f"Figure {slide['number']}. {slide['title']}", HEADING, MARGIN_PT, page_height - MARGIN_PT,
                          width, "title")
    citation = measure.block(slide["citation"], CITATION, MARGIN_PT, 0.0, width)
    citation = replace(citation, top=MARGIN_PT + citation.height)
    top, bottom = _below(title), citation.top + GAP_PT
    layouts = [layout for layout in (_caption_under(slide, size, measure, top, bottom),
                                     _caption_beside(slide, size, measure, top, bottom)) if layout is not None]
    picture, caption = max(layouts, key=lambda layout: layout[0].width * layout[0].height)
    if picture.height < MIN_PICTURE_PT:
        raise ValueError(f"the caption of figure {slide['id']!r} is too long for a slide: it leaves the figure "
                         f"{picture.height:.0f} points of the {MIN_PICTURE_PT:.0f} it needs")
    return Page((title, caption, citation), picture)


def _fitted(size: tuple[int, int], width: float, height: float) -> tuple[float, float]:
    scale = min(width / size[0], height / size[1])
    return size[0] * scale, size[1] * scale


def _caption_under(slide: Mapping[str, Any], size: tuple[int, int], measure: _Measure, top: float,
                   bottom: float) -> tuple[Picture, Block]:
    """The figure centred across the page, as large as the caption under it leaves room for."""
    width = PAGE_PT[0] - 2 * MARGIN_PT
    caption = measure.block(slide["caption"], CAPTION, MARGIN_PT, 0.0, width)
    shown = _fitted(size, width, max(1.0, top - bottom - caption.height - GAP_PT))
    picture = Picture(slide["id"], MARGIN_PT + (width - shown[0]) / 2, top - shown[1], *shown)
    return picture, replace(caption, top=picture.bottom - GAP_PT)


def _caption_beside(slide: Mapping[str, Any], size: tuple[int, int], measure: _Measure, top: float,
                    bottom: float) -> tuple[Picture, Block] | None:
    """The figure on the left, the caption in a column on its right: the widest column that leaves the figure
    its full height, widened until the caption fits in the figure's height; None when no column of at least `MIN_COLUMN_PT` and at most
    half the page does."""
    width, height = PAGE_PT[0] - 2 * MARGIN_PT, top - bottom
    column = max(MIN_COLUMN_PT, width - GAP_PT - height * size[0] / size[1])
    for column_width in _steps(column, width / 2, GAP_PT):
        caption = measure.block(slide["caption"], CAPTION, 0.0, top, column_width)
        if caption.height <= height:
            shown = _fitted(size, width - column_width - GAP_PT, height)
            picture = Picture(slide["id"], MARGIN_PT, top - shown[1], *shown)
            left = picture.left + picture.width + GAP_PT  # the column takes what the figure leaves
            return picture, measure.block(slide["caption"], CAPTION, left, top, PAGE_PT[0] - MARGIN_PT - left)
    return None


def _steps(start: float, stop: float, step: float) -> Iterator[float]:
    value = start
    while value <= stop:
        yield value
        value += step


def _credits_pages(slides: Sequence[Mapping[str, Any]], credits: Credits, measure: _Measure) -> list[Page]:
    """Every figure's citation, then the licence, on as many slides as they fill."""
    width = PAGE_PT[0] - 2 * MARGIN_PT
    paragraphs = [str(slide["citation"]) for slide in slides] + [licence_line(credits)]
    pages: list[Page] = []
    blocks: list[Block] = []
    top = 0.0
    for text in paragraphs:
        block = measure.block(text, CREDIT, MARGIN_PT, top, width)
        if not blocks or top - block.height < MARGIN_PT:
            if blocks:
                pages.append(Page(tuple(blocks)))
            heading = "Credits" if not pages else "Credits (continued)"
            blocks = [measure.block(heading, HEADING, MARGIN_PT, PAGE_PT[1] - MARGIN_PT, width, "title")]
            top = _below(blocks[0])
            if top - block.height < MARGIN_PT:
                raise ValueError(f"a citation is too long for a credits slide: {text[:60]!r}…")
            block = replace(block, top=top)
        blocks.append(block)
        top = _below(block, PARAGRAPH_GAP_PT)
    pages.append(Page(tuple(blocks)))
    return pages
