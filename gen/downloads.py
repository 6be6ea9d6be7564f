"""What teachers download, made from the figures at build time: a notebook per chapter, the slides and the pack.

- A chapter's notebook (nbformat 4 JSON, written directly: the build needs no Jupyter) calls the same `reluviz`
  functions, with the same parameters, that made the chapter's figures and facts, prints the facts the page quotes
  and draws its figures.
- The slides are drawn by ``python -m reluviz.slides`` (this process never imports reluviz), and kept in
  .cache/slides/ under a hash of everything they are drawn from.
- The figure pack is a zip of every figure (SVG, PDF, PNG), the slides, a licence file, a credits file and
  CITATION.cff, dated by SOURCE_DATE_EPOCH, so that two builds of one commit give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

PACK = "downloads/reluviz-figures.zip"
SLIDES = "downloads/reluviz-slides.pdf"
PACKED_FORMATS = (".svg", ".pdf", ".png")


@dataclass(frozen=True)
class Chapter:
    """A page that quotes computed facts or places figures: its notebook recomputes them."""

    src: str
    title: str
    url: str
    figures: list[str]  # every figure the page draws on, in order of first use
    placed: list[str]  # those it places as numbered figures
    facts: list[tuple[str, str]]  # (figure id, fact name) in order of first use

    @property
    def notebook(self) -> str:
        return f"notebooks/{Path(self.src).with_suffix('.ipynb').as_posix()}"


def notebook_json(chapter: Chapter, figures: dict[str, Any], numbers: dict[str, int], site_url: str) -> str:
    """The chapter's notebook, unexecuted: running it prints ``id.name = value`` for every fact the page quotes."""
    cells = [_markdown(
        f"# {chapter.title}\n\n"
        f"The computations behind the page [{chapter.title}]({site_url}{chapter.url}) of *Why is ReLU non-linear?*: "
        "the same `reluviz` calls, with the same parameters, that drew the page's figures and computed the numbers it "
        "quotes. Install the package first (from a copy of its repository: `pip install -e \".[notebooks]\"`); "
        "nothing here needs the network.\n\n"
        "Text and figures CC BY 4.0, code MIT, by the reluviz maintainers."
    ), _code("from IPython.display import SVG, display\n\nfrom reluviz.export import draw_files\nfrom reluviz.figures import get_spec")]
    for figure_id in chapter.figures:
        entry, variable = figures[figure_id], figure_id.replace("-", "_")
        heading = f"Figure {numbers[figure_id]}: {entry['title']}"
        cells.append(_markdown(f"## {heading}" if figure_id in chapter.placed else f"## Numbers from {heading}"))
        names = [name for fid, name in chapter.facts if fid == figure_id]
        lines = [
            f"spec = get_spec({figure_id!r})",
            f"{variable} = spec.compute(**spec.resolve({json.dumps(entry['params'])}))",
        ]
        if names:
            lines += [f"for name in {names!r}:", f"    print(f\"{figure_id}.{{name}} = {{{variable}.facts[name]}}\")"]
        cells.append(_code("\n".join(lines)))
        if figure_id in chapter.placed:
            cells.append(_code(f"display(SVG(draw_files({figure_id!r}, {variable}, ('.svg',))['.svg']))"))
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": text}


def slides(slide_list: list[dict[str, Any]], images: dict[str, bytes], root: Path) -> bytes:
    """The slides PDF, from .cache/slides/ if nothing it is drawn from changed (RELUVIZ_CACHE=off: never)."""
    digest = hashlib.sha256(json.dumps(slide_list, sort_keys=True).encode())
    for name in ("slides.py", "style.py", "credits.py"):
        digest.update((root / "reluviz" / name).read_bytes())
    digest.update(json.dumps(sorted(images)).encode() + b"".join(images[key] for key in sorted(images)))
    digest.update(metadata.version("matplotlib").encode())
    cached = os.environ.get("RELUVIZ_CACHE", "on").lower() not in {"off", "0", "false", "no"}
    folder = root / ".cache" / "slides"
    target = folder / f"{digest.hexdigest()}.pdf"
    if cached and target.exists():
        return target.read_bytes()
    with tempfile.TemporaryDirectory(prefix="reluviz-slides-") as scratch:
        work = Path(scratch)
        (work / "slides.json").write_text(json.dumps(slide_list))
        for figure_id, png in images.items():
            (work / f"{figure_id}.png").write_bytes(png)
        done = subprocess.run([sys.executable, "-m", "reluviz.slides", str(work)], cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the slides could not be drawn: {(done.stderr.strip().splitlines() or ['no message'])[-1]}")
        pdf = (work / "reluviz-slides.pdf").read_bytes()
    if cached:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{target.name}.{os.getpid()}.partial"
        partial.write_bytes(pdf)
        partial.replace(target)
        for old in folder.glob("*.pdf"):
            if old != target:
                old.unlink(missing_ok=True)
    return pdf


def figure_pack(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``members`` (name, bytes) under one folder, every entry dated by SOURCE_DATE_EPOCH."""
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), 315532800)  # zip dates start in 1980
    date = time.gmtime(epoch)[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        for name, payload in members:
            info = zipfile.ZipInfo(f"reluviz-figures/{name}", date_time=date)
            info.external_attr = 0o644 << 16
            already_compressed = name.endswith((".png", ".pdf"))
            info.compress_type = zipfile.ZIP_STORED if already_compressed else zipfile.ZIP_DEFLATED
            pack.writestr(info, payload, compresslevel=9)
    return buffer.getvalue()


LICENCE_TEXT = """\
The figures, the slides and the credits in this folder are licensed under the Creative Commons Attribution 4.0
International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/ (the legal code is at
https://creativecommons.org/licenses/by/4.0/legalcode).

You may copy, share and adapt them for any purpose, including in teaching material that you sell, as long as you
give credit (CREDITS.txt has a line for every figure, and every file also carries its credit in its own metadata),
link to the licence, and say whether you changed them.

The reluviz code that draws them is under the MIT licence; see its repository.
"""


def credits_text(lines: list[str]) -> str:
    return (
        "Credits: cite each figure as below (CITATION.cff cites the whole work).\n\n"
        + "\n\n".join(lines)
        + "\n"
    )


def pack_members(figure_files: dict[str, bytes], slides_pdf: bytes, credit_lines: list[str], citation_cff: bytes) -> list[tuple[str, bytes]]:
    """The pack's files in a fixed order: licence, credits, citation, slides, then the figures by id and format."""
    members = [("LICENCE.txt", LICENCE_TEXT.encode()), ("CREDITS.txt", credits_text(credit_lines).encode()),
               ("CITATION.cff", citation_cff), ("reluviz-slides.pdf", slides_pdf)]
    return members + sorted(figure_files.items())
