"""A Jupyter notebook for each chapter: the chapter as a lesson to run, written as nbformat-4 JSON directly (the
build needs no Jupyter).

The notebook is made from the page's own Markdown: the same prose in the same order with every fact filled in, TeX
kept as TeX (Jupyter renders ``$…$``), admonitions as quotes, and links into the site made absolute when the site has
an address, or left as plain text when it has none (never a placeholder address). In place of each figure stands a
code cell that computes and draws it through the public API, with the site's parameters, and shows the numbers the
pages quote (`reluviz.build.lessons`), followed by the figure's caption. The first cell says how to install the
package; the last ones are the chapter's "Try this", with a cell that checks the answer.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..credits import Credits
from .html import EXPLORER_PAGES
from .lessons import EXERCISES, FIGURES, HELPERS, SETUP, FigureLesson
from .markup import CODE, TOKEN, tokens
from .package import project_version
from .site import Page, Site
from .workers import BuildError

WHEEL = "downloads/reluviz-{version}-py3-none-any.whl"
"""Where the site publishes the package's wheel, from its root."""
PROTECTED = "\x01{}\x01"  # stands for a run of code while the prose around it is rewritten
FIGURE_MARK = "\x00{}\x00"  # stands, on a line of its own, where a figure's cell goes
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^()\s]+)(?:[ \t]+\"[^\"\n]*\")?\)")
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//")
ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)(?:[ \t]+\"([^\"\n]*)\")?[ \t]*")
TAB = re.compile(r"===\+?[ \t]+\"([^\"\n]*)\"[ \t]*")
BLOCKS = {"gallery": "every figure, with its data and citation", "book": "the whole site, ready to print",
          "tasks": "tasks to try in the explorer"}
EXPLORES = {"explorer": ("line", "explorer", "change its width, seed, depth or activation and watch the kinks move"),
            "plane-explorer": ("plane", "plane", "change its width, depth or seed and watch the regions change")}


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


@dataclass(frozen=True)
class _Sources:
    """What a notebook's text is made from besides its page: the site, the figures' records and numbers, the page
    that places each figure, and the chapter's own figures."""

    site: Site
    records: Mapping[str, Any]
    numbers: Mapping[str, int]
    placed_on: Mapping[str, Page]
    chapter: Chapter

    def address(self, url: str, anchor: str = "") -> str:
        """The absolute address of a path from the site's root (empty while the site has no address)."""
        if not self.site.site_url:
            return ""
        return self.site.site_url + ("" if url in {"", "./", "."} else url) + (f"#{anchor}" if anchor else "")


def notebook_json(chapter: Chapter, site: Site, records: Mapping[str, Any], numbers: Mapping[str, int],
                  placed_on: Mapping[str, Page], credits: Credits) -> str:
    """The chapter's notebook, unexecuted: its install note, its prose with a code cell for every figure, and its
    exercises.

    Raises
    ------
    BuildError
        If the page names a fact its figure does not have, or its page is not in the site.
    """
    page = site.page(chapter.src)
    if page is None:
        raise BuildError(f"chapter {chapter.src} is not a page of the site")
    sources = _Sources(site, records, numbers, placed_on, chapter)
    title, runs = _prose(page, sources)
    cells = [_markdown(_install(title, chapter, site, credits)), _code(_setup(chapter), "setup")]
    for figure_id in (f for f in chapter.figures if f not in chapter.placed):  # quoted here, placed elsewhere
        elsewhere = placed_on[figure_id]
        cells.append(_markdown(f"This chapter quotes numbers from Figure {numbers[figure_id]} of the chapter "
                               f"“{elsewhere.title}”; the next cell computes them."))
        cells.append(_code(_figure_code(figure_id, sources), "figure"))
    for kind, text in runs:
        if kind == "markdown":
            cells.append(_markdown(text))
        else:
            entry = records[text]
            cells.append(_code(_figure_code(text, sources), "figure"))
            cells.append(_markdown(f"**Figure {numbers[text]}.** {entry['caption']}"))
    exercises = EXERCISES.get(chapter.src, [])
    if exercises:
        cells.append(_markdown("## Try this"))
    for exercise in exercises:
        cells += [_markdown(exercise.question), _code(exercise.attempt, "exercise"), _code(exercise.check, "check")]
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


