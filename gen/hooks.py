"""MkDocs hooks: computed facts and numbered figures into the pages, TeX into MathML, a fix to the theme's HTML.

In a page's Markdown:

- ``{{ fact ID.NAME }}`` is a number computed at build time by figure ID (plain text, or TeX inside math);
- ``{{ figure ID }}``, on a line of its own, places the figure, numbered in reading order, with its downloads;
- ``{{ ref ID }}`` is a link to the figure that reads "Figure N";
- ``{{ gallery }}``, on the gallery page only, places every figure with its citation and regenerate command;
- ``{{ explorer ID }}``, on a line of its own, places the explorer (docs/explorer/) showing figure ID's network;
  ``{{ explorer ID compact }}`` a smaller one, with a link to the full one;
- ``{{ book }}``, on book.md only, is where every other page goes, for printing (filled in ``on_page_context``);
- ``{{ repository }}`` is the address of the source repository (``extra.repository``), which every page also links
  to its own source file in.

pymdownx.arithmatex finds the math; ``on_page_content`` turns it into MathML, so the browser needs no script.
Everything is read from figures/manifest.json, which gen/figures.py writes earlier in the same build; nothing is
kept between events. MkDocs loads this file once per process: after editing gen/, restart ``properdocs serve``.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from book import book_html
from downloads import PACK, PACKED_FORMATS, SLIDES, Chapter, figure_pack, notebook_json, pack_members, slides
from figure_html import Citation, downloads_html, explorer_html, figure_html, gallery_html, plain_citation
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

GALLERY = "gallery.md"
BOOK = "book.md"
BOOK_MARK = "<!-- reluviz: the book goes here -->"
TOKEN = re.compile(r"\{\{[ \t]*(\w+)[ \t]*([^}\n]*?)[ \t]*\}\}")
FIGURE_LINE = re.compile(r"^\{\{[ \t]*figure[ \t]+([\w-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE)
CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">\s*\\[(\[](.*?)\\[)\]]\s*</\1>', re.DOTALL)
# A minus right after an opening bracket, a relation, a comma, or at the start of a row or cell is a sign, not a
# subtraction: latex2mathml writes both as an operator, which browsers space as a binary one ("( − 1").
UNARY_MINUS = re.compile(
    r"((?:<mo[^>]*>&#x000(?:28|5B|3D|2C);</mo>)|<mrow>|<mtd>|<math[^>]*>)<mo>&#x02212;</mo><mn>([^<]+)</mn>"
)
# TeX puts a thin space between a function's name and its argument ("sin x"); latex2mathml leaves it out.
FUNCTION_NAME = re.compile(r"(<mi>(?:sin|cos|tan|tanh|log|exp)</mi>)(?=<m[inrs])")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Date the build by the last commit, so that two builds of one commit are identical (sitemap included)."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        last_commit = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=Path(config.config_file_path).parent, capture_output=True,
            text=True, check=False,
        ).stdout.strip()
        os.environ["SOURCE_DATE_EPOCH"] = last_commit or "0"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add what is made from the figures for teachers: a notebook per chapter, the slides and the figure pack."""
    figures = _manifest(files)["figures"]
    pages = _pages(config, files)
    numbers, _ = number_figures(pages, figures)
    for chapter in chapters(pages, figures):
        files.append(File.generated(config, chapter.notebook, content=notebook_json(chapter, figures, numbers, config.site_url or "")))
    citation = _citation(config)
    ordered = sorted(numbers, key=numbers.__getitem__)
    slide_list = [{"id": i, "number": numbers[i], "title": figures[i]["title"], "caption": figures[i]["caption"],
                   "citation": plain_citation(i, figures[i], numbers[i], citation)} for i in ordered]
    images = {i: _content(files, f"figures/{i}.png") for i in ordered}
    try:
        slides_pdf = slides(slide_list, images, Path(config.config_file_path).parent)
    except RuntimeError as error:
        raise PluginError(str(error)) from None
    figure_files = {f"{i}{suffix}": _content(files, f"figures/{i}{suffix}") for i in ordered for suffix in PACKED_FORMATS}
    credit_lines = [slide["citation"] for slide in slide_list]
    cff = (Path(config.config_file_path).parent / "CITATION.cff").read_bytes()
    files.append(File.generated(config, SLIDES, content=slides_pdf))
    files.append(File.generated(config, PACK, content=figure_pack(pack_members(figure_files, slides_pdf, credit_lines, cff))))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill in the page's tokens; the figure numbers are worked out afresh from the nav, so no state is kept. A
    chapter ends with a link to its notebook."""
    repository = str(config.extra.get("repository") or "")
    page.edit_url = f"{repository}/blob/main/docs/{page.file.src_uri}" if repository else None
    figures = _manifest(files)["figures"]
    pages = _pages(config, files)
    numbers, explained_on = number_figures(pages, figures)

    def url_to(target: str) -> str:
        return get_relative_url(target, page.url)

    all_chapters = chapters(pages, figures)

    def downloads() -> str:
        return downloads_html(all_chapters, {name: len(_content(files, name)) for name in (PACK, SLIDES)}, url_to)

    expanded = expand_page(markdown, page.file.src_uri, figures, numbers, explained_on, url_to, lambda: _citation(config),
                           repository, downloads)
    chapter = next((c for c in all_chapters if c.src == page.file.src_uri), None)
    if chapter is None:
        return expanded
    link = f'<a href="{url_to(chapter.notebook)}" download>Download this chapter as a Jupyter notebook</a>'
    return f'{expanded}\n\n<p class="rv-notebook">{link}: it recomputes every figure and number of this page.</p>\n'


def chapters(pages: list[tuple[str, str, str, str]], figures: dict[str, Any]) -> list[Chapter]:
    """The pages that place figures or quote their facts, in reading order, each with what it uses."""
    found = []
    for src, markdown, title, url in pages:
        used, placed, facts = [], [], []
        for kind, argument in TOKEN.findall(_outside_code(markdown, lambda text: text, keep_code=False)):
            figure_id, _, name = argument.partition(".")
            if kind not in {"figure", "fact"} or figure_id not in figures:
                continue
            used += [figure_id] if figure_id not in used else []
            placed += [figure_id] if kind == "figure" else []
            facts += [(figure_id, name)] if kind == "fact" and (figure_id, name) not in facts else []
        if used:
            found.append(Chapter(src, title, url, used, placed, facts))
    return found


def number_figures(
    pages: list[tuple[str, str, str, str]], figures: dict[str, Any]
) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    """Each figure's number in reading order, and the (title, url) of the page that explains it.

    ``pages`` holds (source path, Markdown, title, url) for every page in reading order, the gallery left out.
    """
    numbers: dict[str, int] = {}
    explained_on: dict[str, tuple[str, str]] = {}
    for src, markdown, title, url in pages:
        for figure_id in FIGURE_LINE.findall(_outside_code(markdown, lambda text: text, keep_code=False)):
            if figure_id not in figures:
                raise PluginError(f"page {src}: unknown figure id {figure_id!r}; known: {', '.join(figures)}")
            if figure_id in numbers:
                raise PluginError(f"page {src}: figure {figure_id!r} is placed a second time")
            numbers[figure_id] = len(numbers) + 1
            explained_on[figure_id] = (title, url)
    unplaced = sorted(set(figures) - set(numbers))
    if unplaced:
        raise PluginError(f"figures {unplaced} are built but no page places them with {{{{ figure ID }}}}")
    return numbers, explained_on


def expand_page(
    markdown: str,
    src: str,
    figures: dict[str, Any],
    numbers: dict[str, int],
    explained_on: dict[str, tuple[str, str]],
    url_to: Callable[[str], str],
    citation: Callable[[], Citation],
    repository: str = "",
    downloads: Callable[[], str] = str,
) -> str:
    """The page with every token replaced; a bad or unclosed token fails the build naming the page."""

    placed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        kind, argument = match.groups()
        figure_id, _, name = argument.partition(".")
        if kind in {"figure", "gallery", "explorer", "book"} and not _alone_on_line(match):
            raise PluginError(f"page {src}: {match.group(0)!r} must stand on a line of its own")
        if kind == "gallery":
            if src != GALLERY:
                raise PluginError(f"page {src}: the gallery can only be placed on {GALLERY}")
            return downloads() + gallery_html(figures, numbers, explained_on, url_to, citation())
        if kind == "book":
            if src != BOOK:
                raise PluginError(f"page {src}: the book can only be placed on {BOOK}")
            return BOOK_MARK
        if kind == "repository" and repository and not argument:
            return repository
        if kind == "explorer":
            figure_id, _, mode = argument.partition(" ")
        if kind not in {"figure", "fact", "ref", "explorer"}:
            raise PluginError(f"page {src}: {match.group(0)!r} is unknown (use fact, ref, figure, explorer, gallery, book or repository)")
        if figure_id not in figures:
            raise PluginError(f"page {src}: {match.group(0)!r} names unknown figure id {figure_id!r}")
        if kind == "figure":
            return figure_html(figure_id, figures[figure_id], numbers[figure_id], url_to)
        if kind == "explorer":
            placed.append(match.group(0))
            if len(placed) > 1:
                raise PluginError(f"page {src}: only one explorer fits on a page; found {placed}")
            if mode not in {"", "compact"} or not figures[figure_id].get("explorer"):
                raise PluginError(f"page {src}: {match.group(0)!r} must name a figure the explorer can show, then optionally 'compact'")
            return explorer_html(figures[figure_id]["explorer"], mode or "full", url_to)
        if kind == "ref":
            return f'<a href="{url_to(explained_on[figure_id][1])}#figure-{figure_id}">Figure {numbers[figure_id]}</a>'
        facts = figures[figure_id]["facts"]
        if name not in facts:
            raise PluginError(f"page {src}: figure {figure_id!r} has no fact {name!r}; it has {', '.join(facts)}")
        return str(facts[name])

    def expand(text: str) -> str:
        expanded = TOKEN.sub(replace, text)
        leftover = TOKEN.sub("", text).find("{{")
        if leftover >= 0:
            raise PluginError(f"page {src}: unclosed or malformed token {text[leftover:].split(chr(10))[0][:40]!r}")
        return expanded

    return _outside_code(markdown, expand)


def _alone_on_line(match: re.Match[str]) -> bool:
    before = match.string[: match.start()].rpartition("\n")[2]
    after = match.string[match.end() :].partition("\n")[0]
    return not before.strip() and not after.strip()


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return typeset_math(html_text, page.file.src_uri)


def typeset_math(html_text: str, src: str) -> str:
    """Replace the math that arithmatex marked with MathML; a ``$`` left in the text (an unclosed formula) fails."""
    from latex2mathml.converter import convert

    def mathml(match: re.Match[str]) -> str:
        tex = html.unescape(match.group(2)).strip()
        try:
            if match.group(1) == "div":  # a display equation scrolls sideways in a box of its own if it is too wide
                return f'<div class="rv-scroll">{convert(tex, display="block")}</div>'
            return str(convert(tex, display="inline"))
        except Exception as error:
            raise PluginError(f"page {src}: cannot typeset ${tex}$: {type(error).__name__} {error}".strip()) from None

    typeset = ARITHMATEX.sub(mathml, html_text)
    typeset = UNARY_MINUS.sub(r"\1<mn>&#x02212;\2</mn>", typeset)
    typeset = FUNCTION_NAME.sub(r'\1<mspace width="0.1667em"></mspace>', typeset)
    prose = re.sub(r"<(pre|code|math)\b.*?</\1>", "", typeset, flags=re.DOTALL)
    if "$" in prose:
        stray = prose[prose.index("$") :].split("\n")[0][:40]
        raise PluginError(f"page {src}: a math delimiter is not closed near {stray!r}")
    return typeset


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Fill the book with every other page's content, now that all of them are rendered."""
    if page.file.src_uri == BOOK and page.content:
        pages = [(p.url, p.title or "", p.content or "") for p in nav.pages if p.file.src_uri != BOOK]
        page.content = page.content.replace(BOOK_MARK, book_html(pages, page.url))
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Give Material's search dialog an accessible name (axe: aria-dialog-name), which its template leaves out."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'))


