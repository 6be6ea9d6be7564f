"""The tokens a page's Markdown may hold, in one table, and what each becomes.

A token is ``{{ NAME ARGUMENT }}``. `TOKENS` lists every name with what its argument looks like, whether it must
stand on a line of its own, the one page it may stand on (if any) and what it expands to; a new token is one entry.
Tokens inside code (fences and spans) are left as they are, so the docs can show them. Figures are numbered in
reading order by their ``figure`` tokens.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .site import Page, Site, relative_url
from .workers import BuildError

CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
TOKEN = re.compile(r"\{\{[ \t]*([\w-]+)[ \t]*([^{}\n]*?)[ \t]*\}\}")
GALLERY, BOOK, EXPLORE = "gallery.md", "book.md", "explore.md"
BOOK_MARK = "<!-- reluviz: the book goes here -->"


@dataclass(frozen=True)
class Found:
    """One token in a page."""

    page: Page
    text: str
    name: str
    argument: re.Match[str]


@dataclass
class Context:
    """What tokens expand from: the site, the figures' records, their numbers and the downloads' HTML."""

    site: Site
    figures: Mapping[str, Any]
    numbers: Mapping[str, int]
    explained_on: Mapping[str, Page]
    extras: Mapping[str, Callable[[Callable[[str], str]], str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Token:
    name: str
    argument: str  # a regular expression the argument must match in full
    shows: str  # how the table lists it
    alone: bool  # must stand on a line of its own
    page: str | None  # the only page it may stand on
    expand: Callable[[Found, Context, Callable[[str], str]], str]


def _figure_id(found: Found, context: Context) -> str:
    figure_id = found.argument["figure"]
    if figure_id not in context.figures:
        raise BuildError(f"page {found.page.src}: {found.text!r} names unknown figure {figure_id!r}; known: {', '.join(context.figures)}")
    return figure_id


def _fact(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
    figure_id = _figure_id(found, context)
    facts = context.figures[figure_id]["facts"]
    name = found.argument["name"]
    if name not in facts:
        raise BuildError(f"page {found.page.src}: figure {figure_id!r} has no fact {name!r}; it has {', '.join(facts)}")
    return str(facts[name])


def _figure(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
    from .html import figure_html

    figure_id = _figure_id(found, context)
    return figure_html(figure_id, context.figures[figure_id], context.numbers[figure_id], url_to)


def _ref(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
    figure_id = _figure_id(found, context)
    page = context.explained_on[figure_id]
    return f'<a href="{url_to(page.url)}#figure-{figure_id}">Figure {context.numbers[figure_id]}</a>'


def _explorer(kind: str, field_name: str) -> Callable[[Found, Context, Callable[[str], str]], str]:
    def expand(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
        from .html import explorer_html

        figure_id = _figure_id(found, context)
        query = context.figures[figure_id].get(field_name)
        if not query:
            raise BuildError(f"page {found.page.src}: {found.text!r}: the {kind} explorer cannot show figure {figure_id!r}'s network")
        return explorer_html(query, found.argument["mode"] or "full", url_to, kind, figure_id)

    return expand


def _repository(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
    words = html.escape(found.argument["words"])
    address = context.site.repository
    return f'<a href="{html.escape(address)}">{words}</a>' if address else words


def _extra(name: str) -> Callable[[Found, Context, Callable[[str], str]], str]:
    def expand(found: Found, context: Context, url_to: Callable[[str], str]) -> str:
        return context.extras[name](url_to)

    return expand


TOKENS = (
    Token("fact", r"(?P<figure>[\w-]+)\.(?P<name>\w+)", "fact FIGURE.NAME", False, None, _fact),
    Token("figure", r"(?P<figure>[\w-]+)", "figure FIGURE", True, None, _figure),
    Token("ref", r"(?P<figure>[\w-]+)", "ref FIGURE", False, None, _ref),
    Token("explorer", r"(?P<figure>[\w-]+)(?: (?P<mode>compact))?", "explorer FIGURE [compact]", True, None, _explorer("line", "explorer")),
    Token("plane-explorer", r"(?P<figure>[\w-]+)(?: (?P<mode>compact))?", "plane-explorer FIGURE [compact]", True, None,
          _explorer("plane", "plane")),
    Token("repository", r"(?P<words>[^{}]+)", "repository LINK WORDS", False, None, _repository),
    Token("gallery", r"", "gallery", True, GALLERY, _extra("gallery")),
    Token("tasks", r"", "tasks", True, EXPLORE, _extra("tasks")),
    Token("book", r"", "book", True, BOOK, lambda found, context, url_to: BOOK_MARK),
)
BY_NAME = {token.name: token for token in TOKENS}


def _outside_code(markdown: str) -> Iterator[tuple[bool, str]]:
    """The page's text cut into (is code, text) runs."""
    last = 0
    for match in CODE.finditer(markdown):
        yield False, markdown[last : match.start()]
        yield True, match.group(0)
        last = match.end()
    yield False, markdown[last:]


