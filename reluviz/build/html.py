"""The HTML the build step puts into pages: a numbered figure, the gallery, the explorer and the teaching downloads,
from the figures' records (as in figures/manifest.json)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..credits import FIGURE_LICENCE
from ..toolchain import INSTALL, describe

DOWNLOADS = ((".svg", "SVG"), (".png", "PNG, 300 dpi"), (".pdf", "PDF"), (".json", "data, JSON"))


NARROW_SCREEN = "(max-width: 600px)"  # below this, a figure drawn for the page's column would shrink its text


def figure_html(figure_id: str, entry: Mapping[str, Any], number: int, url_to: Callable[[str], str], in_gallery: bool = False) -> str:
    """A numbered figure with light and dark variants, each with a narrow layout for phones (a phone downloads only
    the one it shows), its caption and its downloads (one HTML block, no blank line)."""
    links = ", ".join(f'<a href="{url_to(f"figures/{figure_id}{suffix}")}" download>{label}</a>' for suffix, label in DOWNLOADS)
    more = "" if in_gallery else f' · <a href="{url_to("gallery/")}#figure-{figure_id}">cite or regenerate</a>'
    for kind, page in EXPLORER_PAGES.items():
        query = entry.get("explorer" if kind == "line" else "plane")
        if query:
            more += f' · <a href="{url_to(page)}?{html.escape(query)}">open in the explorer</a>'
    anchor = "" if in_gallery else f' id="figure-{figure_id}"'
    pictures = "\n".join(_picture(figure_id, entry, scheme, url_to) for scheme in ("light", "dark"))
    return (
        f'<figure class="rv-figure"{anchor}>\n{pictures}\n'
        f'<figcaption><strong>Figure {number}.</strong> {html.escape(entry["caption"])}\n'
        f'<span class="rv-downloads">Download: {links}{more}</span></figcaption>\n'
        "</figure>"
    )


def _picture(figure_id: str, entry: Mapping[str, Any], scheme: str, url_to: Callable[[str], str]) -> str:
    dark = "-dark" if scheme == "dark" else ""
    narrow = f'width="{entry["narrow_width"]}" height="{entry["narrow_height"]}"'
    size = f'width="{entry["width"]}" height="{entry["height"]}"'
    return (
        f'<picture><source media="{NARROW_SCREEN}" srcset="{url_to(f"figures/{figure_id}-narrow{dark}.svg")}" {narrow}>'
        f'<img src="{url_to(f"figures/{figure_id}{dark}.svg")}#only-{scheme}" alt="{html.escape(entry["alt"])}" {size} '
        'loading="lazy" decoding="async"></picture>'
    )


@dataclass(frozen=True)
class Citation:
    """What CITATION.cff says about the whole work, which every figure's citation repeats."""

    authors: str
    title: str
    version: str
    year: str
    site_url: str  # empty while the site has no address


def plain_citation(figure_id: str, entry: Mapping[str, Any], number: int, citation: Citation) -> str:
    """How to cite one figure, in one line of plain text (the gallery, the slides and the credits file use it)."""
    credit = f" {entry['credit']}" if entry["credit"] else ""
    address = f" {citation.site_url}figures/{figure_id}.svg." if citation.site_url else ""
    return (
        f"{citation.authors} ({citation.year}). Figure {number}: {entry['title']}. In: {citation.title}, version "
        f"{citation.version}.{address}{credit} Licensed under {FIGURE_LICENCE}."
    )


def _bibtex(figure_id: str, entry: Mapping[str, Any], heading: str, citation: Citation) -> str:
    credit = f" {entry['credit']}" if entry["credit"] else ""
    address = [f"  howpublished = {{\\url{{{citation.site_url}figures/{figure_id}.svg}}}},"] if citation.site_url else []
    return "\n".join([
        f"@misc{{reluviz-{figure_id},",
        f"  author = {{{{{citation.authors}}}}},",
        f"  title = {{{{{heading}}}}},",
        f"  year = {{{citation.year}}},",
        *address,
        f"  note = {{{citation.title}, version {citation.version}.{credit} Licensed under {FIGURE_LICENCE}}}",
        "}",
    ])


def gallery_html(
    figures: Mapping[str, Any],
    numbers: Mapping[str, int],
    explained_on: Mapping[str, tuple[str, str]],
    url_to: Callable[[str], str],
    citation: Citation,
) -> str:
    """Every figure in the order of its number, with where it is explained (title, address), how to regenerate it
    and how to cite it."""
    parts = []
    for figure_id in sorted(numbers, key=numbers.__getitem__):
        entry, number = figures[figure_id], numbers[figure_id]
        page_title, page_url = explained_on[figure_id]
        heading = f"Figure {number}: {entry['title']}"
        parts.append(
            f'<section class="rv-gallery-entry" id="figure-{figure_id}" aria-labelledby="heading-{figure_id}">\n'
            f'<h2 id="heading-{figure_id}">{html.escape(heading)}</h2>\n'
            f"{figure_html(figure_id, entry, number, url_to, in_gallery=True)}\n"
            f'<p>Explained in <a href="{url_to(page_url)}#figure-{figure_id}">{html.escape(page_title)}</a>. '
            f"Stable address: <code>figures/{figure_id}.svg</code> (also .png, .pdf, .json).</p>\n"
            f"{_regenerate_html(entry)}"
            f"<p>Cite it:</p>\n<pre><code>{html.escape(plain_citation(figure_id, entry, number, citation))}</code></pre>\n"
            f"<pre><code>{html.escape(_bibtex(figure_id, entry, heading, citation))}</code></pre>\n"
            "</section>"
        )
    return "\n".join(parts)


