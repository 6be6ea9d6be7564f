"""The built site as files: reproducible byte for byte, every internal link resolves, external links are listed."""

from __future__ import annotations

import functools
import hashlib
import html
import html.parser
import http.server
import io
import json
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from reluviz.pieces import LINE_JSON_FIELDS

from .browsing import search_until_answered
from .conftest import ROOT, copy_project, json_objects, load_gen_module

MOUNT = urlsplit(yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader).get("site_url", "/")).path



def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow  # a second whole build or every figure drawn again
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


SEGMENT_SCHEMA = {"images", "classes", "boundaries", "whole_line_boundaries", "class_changes"}
NETWORK_SCHEMA = set(LINE_JSON_FIELDS)


def test_published_data_has_no_negative_zero_and_follows_the_documented_schema(built_project):
    for path in sorted((built_project.site / "figures").glob("*.json")):
        text = path.read_text()
        assert not re.search(r"(?<![\d.eE])-0\.0(?![\d])", text), f"{path.name} holds -0.0"
        for obj in json_objects(json.loads(text)) if path.name != "manifest.json" else ():
            if "images" in obj:  # a segment between two images of the digits chapter, its ten outputs at once
                assert set(obj) == SEGMENT_SCHEMA, f"{path.name}: a segment object has {sorted(obj)}"
            elif {"breakpoints", "boundaries", "slopes"} & set(obj):  # a network analysed on an interval
                assert set(obj) >= NETWORK_SCHEMA, f"{path.name}: a network object lacks {sorted(NETWORK_SCHEMA - set(obj))}"


PLACEHOLDERS = ("reluviz.github.io", "github.com/reluviz", "OWNER")


def test_no_page_points_at_a_placeholder_address_and_without_a_repository_no_page_links_to_one(built_project):
    config = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "site_url" not in config and "repository" not in config.get("extra", {}), "set them once the site is published"
    for path in [ROOT / "README.md", ROOT / "CITATION.cff", *sorted(built_project.site.rglob("*.html"))]:
        text = path.read_text()
        assert not [p for p in PLACEHOLDERS if p in text], f"{path.name} points at a placeholder"
    assert 'class="md-content__button md-icon"' not in (built_project.site / "xor" / "index.html").read_text()
    assert 'class="md-source"' not in (built_project.site / "index.html").read_text(), "repo_url would call GitHub's API"


def test_with_a_repository_every_page_links_to_its_own_source_file():
    hooks = load_gen_module("hooks")

    class Fake:
        def __init__(self, **values):
            self.__dict__.update(values)

    page = Fake(file=Fake(src_uri="kinks.md"), edit_url="unset")
    filled = Fake(content_bytes=json.dumps({"kinks.md": {"source": hashlib.sha256(b"text").hexdigest(), "markdown": "done"}}).encode())
    files = Fake(get_file_from_path=lambda path: filled)
    config = Fake(extra={"repository": "https://example.org/repo/"})
    assert hooks.on_page_markdown("text", page, config, files) == "done"
    assert page.edit_url == "https://example.org/repo/blob/main/docs/kinks.md"
    hooks.on_page_markdown("text", page, Fake(extra={}), files)
    assert page.edit_url is None


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


