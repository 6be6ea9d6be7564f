"""Wide tables on a phone (390 × 844), in Chromium: each scrolls in a box no taller than the screen, its header row
and first column stay in view and on top while the rest scrolls under them, and the keyboard scrolls it."""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
MUST_SCROLL = {"depth/", "training/"}  # the pages whose tables are known to be too wide for a phone

# For every table box that scrolls: scroll it to its far right and bottom, then look at what is drawn at the middle of
# each first-column cell and each header cell that lies inside the box (elementFromPoint: the cell itself, so nothing
# covers it), and at their backgrounds (opaque, or the cells scrolling under them would show through).
STICKY_CHECK = """async () => {
    const found = [], wide = [];
    const on = (cell, x, y) => { const hit = document.elementFromPoint(x, y); return !!hit && hit.closest('td, th') === cell; };
    const opaque = (cell) => !/rgba\\(.*, 0\\)|transparent/.test(getComputedStyle(cell).backgroundColor);
    for (const [index, box] of [...document.querySelectorAll('article .md-typeset__scrollwrap')].entries()) {
        if (box.scrollWidth <= box.clientWidth + 1) continue;
        wide.push(index);
        box.scrollIntoView({block: 'start'});
        window.scrollBy(0, -60);  // below the theme's header bar
        box.scrollLeft = box.scrollWidth;
        box.scrollTop = box.scrollHeight;
        await new Promise(requestAnimationFrame);
        const outer = box.getBoundingClientRect(), table = box.querySelector('table');
        const frame = {top: outer.top, left: outer.left, height: outer.height,  // the box less its scroll bars
                       right: outer.left + box.clientWidth, bottom: outer.top + box.clientHeight};
        if (frame.height > innerHeight) found.push(`table ${index}: its box (${frame.height} px) is taller than the screen`);
        const header = [...table.querySelectorAll('thead th')];
        const headerBottom = Math.max(...header.map(th => th.getBoundingClientRect().bottom));
        const corner = header.length ? header[0].getBoundingClientRect().right : frame.left;
        for (const [column, th] of header.entries()) {
            const r = th.getBoundingClientRect();
            if (Math.abs(r.top - frame.top) > 2) found.push(`table ${index}: header cell "${th.textContent}" left the top of its box`);
            // The part of the cell in view: inside the box and, but for the first, right of the first column.
            const left = Math.max(r.left, column ? corner : frame.left), right = Math.min(r.right, frame.right);
            if (right - left > 4 && !on(th, (left + right) / 2, r.top + r.height / 2)) found.push(`table ${index}: header cell "${th.textContent}" is covered`);
            if (!opaque(th)) found.push(`table ${index}: header cell "${th.textContent}" is see-through`);
        }
        let checked = 0;
        for (const row of table.querySelectorAll('tbody tr')) {
            const cell = row.cells[0], r = cell.getBoundingClientRect(), y = r.top + Math.min(r.height / 2, 8);
            if (!opaque(cell)) found.push(`table ${index}: first cell "${cell.textContent}" is see-through`);
            if (y <= headerBottom || y >= frame.bottom - 2) continue;  // scrolled out of the box, up or down
            checked += 1;
            if (r.left < frame.left - 1 || r.right > frame.right + 1) found.push(`table ${index}: first cell "${cell.textContent}" scrolled away`);
            else if (!on(cell, r.left + r.width / 2, y)) found.push(`table ${index}: first cell "${cell.textContent}" is covered`);
        }
        if (!checked) found.push(`table ${index}: no first-column cell is in view`);
        box.scrollLeft = 0;
        box.scrollTop = 0;
    }
    return {found, wide, page: document.scrollingElement.scrollWidth};
}"""


def _table_pages(built_project) -> list[str]:
    pages = []
    for path in sorted(built_project.site.rglob("index.html")):
        folder = path.parent.relative_to(built_project.site).as_posix()
        if folder != "book" and "<table" in path.read_text():
            pages.append("" if folder == "." else folder + "/")
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_tables_keep_their_header_and_first_column_in_view_on_a_phone(built_project, server, browser, scheme):
    pages = _table_pages(built_project)
    assert set(pages) >= MUST_SCROLL
    context = browser.new_context(viewport=PHONE, color_scheme=scheme, has_touch=True)
    page = context.new_page()
    problems, wide_pages = [], set()
    try:
        for path in pages:
            page.goto(server + path)
            page.wait_for_load_state("networkidle")
            result = page.evaluate(STICKY_CHECK)
            problems += [f"{path}: {problem}" for problem in result["found"]]
            if result["page"] > PHONE["width"]:
                problems.append(f"{path}: the page itself scrolls sideways ({result['page']} px)")
            if result["wide"]:
                wide_pages.add(path)
        assert problems == [], "\n".join(problems)
        assert wide_pages >= MUST_SCROLL, "the depth and training tables are wider than a phone (else this test proves nothing)"
    finally:
        context.close()


def test_a_wide_table_on_a_phone_scrolls_from_the_keyboard_both_ways(server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(server + "training/")
        page.wait_for_load_state("networkidle")
        box = page.locator("article .md-typeset__scrollwrap").first
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label") == "Table, scrolls both ways"
        box.focus()
        for key in ("ArrowRight", "ArrowRight", "PageDown"):
            page.keyboard.press(key)
        page.wait_for_function("b => b.scrollLeft > 0 && b.scrollTop > 0", arg=box.element_handle())
    finally:
        context.close()
