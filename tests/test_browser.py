"""What a reader sees, in a real browser: Chromium driven by Playwright against the built site on 127.0.0.1."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browsing import CHROMIUM_FLAGS, Visit, search_until_answered


def _pages(built_project) -> list[str]:
    return sorted(
        str(path.relative_to(built_project.site).parent).replace(".", "") + "/" if path.parent != built_project.site else ""
        for path in built_project.site.rglob("index.html")
    )


@dataclass
class PageReport:
    """What one page load at one width in one palette showed: requests, failures, what the page looked like."""

    requests: int
    problems: list[str]
    accessibility: list[str]
    layout: list[str]


WIDTHS = (390, 1280)  # a phone, and a laptop
SMALLEST_TEXT_PX = 9
# The book repeats every other page's HTML (checked at every width and palette) under new ids, so axe, which takes
# a quarter of the tour's time there, checks how it is put together once.
BOOK, BOOK_CHECKED_AT = "book/", (1280, "light")
# Text in every visible figure (the smallest font the figure was drawn with, at the size it is shown), and every
# display equation or table: it fits, or it scrolls sideways with a visible cue and can be reached by keyboard.
LAYOUT_CHECK = """([smallest, figures]) => {
    const found = [];
    for (const img of document.querySelectorAll('.rv-figure img')) {
        if (img.offsetParent === null) continue;
        const id = img.getAttribute('src').split('/').pop().replace(/(-dark)?\\.svg.*$/, '');
        const narrow = img.currentSrc.includes('-narrow');
        const entry = figures[id], drawn = narrow ? entry.narrow_width : entry.width;
        const px = entry.smallest_text_pt[narrow ? 'narrow' : 'wide'] * 4 / 3 * img.getBoundingClientRect().width / drawn;
        if (px < smallest) found.push(`figure ${id}${narrow ? ' (narrow)' : ''}: text ${px.toFixed(1)} px high`);
    }
    for (const box of document.querySelectorAll('.rv-scroll, .md-typeset__scrollwrap, article table')) {
        if (box.offsetParent === null) continue;
        const scroller = box.closest('.rv-scroll, .md-typeset__scrollwrap') || box;
        if (scroller.scrollWidth <= scroller.clientWidth + 1) continue;
        if (getComputedStyle(scroller).overflowX !== 'auto') found.push(`cut off: ${box.className || box.tagName}`);
        else if (scroller.tabIndex !== 0 || !scroller.classList.contains('rv-scrolls')) found.push(`scrolls without cue or keyboard: ${box.className || box.tagName}`);
    }
    return found;
}"""


@pytest.fixture(scope="module")
def tour(built_project, server, executable) -> dict[tuple[str, int, str], PageReport]:
    """Every page, read to its end at a phone's and a laptop's width in both palettes, once, shared by the tests
    that only look at the results.

    Each width and palette has a browser tab of its own that reads the pages one after the other (as a reader's
    browser would, with its cache); the four tabs run side by side (Playwright's async API, on a thread of its own).
    """
    figures = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    combinations = [(width, scheme) for width in WIDTHS for scheme in ("light", "dark")]
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _tour(server, executable, _pages(built_project), combinations, figures)).result()


async def _tour(
    server: str, executable: str, paths: list[str], combinations: list[tuple[int, str]], figures: dict
) -> dict[tuple[str, int, str], PageReport]:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    axe, reports = Axe(), {}
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)

        async def read(width: int, scheme: str) -> None:
            context = await launched.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
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
            # A request still under way when the tour moves to the next page is aborted by the browser: not a failure.
            page.on("requestfailed", lambda r: problems.append(f"failed {r.url} ({r.failure})") if r.failure != "net::ERR_ABORTED" else None)
            page.on("response", lambda r: problems.append(f"failed {r.url} ({r.status})") if r.status >= 400 else None)
            page.on("console", lambda m: problems.append(f"console error {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"console error {e}"))
            for index, path in enumerate(paths):
                requests.clear()
                problems.clear()
                await page.goto(server + path)
                # Fetch the lazily loaded figures now, as scrolling to the end would, and wait until every one is in.
                await page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
                await page.wait_for_function("[...document.images].every(i => i.complete)")
                problems.extend(f"image did not load {src}" for src in await page.evaluate(
                    "[...document.images].filter(i => i.offsetParent !== null && !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
                ))
                flat_math = await page.evaluate(
                    "[...document.querySelectorAll('article math')].filter(m => m.getBoundingClientRect().height === 0"
                    " && m.offsetParent !== null).length"
                )
                problems.extend([f"{flat_math} math elements have no height"] if flat_math else [])
                layout = await page.evaluate(LAYOUT_CHECK, [SMALLEST_TEXT_PX, figures])
                # Every impact level, minor ones included; the theme's header, navigation and footer, the same on every
                # page, are checked on the first page of each width and palette, and the content on every page.
                scope = None if index == 0 else {"include": [[".md-content"]]}
                accessibility = [
                    f"{violation['id']} ({violation['impact']}) {[node['target'] for node in violation['nodes']][:3]}"
                    for violation in (await axe.run(page, context=scope)).response["violations"]
                ] if path != BOOK or (width, scheme) == BOOK_CHECKED_AT else []
                reports[(path or "/", width, scheme)] = PageReport(len(requests), list(problems), accessibility, layout)
            await context.close()

        await asyncio.gather(*(read(width, scheme) for width, scheme in combinations))
        await launched.close()
    return reports


def _findings(tour: dict[tuple[str, int, str], PageReport], field: str) -> list[str]:
    return [f"{path} ({width} px, {scheme}): {finding}" for (path, width, scheme), report in tour.items()
            for finding in getattr(report, field)]


def test_every_page_loads_cleanly_offline_at_both_widths_in_both_palettes(tour):
    assert len(tour) >= 4 * 15
    problems = _findings(tour, "problems")
    assert problems == [], "\n".join(problems)
    print(f"\n{len(tour)} page loads checked, {sum(r.requests for r in tour.values())} requests, none to another host")


def test_no_accessibility_violations_of_any_impact_at_both_widths_in_both_palettes(tour):
    problems = _findings(tour, "accessibility")
    assert problems == [], "\n".join(problems)


def test_figure_text_is_readable_and_nothing_wide_is_cut_off_on_a_phone_or_a_laptop(tour):
    problems = _findings(tour, "layout")
    assert problems == [], "\n".join(problems)


def test_a_phone_downloads_only_the_narrow_figures_it_shows(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("/")[-1]) if "/figures/" in r.url else None)
    try:
        page.goto(server + "regions/")
        page.wait_for_load_state("networkidle")
        page.locator(".rv-figure").first.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        assert fetched == ["regions-2d-narrow.svg"]
    finally:
        context.close()


def test_math_font_loads_and_brackets_stretch(server, browser):
    visit = Visit(browser, server + "xor/")
    try:
        assert visit.page.evaluate("document.fonts.check('16px \"Reluviz Math\"')")
        assert any(url.endswith("reluviz-math.woff2") for url in visit.requests)
        heights = visit.page.evaluate(
            """() => {
                const block = [...document.querySelectorAll('article math[display="block"]')].find(b => b.textContent.includes('['));
                const brackets = [...block.querySelectorAll('mo')].filter(m => m.textContent.trim() === '[');
                const letter = block.querySelector('mi');
                return {bracket: brackets[0].getBoundingClientRect().height, letter: letter.getBoundingClientRect().height};
            }"""
        )
        assert heights["bracket"] > 1.6 * heights["letter"], heights
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
        search_until_answered(page, "slope", ".md-search-result__item")
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