def test_every_figure_file_carries_its_numbered_title_licence_attribution_and_version(built_project):
    import io
    import xml.etree.ElementTree as ET

    from PIL import Image
    from pypdf import PdfReader

    from reluviz.credits import FIGURE_LICENCE, FIGURE_LICENCE_URL
    from reluviz.export import figure_credit
    from reluviz.toolchain import drawn_with

    figures = built_project.site / "figures"
    manifest = json.loads((figures / "manifest.json").read_text())
    namespaces = {"svg": "http://www.w3.org/2000/svg", "dc": "http://purl.org/dc/elements/1.1/"}
    for figure_id, entry in manifest["figures"].items():
        credit = figure_credit(figure_id, manifest["numbers"][figure_id])
        assert credit.title == f"Figure {manifest['numbers'][figure_id]}: {entry['title']}"
        expected = {"title": credit.title, "rights": credit.rights, "made": f"reluviz {credit.credits.version}, {drawn_with()}"}
        for suffix in (".svg", "-dark.svg", "-narrow.svg", "-narrow-dark.svg"):
            root = ET.fromstring((figures / f"{figure_id}{suffix}").read_bytes())
            found = {"title": root.findtext("svg:title", namespaces=namespaces),
                     "rights": root.findtext(".//dc:rights//dc:title", namespaces=namespaces),
                     "made": root.findtext(".//dc:description", namespaces=namespaces)}
            assert found == expected, f"{figure_id}{suffix}"
            assert root.find(".//dc:source", namespaces) is None, "no address while the site has none"
        text = Image.open(io.BytesIO((figures / f"{figure_id}.png").read_bytes())).text
        assert {"title": text["Title"], "rights": text["Copyright"], "made": text["Software"]} == expected and "Source" not in text
        pdf = PdfReader(figures / f"{figure_id}.pdf")
        info, xmp = pdf.metadata, pdf.xmp_metadata
        assert {"title": info["/Title"], "rights": info["/Subject"], "made": info["/Creator"]} == expected and "/Keywords" not in info
        assert (xmp.dc_title, xmp.dc_rights, xmp.dc_creator) == ({"x-default": credit.title}, {"x-default": credit.rights},
                                                              [credit.credits.authors]), figure_id
        packet = pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert (b"<xmpRights:Marked>True</xmpRights:Marked>" in packet and FIGURE_LICENCE_URL.encode() in packet
                and xmp.dc_source is None), figure_id
        assert FIGURE_LICENCE in credit.rights
        assert ("Nathan Yan" in credit.rights) == (figure_id in QUORA_EXPERIMENT), figure_id


def test_a_figure_credit_names_its_files_own_address_once_the_site_has_one():
    from reluviz.credits import DEFAULT_CREDITS, Credits

    credit = Credits(**{**DEFAULT_CREDITS.as_dict(), "site_url": "https://example.org/site/"}).figure("xor", "XOR", "", 13)
    assert credit.address("-dark.svg") == "https://example.org/site/figures/xor-dark.svg"
    assert "https://example.org/site/" in credit.attribution


def test_the_credits_the_package_writes_into_figures_are_what_the_build_reads():
    from reluviz.credits import DEFAULT_CREDITS, Credits

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    config = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert Credits.from_citation(citation, config.get("site_url", "")) == DEFAULT_CREDITS, (
        "reluviz/credits.py's DEFAULT_CREDITS must say what CITATION.cff and properdocs.yml say, so that "
        "`reluviz figure` regenerates the published files")


@pytest.mark.parametrize("citation, words", [
    ({"title": "t", "version": "1"}, ["authors"]),
    ({"title": "t", "version": "1", "authors": [{"affiliation": "x"}]}, ["authors", "name"]),
    ({"authors": [{"name": "a"}], "version": "1"}, ["title"]),
])
def test_a_citation_without_what_a_figure_credits_is_refused_in_one_line(citation, words):
    from reluviz.credits import Credits

    with pytest.raises(ValueError) as raised:
        Credits.from_citation(citation, "")
    assert all(word in str(raised.value) for word in words)