def _manifest(files: Files) -> dict[str, Any]:
    manifest = files.get_file_from_path("figures/manifest.json")
    if manifest is None:
        raise PluginError("figures/manifest.json is missing: is gen/figures.py listed under the gen-files plugin?")
    loaded: dict[str, Any] = json.loads(manifest.content_bytes)
    return loaded


def _pages(config: MkDocsConfig, files: Files) -> list[tuple[str, str, str, str]]:
    """(source path, Markdown, title, url) of every page in reading order, the gallery left out; titles are the
    nav's, known before MkDocs makes its pages."""

    def entries(items: list[Any]) -> Iterator[tuple[str | None, str]]:
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            yield from entries(value) if isinstance(value, list) else [(title, value)]

    found = []
    for title, path in entries(config.nav or [file.src_uri for file in files.documentation_pages()]):
        file = files.get_file_from_path(path)
        if file is not None and path != GALLERY:
            found.append((file.src_uri, file.content_string, title or file.name, file.url))
    return found


def _content(files: Files, path: str) -> bytes:
    file = files.get_file_from_path(path)
    if file is None:
        raise PluginError(f"{path} is missing from the build")
    return file.content_bytes


def _outside_code(markdown: str, transform: Callable[[str], str], keep_code: bool = True) -> str:
    """Apply ``transform`` to the text between code spans and fences, leaving code as it is (or dropping it)."""
    pieces, last = [], 0
    for match in CODE.finditer(markdown):
        pieces += [transform(markdown[last : match.start()]), match.group(0) if keep_code else ""]
        last = match.end()
    return "".join(pieces) + transform(markdown[last:])


def _citation(config: MkDocsConfig) -> Citation:
    cff = yaml.safe_load((Path(config.config_file_path).parent / "CITATION.cff").read_text())
    authors = ", ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip() for a in cff["authors"])
    return Citation(authors, cff["title"], str(cff["version"]), str(cff["date-released"])[:4], config.site_url or "")
