"""The numbers the pages quote: every one made by the site's formatter from a computation, and written the same way.

- The formatter (`reluviz.figures._text`) and the shared measurements (`reluviz.measures`) are tested as units.
- Every rendered chapter is read as a reader sees it (the HTML of the `built_project` build, tags stripped) and
  checked for what the formatter exists to prevent: "+ −" in an expression, mixed precision in one sentence, large
  integers without separators, "1 units".
- No number in the prose may be typed by hand: the chapters' Markdown, with its tokens, math, code and links taken
  out, and the rendered prose, with every fact value taken out, may only hold the reviewed constants in `TYPED`.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import numpy as np
import pytest

from reluviz import Network, analyze_line
from reluviz.figures import _text as text
from reluviz.figures import figure_ids, get_spec
from reluviz.measures import kink_spread, mean_and_standard_error, most_pieces_found, pieces_at_random_init
from reluviz.portable_random import derived_seed

from .conftest import ROOT

CHAPTERS = ["index", "kinks", "affine", "matrices", "derivative", "linear", "depth", "training", "regions",
            "activations", "approximation", "xor", "digits"]

TYPED = {
    "−100": "the Quora experiment's interval, −100 to 100",
    "100": "the Quora experiment's interval, −100 to 100",
    "0.01": "the Quora experiment's step",
}
"""The numbers the prose may type, each a definition rather than a result (anything else comes from a fact)."""
TYPED_PATTERNS = {
    r"\b(?:19|20)\d\d[a-z]?\b": "a year, in a citation",
    r"\bchapter 6\b": "the chapter of Deep Learning that the XOR example is from",
    r"\bFigure \d+\b": "a figure's number, which the build gives",
}

NUMBER = re.compile(
    r"(?<![\w.,])(?P<number>[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[−-]?\d+(?:\.\d+)?)(?P<power> × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?(?P<percent>%)?"
)
COUNTED_NOUNS = ("unit", "layer", "network", "kink", "piece", "point", "neuron", "step", "region", "run", "setting",
                 "gap", "knot", "crossing", "target", "pixel")


# ---------------------------------------------------------------------------------------------------------------
# Checks on text, used on the built pages below and tested on examples here.


def visible_text(page_html: str, *, math: bool = True, tables: bool = True, captions: bool = True,
                 links: bool = True) -> str:
    """The article of a built page as a reader sees it: tags stripped, entities decoded; optionally without its math,
    tables, figure captions and link texts."""
    article = page_html[page_html.index("<article"): page_html.index("</article>")]
    drop = ["script", "style", "pre", "code", "svg", "picture"]
    drop += [] if math else ["math"]
    drop += [] if tables else ["table"]
    drop += [] if captions else ["figcaption"]
    drop += [] if links else ["a"]
    for tag in drop:
        article = re.sub(rf"<{tag}\b.*?</{tag}>", " ", article, flags=re.DOTALL)
    article = re.sub(r"<math\b.*?</math>", lambda m: re.sub(r"<[^>]+>", " ", m.group(0)), article, flags=re.DOTALL)
    article = re.sub(r'<div class="rv-explorer".*?</div>', " ", article, flags=re.DOTALL)
    article = re.sub(r'<span class="rv-downloads">.*?</span>', " ", article, flags=re.DOTALL)
    article = re.sub(r'<p class="rv-computed">.*?</p>', " ", article, flags=re.DOTALL)  # computed (tests/test_explorer.py)
    article = re.sub(r"<(?:p|li|h\d|div|tr|figcaption|br)\b[^>]*>", "\n", article)  # a block starts a new sentence
    return html.unescape(re.sub(r"<[^>]+>", "", article))


def plus_minus(page_text: str) -> list[str]:
    """Places where an expression writes "+ −" (or "+ -") instead of "−"."""
    return [m.group(0) for m in re.finditer(r".{0,20}\+\s*[−-]\s*\d.{0,10}", page_text)]


def _sentences(page_text: str) -> list[str]:
    found = []
    for block in page_text.split("\n"):
        found += re.split(r"(?<=[.!?;])\s+(?=[A-Z(])", block)
    return [s for s in found if s.strip()]


def _significant(number: str) -> int:
    digits = number.lstrip("−-").replace(",", "").replace(".", "").lstrip("0")
    return len(digits)


def _decimals(number: str) -> int:
    return len(number.partition(".")[2])


def mixed_precision(page_text: str) -> list[str]:
    """Sentences whose non-integer numbers of one form (plain decimals, percentages) share neither their number of
    significant digits nor their number of decimals; and sums whose terms do not share their decimals. A mean with
    its standard error ("66.55 ± 0.36") is one number, and powers of ten are left out."""
    wrong = []
    for sentence in _sentences(page_text):
        cleaned = re.sub(r"\S+ ± \S+", " ", sentence)
        for form in ("plain", "percent"):
            numbers = [m["number"] for m in NUMBER.finditer(cleaned)
                       if not m["power"] and bool(m["percent"]) == (form == "percent") and "." in m["number"]]
            if len(numbers) > 1 and len({_significant(n) for n in numbers}) > 1 and len({_decimals(n) for n in numbers}) > 1:
                wrong.append(sentence.strip())
        term = r"[−-]?\d+(?:,\d{3})*(?:\.\d+)?"
        for sum_ in re.finditer(rf"{term}(?: \+ {term})+ = {term}", cleaned):
            terms = [t for t in re.findall(term, sum_.group(0)) if "." in t]
            if len({_decimals(t) for t in terms}) > 1:
                wrong.append(sum_.group(0))
    return wrong


def ungrouped(page_text: str, smallest: int = 10_000) -> list[str]:
    """Integers of ``smallest`` or more written without a comma between thousands."""
    return [m.group(0) for m in re.finditer(r"(?<![\d.,\w])\d+(?![\d,]|\.\d)", page_text) if int(m.group(0)) >= smallest]


def plural_errors(page_text: str) -> list[str]:
    """"1 units" or "4 unit" (but "4 × 8 network" and "a 32-unit network" are right)."""
    nouns = "|".join(COUNTED_NOUNS)
    after_operator = r"(?<![+×−-] )(?<![+×−-])"  # "n + 1 pieces" and "4 × 8 network" are right
    one = [m.group(0) for m in re.finditer(rf"{after_operator}(?<![\d.,])\b1 (?:{nouns})s\b", page_text)]
    many = [m.group(0) for m in re.finditer(rf"{after_operator}(?<![\d.,])\b(?:0|[2-9]|\d{{2,}}) (?:{nouns})\b(?!s)(?![-\w])", page_text)]
    return one + many


def typed_numbers(prose: str) -> list[str]:
    """The numbers left in ``prose`` that are neither in `TYPED` nor matched by `TYPED_PATTERNS`."""
    for pattern in TYPED_PATTERNS:
        prose = re.sub(pattern, " ", prose)
    return [m.group(0) for m in NUMBER.finditer(prose) if m.group(0) not in TYPED]


RATIO_WORDS = re.compile(
    r"\b(?:a|one|two|three|four|nine) (?:half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths|hundredth|hundredths)\b(?!-)"
    r"|\bper ?cent\b|\bpercent\b",
    re.IGNORECASE,
)


def typed_ratios(prose: str) -> list[str]:
    """Shares written in words ("two thirds", "a tenth", "per cent"): a share is a number, and a fact gives it."""
    return RATIO_WORDS.findall(prose)


def without_facts(prose: str, facts: list[str]) -> str:
    """``prose`` with every occurrence of every fact value taken out, longest first, each only where it stands
    whole (not inside a longer number)."""
    pieces = set(facts)
    for fact in facts:  # a list fact is rendered item by item
        pieces |= {line.removeprefix("- ").strip() for line in fact.splitlines()}
    for value in sorted({f for f in pieces if re.search(r"\d", f)}, key=len, reverse=True):
        prose = re.sub(rf"(?<![\d.,]){re.escape(value)}(?![\d])", " ", prose)
    return prose


def markdown_prose(markdown: str) -> str:
    """A page's Markdown source without its tokens, math, code, links' targets and texts, headings' anchors and HTML."""
    markdown = re.sub(r"^(```|~~~).*?^\1", " ", markdown, flags=re.MULTILINE | re.DOTALL)
    markdown = re.sub(r"`[^`\n]+`", " ", markdown)
    markdown = re.sub(r"\{\{.*?\}\}", " ", markdown)
    markdown = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.DOTALL)
    markdown = re.sub(r"\$[^$\n]+\$", " ", markdown)
    markdown = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", markdown)
    markdown = re.sub(r"<[^>]+>", " ", markdown)
    return markdown


