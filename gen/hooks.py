"""MkDocs hooks: the pages as the reluviz build step filled them in, TeX as MathML, the book, and fixes to the
theme's HTML (each page's source link, the search dialog's name, a 404 page that works from any address).

The build step (run by gen/site_files.py) has already read every page, filled in its tokens and written the result
to reluviz-build/pages.json; this file only puts that text in place, and calls the package for what needs MkDocs'
rendered HTML: MathML (``on_page_content``, reluviz/build/mathml.py), the printable book and what stands for an
explorer in print (``on_page_context``, once every page is rendered; reluviz/build/book.py), and the 404 page
(reluviz/build/not_found.py). Each configuration load (every rebuild of ``properdocs serve``) loads those modules
afresh, so an edit to them shows at the next rebuild; an edit to this file needs a restart.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

import reluviz.build.book as book
import reluviz.build.mathml as mathml
import reluviz.build.not_found as not_found
from reluviz.build.markup import BOOK, BOOK_MARK
from reluviz.build.site_lock import SiteBusyError, SiteLock

PAGES_FILE = "reluviz-build/pages.json"
LOCKS: list[SiteLock] = []  # the lock of the site folder this build writes, while it builds
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Date the build by the last commit, so that two builds of one commit are identical (sitemap included); take
    the package's HTML modules as they are now; let go of the previous build (see `_forget_previous_build`); and
    hold the site folder, which no other build may write into at the same time."""
    global book, mathml, not_found
    book, mathml, not_found = (importlib.reload(module) for module in (book, mathml, not_found))
    _forget_previous_build()
    _release()
    lock = SiteLock(Path(config.site_dir))
    try:
        lock.acquire()
    except SiteBusyError as error:
        raise PluginError(str(error)) from None
    LOCKS.append(lock)
    if "SOURCE_DATE_EPOCH" not in os.environ:
        last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=Path(config.config_file_path).parent,
                                     capture_output=True, text=True, check=False).stdout.strip()
        os.environ["SOURCE_DATE_EPOCH"] = last_commit or "0"
    return config


# Memoised functions of the documentation tools that hold on to every build they saw, so that ``properdocs serve``
# grows with every rebuild: mkdocstrings-python keeps each build's Jinja environment (about 6 MB), griffe each
# build's parsed package (its dataclass parameters, about 6 MB). Module, function: emptied before each build.
BUILD_HOLDING_CACHES = (
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ("griffe._internal.extensions.dataclasses", "_dataclass_parameters"),
)


def _forget_previous_build() -> None:
    """Empty the caches above; a module not loaded, or another version without that function, holds nothing."""
    for module_name, function_name in BUILD_HOLDING_CACHES:
        function = getattr(sys.modules.get(module_name), function_name, None)
        cache_clear = getattr(function, "cache_clear", None)
        if callable(cache_clear):
            cache_clear()


def on_post_build(config: MkDocsConfig) -> None:
    _release()


def on_build_error(error: Exception) -> None:
    _release()


def _release() -> None:
    while LOCKS:
        LOCKS.pop().release()


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
    try:
        return mathml.typeset_math(html_text, page.file.src_uri)
    except mathml.MathError as error:
        raise PluginError(str(error)) from None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Now that every page is rendered: fill the book with the others, and give each explorer its note for print."""
    if page.file.src_uri == BOOK and page.content:
        kept = [p for p in nav.pages if p.file.src_uri not in (BOOK, *book.BOOK_LEAVES_OUT)]
        left_out = [(p.url, p.title or "") for p in nav.pages if p.file.src_uri in book.BOOK_LEAVES_OUT]
        pages = [(p.url, p.title or "", p.content or "") for p in kept]
        page.content = page.content.replace(BOOK_MARK, book.book_html(pages, page.url, left_out))
    elif page.content and 'class="rv-explorer"' in page.content:
        starts = book.explorer_starts([(p.url, p.title or "", p.content or "") for p in nav.pages])
        page.content = book.with_explorer_notes(page.content, page.url, starts)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Give Material's search dialog an accessible name (axe: aria-dialog-name), which its template leaves out; give
    the book its @page rules."""
    if page.file.src_uri == BOOK:
        output = output.replace("</head>", book.book_page_rules(output, config.site_name) + "</head>", 1)
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"'))


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's 404 page, made to work from any address (the one template the hooks change)."""
    if template_name != "404.html":
        return output
    try:
        return not_found.page_not_found(output, config.site_url or "")
    except not_found.TemplateChangedError as error:
        raise PluginError(str(error)) from None
