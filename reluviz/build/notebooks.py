"""A Jupyter notebook for each chapter: the page's computations, with the same parameters, written as nbformat-4
JSON directly (the build needs no Jupyter)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .markup import tokens
from .site import Site


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
        return f"notebooks/{PurePosixPath(self.src).with_suffix('.ipynb').as_posix()}"


def chapters(site: Site) -> list[Chapter]:
    """The pages that place figures or quote their facts, in reading order, each with what it uses."""
    found = []
    for page in site.pages:
        used: list[str] = []
        placed: list[str] = []
        facts: list[tuple[str, str]] = []
        for token in tokens(page):
            if token.name not in {"figure", "fact"}:
                continue
            figure_id = token.argument["figure"]
            used += [] if figure_id in used else [figure_id]
            if token.name == "figure":
                placed.append(figure_id)
            elif (figure_id, token.argument["name"]) not in facts:
                facts.append((figure_id, token.argument["name"]))
        if used:
            found.append(Chapter(page.src, page.title, page.url, used, placed, facts))
    return found


def notebook_json(chapter: Chapter, figures: Mapping[str, Any], numbers: Mapping[str, int], site_url: str) -> str:
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