# ---------------------------------------------------------------------------------------------------------------
# The checks catch what they are for.


def test_the_checks_catch_each_mistake_the_reader_found():
    assert plus_minus("f(x) = −1.506x + −136.9") and plus_minus("a + -2") and not plus_minus("f(x) = −1.51x − 137")
    assert mixed_precision("the kinks at 63.4, 67.81 and 72.8.")
    assert mixed_precision("f(−1) + f(1) = 0.3133 + 1.313 = 1.627, but f(0) = 0.6931.")
    assert not mixed_precision("the kinks at 63.4, 67.8 and 72.8. The slopes are −2.14 and 0.630.")
    assert not mixed_precision("f(−1) + f(1) = 0.31 + 1.31 = 1.62, but f(0) = 0.69. The mean is 66.55 ± 0.36 or 3.07.")
    assert ungrouped("which is 54872 points") == ["54872"] and not ungrouped("54,872 points, arXiv 2019, 6561")
    assert plural_errors("4 layers of 1 units") == ["1 units"] and plural_errors("in 4 network") == ["4 network"]
    assert not plural_errors("1 layer of 32 units, the 4 × 8 network, a 32-unit network, 2 units, n + 1 pieces")
    assert typed_numbers("from −100 to 100 in steps of 0.01 (2019a), see Figure 8 and chapter 6") == []
    assert typed_numbers("it holds two thirds, 66% of them, 3 of 4") == ["66%", "3", "4"]
    assert typed_ratios("it holds two thirds; a tenth of its input; a half-width square") == ["two thirds", "a tenth"]
    assert without_facts("11 of the 15 crossings (73%), 115", ["11", "15", "73%"]).split() == ["of", "the", "crossings", "(", "),", "115"]


