"""Slides for teachers: one PDF, a figure a page with its number, title, caption and citation.

The site build makes them in a worker (`reluviz.build.jobs.slides`) from the figures' PNGs, in the order of their
numbers. The same inputs give the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from .credits import FIGURE_LICENCE, Credits
from .export import figure_style
from .style import LIGHT

PAGE_IN = (10.0, 5.625)  # 16:9, the shape of a projected slide
CAPTION_CHARACTERS = 150  # characters per caption line at 9 points across the page


def slides_pdf(slides: Sequence[Mapping[str, Any]], images: Mapping[str, bytes], credits: Credits) -> bytes:
    """The slides PDF for ``slides`` (dicts with ``id``, ``number``, ``title``, ``caption`` and ``citation``, in
    order) and each figure's PNG in ``images``, by id."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    metadata = {"Title": f"{credits.title}: the figures", "Author": credits.authors, "Subject": f"Licensed under {FIGURE_LICENCE}",
                "Creator": f"reluviz {credits.version}", "Producer": None, "CreationDate": None, "ModDate": None}
    buffer = io.BytesIO()
    with figure_style(LIGHT), PdfPages(buffer, metadata=metadata) as pdf:
        for slide in slides:
            fig = Figure(figsize=PAGE_IN)
            fig.text(0.04, 0.95, f"Figure {slide['number']}. {slide['title']}", fontsize=15, weight="bold", va="top")
            picture = fig.add_axes((0.04, 0.25, 0.92, 0.62))
            picture.imshow(_half_resolution(images[slide["id"]]), interpolation="none")
            picture.set_axis_off()
            caption = textwrap.fill(slide["caption"], CAPTION_CHARACTERS)
            fig.text(0.04, 0.22, caption, fontsize=9, va="top", linespacing=1.3)
            citation = textwrap.fill(slide["citation"], int(CAPTION_CHARACTERS * 9 / 7))
            fig.text(0.04, 0.03, citation, fontsize=7, va="bottom", color=LIGHT.muted)
            pdf.savefig(fig)
    return buffer.getvalue()


def _half_resolution(png: bytes) -> Any:
    """The 300 dpi figure at 150 dpi, each pixel the mean of four: sharp on a projector, a quarter of the bytes."""
    import numpy as np
    from PIL import Image  # matplotlib's own dependency

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA").reduce(2))