def _regenerate_html(entry: Mapping[str, Any]) -> str:
    """How to regenerate a figure byte for byte: first install the locked versions that drew it, then its command
    (other versions draw the same data, but not always the same bytes)."""
    versions = entry.get("drawn_with")
    drawn = f" ({html.escape(describe(versions))})" if versions else ""
    return (
        f"<p>Regenerate it byte for byte with the versions that drew it{drawn}, which the lock file "
        "<code>requirements/build.txt</code> installs: in a checkout of the source, in a fresh virtual environment,</p>\n"
        f"<pre><code>{html.escape(INSTALL)}\n{html.escape(entry['command'])}</code></pre>\n"
    )


EXPLORER_SCRIPTS = {
    "line": ("reluviz-shared.js", "explorer-ui.js", "reluviz-exact.js", "reluviz-line.js", "reluviz-core.js",
             "train-panel.js", "explorer.js"),
    "plane": ("reluviz-shared.js", "explorer-ui.js", "train-panel.js", "plane-explorer.js"),  # the rest runs in the workers
}
EXPLORER_PAGES = {"line": "explore/", "plane": "explore-plane/"}


def explorer_html(state: str, mode: str, url_to: Callable[[str], str], kind: str = "line", figure_id: str = "") -> str:
    """An explorer's container (``kind`` "line" for one input, "plane" for two), started on the network of the
    query ``state`` (figure ``figure_id``'s, which a printout names instead), with its scripts and style; the
    container stays hidden unless the scripts run, so without JavaScript the page shows its figures alone."""
    scripts = "\n".join(f'<script src="{url_to("explorer/" + name)}" defer></script>' for name in EXPLORER_SCRIPTS[kind])
    figure = f' data-figure="{html.escape(figure_id)}"' if figure_id else ""
    return (
        f'<div class="rv-explorer" id="{"explorer" if kind == "line" else "plane"}-{mode}" data-kind="{kind}" data-mode="{mode}" '
        f'data-state="{html.escape(state)}" data-explore="{url_to(EXPLORER_PAGES[kind])}"{figure} aria-label="Explorer" role="region" hidden></div>\n'
        f'<link rel="stylesheet" href="{url_to("explorer/explorer.css")}">\n{scripts}'
    )


def tasks_html(tasks: Sequence[Any], url_to: Callable[[str], str]) -> str:
    """The Explore page's tasks (`reluviz.explorer_tasks.Task`): each question with a link to its state and its
    computed answer, folded until asked for."""
    items = "".join(
        f'<li><p>{html.escape(task.question)} <a href="{url_to("explore/")}?{html.escape(task.query())}">Open it in the explorer</a></p>'
        f'<details><summary>Answer</summary><p class="rv-computed">{html.escape(task.solved())}</p></details></li>\n'
        for task in tasks)
    return f'<ol class="rv-tasks">\n{items}</ol>\n'


def downloads_html(chapters: list[Any], sizes: dict[str, int], url_to: Callable[[str], str]) -> str:
    """The gallery's downloads for teaching (``sizes`` by path: the pack, the slides as PDF and PPTX, the wheel and
    the sdist, in that order), and each chapter's notebook."""
    (pack, pack_size), (slides, slides_size), (pptx, pptx_size), (wheel, wheel_size), (sdist, sdist_size) = sizes.items()
    notebooks = ", ".join(f'<a href="{url_to(c.notebook)}" download>{html.escape(c.title)}</a>' for c in chapters)
    wheel_name = wheel.rsplit("/", 1)[-1]
    return (
        '<section class="rv-teaching" aria-labelledby="downloads-for-teaching">\n'
        '<h2 id="downloads-for-teaching">Downloads for teaching</h2>\n<ul>\n'
        f'<li><a href="{url_to(pack)}" download>The figure pack</a> (ZIP, {pack_size / 1e6:.1f} MB): every figure as SVG, '
        "PDF and PNG, the slides, the package, a licence file, a credits file and CITATION.cff.</li>\n"
        f'<li>The slides, as <a href="{url_to(slides)}" download>PDF</a> ({slides_size / 1e6:.1f} MB) or '
        f'<a href="{url_to(pptx)}" download>PowerPoint</a> ({pptx_size / 1e6:.1f} MB, captions editable): a title slide, '
        "one figure a slide with its caption and its citation, and the credits.</li>\n"
        f'<li>The reluviz package that computed all of it, built with this site: the <a href="{url_to(wheel)}" download>wheel</a> '
        f'({wheel_size / 1e6:.1f} MB; <code>pip install "{html.escape(wheel_name)}[notebooks]"</code> in the folder you saved it to) and '
        f'the <a href="{url_to(sdist)}" download>source distribution</a> ({sdist_size / 1e6:.1f} MB).</li>\n'
        f"<li>A Jupyter notebook for each chapter, which recomputes its figures and numbers: {notebooks}.</li>\n"
        "</ul>\n</section>\n"
    )