# ---------------------------------------------------------------------------------------------------------------
# The formatter.


@pytest.mark.parametrize(
    "value, kind, expected",
    [
        (-1.5062, "value", "−1.51"), (63.4, "value", "63.4"), (67.81, "value", "67.8"), (-1.7, "value", "−1.70"),
        (136.94, "value", "137"), (0.63, "value", "0.630"), (9.996, "value", "10.0"), (0.0, "value", "0"),
        (-0.0, "value", "0"), (2.2e-16, "error", "2.2 × 10⁻¹⁶"), (0.000518, "value", "5.18 × 10⁻⁴"),
        (0.00518, "value", "0.00518"), (12345.6, "value", "12,300"), (0.097, "error", "0.097"),
    ],
)
def test_a_number_has_its_kind_s_significant_digits_and_keeps_trailing_zeros(value, kind, expected):
    assert text.number(value, kind) == expected


def test_tex_numbers_use_a_hyphen_minus_and_a_tex_power():
    assert text.tex_number(-1.5062) == "-1.51" and text.tex_number(2.2e-16, "error") == r"2.2 \times 10^{-16}"
    assert text.tex_number(12345.6) == "12{,}300"


@pytest.mark.parametrize("call", [lambda: text.number(1.0, 3), lambda: text.number(1.0, "nonsense"),
                                  lambda: text.number(float("nan")), lambda: text.count(2.5), lambda: text.count(True),
                                  lambda: text.exact(1 / 3)])
