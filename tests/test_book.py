"""The printable book, printed to PDF by Chromium from both palettes: a contents page, every chapter on its own sheet
under its number, the reference pages left out, page numbers, white pages and margins, every figure, nothing cut,
no word broken in a table, no copy button, and a note where the site has an explorer."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
import yaml

from .conftest import ROOT

MM = 72 / 25.4  # PDF points in a millimetre
MARGINS_MM = (20, 18)  # reluviz.css's @page margins: top and bottom, left and right
A4_MM = (210, 297)
A4_CONTENT_PX = tuple(round((size - 2 * margin) * 96 / 25.4) for size, margin in zip(A4_MM, MARGINS_MM[::-1]))
LEFT_OUT = ("Figure gallery", "The data behind each figure", "API reference")  # reference, only on the site


def _nav_titles() -> list[str]:
    def titles(items):
        for item in items:
            title, value = next(iter(item.items()))
            yield from titles(value) if isinstance(value, list) else [title]

    nav = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"]
    return [title for title in titles(nav) if title != "Print the whole site"]


def _print(browser, server: str, scheme: str) -> tuple[bytes, list[str], list[dict]]:
    """The book as Chromium prints it on A4 with background graphics on, from the palette ``scheme``; with the
    chapters' headings and the contents' links as the page has them."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(server + "book/")
        page.wait_for_load_state("networkidle")
        if scheme == "dark":
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="print")
        headings = page.eval_on_selector_all(".rv-chapter > h2:first-of-type", "hs => hs.map(h => h.innerText.replace('¶', '').trim())")
        contents = page.eval_on_selector_all(".rv-toc > ol > li > a", "as => as.map(a => ({id: a.hash.slice(1), text: a.textContent}))")
        return pdf, headings, contents
    finally:
        context.close()


def _paint_outside(reader, page, content: tuple[float, float, float, float]) -> list[str]:
    """What the page paints that is not white, outside ``content`` (x0, y0, x1, y1 in points) or over most of the page:
    every fill and stroke of the content stream, with its colour, its transformation and its clip followed."""
    from pypdf.generic import ContentStream

    width, height = float(page.mediabox.width), float(page.mediabox.height)
    ctm, fill, stroke, clip = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), (0.0,), (0.0,), (0.0, 0.0, width, height)
    stack, points, clipping, found = [], [], False, []

    def colour(operands) -> tuple[float, ...]:
        numbers = tuple(float(x) for x in operands if isinstance(x, (int, float)) or hasattr(x, "as_numeric"))
        if len(numbers) == 4:  # CMYK
            return tuple((1 - c) * (1 - numbers[3]) for c in numbers[:3])
        return numbers if numbers and len(numbers) == len(operands) else (-1.0,)  # a pattern: not white

    def paint(shade: tuple[float, ...], what: str = "colour") -> None:
        """Paint the current path's box (a background, if large, must be white; nothing but white may reach the
        margins; an image's colours are not known, so it must stay inside the content)."""
        if not points:
            return
        xs, ys = [x for x, _ in points], [y for _, y in points]
        box = (max(min(xs), clip[0]), max(min(ys), clip[1]), min(max(xs), clip[2]), min(max(ys), clip[3]))
        if box[2] <= box[0] or box[3] <= box[1] or min(shade) >= 0.99:
            return
        outside = box[0] < content[0] - 1 or box[1] < content[1] - 1 or box[2] > content[2] + 1 or box[3] > content[3] + 1
        large = what == "colour" and (box[2] - box[0]) * (box[3] - box[1]) > 0.25 * width * height
        if outside or large:
            found.append(f"{what} {tuple(round(c, 3) for c in shade)} over {tuple(round(v) for v in box)}")

    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        op = operator.decode()
        a, b, c, d, e, f = ctm
        at = lambda x, y: (a * float(x) + c * float(y) + e, b * float(x) + d * float(y) + f)  # noqa: E731
        if op == "q":
            stack.append((ctm, fill, stroke, clip))
        elif op == "Q":
            ctm, fill, stroke, clip = stack.pop()
        elif op == "cm":
            m = [float(x) for x in operands]
            ctm = (m[0] * a + m[1] * c, m[0] * b + m[1] * d, m[2] * a + m[3] * c, m[2] * b + m[3] * d,
                   m[4] * a + m[5] * c + e, m[4] * b + m[5] * d + f)
        elif op in ("rg", "g", "k", "sc", "scn"):
            fill = colour(operands)
        elif op in ("RG", "G", "K", "SC", "SCN"):
            stroke = colour(operands)
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            points += [at(x, y), at(x + w, y), at(x, y + h), at(x + w, y + h)]
        elif op in ("m", "l", "c", "v", "y"):
            points += [at(x, y) for x, y in zip(operands[::2], operands[1::2])]
        elif op in ("W", "W*"):
            clipping = True
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "n"):
            if op != "n":
                paint(stroke if op in ("S", "s") else fill)
            if clipping and points:
                xs, ys = [x for x, _ in points], [y for _, y in points]
                clip = (max(clip[0], min(xs)), max(clip[1], min(ys)), min(clip[2], max(xs)), min(clip[3], max(ys)))
            points, clipping = [], False
        elif op == "Do":  # an image fills the unit square, a form its box
            drawn = page["/Resources"]["/XObject"][operands[0]].get_object()
            x0, y0, x1, y1 = (float(v) for v in drawn.get("/BBox", (0, 0, 1, 1)))
            m = [float(v) for v in drawn.get("/Matrix", (1, 0, 0, 1, 0, 0))]
            corners = [(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]) for x in (x0, x1) for y in (y0, y1)]
            points = [at(x, y) for x, y in corners]
            paint((-1.0,), "image or form")
            points = []
    return found