def _alone_on_line(match: re.Match[str]) -> bool:
    before = match.string[: match.start()].rpartition("\n")[2]
    after = match.string[match.end() :].partition("\n")[0]
    return not before.strip() and not after.strip()


def _check(page: Page, text: str, match: re.Match[str]) -> Found:
    name, argument = match.group(1), match.group(2)
    token = BY_NAME.get(name)
    if token is None:
        table = "; ".join("{{ " + t.shows + " }}" for t in TOKENS)
        raise BuildError(f"page {page.src}: {match.group(0)!r} is not a token; the tokens are {table}")
    parsed = re.fullmatch(token.argument, argument)
    if parsed is None:
        raise BuildError(f"page {page.src}: {match.group(0)!r} must be written {{{{ {token.shows} }}}}")
    if token.alone and not _alone_on_line(match):
        raise BuildError(f"page {page.src}: {match.group(0)!r} must stand on a line of its own")
    if token.page is not None and page.src != token.page:
        raise BuildError(f"page {page.src}: {match.group(0)!r} can only stand on {token.page}")
    start, end = match.start(), match.end()
    if text[start - 1 : start] == "{" or text[end : end + 1] == "}":
        raise BuildError(f"page {page.src}: {text[max(0, start - 1) : end + 1]!r} has a stray brace around its token")
    return Found(page, match.group(0), name, parsed)


def tokens(page: Page) -> list[Found]:
    """Every token on the page outside code, checked against the table.

    Raises
    ------
    BuildError
        Naming the page and the token, for an unknown, misplaced or malformed token, or a ``{{`` left unclosed.
    """
    found = []
    for is_code, text in _outside_code(page.markdown):
        if is_code:
            continue
        found += [_check(page, text, match) for match in TOKEN.finditer(text)]
        leftover = TOKEN.sub("", text).find("{{")
        if leftover >= 0:
            raise BuildError(f"page {page.src}: unclosed or malformed token {text[leftover:].splitlines()[0][:40]!r}")
    return found


def number_figures(site: Site, figure_ids: list[str]) -> tuple[dict[str, int], dict[str, Page]]:
    """Each figure's number in reading order, and the page that places it (the gallery places them all again)."""
    numbers: dict[str, int] = {}
    placed_on: dict[str, Page] = {}
    for page in site.pages:
        for found in tokens(page):
            if found.name != "figure":
                continue
            figure_id = found.argument["figure"]
            if figure_id not in figure_ids:
                raise BuildError(f"page {page.src}: unknown figure id {figure_id!r}; known: {', '.join(figure_ids)}")
            if figure_id in numbers:
                raise BuildError(f"page {page.src}: figure {figure_id!r} is placed a second time")
            numbers[figure_id] = len(numbers) + 1
            placed_on[figure_id] = page
    unplaced = sorted(set(figure_ids) - set(numbers))
    if unplaced:
        raise BuildError(f"figures {unplaced} are built but no page places them with {{{{ figure ID }}}}")
    return numbers, placed_on


def expand(page: Page, context: Context) -> str:
    """The page's Markdown with every token replaced; only one explorer may stand on a page."""

    def url_to(target: str) -> str:
        return relative_url(target, page.url)

    explorers = [found.text for found in tokens(page) if found.name in {"explorer", "plane-explorer"}]
    if len(explorers) > 1:
        raise BuildError(f"page {page.src}: only one explorer fits on a page; found {explorers}")
    def replace(match: re.Match[str]) -> str:
        return BY_NAME[match.group(1)].expand(_check(page, match.string, match), context, url_to)

    return "".join(text if is_code else TOKEN.sub(replace, text) for is_code, text in _outside_code(page.markdown))
