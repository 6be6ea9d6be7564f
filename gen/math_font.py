"""Put the math font into the site: the bundled STIX Math, subset to what the pages can use (run by mkdocs-gen-files).

Browsers render the MathML on these pages natively, but stretchy brackets, fraction bars and subscripts need an
OpenType font with a MATH table, which few systems have; shipping a subset keeps every page independent of any
other host. The OFL asks that a modified font not use the original's name, so the subset gets its own. The subset is
kept in .cache/fonts/ under a hash of its inputs, with its own hash in the name, so a damaged copy is never used.
"""

from __future__ import annotations

import hashlib
import io
import os
from importlib import metadata
from pathlib import Path

import mkdocs_gen_files

GEN = Path(__file__).resolve().parent
SOURCE = GEN / "fonts" / "STIXMath-Regular.otf"
CACHE = GEN.parent / ".cache" / "fonts"
FAMILY = "Reluviz Math"
# Printable Latin, Greek, punctuation, arrows, operators, brackets and their stretchy pieces, the mathematical
# italic letters that MathML uses for single-letter identifiers, and the sans-serif ones (the transpose's 𝖳).
CODE_POINTS = [
    *range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x391, 0x3CA), *range(0x2010, 0x2070), *range(0x2100, 0x2150),
    *range(0x2190, 0x2300), *range(0x2308, 0x230C), *range(0x239B, 0x23B4), 0x27E8, 0x27E9,
    *range(0x1D434, 0x1D49C), *range(0x1D5A0, 0x1D5D4), *range(0x1D6E2, 0x1D756),
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
    if os.environ.get("RELUVIZ_CACHE", "on").lower() in {"off", "0", "false", "no"}:
        return subset_font()
    inputs = hashlib.sha256(SOURCE.read_bytes() + Path(__file__).read_bytes() + metadata.version("fonttools").encode())
    for copy in CACHE.glob(f"{inputs.hexdigest()[:32]}-*.woff2"):
        payload = copy.read_bytes()
        if copy.stem.endswith(hashlib.sha256(payload).hexdigest()):
            return payload
    payload = subset_font()
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        temporary = CACHE / f".tmp-{os.getpid()}.woff2"
        temporary.write_bytes(payload)
        os.replace(temporary, CACHE / f"{inputs.hexdigest()[:32]}-{hashlib.sha256(payload).hexdigest()}.woff2")
    except OSError:
        pass  # no cache, no harm: the next build subsets again
    return payload


if __name__ == "<run_path>":  # run by mkdocs-gen-files (runpy's name); tests import this file instead
    with mkdocs_gen_files.open("fonts/reluviz-math.woff2", "wb") as out:
        out.write(cached_subset())
