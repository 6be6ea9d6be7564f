"""What a reader sees, in a real browser: Chromium driven by Playwright against the built site on 127.0.0.1."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browsing import CHROMIUM_FLAGS, Visit

pytestmark = [pytest.mark.build, pytest.mark.browser]


def _pages(built_project) -> list[str]:
    return sorted(
        str(path.relative_to(built_project.site).parent).replace(".", "") + "/" if path.parent != built_project.site else ""
        for path in built_project.site.rglob("index.html")
    )


@dataclass
class PageReport:
    """What one page load in one palette showed: requests, failures, and what the page looked like afterwards."""

    requests: int
    problems: list[str]
    accessibility: list[str]


TOUR_AT_ONCE = 4  # pages loaded side by side: each waits half a second for the network to go quiet


@pytest.fixture(scope="module")
def tour(built_project, server, executable) -> dict[tuple[str, str], PageReport]:
    """Every page, read to its end in both palettes once, shared by the tests that only look at the results.

    The loads run a few at a time (Playwright's async API, on a thread of its own), so the waits overlap.
    """
    visits = [(path, scheme) for path in _pages(built_project) for scheme in ("light", "dark")]
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _tour(server, executable, visits)).result()


async def _tour(server: str, executable: str, visits: list[tuple[str, str]]) -> dict[tuple[str, str], PageReport]:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    axe, slots, reports = Axe(), asyncio.Semaphore(TOUR_AT_ONCE), {}
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)

        async def visit(path: str, scheme: str) -> None:
            async with slots:
                context = await launched.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
                page, requests, problems = await context.new_page(), [], []
                local = urlsplit(server).netloc

                async def route(route) -> None:
                    if urlsplit(route.request.url).netloc == local or route.request.url.startswith(("data:", "blob:")):
                        await route.continue_()
                    else:
                        problems.append(f"request to another host {route.request.url}")
                        await route.abort()

                await context.route("**/*", route)
                page.on("request", lambda r: requests.append(r.url))
                page.on("requestfailed", lambda r: problems.append(f"failed {r.url} ({r.failure})"))
                page.on("response", lambda r: problems.append(f"failed {r.url} ({r.status})") if r.status >= 400 else None)
                page.on("console", lambda m: problems.append(f"console error {m.text}") if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(f"console error {e}"))
                await page.goto(server + path)
                for _ in range(40):  # scroll as a reader would (a screen at a time), so lazily loaded figures are fetched
                    if await page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight - 2"):
                        break
                    await page.mouse.wheel(0, 900)
                    await page.wait_for_timeout(20)
                await page.wait_for_load_state("networkidle")
                problems += [f"image did not load {src}" for src in await page.evaluate(
                    "[...document.images].filter(i => i.offsetParent !== null && !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
                )]
                flat_math = await page.evaluate(
                    "[...document.querySelectorAll('article math')].filter(m => m.getBoundingClientRect().height === 0"
                    " && m.offsetParent !== null).length"
                )
                problems += [f"{flat_math} math elements have no height"] if flat_math else []
                accessibility = [
                    f"{violation['id']} {[node['target'] for node in violation['nodes']][:3]}"
                    for violation in (await axe.run(page)).response["violations"]
                    if violation["impact"] in {"serious", "critical"}
                ]
                reports[(path or "/", scheme)] = PageReport(len(requests), problems, accessibility)
                await context.close()

        await asyncio.gather(*(visit(path, scheme) for path, scheme in visits))
        await launched.close()
    return reports


def test_every_page_loads_cleanly_offline_in_both_palettes(tour):
    assert len(tour) >= 2 * 15
    problems = [f"{path} ({scheme}): {problem}" for (path, scheme), report in tour.items() for problem in report.problems]
    assert problems == [], "\n".join(problems)
    print(f"\n{len(tour)} page loads checked, {sum(r.requests for r in tour.values())} requests, none to another host")


def test_no_serious_accessibility_violations(tour):
    problems = [f"{path} ({scheme}): {finding}" for (path, scheme), report in tour.items() for finding in report.accessibility]
    assert problems == [], "\n".join(problems)


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
            except Exception:
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
