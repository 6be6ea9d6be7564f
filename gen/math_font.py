"""The site's math font: the bundled STIX Math, subset to what the pages can use.

Browsers render the MathML on these pages natively, but stretchy brackets, fraction bars and subscripts need an
OpenType font with a MATH table, which few systems have. Shipping a subset keeps every page independent of any other
host. The OFL asks that a modified font not use the original's name, so the subset gets its own.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import build_cache

SOURCE = Path(__file__).resolve().parent / "fonts" / "STIXMath-Regular.otf"
FAMILY = "Reluviz Math"
# Printable Latin, Greek, punctuation, arrows, operators, brackets and their stretchy pieces, and the mathematical
# italic letters that MathML uses for single-letter identifiers.
CODE_POINTS = [
    *range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x391, 0x3CA), *range(0x2010, 0x2070), *range(0x2100, 0x2150),
    *range(0x2190, 0x2300), *range(0x2308, 0x230C), *range(0x239B, 0x23B4), 0x27E8, 0x27E9,
    *range(0x1D434, 0x1D49C), *range(0x1D6E2, 0x1D756),
]


def subset_font() -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.drop_tables += ["FFTM"]
    font = TTFont(SOURCE, recalcTimestamp=False)  # keep the source's dates, so the output is the same every build
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


def cached_subset() -> bytes:
    if not build_cache.enabled():
        return subset_font()
    entry = build_cache.key(build_cache.fingerprint((), ("fonttools",), (SOURCE, Path(__file__).resolve())))
    files = build_cache.read("fonts", entry)
    if files is None:
        files = {"math.woff2": subset_font()}
        build_cache.write("fonts", entry, files)
    return files["math.woff2"]


def subset_in_background() -> Future[bytes]:
    """Start :func:`cached_subset` on a thread: it runs while this process waits for the figure workers."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(cached_subset)
    pool.shutdown(wait=False)
    return future