def _install(title: str, chapter: Chapter, site: Site, credits: Credits) -> str:
    """The first cell: what the notebook is, how to install the package (from the site's own wheel when the site has
    an address, else from PyPI) and that it then runs offline."""
    name = f"*{credits.title}*"
    book = f"[{name}]({site.site_url}{'' if chapter.url == './' else chapter.url})" if site.site_url else name
    if site.site_url:
        wheel = WHEEL.format(version=project_version(site.root))
        command = f'pip install "reluviz[notebooks] @ {site.site_url}{wheel}"'
        source = (f"This installs the package from the site's own wheel, with JupyterLab (or download the wheel and run "
                  f'`pip install "./{posixpath.basename(wheel)}[notebooks]"` in the folder you saved it to).')
    else:
        command = 'pip install "reluviz[notebooks]"'
        source = "This installs the package from PyPI, with JupyterLab."
    return (
        f"# {title}\n\n"
        f"The chapter “{chapter.title}” of {book}, as a lesson to run: the chapter's own text, and in place of each "
        "figure the code that computes and draws it with the `reluviz` package and the site's parameters. Change a "
        "parameter and run the cell again to see what changes; at the end, *Try this* asks a question and checks "
        "the answer.\n\n"
        f"**Install** once, from a terminal (in a notebook cell, write `%pip` for `pip`):\n\n```\n{command}\n```\n\n"
        f"{source} Then start `jupyter lab`, open this notebook and run its cells from the top. Once the package is "
        "installed the notebook runs offline: every number is computed on your machine.\n\n"
        f"Text and figures: CC BY 4.0. Code: MIT. Authors: {credits.authors}."
    )


def _setup(chapter: Chapter) -> str:
    """The first code cell: the imports and number helpers, and the drawing helpers this chapter's figures use."""
    wanted = {name for figure_id in chapter.figures for name in _lesson(figure_id).helpers}
    return SETUP + "".join(HELPERS[name] for name in HELPERS if name in wanted)


def _lesson(figure_id: str) -> FigureLesson:
    return FIGURES.get(figure_id, FigureLesson(""))


def _figure_code(figure_id: str, sources: _Sources) -> str:
    """The figure's cell: its number and title, the site's parameters for it, then its lesson (or, for a figure
    that has none yet, the package drawing the site's figure)."""
    entry = sources.records[figure_id]
    params: Mapping[str, Any] = entry["params"]
    lines = [f"# Figure {sources.numbers[figure_id]}: {entry['title']}"]
    if params:
        lines.append("# The site's parameters for it; change them and run the cell again.")
        lines += [f"{name} = {value!r}" for name, value in params.items()]
    code = _lesson(figure_id).code
    if not code:
        arguments = ", ".join(f"{name!r}: {name}" for name in params)
        code = ("import tempfile\nfrom pathlib import Path\n\nfrom IPython.display import SVG\n\n"
                "from reluviz.export import write_figure_file\n\nwith tempfile.TemporaryDirectory() as folder:\n"
                f"    write_figure_file({figure_id!r}, str(Path(folder) / 'figure.svg'), {{{arguments}}})\n"
                "    display(SVG(filename=str(Path(folder) / 'figure.svg')))")
    return "\n".join(lines) + "\n\n" + code


def _prose(page: Page, sources: _Sources) -> tuple[str, list[tuple[str, str]]]:
    """The page's title, and its text as runs of ("markdown", text) and ("figure", id) in reading order: a new
    Markdown run at every heading, so that each section is a cell of its own."""
    tokens(page)  # a malformed token fails here, naming the page
    code: list[str] = []

    def protect(match: re.Match[str]) -> str:
        code.append(match.group(0))
        return PROTECTED.format(len(code) - 1)

    text = CODE.sub(protect, page.markdown)
    text = TOKEN.sub(lambda match: _token(match, page, sources), text)
    text = LINK.sub(lambda match: _link(match, page, sources), text)
    text = _blocks(text)
    title = page.title
    runs: list[tuple[str, str]] = []
    lines: list[str] = []
    for line in text.split("\n"):
        figure = re.fullmatch(FIGURE_MARK.format(r"([\w-]+)"), line.strip())
        if line.startswith("# ") and not runs and not "".join(lines).strip():
            title = line[2:].strip()  # the page's own heading, before any text, leads the first cell
            runs.append(("markdown", ""))
            continue
        if figure or re.match(r"#{1,6} ", line):
            runs.append(("markdown", "\n".join(lines)))
            lines = []
        if figure:
            runs.append(("figure", figure.group(1)))
        else:
            lines.append(line)
    runs.append(("markdown", "\n".join(lines)))

    def restore(run: str) -> str:
        return re.sub(PROTECTED.format(r"(\d+)"), lambda match: code[int(match.group(1))], run)

    return title, [(kind, restore(run).strip("\n")) for kind, run in runs if kind == "figure" or run.strip()]