def test_the_formatter_refuses_what_it_cannot_write_truthfully(call):
    with pytest.raises((ValueError, TypeError)):
        call()


def test_counts_are_integers_grouped_from_a_thousand_on_with_a_real_minus():
    assert [text.count(n) for n in (0, 7, 999, 1000, 2000, 20001, 6975757441, -3)] == [
        "0", "7", "999", "1,000", "2,000", "20,001", "6,975,757,441", "−3"]
    assert text.count(np.int64(33)) == "33" and text.count(33.0) == "33"
    assert text.tex_count(6561) == "6{,}561"


def test_plurals_follow_the_count():
    assert text.plural(1, "unit") == "1 unit" and text.plural(4, "unit") == "4 units"
    assert text.plural(0, "layer") == "0 layers" and text.plural(2, "query", "queries") == "2 queries"


def test_shares_have_two_significant_digits():
    assert [text.percent(f) for f in (0.6399, 0.02, 0.0123, 1.0, 0.0, 0.7333)] == ["64%", "2.0%", "1.2%", "100%", "0%", "73%"]


def test_an_estimate_gives_the_mean_to_the_place_of_its_standard_error():
    assert text.estimate(66.5512, 0.3619) == "66.55 ± 0.36"
    assert text.estimate(126.04, 12.3) == "126 ± 12" and text.estimate(17.0, 0.0) == "17 ± 0"
    assert text.estimate(3.0712, 0.061) == "3.071 ± 0.061"


def test_an_affine_map_never_shows_plus_minus():
    assert text.affine(text.number(-1.506), text.number(-136.9)) == "−1.51x − 137"
    assert text.affine(text.number(2.0), text.number(0.5)) == "2.00x + 0.500"
    assert text.affine(text.tex_number(-1.506), text.tex_number(-136.9), tex=True) == r"-1.51\,x - 137"


def test_a_shown_sum_adds_up_as_printed():
    terms, total, others = text.shown_sum([0.313262, 1.313262], [0.693147])
    assert (terms, total, others) == (["0.31", "1.31"], "1.62", ["0.69"])
    assert sum(text.shown_decimal(t) for t in terms) == text.shown_decimal(total)
    assert text.shown_sum([0.7615942, 0.7615942], [0.9640276]) == (["0.762", "0.762"], "1.524", ["0.964"])
    assert text.shown_sum([0.0, 1.0], [0.0]) == (["0", "1"], "1", ["0"])
    assert text.shown_sum([-0.1, 1.0], [0.0]) == (["−0.1", "1"], "0.9", ["0"])


def test_a_shown_dot_product_is_the_product_of_the_shown_entries():
    left, right, product = text.shown_dot([0.12345, 2.0], [1.0, -0.5])
    assert (left, right) == (["0.123", "2.00"], ["1.00", "−0.500"])
    assert product == Decimal("0.123") - Decimal("1.000")


def test_shown_decimal_reads_back_what_the_formatter_wrote():
    for value in (-1.5062, 2.2e-16, 12345.6, 0.0246):
        assert float(text.shown_decimal(text.number(value))) == pytest.approx(value, rel=5e-3)
    assert text.shown_decimal("−1,234.5") == Decimal("-1234.5") and text.shown_decimal("64%") == Decimal(64)


def test_exact_numbers_are_written_in_full():
    assert [text.exact(v) for v in (-5.0, 0.005, 0.1, 2.0)] == ["−5", "0.005", "0.1", "2"]
    assert text.parameter(0.1) == "0.1" and text.parameter(1 / 3) == "0.333"


FORMAT_SPEC = re.compile(r"\{[^{}'\"]*:[^{}'\"]*[,%gfe]\}|\bstr\(\s*(?:int|len|round|float)\(|:\.\d+[gf%]")


