"""The printable book ("Print the whole site"): every chapter of the site in one page, from the pages as MkDocs
rendered them, and the print-only note that stands for an explorer. The MkDocs hooks (gen/hooks.py) call these once
every page is rendered.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

ATTRIBUTE = re.compile(r'\b(id|href|src|srcset)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")
BOOK_LEAVES_OUT = ("gallery.md", "data.md", "api.md")  # reference, for looking up on the site rather than reading
# An explorer as the build step writes it (an empty container, its style and scripts), and the print-only note after
# it once `with_explorer_notes` has added one.
EXPLORER = re.compile(
    r'(?P<container><div class="rv-explorer"[^>]*></div>)(?P<assets>\s*(?:<link[^>]*>\s*)?(?:<script[^>]*></script>\s*)*)'
    r'(?P<note><p class="rv-print-note">.*?</p>\s*)?', re.DOTALL)
PRINT_NOTE = ('<p class="rv-print-note">On the site, an interactive explorer stands here. It starts from {}; open the '
              "site to change the network and watch what changes.</p>\n")
FIGURE = re.compile(r'<figure class="rv-figure" id="figure-(?P<id>[\w-]+)">(?P<body>.*?<strong>Figure (?P<number>\d+)\.</strong>.*?)</figure>',
                    re.DOTALL)
EXPLORER_LINK = re.compile(r'href="[^"?]*\?([^"#]*)"[^>]*>open in the explorer<')
ATTRIBUTE_PAIR = re.compile(r'([\w-]+)="([^"]*)"')
HEADING_TEXT = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)
SECTION = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
HEADER_LINK = re.compile(r'<a class="headerlink".*?</a>', re.DOTALL)
CHAPTER = re.compile(r'<section class="rv-chapter" id="([^"]+)" aria-label="([^"]*)"')


# The printable book: a contents page, then each page of the nav but the reference ones as a numbered chapter (a
# section that starts a printed page). Its ids get the chapter's name as a prefix, so that ids stay unique; links
# between pages become links inside the book; addresses of files (figures, notebooks) are made relative to the book's
# own address; headings move down one level under the book's title; and the explorer, which cannot be printed, gives
# way to a note naming the figure it starts from. Chromium cannot print page numbers in a table of contents (it has no
# target-counter()), so the contents and the chapters are numbered, and every printed page carries its chapter's
# number and title at its top (a named page per chapter, whose @page rule the book's head holds) and its page number
# at its foot (reluviz.css).


def chapter_id(page_url: str) -> str:
    """The book's id of a page: its address without slashes ("" for the first page)."""
    return page_url.strip("/").replace("/", "-") or "start"


def _text(inner_html: str) -> str:
    """A heading's words, without its tags and its permalink."""
    return re.sub(r"<[^>]+>", "", HEADER_LINK.sub("", inner_html)).strip()


def _relative(target_url: str, page_url: str) -> str:
    """The address of the page at ``target_url`` from the page at ``page_url`` (both site addresses, "" the first)."""
    if target_url == page_url:
        return ""
    relative = posixpath.relpath("/" + target_url, posixpath.dirname("/" + page_url) or "/")
    return relative + ("/" if target_url.endswith("/") or not target_url else "")


def explorer_starts(pages: list[tuple[str, str, str]]) -> dict[str, tuple[str, str, str]]:
    """For each explorer state a figure links to ("open in the explorer"), the first such figure in reading order, as
    (its page's url, its id, its number): figures are numbered in reading order, so that is the lowest number."""
    starts: dict[str, tuple[str, str, str]] = {}
    for page_url, _, content in pages:
        for figure in FIGURE.finditer(content):
            for state in EXPLORER_LINK.findall(figure.group("body")):
                starts.setdefault(state, (page_url, figure.group("id"), figure.group("number")))
    return starts


