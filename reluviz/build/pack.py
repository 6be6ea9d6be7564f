"""The figure pack: one zip with every figure (SVG, PDF, PNG), the slides, a licence, the credits and a citation.

Every entry is dated by the build's date (SOURCE_DATE_EPOCH), so two builds of one commit give the same bytes. The pack's CITATION.cff
is the project's, with the licence of what the pack holds (the figures and their text), so that it says the same
as LICENCE.txt.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable

from ..credits import FIGURE_LICENCE, FIGURE_LICENCE_SPDX, FIGURE_LICENCE_URL

FOLDER = "reluviz-figures"


def licence_text() -> str:
    return (
        f"The figures, the slides and the credits in this folder are licensed under the Creative Commons Attribution\n"
        f"4.0 International licence ({FIGURE_LICENCE}): {FIGURE_LICENCE_URL} (the legal code is at\n"
        f"{FIGURE_LICENCE_URL}legalcode).\n\n"
        "You may copy, share and adapt them for any purpose, including in teaching material that you sell, as long as\n"
        "you give credit (CREDITS.txt has a line for every figure, and every file also carries its credit in its own\n"
        "metadata), link to the licence, and say whether you changed them.\n\n"
        "The reluviz code that draws them is under the MIT licence (its LICENSE file).\n"
    )


def credits_text(lines: list[str]) -> str:
    return "Credits: cite each figure as below (CITATION.cff cites the whole work).\n\n" + "\n\n".join(lines) + "\n"


def pack_citation(citation_cff: str) -> str:
    """The project's CITATION.cff with its ``license`` line saying the figures' licence."""
    lines = citation_cff.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith("license:")]
    if len(found) != 1:
        raise ValueError("CITATION.cff must have one top-level 'license:' line")
    lines[found[0]] = f"license: {FIGURE_LICENCE_SPDX}"
    return "\n".join(lines) + "\n"


def zipped(members: Iterable[tuple[str, bytes]], epoch: int) -> bytes:
    """A zip of ``members`` (name, bytes) under one folder, every entry dated ``epoch`` (seconds since 1970)."""
    date = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        for name, payload in members:
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=date)
            info.external_attr = 0o644 << 16
            already_compressed = name.endswith((".png", ".pdf", ".pptx"))
            info.compress_type = zipfile.ZIP_STORED if already_compressed else zipfile.ZIP_DEFLATED
            pack.writestr(info, payload, compresslevel=9)
    return buffer.getvalue()
