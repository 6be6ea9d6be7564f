"""The site's math font: the bundled STIX Math, subset to what the pages can use.

Browsers render the MathML on the pages natively, but stretchy brackets, fraction bars and subscripts need an
OpenType font with a MATH table, which few systems have; shipping a subset keeps every page independent of any
other host. The OFL asks that a modified font not use the original's name, so the subset gets its own.
"""

from __future__ import annotations

import io
from pathlib import Path

FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
SOURCE_NAME = "STIXMath-Regular.otf"
OUTPUT_NAME = "reluviz-math.woff2"
FAMILY = "Reluviz Math"
# Printable ASCII and Greek, punctuation, brackets and their stretchy pieces, the mathematical italic letters that
# MathML uses for single-letter identifiers (with ℎ, which stands in their block's gap) and the sans-serif ones (the
# transpose's 𝖳); of Latin-1, the letterlike symbols, arrows and operators only the ones teaching is likely to use:
# the whole blocks, with their size variants, cost 24 KB more on every page with a formula. A page that uses a
# character left out fails tests/test_site.py, naming the character and the page.
LATIN_1 = "\u00a0¬°±²³·¹×÷"
LETTERLIKE = "ℂℋℎℏℐℒℓℕ℘ℙℚℛℜℝℤℬℰℱℳℯℴ"
ARROWS = "←↑→↓↔↕↖↗↘↙↦⇐⇑⇒⇓⇔"
OPERATORS = "∀∂∃∄∅∆∇∈∉∋∏∐∑−∓∗∘∙√∝∞∠∣∤∥∧∨∩∪∫∬∮∴∵∼≃≅≈≠≡≤≥≪≫≺≻⊂⊃⊆⊇⊕⊖⊗⊙⊤⊥⋀⋁⋂⋃⋅⋮⋯⋰⋱"
CODE_POINTS = [
    *range(0x20, 0x7F), *map(ord, LATIN_1), *range(0x391, 0x3CA), *range(0x2010, 0x2070), *map(ord, LETTERLIKE),
    *map(ord, ARROWS), *map(ord, OPERATORS), *range(0x2308, 0x230C), *range(0x239B, 0x23B4), 0x27E8, 0x27E9,
    *range(0x1D434, 0x1D49C), *range(0x1D5A0, 0x1D5D4), *range(0x1D6E2, 0x1D756),
]


def subset_font(source: bytes) -> bytes:
    """The WOFF2 subset of the OpenType font ``source``, renamed, with the source's dates (the same every build)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.drop_tables += ["FFTM"]
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CODE_POINTS)
    subsetter.subset(font)
    names = font["name"]
    for name_id, value in ((1, FAMILY), (4, FAMILY), (6, FAMILY.replace(" ", "") + "-Regular"), (16, FAMILY)):
        names.setName(value, name_id, 3, 1, 0x409)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
