"""The printable book, printed to PDF by Chromium: every chapter on its own sheet, every figure, nothing cut."""

from __future__ import annotations

import io
import json

import yaml

from .conftest import ROOT

A4_CONTENT_PX = (605, 933)  # 210 × 297 mm less Material's 25 mm margins, at 96 pixels per inch


def _chapter_titles() -> list[str]:
    def titles(items):
        for item in items:
            title, value = next(iter(item.items()))
            yield from titles(value) if isinstance(value, list) else [title]

    nav = yaml.load((ROOT / "properdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"]
    return [title for title in titles(nav) if title != "Print the whole site"]


def test_the_book_prints_every_chapter_on_its_own_sheet_with_every_figure(server, browser, built_project):
    from pypdf import PdfReader

    figures = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    context = browser.new_context(color_scheme="dark")  # a reader in the dark palette still prints light figures
    page = context.new_page()
    try:
        page.goto(server + "book/")
        page.wait_for_load_state("networkidle")
        reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
        texts = [" ".join(p.extract_text().split()) for p in reader.pages]
        headings = [h.replace("¶", "").strip() for h in page.eval_on_selector_all(".rv-chapter > h2:first-of-type", "hs => hs.map(h => h.textContent)")]
        assert len(headings) == len(_chapter_titles())
        starts = [text for text in texts if any(text.startswith(h) for h in headings)]
        assert len(starts) == len(headings), "every chapter starts a sheet"
        assert len(headings) < len(reader.pages) < 12 * len(headings)
        printed = " ".join(texts)
        assert all(f"Figure {n}." in printed for n in range(1, len(figures) + 1))
        page.emulate_media(media="print")
        shown = page.eval_on_selector_all(
            ".rv-figure img", "imgs => imgs.filter(i => getComputedStyle(i).display !== 'none')"
            ".map(i => ({src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0}))")
        assert {s["src"].split("/")[-1] for s in shown} == {f"{f}.svg#only-light" for f in figures}
        assert all(s["loaded"] for s in shown)
        link = page.eval_on_selector(".rv-chapter a[href^='https://www.quora.com']", "a => getComputedStyle(a, '::after').content")
        assert "https://www.quora.com" in link, "links to other sites print their address"
    finally:
        context.close()


def test_no_figure_table_or_equation_is_cut_at_the_page_edge(server, browser):
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
            return found;
        }""", list(A4_CONTENT_PX))
        assert cut == [], "\n".join(cut)
    finally:
        context.close()
