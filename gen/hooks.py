"""MkDocs hooks: the pages as the reluviz build step filled them in, TeX as MathML, the book, and two fixes to the
theme's HTML.

The build step (run by gen/site_files.py) has already read every page, filled in its tokens and written the result
to reluviz-build/pages.json; this file only puts that text in place, which is why it holds no token table and
imports nothing from reluviz. What needs MkDocs' rendered HTML stays here: MathML (``on_page_content``, so the
browser needs no script) and the printable book (``on_page_context``, once every page is rendered). MkDocs loads
this file once per process: after editing gen/, restart ``properdocs serve``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import posixpath
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

PAGES_FILE = "reluviz-build/pages.json"
BOOK, BOOK_MARK = "book.md", "<!-- reluviz: the book goes here -->"
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">\s*\\[(\[](.*?)\\[)\]]\s*</\1>', re.DOTALL)
# A minus right after an opening bracket, a relation, a comma, or at the start of a row or cell is a sign, not a
# subtraction: latex2mathml writes both as an operator, which browsers space as a binary one ("( − 1").
UNARY_MINUS = re.compile(
    r"((?:<mo[^>]*>&#x000(?:28|5B|3D|2C);</mo>)|<mrow>|<mtd>|<math[^>]*>)<mo>&#x02212;</mo><mn>([^<]+)</mn>"
)
# TeX puts a thin space between a function's name and its argument ("sin x"); latex2mathml leaves it out.
FUNCTION_NAME = re.compile(r"(<mi>(?:sin|cos|tan|tanh|log|exp)</mi>)(?=<m[inrs])")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
BOOK_EXPLORER = re.compile(r'<div class="rv-explorer".*?</div>\s*(?:<link[^>]*>\s*)?(?:<script[^>]*></script>\s*)*', re.DOTALL)
ATTRIBUTE = re.compile(r'\b(id|href|src|srcset)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Date the build by the last commit, so that two builds of one commit are identical (sitemap included)."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=Path(config.config_file_path).parent,
                                     capture_output=True, text=True, check=False).stdout.strip()
        os.environ["SOURCE_DATE_EPOCH"] = last_commit or "0"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Keep the filled-in pages for the hooks below, out of the published site."""
    filled = files.get_file_from_path(PAGES_FILE)
    if filled is None:
        raise PluginError(f"{PAGES_FILE} is missing: is gen/site_files.py listed under the gen-files plugin?")
    filled.inclusion = InclusionLevel.EXCLUDED
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The page as the build step filled it in (the same text it read, or the build stops)."""
    repository = str(config.extra.get("repository") or "").rstrip("/")
    page.edit_url = f"{repository}/blob/main/docs/{page.file.src_uri}" if repository else None
    filled = files.get_file_from_path(PAGES_FILE)
    entry = json.loads(filled.content_bytes).get(page.file.src_uri) if filled else None
    if entry is None:
        raise PluginError(f"page {page.file.src_uri} is not in the nav, so the build step did not fill it in")
    if hashlib.sha256(markdown.encode()).hexdigest() != entry["source"]:
        raise PluginError(f"page {page.file.src_uri} changed while the site was built; build it again")
    return str(entry["markdown"])


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


# The printable book: each page becomes a chapter (a section that starts a printed page). Its ids get the chapter's
# name as a prefix, so that ids stay unique; links between pages become links inside the book; addresses of files
# (figures, notebooks) are made relative to the book's own address; headings move down one level under the book's
# title; and the explorer, which cannot be printed, is left out (the figures it would draw are there).


def chapter_id(page_url: str) -> str:
    """The book's id of a page: its address without slashes ("" for the first page)."""
    return page_url.strip("/").replace("/", "-") or "start"


def book_html(pages: list[tuple[str, str, str]], book_url: str) -> str:
    """One section per page, from (page url, title, rendered HTML) in reading order."""
    known = {page_url for page_url, _, _ in pages}
    sections = []
    for page_url, title, content in pages:
        name = chapter_id(page_url)
        body = BOOK_EXPLORER.sub("", content).replace(' loading="lazy"', "")  # a printout needs every figure now
        body = ATTRIBUTE.sub(functools.partial(_rewrite, page_url=page_url, name=name, known=known, book_url=book_url), body)
        body = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)
        sections.append(
            f'<section class="rv-chapter" id="{name}" aria-label="{html.escape(title)}">\n{body}\n</section>'
        )
    return "\n".join(sections)


def _rewrite(match: re.Match[str], page_url: str, name: str, known: set[str], book_url: str) -> str:
    attribute, value = match.groups()
    if attribute == "id":
        return f'id="{name}--{value}"'
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("mailto:", "data:")):
        return match.group(0)
    if not parts.path:  # a link within the page
        return f'{attribute}="#{name}--{parts.fragment}"' if parts.fragment else match.group(0)
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), parts.path))
    target_page = target.lstrip("/") + ("/" if parts.path.endswith("/") and target != "/" else "")
    if attribute == "href" and (target_page in known or (target == "/" and "" in known)):
        chapter = chapter_id(target_page if target != "/" else "")
        return f'href="#{chapter}--{parts.fragment}"' if parts.fragment else f'href="#{chapter}"'
    relative = posixpath.relpath(target, posixpath.dirname("/" + book_url) or "/")
    suffix = ("/" if parts.path.endswith("/") else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return f'{attribute}="{relative}{suffix}"'