@pytest.fixture(scope="module")
def printed(server, browser) -> dict[str, tuple[bytes, list[str], list[dict]]]:
    return {scheme: _print(browser, server, scheme) for scheme in ("light", "dark")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_book_has_contents_numbered_chapters_page_numbers_and_no_reference_pages(printed, built_project, scheme):
    from pypdf import PdfReader

    pdf, headings, contents = printed[scheme]
    reader = PdfReader(io.BytesIO(pdf))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    count, chapters = len(reader.pages), [t for t in _nav_titles() if t not in LEFT_OUT]
    print(f"\nthe book from the {scheme} palette: {count} A4 pages, {len(chapters)} chapters")
    assert len(headings) == len(contents) == len(chapters)
    assert count == len(PdfReader(io.BytesIO(printed["light"][0])).pages), "both palettes print the same pages"
    assert len(chapters) < count < 3 * len(chapters), "a book to read: the reference pages are on the site"
    numbered = [f"{number}. {heading}" for number, heading in enumerate(headings, start=1)]  # as the chapters print

    # Page 1 holds the title and the contents: every chapter by its number and title, and what is left out.
    assert "Contents" in texts[0] and len(texts[0]) > 1000, "page 1 is not nearly empty"
    assert [entry["text"] for entry in contents] == headings
    assert all(title in texts[0] for title in numbered), "the contents numbers the chapters"
    assert all(title in texts[0] for title in LEFT_OUT), "the contents says which pages are only on the site"

    # Each contents link leads to the sheet its chapter starts, under the chapter's number and title, which the
    # header of that sheet and of every sheet after it until the next chapter repeats; every sheet but the first is
    # numbered at its foot.
    named = reader.named_destinations
    links = {str(a.get_object()["/Dest"]) for a in reader.pages[0].get("/Annots", []) if "/Dest" in a.get_object()}
    starts = []
    for entry, title in zip(contents, numbered):
        assert "/" + entry["id"] in links, f"the contents links to chapter {title}"
        start = reader.get_destination_page_number(named["/" + entry["id"]])
        assert texts[start].count(title) >= 2, f"{title} starts page {start + 1}, under its own header"
        starts.append(start)
    assert starts == sorted(set(starts)) and starts[0] == 1
    for index, text in enumerate(texts[1:], start=1):
        chapter = max(n for n, start in enumerate(starts) if start <= index)
        assert f"{index + 1} / {count}" in text, f"page {index + 1} has its number"
        assert numbered[chapter] in text, f"page {index + 1} is headed by chapter {numbered[chapter]}"
    assert f"1 / {count}" not in texts[0]

    # No reference page: none of the gallery's or data page's headings, no citation, no API parameter table (whose
    # header prints as "Name Type Description").
    printed_text = " ".join(texts)
    for left_out in ("gallery", "data"):
        page_html = (built_project.site / left_out / "index.html").read_text()
        for words in re.findall(r'<h[23] id="[^"]+"[^>]*>([^<]{20,})<', page_html):
            assert html.unescape(words).strip() not in printed_text, f"{left_out}'s {words!r} is printed"
    assert "Type Description" not in printed_text and "@misc{" not in printed_text and "Cite it" not in printed_text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_book_prints_white_pages_and_margins_from_either_palette_with_backgrounds_on(printed, scheme):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(printed[scheme][0]))
    top, side = (m * MM for m in MARGINS_MM)
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        problems += [f"page {number}: {p}" for p in _paint_outside(reader, page, (side, top, width - side, height - top))]
    assert problems == [], "\n".join(problems[:20])


