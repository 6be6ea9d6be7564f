"""The page markup of gen/hooks.py, unit by unit: tokens, figure numbering, math, and their one-line errors."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from .conftest import load_gen_module

hooks = load_gen_module("hooks")
FIGURES = {
    "one": {"facts": {"kinks": "10", "tex": r"\frac{1}{2}"}, "title": "One", "caption": "First <figure>", "alt": "a picture", "credit": "",
            "width": 700, "height": 300, "narrow_width": 346, "narrow_height": 500, "command": "reluviz figure one --out one.svg",
            "params": {}, "explorer": "width=3&seed=1"},
    "two": {"facts": {}, "title": "Two", "caption": "Second", "alt": "another picture", "credit": "", "width": 700, "height": 300,
            "narrow_width": 346, "narrow_height": 500, "command": "reluviz figure two --out two.svg", "params": {}},
}
PAGES = [("index.md", "# Start\n\n{{ figure two }}\n", "Start", ""), ("later.md", "Text\n\n{{ figure one }}\n\n`{{ figure one }}`\n", "Later", "later/")]
CITATION = hooks.Citation("The authors", "The site", "1.0", "2026", "https://example.org/")


def expand(markdown: str, src: str = "later.md") -> str:
    numbers, explained_on = hooks.number_figures(PAGES, FIGURES)
    return hooks.expand_page(markdown, src, FIGURES, numbers, explained_on, lambda target: target, lambda: CITATION,
                             "https://example.org/repo")


def test_figures_are_numbered_in_reading_order_and_code_is_left_alone():
    numbers, explained_on = hooks.number_figures(PAGES, FIGURES)
    assert numbers == {"two": 1, "one": 2}
    assert explained_on["one"] == ("Later", "later/")


def test_tokens_become_facts_links_and_figures():
    text = expand("There are {{ fact one.kinks }} kinks, see {{ ref two }}.\n\n{{ figure one }}\n\n`{{ fact one.kinks }}` stays")
    assert "There are 10 kinks" in text
    assert '<a href="#figure-two">Figure 1</a>' in text
    assert '<figure class="rv-figure" id="figure-one">' in text and "<strong>Figure 2.</strong> First &lt;figure&gt;" in text
    assert "`{{ fact one.kinks }}` stays" in text
    assert expand("[the source]({{ repository }})") == "[the source](https://example.org/repo)"


def test_the_explorer_starts_on_its_figures_network_and_figures_link_to_it():
    full, compact = expand("{{ explorer one }}"), expand("{{ explorer one compact }}")
    assert 'data-mode="full"' in full and 'data-state="width=3&amp;seed=1"' in full and " hidden>" in full
    assert 'id="explorer-compact"' in compact and '<script src="explorer/explorer.js" defer>' in compact
    figure = expand("{{ figure one }}")
    assert '<a href="explore/?width=3&amp;seed=1">open in the explorer</a>' in figure
    assert "open in the explorer" not in expand("{{ figure two }}")


def test_the_gallery_cites_every_figure_and_is_only_allowed_on_its_page():
    text = expand("{{ gallery }}", src="gallery.md")
    assert text.index("Figure 1: Two") < text.index("Figure 2: One")
    assert "@misc{reluviz-one," in text and "https://example.org/figures/one.svg" in text
    with pytest.raises(PluginError, match=r"later\.md: the gallery can only be placed on gallery\.md"):
        expand("{{ gallery }}")


@pytest.mark.parametrize(
    "markdown, words",
    [
        ("{{ fact one.no_such_fact }}", ["later.md", "no_such_fact", "kinks"]),
        ("{{ fact nope.kinks }}", ["later.md", "nope"]),
        ("{{ ref nope }}", ["later.md", "nope"]),
        ("{{ frobnicate }}", ["later.md", "frobnicate"]),
        ("See {{ figure one }} here.", ["later.md", "line of its own"]),
        ("{{ explorer two }}", ["later.md", "explorer can show"]),
        ("{{ explorer one huge }}", ["later.md", "compact"]),
        ("{{ explorer one }}\n\n{{ explorer one compact }}", ["later.md", "only one explorer"]),
        ("An unclosed {{ fact one.kinks", ["later.md", "unclosed"]),
        ("An unclosed {{ fact one.kinks\n\nand more }}", ["later.md", "unclosed"]),
    ],
)
def test_bad_markup_names_the_page_and_the_problem(markdown, words):
    with pytest.raises(PluginError) as raised:
        expand(markdown)
    for word in words:
        assert word in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "pages, words",
    [
        ([("a.md", "{{ figure nope }}", "A", "a/")], ["a.md", "nope"]),
        ([("a.md", "{{ figure one }}\n\n{{ figure two }}", "A", "a/"), ("b.md", "{{ figure one }}", "B", "b/")], ["b.md", "second time"]),
        ([("a.md", "{{ figure one }}", "A", "a/")], ["two", "no page places"]),
    ],
)
def test_bad_figure_placement_fails(pages, words):
    with pytest.raises(PluginError) as raised:
        hooks.number_figures(pages, FIGURES)
    for word in words:
        assert word in str(raised.value)


def test_math_becomes_mathml():
    html = '<p>Inline <span class="arithmatex">\\(a_j &lt; b\\)</span> and</p>\n<div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
    typeset = hooks.typeset_math(html, "x.md")
    assert "arithmatex" not in typeset
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in typeset and "<mo>&#x0003C;</mo>" in typeset
    assert 'display="block"' in typeset and "<mfrac>" in typeset


@pytest.mark.parametrize("html", ["<p>Costs $$x + 1</p>", "<p>an unclosed $x</p>"])
def test_an_unclosed_math_delimiter_fails_naming_the_page(html):
    with pytest.raises(PluginError, match=r"x\.md: a math delimiter is not closed"):
        hooks.typeset_math(html, "x.md")


def test_dollars_in_code_are_not_math():
    html = "<pre><code>echo $HOME</code></pre><p>and <code>$x</code></p>"
    assert hooks.typeset_math(html, "x.md") == html


def test_bad_tex_names_the_page_and_the_formula():
    with pytest.raises(PluginError, match=r"x.md: cannot typeset \$\\left\( x\$: ExtraLeftOrMissingRightError"):
        hooks.typeset_math('<span class="arithmatex">\\(\\left( x\\)</span>', "x.md")


def test_a_sign_is_not_spaced_as_a_subtraction_and_functions_get_their_thin_space():
    typeset = hooks.typeset_math('<span class="arithmatex">\\(\\mathrm{relu}(-1) = -2, a - 1, \\sin x\\)</span>', "x.md")
    assert typeset.count("<mn>&#x02212;1</mn>") == 1 and "<mn>&#x02212;2</mn>" in typeset
    assert "<mo>&#x02212;</mo><mn>1</mn>" in typeset, "a - 1 is a subtraction and keeps its operator"
    assert '<mi>sin</mi><mspace width="0.1667em"></mspace><mi>x</mi>' in typeset


def test_the_book_keeps_ids_unique_turns_page_links_into_anchors_and_drops_the_explorer():
    book = load_gen_module("book")
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


def test_the_figure_pack_is_the_same_bytes_for_the_same_date(monkeypatch):
    downloads = load_gen_module("downloads")
    members = downloads.pack_members({"a.svg": b"<svg/>", "a.png": b"png"}, b"%PDF", ["Figure 1: A"], b"cff-version: 1.2.0\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764300000")
    first = downloads.figure_pack(members)
    assert downloads.figure_pack(members) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764400000")
    assert downloads.figure_pack(members) != first