def test_no_figure_module_formats_a_number_itself():
    """Every fact goes through reluviz.figures._text: no format spec or str() of a number in a figure module."""
    for path in sorted((ROOT / "reluviz" / "figures").glob("*.py")):
        if path.name.startswith("_"):
            continue
        source = path.read_text()
        found = FORMAT_SPEC.findall(source)
        assert not found, f"{path.name} formats a number itself: {found}; use reluviz.figures._text"


def test_captions_and_alt_texts_type_no_number_a_computation_makes():
    for figure_id in figure_ids():
        spec = get_spec(figure_id)
        for name, template in (("caption", spec.caption), ("alt", spec.alt)):
            prose = re.sub(r"\{\w+\}", " ", template)
            prose = re.sub(r"\[−π, π\]|\[0, 1\]|−aⱼ/Aⱼ|2ᴸ|L = 1 …|N \+ 1|N/L|h²/8|slope 2\b|the 2 the bound", " ", prose)
            found = [n for n in typed_numbers(prose) if n not in {"0", "1"}]
            assert not found, f"{figure_id}'s {name} types {found}: quote a fact instead"


# ---------------------------------------------------------------------------------------------------------------
# The shared measurements.


def test_kink_spread_counts_gaps_that_hold_a_kink_and_pieces_narrower_than_the_spacing():
    data = np.linspace(0.0, 1.0, 11)  # ten gaps, 0.1 wide
    spread = kink_spread(np.array([0.11, 0.12, 0.13, 0.55, 2.0, -3.0]), data)
    assert (spread.kinks, spread.in_band, spread.gaps, spread.occupied_gaps) == (6, 4, 10, 2)
    assert spread.most_in_one_gap == 3 and spread.finite_pieces == 5 and spread.spacing == pytest.approx(0.1)
    assert spread.narrow_pieces == 2  # 0.11–0.12 and 0.12–0.13; 0.13–0.55 and the rest are wider
    on_points = kink_spread(np.array([0.0, 0.1, 1.0]), data)  # a kink on a data point starts the gap on its right
    assert on_points.occupied_gaps == 3 and on_points.in_band == 3
    assert kink_spread(np.array([]), data).occupied_gaps == 0
    with pytest.raises(ValueError, match="two distinct"):
        kink_spread(np.array([0.5]), np.array([1.0, 1.0]))


def test_kink_spread_of_a_trained_network_matches_counting_by_hand():
    from reluviz.experiments import TRAINING_TARGETS, follow_training

    run = follow_training([1, 8, 1], TRAINING_TARGETS["|x|"], (-np.pi, np.pi), 32, 60, 60, 0)
    data = np.linspace(-np.pi, np.pi, 32)
    for kinks in run.kinks:
        spread = kink_spread(kinks, data)
        gaps = {int(np.searchsorted(data, k, side="right")) - 1 for k in kinks if data[0] <= k <= data[-1]}
        assert spread.occupied_gaps == len({min(g, len(data) - 2) for g in gaps})
        assert spread.in_band == sum(data[0] <= k <= data[-1] for k in kinks)


def test_mean_and_standard_error():
    mean, error = mean_and_standard_error(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5 and error == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)
    assert mean_and_standard_error(np.array([7.0])) == (7.0, 0.0)


def test_random_counts_stop_when_the_standard_error_is_small_and_keep_earlier_networks():
    quick = pieces_at_random_init([4, 4], seed=3, first=10, batch=10, relative_error=1.0, limit=50, window=(-5.0, 5.0),
                                  window_networks=5)
    slow = pieces_at_random_init([4, 4], seed=3, first=10, batch=10, relative_error=0.001, limit=40, window=(-5.0, 5.0),
                                 window_networks=5)
    assert quick.networks == 10 and slow.networks == 40
    np.testing.assert_array_equal(slow.whole_line[:10], quick.whole_line)
    assert len(slow.in_window) == 5 and np.all(slow.in_window <= slow.whole_line[:5])
    net = Network.random([1, 4, 4, 1], init="he", seed=derived_seed(3, 0))
    assert slow.whole_line[0] == analyze_line(net, -np.inf, np.inf).linear_pieces


