"""Driving Chromium against the built site: finding the browser, and one page load with everything it did recorded.

Chromium is looked for as each platform has it: the executable named by RELUVIZ_CHROMIUM, then Debian's
/usr/bin/chromium, then Playwright's own browser where `playwright install chromium` put one. Without any, the
browser tests are skipped with a reason, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def chromium_executable(playwright) -> str:
    """The Chromium to drive, or a failure (under CI=true) or skip (elsewhere) that says how to get one."""
    named = os.environ.get("RELUVIZ_CHROMIUM")
    if named and not Path(named).is_file():
        pytest.fail(f"RELUVIZ_CHROMIUM names {named}, which is not a file")
    for candidate in (named, str(DEBIAN_CHROMIUM), playwright.chromium.executable_path):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    message = "no Chromium: set RELUVIZ_CHROMIUM, apt-get install chromium, or run playwright install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (browser tests never skip in CI)")
    pytest.skip(message)


class Visit:
    """One page load with every request, failure and console error recorded; other hosts are blocked and counted."""

    def __init__(self, browser, url: str, color_scheme: str = "light", route: tuple[str, str] | None = None):
        """``route``: (a URL pattern, the JavaScript to serve for it instead), to try the page with a changed file."""
        self.context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        local = urlsplit(url).netloc
        self.context.route("**/*", lambda route: self._route(route, local))
        if route is not None:
            pattern, body = route
            self.context.route(pattern, lambda request: request.fulfill(body=body, content_type="text/javascript"))
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


def search_until_answered(page, query: str, answer_selector: str) -> None:
    """Type ``query`` into Material's search box as a reader does (focus, then keys: Material reacts to focus and
    key events) until ``answer_selector`` shows: the index loads in a web worker, and a query typed before it is
    ready is never answered, so type again, for about a minute at most."""
    for _ in range(12):
        page.click("input.md-search__input")
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.type(query, delay=30)
        try:
            page.wait_for_selector(answer_selector, timeout=5000)
            return
        except Exception:
            continue