def test_the_book_prints_every_figure_in_light_colours_and_a_note_for_each_explorer(printed, server, browser, built_project):
    from pypdf import PdfReader

    figures = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    printed_text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(printed["dark"][0])).pages)
    assert all(f"Figure {n}." in printed_text for n in range(1, len(figures) + 1))
    context = browser.new_context(color_scheme="dark")  # a reader in the dark palette still prints light figures
    page = context.new_page()
    try:
        page.goto(server + "book/")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        shown = page.eval_on_selector_all(
            ".rv-figure img", "imgs => imgs.filter(i => getComputedStyle(i).display !== 'none')"
            ".map(i => ({src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0}))")
        assert {s["src"].split("/")[-1] for s in shown} == {f"{f}.svg#only-light" for f in figures}
        assert all(s["loaded"] for s in shown)
        link = page.eval_on_selector(".rv-chapter a[href^='https://www.quora.com']", "a => getComputedStyle(a, '::after').content")
        assert "https://www.quora.com" in link, "links to other sites print their address"
        # Where a page has an explorer, the book has a note naming the figure it starts from, and a link to it.
        explorers = sum('class="rv-explorer"' in p.read_text() for p in built_project.site.glob("*/index.html")) + (
            'class="rv-explorer"' in (built_project.site / "index.html").read_text())
        notes = page.eval_on_selector_all(".rv-print-note", """ns => ns.map(n => ({
            shown: getComputedStyle(n).display !== 'none', text: n.textContent,
            figure: !!n.querySelector('a') && !!document.getElementById(n.querySelector('a').hash.slice(1))}))""")
        assert explorers >= 2 and len(notes) == explorers, "one note for each explorer of the site"
        assert all(n["shown"] and n["figure"] and re.search(r"network of Figure \d+", n["text"]) for n in notes), notes
        assert "rv-explorer" not in page.content()
    finally:
        context.close()


def test_an_explorer_page_printed_alone_has_its_note_too(server, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + "explore/")
        page.wait_for_load_state("networkidle")
        assert not page.is_visible(".rv-print-note"), "on screen the explorer stands there, not the note"
        page.emulate_media(media="print")
        assert page.is_visible(".rv-print-note") and not page.is_visible(".rv-explorer")
        assert page.eval_on_selector(".rv-print-note a", "a => a.getAttribute('href')") == "../#figure-relu-network-1d"
    finally:
        context.close()


def test_no_figure_table_or_equation_is_cut_and_no_word_is_broken_or_copy_button_printed(server, browser):
    context = browser.new_context(viewport={"width": A4_CONTENT_PX[0], "height": A4_CONTENT_PX[1]})
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(server + "book/")
        page.wait_for_load_state("networkidle")
        cut = page.evaluate("""([width, height]) => {
            const found = [];
            const article = document.querySelector('article').getBoundingClientRect();
            // A figure, an equation or a table row stays whole on one sheet; a table may continue on the next.
            for (const e of document.querySelectorAll('.rv-figure, .rv-scroll, article table, article tr')) {
                const box = e.getBoundingClientRect(), style = getComputedStyle(e);
                const name = e.id || e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40);
                if (box.right > article.right + 1 || e.scrollWidth > e.clientWidth + 1) found.push('too wide: ' + name);
                if (e.tagName === 'TABLE') continue;
                if (box.height > height) found.push('taller than a sheet: ' + name);
                if (style.breakInside !== 'avoid') found.push('may break across sheets: ' + name);
            }
            // A word in a table cell stays on one line: each run of letters without a space, measured line by line.
            let words = 0;
            for (const cell of document.querySelectorAll('article td, article th')) {
                if (cell.scrollWidth > cell.clientWidth + 1) found.push('overflows its cell: ' + cell.textContent.trim());
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const word of node.data.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, word.index);
                        range.setEnd(node, word.index + word[0].length);
                        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                        words += 1;
                        if (tops.size > 1) found.push(`word broken in a cell: "${word[0]}"`);
                    }
                }
            }
            if (words < 100) found.push(`only ${words} words in table cells: is the book missing its tables?`);
            // Nothing to press on paper: no copy button, no download link, no explorer.
            for (const e of document.querySelectorAll('article button, .md-code__nav, .rv-downloads, .rv-notebook')) {
                if (e.getClientRects().length) found.push('printed control: ' + (e.className || e.tagName));
            }
            return found;
        }""", list(A4_CONTENT_PX))
        assert cut == [], "\n".join(cut)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["api/", "gallery/"])
def test_a_page_with_code_prints_no_copy_button(server, browser, path):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        controls = "[...document.querySelectorAll('article button, article .md-code__nav')].filter(e => e.getClientRects().length).length"
        assert page.evaluate(controls) > 0, "on screen each code block has its copy button"
        page.emulate_media(media="print")
        assert page.evaluate(controls) == 0 and page.is_visible("article pre")
    finally:
        context.close()
