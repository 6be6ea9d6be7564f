"""The page markup the hook understands, and the HTML it turns into.

In a page's Markdown:
- ``{{ fact ID.NAME }}`` is a number computed at build time by figure ID (plain text, or TeX inside math);
- ``{{ figure ID }}`` on a line of its own places the figure, numbered, captioned, with its downloads;
- ``{{ ref ID }}`` is a link to the figure that reads "Figure N", with N the figure's number on the site;
- ``{{ gallery }}`` places every figure with its citation and the command that regenerates it;
- ``$…$`` and ``$$…$$`` are TeX, converted to MathML here, so the browser needs no script and no CDN.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable


TOKEN = re.compile(r"\{\{\s*(\w+)\s*([^}]*?)\s*\}\}")
GALLERY_TOKEN = re.compile(r"\{\{[ \t]*gallery[ \t]*\}\}")
FIGURE_LINE = re.compile(r"^\{\{[ \t]*figure[ \t]+([\w-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE)
CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")
DOWNLOADS = ((".svg", "SVG"), (".png", "PNG, 300 dpi"), (".pdf", "PDF"), (".json", "data, JSON"))


class MarkupError(ValueError):
    """A page asks for something that does not exist; the message names it."""


@dataclass
class Stash:
    """HTML kept out of Markdown's reach: Markdown sees a placeholder word, the HTML goes back in afterwards."""

    items: list[str]

    def put(self, fragment: str) -> str:
        self.items.append(fragment)
        return f"RELUVIZSTASH{len(self.items) - 1}X"

    def restore(self, text: str) -> str:
        text = re.sub(r"<p>\s*(RELUVIZSTASH\d+X)\s*</p>", r"\1", text)
        return re.sub(r"RELUVIZSTASH(\d+)X", lambda m: self.items[int(m.group(1))], text)


def figure_ids_in(markdown: str) -> list[str]:
    """The figures a page places, in order."""
    return FIGURE_LINE.findall(_outside_code(markdown, lambda text: text, keep_code=False))


def leftover_token(markdown: str) -> str | None:
    """A token still in the Markdown after expansion (a figure token inside a paragraph, say), or None."""
    leftovers = TOKEN.findall(_outside_code(markdown, lambda text: text, keep_code=False))
    return "{{ " + " ".join(leftovers[0]).strip() + " }}" if leftovers else None


def _outside_code(markdown: str, transform: Callable[[str], str], keep_code: bool = True) -> str:
    """Apply ``transform`` to the text between code spans and fences, leaving code as it is."""
    pieces, last = [], 0
    for match in CODE.finditer(markdown):
        pieces.append(transform(markdown[last : match.start()]))
        pieces.append(match.group(0) if keep_code else "")
        last = match.end()
    pieces.append(transform(markdown[last:]))
    return "".join(pieces)


def fill_tokens(markdown: str, facts: dict[str, dict[str, str]], ref: Callable[[str], str], page: str) -> str:
    """Replace every ``{{ fact ID.NAME }}`` and ``{{ ref ID }}``; leave figure and gallery tokens for later."""

    def replace(match: re.Match) -> str:
        kind, argument = match.group(1), match.group(2)
        if kind in {"figure", "gallery"}:
            return match.group(0)
        if kind == "ref":
            if argument not in facts:
                raise MarkupError(f"page {page}: {match.group(0)!r} names unknown figure id {argument!r}")
            return ref(argument)
        if kind != "fact":
            raise MarkupError(f"page {page}: unknown token {match.group(0)!r} (use fact, ref, figure or gallery)")
        figure_id, _, name = argument.partition(".")
        if figure_id not in facts:
            raise MarkupError(f"page {page}: {match.group(0)!r} names unknown figure id {figure_id!r}")
        if name not in facts[figure_id]:
            raise MarkupError(f"page {page}: figure {figure_id!r} has no fact {name!r}; it has {', '.join(facts[figure_id])}")
        return facts[figure_id][name]

    return _outside_code(markdown, lambda text: TOKEN.sub(replace, text))


def to_mathml(tex: str, display: str) -> str:
    """MathML for ``tex``; ``display`` is "inline" or "block"."""
    from latex2mathml.converter import convert  # imported only when a formula is not in the build cache

    return convert(tex, display=display)