class _SiteUnderPrefix(http.server.SimpleHTTPRequestHandler):
    """The built site served under a prefix as a static host serves it: 404.html, with status 404, for any address it
    does not have (outside the prefix too)."""

    prefix = "/"

    def send_head(self):
        path = urlsplit(self.path).path
        if path.startswith(self.prefix):
            self.path = "/" + self.path[len(self.prefix):]
            local = Path(self.translate_path(self.path))
            if local.is_file() or (local / "index.html").is_file():
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("prefix", ["/", "/some/where/"])
def test_the_404_page_has_its_style_links_and_search_wherever_the_site_is_served(built_project, browser, prefix):
    handler = type("Handler", (_SiteUnderPrefix,), {"prefix": prefix})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(built_project.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    context = browser.new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and r.request.method != "HEAD" else None)
    header = "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
    try:
        page.goto(origin + prefix)
        home_header = page.evaluate(header)
        for missing in ("no-such-page", "no/such/page/"):
            failed.clear()
            response = page.goto(origin + prefix + missing)
            page.wait_for_load_state("networkidle")
            assert response is not None and response.status == 404
            if prefix == "/":  # where site_url puts the root, the browser's look-ahead fetches are right too
                assert failed == [origin + prefix + missing], "every style, script and image loads"
            shown = page.evaluate("""() => ({
                used: [...document.querySelectorAll('link[href], script[src], img[src]')].map(e => e.href || e.src),
                heading: document.querySelector('article h1').textContent,
                sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => !!l.sheet && l.sheet.cssRules.length > 0),
                header: getComputedStyle(document.querySelector('.md-header')).backgroundColor,
                script: document.documentElement.classList.contains('js'),
                links: [...new Set([...document.querySelectorAll('a[href]')].map(a => a.href.split('#')[0]))],
            })""")
            assert "404" in shown["heading"] and all(shown["sheets"]) and len(shown["sheets"]) >= 3
            assert shown["header"] == home_header != "rgba(0, 0, 0, 0)", "Material's style is applied (the header's colour)"
            assert shown["script"], "Material's script ran"
            assert len(shown["links"]) > 10 and len(shown["used"]) > 5
            addresses = shown["links"] + shown["used"]
            assert all(address.startswith(origin + prefix) for address in addresses), addresses
            statuses = page.evaluate("links => Promise.all(links.map(l => fetch(l, {method: 'HEAD'}).then(r => r.status)))", addresses)
            assert set(statuses) == {200}, dict(zip(addresses, statuses))
        # The search (its index and its worker are found from the same root) answers with addresses on the site.
        search_until_answered(page, "slope", ".md-search-result__link")
        result = page.eval_on_selector(".md-search-result__link", "a => a.href")
        assert result.startswith(origin + prefix) and page.request.head(result).status == 200
        assert outside == []
    finally:
        context.close()
        httpd.shutdown()


def test_the_404_page_is_made_relative_to_the_root_site_url_names():
    from reluviz.build.not_found import TemplateChangedError, page_not_found

    material = (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<link rel="stylesheet" href="/reluviz/assets/main.css">\n'
        '<script>__md_scope=new URL("/reluviz/",location)</script>\n</head>\n<body>\n'
        '<a href="/reluviz/." class="md-logo">home</a><a href="/reluviz/depth/">Depth</a><a href="https://example.org/">out</a>\n'
        '<script id="__config" type="application/json">{"base": "/reluviz/", "search": "/reluviz/assets/search.js"}</script>\n'
        '<script src="/reluviz/assets/bundle.js"></script>\n</body>\n</html>\n'
    )
    page = page_not_found(material, "https://example.org/reluviz/")
    assert '<base href="/reluviz/">' in page, "where site_url puts the root, until the page finds it"
    assert "/reluviz/" not in page.replace('<base href="/reluviz/">', "").replace('folder = "/reluviz/"', "")
    assert 'href="assets/main.css"' in page and 'href="."' in page and 'href="depth/"' in page and 'src="assets/bundle.js"' in page
    assert 'href="https://example.org/"' in page and '"search": "assets/search.js"' in page
    assert page.index("<meta charset") < page.index("XMLHttpRequest") < page.index("<link"), "the root is found before anything loads"
    with pytest.raises(TemplateChangedError, match=r"404\.html: Material's template changed"):
        page_not_found(material.replace("__config", "__settings"), "https://example.org/reluviz/")
