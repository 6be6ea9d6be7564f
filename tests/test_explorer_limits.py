"""The explorer at the edges of what its controls allow: intervals one double wide, at the controls' extremes and
around zero, typed or in the address, draw their pieces at once, their ends told apart, with no console error; ends
beyond the controls' range give a note."""

from __future__ import annotations

import pytest

from .browsing import Visit

MAX_DOUBLE = 1.7976931348623157e308
BILLION_LESS_ONE_DOUBLE = "999999999.9999999"  # math.nextafter(1e9, 0), the largest allowed end's neighbour

# The cases that froze the tab and then threw "Invalid array length" (issue 21), and the controls' own extremes.
EDGES = [
    ("1", "1.0000000000000002"),  # one double apart
    ("99.99999999999999", "100"),
    ("-5e-324", "5e-324"),  # the smallest doubles either side of zero
    ("-1000000000", "1000000000"),  # the widest interval the controls allow
    (BILLION_LESS_ONE_DOUBLE, "1000000000"),
]


@pytest.mark.parametrize(("lo", "hi"), EDGES)
def test_an_interval_at_the_edge_of_the_doubles_draws_at_once_with_no_error(server, browser, lo, hi):
    visit = Visit(browser, server + f"explore/?lo={lo}&hi={hi}")
    try:
        plot = visit.page.locator(".rv-explorer svg[aria-label]").first
        visit.page.wait_for_function("document.querySelector('.rv-explorer svg[aria-label]')?.getAttribute('aria-label')"
                                     "?.startsWith('Three panels')", timeout=5000)
        label = plot.get_attribute("aria-label")
        note = visit.page.locator(".rv-explorer .rv-note").text_content() or ""
        assert (visit.page.input_value("#explorer-full-lo"), visit.page.input_value("#explorer-full-hi")) == (lo, hi), note
        ends = visit.page.evaluate("([lo, hi]) => ReluvizUI.formatInterval(Number(lo), Number(hi))", [lo, hi])
        assert ends[0] != ends[1] and f"from {ends[0]} to {ends[1]}:" in label, label  # the ends told apart
        assert visit.console_errors == [], visit.console_errors
    finally:
        visit.close()


def test_ends_beyond_the_controls_range_give_a_note_naming_them_and_the_defaults_drawn(server, browser):
    visit = Visit(browser, server + f"explore/?lo=-{MAX_DOUBLE!r}&hi={MAX_DOUBLE!r}")
    try:
        visit.page.wait_for_function("document.querySelector('.rv-explorer svg[aria-label]')?.getAttribute('aria-label')"
                                     "?.startsWith('Three panels')", timeout=5000)
        note = visit.page.locator(".rv-explorer .rv-note").text_content() or ""
        assert "lo (a number from" in note and "hi (a number from" in note, note
        assert visit.console_errors == [], visit.console_errors
    finally:
        visit.close()


def test_typing_an_interval_one_double_wide_draws_it(server, browser):
    visit = Visit(browser, server + "explore/?hi=100")
    try:
        visit.page.fill("#explorer-full-lo", "99.99999999999999")
        visit.page.press("#explorer-full-lo", "Enter")
        visit.page.wait_for_function("document.querySelector('.rv-explorer svg[aria-label]').getAttribute('aria-label')"
                                     ".includes('from 99.99999999999999 to 100:')", timeout=5000)
        assert visit.console_errors == [], visit.console_errors
    finally:
        visit.close()
