"""The page markup of reluviz.build.markup, unit by unit: the token table, figure numbering and their one-line
errors; and the MkDocs hook's math and book, which work on rendered HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reluviz.build import book, mathml
from reluviz.build.html import Citation
from reluviz.build.markup import TOKENS, Context, expand, number_figures, tokens
from reluviz.build.site import Page, Site
from reluviz.build.workers import BuildError

from .conftest import load_gen_module

hooks = load_gen_module("hooks")
FIGURES = {
    "one": {"facts": {"kinks": "10", "tex": r"\frac{1}{2}"}, "title": "One", "caption": "First <figure>", "alt": "a picture", "credit": "",
            "width": 700, "height": 300, "narrow_width": 346, "narrow_height": 500, "command": "reluviz figure one --out one.svg",
            "params": {}, "explorer": "width=3&seed=1"},
    "two": {"facts": {}, "title": "Two", "caption": "Second", "alt": "another picture", "credit": "", "width": 700, "height": 300,
            "narrow_width": 346, "narrow_height": 500, "command": "reluviz figure two --out two.svg", "params": {}},
}
CITATION = Citation("The authors", "The site", "1.0", "2026", "https://example.org/")


def site(*pages: tuple[str, str], repository: str = "https://example.org/repo") -> Site:
    return Site(Path("."), Path("docs"), "https://example.org/", repository, {},
                [Page(src, src.removesuffix(".md").title(), "./" if src == "index.md" else src.removesuffix(".md") + "/", text)
                 for src, text in pages])


BASE = site(("index.md", "# Start\n\n{{ figure two }}\n"), ("later.md", "Text\n\n{{ figure one }}\n\n`{{ figure one }}`\n"))


def expanded(markdown: str, src: str = "later.md", repository: str = "https://example.org/repo") -> str:
    numbers, placed_on = number_figures(BASE, list(FIGURES))
    page = Page(src, "Page", "./" if src == "index.md" else src.removesuffix(".md") + "/", markdown)
    the_site = site(("index.md", ""), repository=repository)
    return expand(page, Context(the_site, FIGURES, numbers, placed_on, {"gallery": lambda url_to: "GALLERY"}))


def test_figures_are_numbered_in_reading_order_and_code_is_left_alone():
    numbers, placed_on = number_figures(BASE, list(FIGURES))
    assert numbers == {"two": 1, "one": 2}
    assert placed_on["one"].src == "later.md"


def test_tokens_become_facts_links_and_figures():
    text = expanded("There are {{ fact one.kinks }} kinks, see {{ ref two }}.\n\n{{ figure one }}\n\n`{{ fact one.kinks }}` stays")
    assert "There are 10 kinks" in text
    assert '<a href="../#figure-two">Figure 1</a>' in text
    assert '<figure class="rv-figure" id="figure-one">' in text and "<strong>Figure 2.</strong> First &lt;figure&gt;" in text
    assert "`{{ fact one.kinks }}` stays" in text
    assert expanded("in {{ repository the source }}.") == 'in <a href="https://example.org/repo">the source</a>.'
    assert expanded("in {{ repository the source }}.", repository="") == "in the source.", "no address, no link"


def test_the_explorer_starts_on_its_figures_network_and_figures_link_to_it():
    full, compact = expanded("{{ explorer one }}"), expanded("{{ explorer one compact }}")
    assert 'data-mode="full"' in full and 'data-state="width=3&amp;seed=1"' in full and " hidden>" in full
    assert 'id="explorer-compact"' in compact and '<script src="../explorer/explorer.js" defer>' in compact
    assert '<script src="../explorer/reluviz-shared.js" defer>' in compact
    figure = expanded("{{ figure one }}")
    assert '<a href="../explore/?width=3&amp;seed=1">open in the explorer</a>' in figure
    assert "open in the explorer" not in expanded("{{ figure two }}")


def test_the_gallery_and_the_book_stand_only_on_their_pages():
    assert expanded("{{ gallery }}", src="gallery.md") == "GALLERY"
    with pytest.raises(BuildError, match=r"later\.md: '\{\{ gallery \}\}' can only stand on gallery\.md"):
        expanded("{{ gallery }}")
    assert "the book goes here" in expanded("{{ book }}", src="book.md")


@pytest.mark.parametrize(
    "markdown, words",
    [
        ("{{ fact one.no_such_fact }}", ["later.md", "no_such_fact", "kinks"]),
        ("{{ fact nope.kinks }}", ["later.md", "nope"]),
        ("{{ ref nope }}", ["later.md", "nope"]),
        ("{{ frobnicate }}", ["later.md", "frobnicate", "{{ fact FIGURE.NAME }}", "{{ book }}"]),
        ("See {{ figure one }} here.", ["later.md", "line of its own"]),
        ("{{ explorer two }}", ["later.md", "explorer cannot show"]),
        ("{{ explorer one huge }}", ["later.md", "compact"]),
        ("{{ explorer one }}\n\n{{ explorer one compact }}", ["later.md", "only one explorer"]),
        ("An unclosed {{ fact one.kinks", ["later.md", "unclosed"]),
        ("An unclosed {{ fact one.kinks\n\nand more }}", ["later.md", "unclosed"]),
        ("Braces {{{ fact one.kinks }}}", ["later.md", "stray brace"]),
        ("{{ fact one.kinks }}}", ["later.md", "stray brace"]),
    ],
)
def test_bad_markup_names_the_page_and_the_problem(markdown, words):
    with pytest.raises(BuildError) as raised:
        expanded(markdown)
    for word in words:
        assert word in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_error_for_an_unknown_token_lists_the_whole_table():
    with pytest.raises(BuildError) as raised:
        tokens(Page("a.md", "A", "a/", "{{ nope }}"))
    assert all("{{ " + token.shows + " }}" in str(raised.value) for token in TOKENS)


@pytest.mark.parametrize(
    "pages, words",
    [
        ([("a.md", "{{ figure nope }}")], ["a.md", "nope"]),
        ([("a.md", "{{ figure one }}\n\n{{ figure two }}"), ("b.md", "{{ figure one }}")], ["b.md", "second time"]),
        ([("a.md", "{{ figure one }}")], ["two", "no page places"]),
    ],
)
def test_bad_figure_placement_fails(pages, words):
    with pytest.raises(BuildError) as raised:
        number_figures(site(*pages), list(FIGURES))
    for word in words:
        assert word in str(raised.value)


def test_math_becomes_mathml():
    html = '<p>Inline <span class="arithmatex">\\(a_j &lt; b\\)</span> and</p>\n<div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
    typeset = mathml.typeset_math(html, "x.md")
    assert "arithmatex" not in typeset
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in typeset and "<mo>&#x0003C;</mo>" in typeset
    assert 'display="block"' in typeset and "<mfrac>" in typeset


@pytest.mark.parametrize("html", ["<p>Costs $$x + 1</p>", "<p>an unclosed $x</p>"])
def test_an_unclosed_math_delimiter_fails_naming_the_page(html):
    with pytest.raises(mathml.MathError, match=r"x\.md: a math delimiter is not closed"):
        mathml.typeset_math(html, "x.md")


def test_dollars_in_code_are_not_math():
    html = "<pre><code>echo $HOME</code></pre><p>and <code>$x</code></p>"
    assert mathml.typeset_math(html, "x.md") == html


def test_bad_tex_names_the_page_and_the_formula():
    with pytest.raises(mathml.MathError, match=r"x.md: cannot typeset \$\\left\( x\$: ExtraLeftOrMissingRightError"):
        mathml.typeset_math('<span class="arithmatex">\\(\\left( x\\)</span>', "x.md")


def test_a_sign_is_not_spaced_as_a_subtraction_and_functions_get_their_thin_space():
    typeset = mathml.typeset_math('<span class="arithmatex">\\(\\mathrm{relu}(-1) = -2, a - 1, \\sin x\\)</span>', "x.md")
    assert typeset.count("<mn>&#x02212;1</mn>") == 1 and "<mn>&#x02212;2</mn>" in typeset
    assert "<mo>&#x02212;</mo><mn>1</mn>" in typeset, "a - 1 is a subtraction and keeps its operator"
    assert '<mi>sin</mi><mspace width="0.1667em"></mspace><mi>x</mi>' in typeset


def test_the_book_keeps_ids_unique_turns_page_links_into_anchors_and_drops_the_explorer():
    pages = [
        ("", "Start", '<h1 id="start">Start</h1><img src="figures/a.svg#only-light"><a href="kinks/#figure-a">Figure 1</a>'
                      '<div class="rv-explorer" hidden></div>\n<link rel="stylesheet" href="explorer/explorer.css">\n'
                      '<script src="explorer/x.js" defer></script>'),
        ("kinks/", "Kinks", '<h2 id="more">More</h2><a href="#more">here</a><a href="../">back</a>'
                            '<a href="https://example.org/">out</a><a href="../notebooks/kinks.ipynb">nb</a>'),
    ]
    text = book.book_html(pages, "book/")
    assert '<section class="rv-chapter" id="start"' in text and '<h2 id="start--start">' in text
    assert 'src="../figures/a.svg#only-light"' in text and 'href="#kinks--figure-a"' in text
    assert 'href="#kinks--more"' in text and 'href="#start"' in text and 'href="https://example.org/"' in text
    assert 'href="../notebooks/kinks.ipynb"' in text and '<h3 id="kinks--more">' in text
    assert "rv-explorer" not in text and "<script" not in text


def test_the_hook_holds_no_token_table_of_its_own():
    source = (Path(hooks.__file__)).read_text()
    assert not re.search(r"\{\{|fact|explorer_html|figure_html", source.replace("BOOK_EXPLORER", "")), "tokens are the build step's"
