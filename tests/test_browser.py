"""What a reader sees, in a real browser: Debian's Chromium driven by Playwright against the built site on 127.0.0.1.

Without Chromium these tests are skipped with a reason, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing; .ci/run must install Debian's chromium (browser tests never skip in CI)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_project):
    handler = functools.partial(_QuietHandler, directory=str(built_project.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _pages(built_project) -> list[str]:
    return sorted(
        str(path.relative_to(built_project.site).parent).replace(".", "") + "/" if path.parent != built_project.site else ""
        for path in built_project.site.rglob("index.html")
    )


class Visit:
    """One page load with every request, failure and console error recorded; other hosts are blocked and counted."""

    def __init__(self, browser, url: str, color_scheme: str = "light"):
        self.context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        local = urlsplit(url).netloc
        self.context.route("**/*", lambda route: self._route(route, local))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def scroll_to_end(self) -> None:
        """Scroll down as a reader would, so lazily loaded figures are fetched, then wait for them."""
        for _ in range(80):
            if self.page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight - 2"):
                break
            self.page.mouse.wheel(0, 700)
            self.page.wait_for_timeout(30)
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("[...document.images].filter(i => i.offsetParent !== null).every(i => i.complete)")

    def _route(self, route, local: str) -> None:
        if urlsplit(route.request.url).netloc == local or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def test_every_page_loads_cleanly_offline(built_project, server, browser):
    pages = _pages(built_project)
    assert len(pages) >= 14
    seen_requests = 0
    for path in pages:
        visit = Visit(browser, server + path)
        try:
            assert visit.console_errors == [], f"{path}: console errors {visit.console_errors}"
            assert visit.failed == [], f"{path}: failed requests {visit.failed}"
            assert visit.outside == [], f"{path}: requests to other hosts {visit.outside}"
            visit.scroll_to_end()
            broken = visit.page.evaluate(
                "[...document.images].filter(i => i.offsetParent !== null && !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
            )
            assert broken == [], f"{path}: images that did not load {broken}"
            has_math = visit.page.evaluate("document.querySelectorAll('math').length")
            if has_math:
                unrendered = visit.page.evaluate(
                    "[...document.querySelectorAll('article math')].filter(m => m.getBoundingClientRect().height === 0"
                    " && m.offsetParent !== null).length"
                )
                assert unrendered == 0, f"{path}: {unrendered} math elements have no height"
            seen_requests += len(visit.requests)
        finally:
            visit.close()
    print(f"\n{len(pages)} pages checked, {seen_requests} requests, none to another host")


def test_math_font_loads_and_brackets_stretch(server, browser):
    visit = Visit(browser, server + "xor/")
    try:
        assert visit.page.evaluate("document.fonts.check('16px \"Reluviz Math\"')")
        assert any(url.endswith("reluviz-math.woff2") for url in visit.requests)
        heights = visit.page.evaluate(
            """() => {
                const block = document.querySelector('article math[display="block"]');
                const brackets = [...block.querySelectorAll('mo')].filter(m => m.textContent.trim() === '[');
                const paren = [...block.querySelectorAll('mo')].find(m => m.textContent.trim() === '(');
                return {bracket: brackets[0].getBoundingClientRect().height, paren: paren.getBoundingClientRect().height};
            }"""
        )
        assert heights["bracket"] > 1.6 * heights["paren"], heights
        visit.page.locator('article math[display="block"]').first.screenshot(path=str(Path(os.environ.get("RELUVIZ_SCREENSHOTS", "/tmp")) / "reluviz-matrix.png"))
    finally:
        visit.close()


def test_subscripts_sit_below_their_base(server, browser):
    visit = Visit(browser, server + "matrices/")
    try:
        sub = visit.page.evaluate(
            """() => {
                const [base, script] = document.querySelector('article msub').children;
                const b = base.getBoundingClientRect(), s = script.getBoundingClientRect();
                return {baseBottom: b.bottom, scriptBottom: s.bottom, baseHeight: b.height, scriptHeight: s.height};
            }"""
        )
        assert sub["scriptBottom"] > sub["baseBottom"], f"a subscript should sit below its base: {sub}"
        assert sub["scriptHeight"] < sub["baseHeight"], f"a subscript should be smaller than its base: {sub}"
    finally:
        visit.close()


def test_search_finds_slope_offline(server, browser):
    visit = Visit(browser, server)
    page = visit.page
    try:
        # The search index loads in a web worker; a query typed before it is ready is not answered, so type again.
        # Type as a reader does: focus the box, then press keys (Material reacts to focus and key events).
        for _ in range(12):
            page.click("input.md-search__input")
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
            page.keyboard.type("slope", delay=30)
            try:
                page.wait_for_selector(".md-search-result__item", timeout=5000)
                break
            except Exception:  # noqa: BLE001  (playwright's TimeoutError: the worker was not ready yet)
                continue
        assert page.locator(".md-search-result__item").count() > 0, "no results for 'slope' after a minute"
        assert visit.outside == []
    finally:
        visit.close()


def _visible(page, selector: str) -> bool:
    return page.evaluate(f"(() => {{ const e = document.querySelector({selector!r}); return !!e && e.offsetParent !== null && e.getBoundingClientRect().width > 0; }})()")


def test_dark_toggle_switches_palette_and_figures(server, browser):
    visit = Visit(browser, server)
    page = visit.page
    try:
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        assert _visible(page, "img[src$='#only-light']") and not _visible(page, "img[src$='#only-dark']")
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        assert _visible(page, "img[src$='#only-dark']") and not _visible(page, "img[src$='#only-light']")
        page.wait_for_function("(() => { const i = document.querySelector(\"img[src$='#only-dark']\"); return i.complete && i.naturalWidth > 0; })()")
    finally:
        visit.close()


def test_no_serious_accessibility_violations(built_project, server, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for path in _pages(built_project):
        for scheme in ("light", "dark"):
            visit = Visit(browser, server + path, color_scheme=scheme)
            try:
                violations = axe.run(visit.page).response["violations"]
                for violation in violations:
                    if violation["impact"] in {"serious", "critical"}:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(f"{path or '/'} ({scheme}): {violation['id']} {targets}")
            finally:
                visit.close()
    assert problems == [], "\n".join(problems)


def test_keyboard_reaches_the_figure_downloads(server, browser):
    visit = Visit(browser, server + "linear/")
    try:
        for _ in range(150):
            visit.page.keyboard.press("Tab")
            focused = visit.page.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
            if focused and focused.endswith("figures/linear-network-1d.svg"):
                break
        else:
            pytest.fail("150 presses of Tab never reached the figure's SVG download link")
        assert visit.page.evaluate("document.activeElement.hasAttribute('download')")
    finally:
        visit.close()
