"""The site as the build step sees it: its configuration file and its pages, read without MkDocs.

`read_site` reads properdocs.yml (following ``INHERIT``, as MkDocs does) and every page in the nav, in reading
order, with the address MkDocs gives it. Only what the generated files depend on is read: the nav, ``docs_dir``,
``site_url``, ``use_directory_urls`` and ``extra``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .workers import BuildError


@dataclass(frozen=True)
class Page:
    """One page of the site: its source path under docs/ (``src``), nav title, address and Markdown."""

    src: str
    title: str
    url: str
    markdown: str


@dataclass(frozen=True)
class Site:
    root: Path  # the folder of the configuration file
    docs: Path
    site_url: str
    repository: str
    settings: Any  # extra.reluviz, checked by the figures' settings
    pages: list[Page]  # every page in the nav, in reading order

    def page(self, src: str) -> Page | None:
        return next((page for page in self.pages if page.src == src), None)


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]
        """YAML with MkDocs' tags (``!ENV``, ``!!python/name:…``) read as plain values, not refused."""

    def untagged(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", untagged)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", untagged)
    return Loader


def read_config(path: Path) -> dict[str, Any]:
    """The configuration in ``path`` with the files it ``INHERIT``s merged in (mappings merged key by key)."""
    import yaml

    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise BuildError(f"{path.name} cannot be read: {str(error).splitlines()[0]}") from None
    if not isinstance(config, dict):
        raise BuildError(f"{path.name} must hold a mapping of settings")
    parent = config.pop("INHERIT", None)
    if parent is None:
        return config
    return _merged(read_config((path.parent / str(parent)).resolve()), config)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merged(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def page_url(src: str, directory_urls: bool) -> str:
    """The address MkDocs gives the page ``src`` ("kinks.md" -> "kinks/", "index.md" -> "./")."""
    stem, _ = posixpath.splitext(src)
    folder, name = posixpath.split(stem)
    if not directory_urls:
        return f"{stem}.html"
    if name in {"index", "README"}:
        return f"{folder}/" if folder else "./"
    return f"{stem}/"


def relative_url(url: str, from_page: str) -> str:
    """``url`` (a path from the site's root) as a link on the page at ``from_page``, as MkDocs writes it: the last
    part of ``from_page`` is a file if it holds a dot, and a trailing slash stays."""
    folder, _, last = from_page.rpartition("/")
    here, there = _parts(folder if "." in last else from_page), _parts(url)
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath("/" + path)[1:]
    return normal.split("/") if normal else []


def _nav_entries(items: Any) -> Iterator[tuple[str | None, str]]:
    for item in items:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            yield from _nav_entries(value)
        elif isinstance(value, str) and not value.startswith(("http://", "https://", "/")):
            yield title, value


def _title(src: str, markdown: str) -> str:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return posixpath.splitext(posixpath.basename(src))[0].replace("-", " ").replace("_", " ").capitalize()


def _as_mkdocs_reads(source: bytes) -> str:
    """A page's text as MkDocs reads it: UTF-8 without its byte-order mark, every line ending a newline."""
    return source.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def read_site(config_path: Path) -> Site:
    """The site configured in ``config_path``.

    Raises
    ------
    BuildError
        If the configuration cannot be read, or a page in the nav is missing or not UTF-8.
    """
    config = read_config(config_path)
    root = config_path.parent.resolve()
    docs = (root / str(config.get("docs_dir") or "docs")).resolve()
    nav = config.get("nav")
    entries = list(_nav_entries(nav)) if nav else [(None, p.relative_to(docs).as_posix()) for p in sorted(docs.rglob("*.md"))]
    directory_urls = config.get("use_directory_urls", True) is not False
    pages = []
    for title, src in entries:
        try:
            markdown = _as_mkdocs_reads((docs / src).read_bytes())
        except FileNotFoundError:
            raise BuildError(f"the nav names {src}, which is not in {docs.name}/") from None
        except UnicodeDecodeError as error:
            raise BuildError(f"page {src} is not valid UTF-8 (byte {error.object[error.start]:#04x} at offset "
                             f"{error.start}); save it as UTF-8") from None
        pages.append(Page(src, title or _title(src, markdown), page_url(src, directory_urls), markdown))
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise BuildError(f"extra in {config_path.name} must be a mapping")
    site_url = str(config.get("site_url") or "")
    return Site(root, docs, site_url + ("/" if site_url and not site_url.endswith("/") else ""),
                str(extra.get("repository") or "").rstrip("/"), extra.get("reluviz", {}), pages)
