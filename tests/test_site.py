"""The built site as files: reproducible byte for byte, every internal link resolves, external links are listed."""

from __future__ import annotations

import functools
import html
import html.parser
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from .conftest import ROOT, copy_project, json_objects

MOUNT = urlsplit(yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]).path

pytestmark = pytest.mark.build


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_clean_builds_are_byte_identical_with_and_without_cache(built_project, tmp_path):
    # The second build starts with no figure cache: nothing it shares with the first but the code.
    second = copy_project(tmp_path / "second")
    result = second.build(env={"RELUVIZ_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    assert not (second.root / ".cache").exists(), "RELUVIZ_CACHE=off must write no cache"
    first_files, second_files = _files(built_project.site), _files(second.site)
    assert sorted(first_files) == sorted(second_files)
    different = [name for name in first_files if first_files[name] != second_files[name]]
    assert different == [], f"{len(different)} files differ between two builds, e.g. {different[:5]}"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and attributes.get("rel") in ("canonical",)):
                self.links.append(attributes[name])


@functools.cache  # the built site is never changed by these tests
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text())
    return parser


def _site_links(site: Path):
    for page in sorted(site.rglob("*.html")):
        yield page, _parse(page)


def test_every_internal_link_and_anchor_resolves(built_project):
    site = built_project.site
    broken = []
    for page, parsed in _site_links(site):
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or (link.startswith(("#", "mailto:", "data:")) and not link.startswith("#")):
                continue
            if parts.path.startswith(MOUNT):  # 404.html links from the site's root, wherever it is served
                target = site / unquote(parts.path.removeprefix(MOUNT))
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert broken == [], "\n".join(broken)


def test_external_links_are_listed_not_fetched(built_project):
    external = sorted(
        {link for _, parsed in _site_links(built_project.site) for link in parsed.links if urlsplit(link).scheme in ("http", "https")}
    )
    print("\nexternal links on the site (not fetched):\n  " + "\n  ".join(external))
    assert all(link.startswith("https://") for link in external), "every external link should use https"
    credits = ["https://www.quora.com/Why-is-ReLU-non-linear/answer/Nathan-Yan-2", "https://arxiv.org/abs/1402.1869",
               "https://arxiv.org/abs/1602.04485", "https://arxiv.org/abs/1901.09021", "https://arxiv.org/abs/1906.00904",
               "https://www.deeplearningbook.org/contents/mlp.html", "https://www.stixfonts.org/",
               "https://arxiv.org/abs/2512.08091", "https://arxiv.org/abs/1711.02114",
               "https://www.machinelearningfreaks.com/how-relu-really-does-introduce-non-linearity-to-a-neural-network/"]
    for link in credits:
        assert link in external, f"credit link {link} is missing"


NETWORK_SCHEMA = {"layers", "activation", "interval", "breakpoints", "boundaries", "slopes", "intercepts", "negative"}


def test_published_data_has_no_negative_zero_and_follows_the_documented_schema(built_project):
    for path in sorted((built_project.site / "figures").glob("*.json")):
        text = path.read_text()
        assert not re.search(r"(?<![\d.eE])-0\.0(?![\d])", text), f"{path.name} holds -0.0"
        for obj in json_objects(json.loads(text)) if path.name != "manifest.json" else ():
            if {"breakpoints", "boundaries", "slopes"} & set(obj):  # a network analysed on an interval
                assert set(obj) >= NETWORK_SCHEMA, f"{path.name}: a network object lacks {sorted(NETWORK_SCHEMA - set(obj))}"


def test_every_page_links_to_its_own_source_file_and_the_addresses_agree(built_project):
    config = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)
    repository, site_url = config["extra"]["repository"], config["site_url"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["repository-code"] == repository and citation["url"] == site_url
    assert f"]({site_url}figures/" in (ROOT / "README.md").read_text()
    for page in sorted((ROOT / "docs").glob("*.md")):
        html = (built_project.site / ("" if page.stem == "index" else page.stem) / "index.html").read_text()
        assert f'href="{repository}/blob/main/docs/{page.name}"' in html, page.name
    assert 'class="md-source"' not in (built_project.site / "index.html").read_text(), "repo_url would call GitHub's API"


def test_every_character_in_the_math_is_in_the_shipped_font(built_project):
    from fontTools.ttLib import TTFont

    cmap = TTFont(built_project.site / "fonts" / "reluviz-math.woff2").getBestCmap()
    used: dict[str, str] = {}
    for page in sorted(built_project.site.rglob("*.html")):
        for formula in re.findall(r"<math.*?</math>", page.read_text(), flags=re.DOTALL):
            for text in re.findall(r">([^<]+)<", formula):
                for char in html.unescape(text):
                    used.setdefault(char, str(page.relative_to(built_project.site)))
    missing = {f"U+{ord(char):04X} {char!r}": page for char, page in used.items() if not char.isspace() and ord(char) not in cmap}
    assert len(used) > 20 and missing == {}, missing


QUORA_EXPERIMENT = {"relu-network-1d", "linear-network-1d", "standard-init-1d", "kinks-zoom"}  # its network, redrawn


def test_every_figure_file_carries_its_title_licence_attribution_address_and_version(built_project):
    import io
    import xml.etree.ElementTree as ET

    from PIL import Image
    from pypdf import PdfReader

    from reluviz.credits import LICENCE, figure_credit

    figures = built_project.site / "figures"
    manifest = json.loads((figures / "manifest.json").read_text())["figures"]
    namespaces = {"svg": "http://www.w3.org/2000/svg", "dc": "http://purl.org/dc/elements/1.1/"}
    for figure_id, entry in manifest.items():
        credit = figure_credit(figure_id, entry["title"], entry["credit"])
        expected = {"title": credit.title, "rights": credit.rights, "url": credit.url, "made": f"reluviz {credit.version}"}
        for suffix in (".svg", "-dark.svg", "-narrow.svg", "-narrow-dark.svg"):
            root = ET.fromstring((figures / f"{figure_id}{suffix}").read_bytes())
            found = {"title": root.findtext("svg:title", namespaces=namespaces),
                     "rights": root.findtext(".//dc:rights//dc:title", namespaces=namespaces),
                     "url": root.findtext(".//dc:source", namespaces=namespaces),
                     "made": root.findtext(".//dc:description", namespaces=namespaces)}
            assert found == expected, f"{figure_id}{suffix}"
        text = Image.open(io.BytesIO((figures / f"{figure_id}.png").read_bytes())).text
        assert {"title": text["Title"], "rights": text["Copyright"], "url": text["Source"], "made": text["Software"]} == expected
        info = PdfReader(figures / f"{figure_id}.pdf").metadata
        assert {"title": info["/Title"], "rights": info["/Subject"], "url": info["/Keywords"], "made": info["/Creator"]} == expected
        assert LICENCE in credit.rights and credit.url.endswith(f"#figure-{figure_id}")
        assert ("Nathan Yan" in credit.rights) == (figure_id in QUORA_EXPERIMENT), figure_id


def test_the_credits_the_package_writes_into_figures_repeat_citation_cff_and_the_site_config():
    from reluviz import credits

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    config = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert citation["title"] == credits.SITE_TITLE and credits.SITE_URL == citation["url"] == config["site_url"]
    assert citation["authors"][0]["name"] == credits.AUTHORS and credits.version() == str(citation["version"])