def test_the_search_never_beats_a_proved_maximum_and_reaches_it():
    assert most_pieces_found([3], 30, seed=1).pieces == 4  # one layer of n units: n + 1
    found = most_pieces_found([2, 2], 300, seed=0)
    assert found.pieces == 7 and analyze_line(found.network, -np.inf, np.inf).linear_pieces == 7
    assert most_pieces_found([1, 1, 1], 200, seed=0).pieces <= 3


# ---------------------------------------------------------------------------------------------------------------
# The built pages.


def _pages(project) -> dict[str, str]:
    site = project.site
    return {name: (site / ("index.html" if name == "index" else f"{name}/index.html")).read_text() for name in CHAPTERS}


def _facts(project) -> dict[str, dict[str, str]]:
    manifest = json.loads((project.site / "figures" / "manifest.json").read_text())
    return {figure_id: entry["facts"] for figure_id, entry in manifest["figures"].items()}


def test_every_page_writes_its_numbers_by_the_site_s_rules(built_project):
    problems = {}
    for name, page in _pages(built_project).items():
        everything = visible_text(page)
        prose = visible_text(page, math=False, tables=False)
        found = plus_minus(everything) + mixed_precision(prose) + ungrouped(everything) + plural_errors(everything)
        if found:
            problems[name] = found
    assert not problems, problems


def test_every_fact_is_written_by_the_site_s_rules(built_project):
    problems = {}
    for figure_id, facts in _facts(built_project).items():
        for name, value in facts.items():
            plain = value.replace("{,}", ",")
            found = plus_minus(plain) + ungrouped(plain, smallest=1000) + plural_errors(plain)
            if value.startswith("|"):  # a table: each cell on its own
                found += [cell for row in value.splitlines()[2:] for cell in row.split("|") if mixed_precision(cell)]
            else:
                found += mixed_precision(plain)
            if re.search(r"(?<![\\\w{])-\d", value) and "\\" not in value and not re.fullmatch(r"-[\d.]+", value):
                found.append("a hyphen for a minus")
            if found:
                problems[f"{figure_id}.{name}"] = found
    assert not problems, problems


def test_no_page_types_a_number_that_a_fact_should_give(built_project):
    facts = _facts(built_project)
    problems = {}
    for name, page in _pages(built_project).items():
        source = (ROOT / "docs" / f"{name}.md").read_text()
        assert not re.search(r"^\s*\|", source, flags=re.MULTILINE), f"{name}.md types a table; a fact must give it"
        quoted = set(re.findall(r"\{\{\s*fact\s+([\w-]+)\.(\w+)\s*\}\}", source))
        values = [facts[figure_id][fact] for figure_id, fact in quoted]
        prose = visible_text(page, math=False, tables=False, captions=False, links=False)
        rendered = typed_numbers(without_facts(prose, values)) + typed_ratios(prose)
        written = typed_numbers(markdown_prose(source)) + typed_ratios(markdown_prose(source))
        if rendered or written:
            problems[name] = {"rendered, after removing facts": rendered, "typed in the Markdown": written}
    assert not problems, problems


def test_the_depth_page_states_the_bound_as_a_bound_and_the_training_page_measures_effective_kinks(built_project):
    depth = visible_text(_pages(built_project)["depth"])
    assert "exact for one input" not in depth and "upper bound" in depth and "largest found in" in depth
    assert "standard error" in depth
    training = visible_text(_pages(built_project)["training"])
    assert "hardly" not in training and "gaps holding" in training and "effective" in training
    regions = visible_text(_pages(built_project)["regions"])
    assert "two thirds" not in regions
