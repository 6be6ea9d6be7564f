"""The printable book: every page's rendered content, in reading order, on one page.

Each page becomes a chapter (a section that starts a printed page). Its ids get the chapter's name as a prefix, so
that ids stay unique; links between pages become links inside the book; addresses of files (figures, notebooks) are
made relative to the book's own address; headings move down one level under the book's title; and the explorer,
which cannot be printed, is left out (the figures it would draw are there). Nothing is imported from MkDocs, so
this can be tested on its own.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from urllib.parse import urlsplit

EXPLORER = re.compile(r'<div class="rv-explorer".*?</div>\s*(?:<link[^>]*>\s*)?(?:<script[^>]*></script>\s*)*', re.DOTALL)
ATTRIBUTE = re.compile(r'\b(id|href|src|srcset)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")


def chapter_id(page_url: str) -> str:
    """The book's id of a page: its address without slashes ("" for the first page)."""
    return page_url.strip("/").replace("/", "-") or "start"


def book_html(pages: list[tuple[str, str, str]], book_url: str) -> str:
    """One section per page, from (page url, title, rendered HTML) in reading order."""
    known = {page_url for page_url, _, _ in pages}
    sections = []
    for page_url, title, content in pages:
        name = chapter_id(page_url)
        body = EXPLORER.sub("", content).replace(' loading="lazy"', "")  # a printout needs every figure now
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
