"""What the hooks do: number the figures, fill computed facts into pages, place figures, typeset math.

The figures themselves are rendered earlier, by gen/assets.py under mkdocs-gen-files, which leaves
figures/manifest.json among the site's files; everything here reads that manifest. gen/hooks.py forwards MkDocs'
events here.
"""

from __future__ import annotations

import json
from pathlib import Path

import build_cache
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import markup

GALLERY_PAGE = "gallery.md"
MARKUP_SOURCE = Path(__file__).resolve().parent / "markup.py"
_build: dict = {}  # this build's manifest, figure numbers and expanded pages, filled by on_files and on_nav
_stashes: dict[str, markup.Stash] = {}  # each page's HTML kept out of Markdown's reach, by source path


class MathCache:
    """TeX to MathML, remembered between builds, so an unchanged page costs no conversion (nor the converter's
    import). Keyed by the converter's version and markup.py, so a change to either starts afresh."""

    def __init__(self) -> None:
        self.entry = build_cache.key(build_cache.fingerprint((), ("latex2mathml",), (MARKUP_SOURCE,)))
        stored = build_cache.read("math", self.entry) if build_cache.enabled() else None
        self.known: dict[str, str] = json.loads(stored["mathml.json"]) if stored else {}
        self.stored = set(self.known)
        self.used: set[str] = set()

    def __call__(self, tex: str, display: str) -> str:
        key = f"{display} {tex}"
        self.used.add(key)
        if key not in self.known:
            self.known[key] = markup.to_mathml(tex, display)
        return self.known[key]

    def save(self) -> None:
        if build_cache.enabled() and self.used != self.stored:
            kept = {key: self.known[key] for key in sorted(self.used)}
            build_cache.write("math", self.entry, {"mathml.json": json.dumps(kept).encode()})


def on_files(files: Files, config) -> Files:
    manifest_file = files.get_file_from_path("figures/manifest.json")
    if manifest_file is None:
        raise PluginError("figures/manifest.json is missing: is gen/assets.py listed under the gen-files plugin?")
    _build.clear()
    _stashes.clear()
    _build["manifest"] = json.loads(Path(manifest_file.abs_src_path).read_text())
    return files


def on_nav(nav: Navigation, config, files: Files) -> Navigation:
    """Number the figures in reading order, so that 'Figure 3' is the same figure on every page."""
    figures = _build["manifest"]["figures"]
    numbers: dict[str, int] = {}
    explained_on: dict[str, tuple[str, str]] = {}
    for page in nav.pages:
        if page.file.src_uri == GALLERY_PAGE:
            continue
        for figure_id in markup.figure_ids_in(page.file.content_string):
            if figure_id not in figures:
                raise PluginError(f"page {page.file.src_uri}: unknown figure id {figure_id!r}; known: {', '.join(figures)}")
            if figure_id in numbers:
                raise PluginError(f"page {page.file.src_uri}: figure {figure_id!r} is placed a second time")
            numbers[figure_id] = len(numbers) + 1
            explained_on[figure_id] = (page.title or page.file.name, page.file.url)
    unplaced = sorted(set(figures) - set(numbers))
    if unplaced:
        raise PluginError(f"figures {unplaced} are built but no page places them with {{{{ figure ID }}}}")
    _build.update(numbers=numbers, explained_on=explained_on)
    _build.update(expanded={}, math=MathCache())
    for page in nav.pages:  # fail now, before MkDocs writes site/, rather than half-way through writing it
        source = page.file.content_string
        _build["expanded"][page.file.src_uri] = (source, *_expand(source, page.file.src_uri, page.file.url, config))
    _build["math"].save()
    return nav


def _expand(markdown: str, src_uri: str, page_url: str, config) -> tuple[str, markup.Stash]:
    """The page's Markdown with facts filled in, and math, figures and the gallery set aside as HTML."""
    figures = _build["manifest"]["figures"]
    stash = markup.Stash([])
    url_to = lambda target: get_relative_url(target, page_url)  # noqa: E731

    def ref(figure_id: str) -> str:
        target = url_to(_build["explained_on"][figure_id][1])
        return stash.put(f'<a href="{target}#figure-{figure_id}">Figure {_build["numbers"][figure_id]}</a>')

    try:
        facts = {fid: entry["facts"] for fid, entry in figures.items()}
        markdown = markup.fill_tokens(markdown, facts, ref, src_uri)
        markdown = markup.stash_math(markdown, stash, src_uri, _build["math"])
    except markup.MarkupError as error:
        raise PluginError(str(error)) from None
    markdown = markup.FIGURE_LINE.sub(
        lambda m: stash.put(markup.figure_html(m.group(1), figures[m.group(1)], _build["numbers"][m.group(1)], url_to)),
        markdown,
    )
    if src_uri == GALLERY_PAGE:
        citation = _citation(config)
        gallery = markup.gallery_html(_build["manifest"], _build["numbers"], _build["explained_on"], url_to, citation)
        markdown = markup.GALLERY_TOKEN.sub(lambda _: stash.put(gallery), markdown)
    elif markup.GALLERY_TOKEN.search(markdown):
        raise PluginError(f"page {src_uri}: the gallery can only be placed on {GALLERY_PAGE}")
    leftover = markup.leftover_token(markdown)
    if leftover:
        raise PluginError(f"page {src_uri}: {leftover!r} must stand on a line of its own")
    return markdown, stash


def on_page_markdown(markdown: str, page: Page, config, files: Files) -> str:
    source, expanded, stash = _build["expanded"].pop(page.file.src_uri)
    if markdown != source:  # MkDocs took front matter off: expand what it passed on
        expanded, stash = _expand(markdown, page.file.src_uri, page.url, config)
    _stashes[page.file.src_uri] = stash
    return expanded


def on_page_content(html: str, page: Page, config, files: Files) -> str:
    return _stashes.pop(page.file.src_uri).restore(html)


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page: Page, config) -> str:
    """Give Material's search dialog an accessible name (axe: aria-dialog-name), which its template leaves out."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'))


def _citation(config) -> markup.Citation:
    cff = yaml.safe_load((Path(config.config_file_path).parent / "CITATION.cff").read_text())
    authors = ", ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip() for a in cff["authors"])
    site_url = config.site_url or ""
    return markup.Citation(authors, cff["title"], str(cff["version"]), str(cff["date-released"])[:4], site_url)