def stash_math(markdown: str, stash: Stash, page: str, convert: Callable[[str, str], str] = to_mathml) -> str:
    """Convert TeX to MathML now and hide it from Markdown, which would read ``_`` and ``*`` as emphasis."""

    def mathml(tex: str, display: str) -> str:
        try:
            return stash.put(convert(tex.strip(), display))
        except Exception as error:  # noqa: BLE001  (latex2mathml raises many kinds; all mean bad TeX)
            raise MarkupError(f"page {page}: cannot typeset ${tex.strip()}$: {error}") from None

    def both(text: str) -> str:
        text = DISPLAY_MATH.sub(lambda m: mathml(m.group(1), "block"), text)
        return INLINE_MATH.sub(lambda m: mathml(m.group(1), "inline"), text)

    return _outside_code(markdown, both)


def figure_html(figure_id: str, entry: dict, number: int, url_to: Callable[[str], str], in_gallery: bool = False) -> str:
    """A numbered figure with light and dark variants, its caption and its downloads."""
    alt = html.escape(entry["alt"])
    size = f'width="{entry["width"]}" height="{entry["height"]}" loading="lazy" decoding="async"'
    links = ", ".join(
        f'<a href="{url_to(f"figures/{figure_id}{suffix}")}" download>{label}</a>' for suffix, label in DOWNLOADS
    )
    more = "" if in_gallery else f' · <a href="{url_to("gallery/")}#figure-{figure_id}">cite or regenerate</a>'
    anchor = "" if in_gallery else f' id="figure-{figure_id}"'
    return (
        f'<figure class="rv-figure"{anchor}>\n'
        f'<img src="{url_to(f"figures/{figure_id}.svg")}#only-light" alt="{alt}" {size}>\n'
        f'<img src="{url_to(f"figures/{figure_id}-dark.svg")}#only-dark" alt="{alt}" {size}>\n'
        f'<figcaption><strong>Figure {number}.</strong> {html.escape(entry["caption"])}\n'
        f'<span class="rv-downloads">Download: {links}{more}</span></figcaption>\n'
        "</figure>"
    )


@dataclass(frozen=True)
class Citation:
    """What CITATION.cff says about the whole work, which every figure's citation repeats."""

    authors: str
    title: str
    version: str
    year: str
    site_url: str


def gallery_html(
    manifest: dict,
    numbers: dict[str, int],
    explained_on: dict[str, tuple[str, str]],
    url_to: Callable[[str], str],
    citation: Citation,
) -> str:
    """Every figure in the order of its number, with where it is explained, how to regenerate it and cite it."""
    parts = []
    for figure_id in sorted(numbers, key=numbers.get):
        entry = manifest["figures"][figure_id]
        number = numbers[figure_id]
        page_title, page_url = explained_on[figure_id]
        address = f"{citation.site_url}figures/{figure_id}.svg"
        heading = f"Figure {number}: {entry['title']}"
        plain = (
            f"{citation.authors} ({citation.year}). {heading}. In: {citation.title}, version {citation.version}. "
            f"{address}. Licensed under CC BY 4.0."
        )
        bibtex = "\n".join(
            [
                f"@misc{{reluviz-{figure_id},",
                f"  author = {{{{{citation.authors}}}}},",
                f"  title = {{{{{heading}}}}},",
                f"  year = {{{citation.year}}},",
                f"  howpublished = {{\\url{{{address}}}}},",
                f"  note = {{{citation.title}, version {citation.version}. Licensed under CC BY 4.0}}",
                "}",
            ]
        )
        parts.append(
            f'<section class="rv-gallery-entry" id="figure-{figure_id}" aria-labelledby="heading-{figure_id}">\n'
            f'<h2 id="heading-{figure_id}">{html.escape(heading)}</h2>\n'
            f"{figure_html(figure_id, entry, number, url_to, in_gallery=True)}\n"
            f'<p>Explained in <a href="{url_to(page_url)}#figure-{figure_id}">{html.escape(page_title)}</a>. '
            f"Stable address: <code>figures/{figure_id}.svg</code> (also .png, .pdf, .json).</p>\n"
            f"<p>Regenerate it byte for byte:</p>\n<pre><code>{html.escape(entry['command'])}</code></pre>\n"
            f"<p>Cite it:</p>\n<pre><code>{html.escape(plain)}</code></pre>\n"
            f"<pre><code>{html.escape(bibtex)}</code></pre>\n"
            "</section>"
        )
    return "\n".join(parts)