def explorer_note(container: str, page_url: str, starts: dict[str, tuple[str, str, str]]) -> str:
    """The print-only note that stands for an explorer (``container``, its element): it names the figure whose
    network the explorer starts from, its ``data-figure`` if it has one, else the first figure that opens its state."""
    attributes = dict(ATTRIBUTE_PAIR.findall(container))
    start = starts.get(attributes.get("data-state", ""))
    if "data-figure" in attributes:
        start = next((s for s in starts.values() if s[1] == attributes["data-figure"]), start)
    if start is None:
        return PRINT_NOTE.format("the network this page describes")
    figure_page, figure_id, number = start
    return PRINT_NOTE.format(f'the network of <a href="{_relative(figure_page, page_url)}#figure-{figure_id}">Figure {number}</a>')


def with_explorer_notes(content: str, page_url: str, starts: dict[str, tuple[str, str, str]]) -> str:
    """The page with a print-only note after each explorer, once (the book may read a page before or after this)."""
    def add(match: re.Match[str]) -> str:
        return match.group(0) if match.group("note") else match.group(0) + explorer_note(match.group("container"), page_url, starts)

    return EXPLORER.sub(add, content)


def _book_body(content: str, page_url: str, name: str, known: set[str], book_url: str, starts: dict[str, tuple[str, str, str]]) -> str:
    """A page's HTML as a chapter: the explorer replaced by its note, every figure loaded at once (a printout needs
    them now), ids and links rewritten, headings one level down."""
    def note_only(match: re.Match[str]) -> str:
        return match.group("note") or explorer_note(match.group("container"), page_url, starts)

    body = EXPLORER.sub(note_only, content).replace(' loading="lazy"', "")
    body = ATTRIBUTE.sub(functools.partial(_rewrite, page_url=page_url, name=name, known=known, book_url=book_url), body)
    return HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)


def book_html(pages: list[tuple[str, str, str]], book_url: str, left_out: Sequence[tuple[str, str]] = ()) -> str:
    """The contents, then one section per page, from (page url, title, rendered HTML) in reading order; the contents
    ends with the ``left_out`` pages (url, title), which are only on the site."""
    known = {page_url for page_url, _, _ in pages}
    starts = explorer_starts(pages)
    entries, sections = [], []
    for page_url, title, content in pages:
        name = chapter_id(page_url)
        first = HEADING_TEXT.search(content)
        heading = _text(first.group(2)) if first and first.group(1) == "1" else html.escape(title)  # as the chapter shows it
        parts = "".join(f'<li><a href="#{name}--{part}">{_text(words)}</a></li>' for part, words in SECTION.findall(content))
        entries.append(f'<li><a href="#{name}">{heading}</a>' + (f'<ul class="rv-toc-sections">{parts}</ul>' if parts else "") + "</li>")
        label = html.escape(html.unescape(re.sub(r"<[^>]+>", "", heading)))
        body = _book_body(content, page_url, name, known, book_url, starts)
        sections.append(f'<section class="rv-chapter" id="{name}" aria-label="{label}">\n{body}\n</section>')
    site_only = ", ".join(f'<a href="{_relative(url, book_url)}">{html.escape(title)}</a>' for url, title in left_out)
    rest = f'\n<p class="rv-toc-left-out">Only on the site, for looking things up: {site_only}.</p>' if site_only else ""
    contents = f'<nav class="rv-toc" aria-labelledby="book-contents">\n<h2 id="book-contents">Contents</h2>\n<ol>\n{chr(10).join(entries)}\n</ol>{rest}\n</nav>'
    return contents + "\n" + "\n".join(sections)


def book_page_rules(book_page: str, site_name: str) -> str:
    """The book's @page rules, for its head: each chapter is a named page whose header gives the site's name and the
    chapter's number and title (Chromium has no string-set(), so each chapter needs a rule of its own)."""
    def css_string(text: str) -> str:
        return '"' + html.unescape(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    rule = '.rv-chapter[id="%s"] { page: rv-chapter-%d; }\n@page rv-chapter-%d { @top-left { content: %s; } @top-right { content: %s; } }'
    rules = [
        rule % (name, number, number, css_string(site_name), css_string(f"{number}. {title}"))
        for number, (name, title) in enumerate(CHAPTER.findall(book_page), start=1)
    ]
    return "<style>\n@media print {\n" + "\n".join(rules) + "\n}\n</style>\n" if rules else ""


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