def _token(match: re.Match[str], page: Page, sources: _Sources) -> str:
    """What a token of the page becomes in its notebook: a fact its value, a figure the mark of its cell, a
    reference "Figure N", an explorer a sentence that points to it."""
    name, argument = match.group(1), match.group(2).strip()
    if name == "fact":
        figure_id, _, fact = argument.partition(".")
        facts = sources.records[figure_id]["facts"]
        if fact not in facts:
            raise BuildError(f"page {page.src}: figure {figure_id!r} has no fact {fact!r}; it has {', '.join(facts)}")
        return str(facts[fact])
    if name == "figure":
        return FIGURE_MARK.format(argument)
    if name == "ref":
        words = f"Figure {sources.numbers[argument]}"
        if argument in sources.chapter.placed:
            return words
        where = sources.placed_on[argument]
        address = sources.address(where.url, f"figure-{argument}")
        return f"[{words}]({address})" if address else f"{words} (in the chapter “{where.title}”)"
    if name in EXPLORES:
        kind, field, what = EXPLORES[name]
        figure_id = argument.split()[0]
        if sources.site.site_url:
            query = sources.records[figure_id].get(field)
            address = sources.address(EXPLORER_PAGES[kind]) + (f"?{query}" if query else "")
            return f"> **In the browser.** On the site, an explorer shows this network: {what}. [Open it]({address})."
        explore = next((p for p in sources.site.pages if p.url == EXPLORER_PAGES[kind]), None)
        named = f" (the page “{explore.title}”)" if explore else ""
        return f"> **In the browser.** On the site, an explorer shows this network{named}: {what}."
    if name == "repository":
        return f"[{argument}]({sources.site.repository})" if sources.site.repository else argument
    what = BLOCKS.get(name, "more, made for the browser")  # the gallery, the book, the explorer's tasks
    address = sources.address(page.url)
    return f"On the site, this page shows {what}" + (f": [{page.title}]({address})." if address else ".")


def _link(match: re.Match[str], page: Page, sources: _Sources) -> str:
    """A Markdown link or image: an address elsewhere kept, a path into the site made absolute when the site has an
    address, else the link's words alone (an image's alternative text)."""
    image, words, target = match.groups()
    if SCHEME.match(target):
        return match.group(0)
    path, _, anchor = target.partition("#")
    if not path:
        url = page.url
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.src), path))
        found = sources.site.page(resolved) if resolved.endswith(".md") else None
        url = found.url if found else (resolved[: -len(".md")] + "/" if resolved.endswith(".md") else resolved)
    address = sources.address(url, anchor)
    if address:
        return f"{image}[{words}]({address})"
    return f"*{words}*" if image and words else words


def _blocks(text: str) -> str:
    """Material's admonitions as quotes with a bold title, and its content tabs as a bold label over their text:
    Jupyter renders neither, and would show their indented text as code."""
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        line = lines[index]
        admonition, tab = ADMONITION.fullmatch(line), TAB.fullmatch(line)
        if not (admonition or tab):
            out.append(line)
            index += 1
            continue
        body: list[str] = []
        index += 1
        while index < len(lines) and (lines[index].startswith(("    ", "\t")) or not lines[index].strip()):
            body.append(lines[index][4:] if lines[index].startswith("    ") else lines[index].lstrip("\t"))
            index += 1
        while body and not body[-1].strip():
            body.pop()
            index -= 1
        if tab:
            out += [f"**{tab.group(1)}**", "", *body]
            continue
        assert admonition is not None
        heading = admonition.group(2) if admonition.group(2) is not None else admonition.group(1).capitalize()
        out += ([f"> **{heading}**", ">"] if heading else []) + [f"> {b}".rstrip() for b in body]
    return "\n".join(out)


def _lines(text: str) -> list[str]:
    """A cell's source as nbformat writes it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def _markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}


def _code(text: str, role: str) -> dict[str, Any]:
    """A code cell, tagged with its role: "setup", "figure", "exercise" (the reader's try) or "check"."""
    return {"cell_type": "code", "metadata": {"tags": [role]}, "execution_count": None, "outputs": [],
            "source": _lines(text)}
