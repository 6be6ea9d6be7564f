"""The explorer in Chromium: the package's networks and numbers to the bit, and every control, link and palette."""

from __future__ import annotations

import contextlib
import html
import io
import json
import math
import random
import re
import shlex
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from reluviz import Network
from reluviz.cli import main as cli_main
from reluviz.portable_random import MAX_SEED
from reluviz.style import DARK, LIGHT

from .browsing import Visit
from .conftest import json_objects

IDENTITY_SETTINGS = 216
JS_ANALYSIS = "s => ReluvizCore.cliJson(ReluvizCore.analyzeLine(ReluvizCore.randomNetwork(s), s.lo, s.hi))"
JS_COMMAND = "new ReluvizUI.Settings(ReluvizShared.explorer.controls).command('network', s)"


def cli_output(command: str) -> str:
    """What ``command`` (a line starting with ``reluviz``) prints, run in this process."""
    words = shlex.split(command)
    assert words[0] == "reluviz", command
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main(words[1:])
    assert code == 0, f"{command} exited with {code}"
    return out.getvalue()


def settings_to_compare(count: int) -> list[dict]:
    """Widths, depths, seeds, initialisations, activations, biases and intervals, the extremes always included."""
    chooser = random.Random(20261129)
    # The whole line too: the read-out's count of pieces on it is this analysis.
    intervals = [(-100, 100), (-3, 2.5), (0.125, 7), (-1e-3, 2e-3), (-1e6, 5e5), (-math.inf, math.inf)]
    spreads = [(-100, 100), (-4, 4), (1, 3)]
    chosen = [
        {"width": 64, "layers": 4, "seed": MAX_SEED, "init": "he", "activation": "relu", "biases": True, "interval": (-100, 100), "spread": (-100, 100)},
        {"width": 1, "layers": 1, "seed": 0, "init": "spread", "activation": "relu", "biases": False, "interval": (-100, 100), "spread": (-100, 100)},
    ]
    while len(chosen) < count:
        chosen.append({
            "width": chooser.choice([1, 2, 3, 5, 10, 17, 32, 64]), "layers": chooser.randint(1, 4),
            "seed": chooser.choice([0, 1, 7, 99, 2**32, 2**32 + 5, 123456789012, MAX_SEED]),
            "init": chooser.choice(["spread", "standard", "he"]),
            "activation": chooser.choice(["relu", "leaky_relu", "identity"]), "biases": chooser.random() < 0.8,
            "interval": chooser.choice(intervals), "spread": chooser.choice(spreads),
        })
    return [{**{k: v for k, v in s.items() if k not in {"interval", "spread"}}, "lo": s["interval"][0], "hi": s["interval"][1],
             "spread_lo": s["spread"][0], "spread_hi": s["spread"][1]} for s in chosen]


@pytest.fixture
def explore(server, browser):
    visit = Visit(browser, server + "explore/")
    yield visit
    assert visit.console_errors == [] and visit.outside == [] and visit.failed == []
    visit.close()


def test_the_explorer_draws_the_packages_networks_and_pieces_to_the_bit(explore):
    settings = settings_to_compare(IDENTITY_SETTINGS)
    results = explore.page.evaluate(
        f"all => all.map(s => ({{command: {JS_COMMAND}, json: ({JS_ANALYSIS})(s)}}))", settings
    )
    differing = []
    for result in results:
        expected = cli_output(result["command"])
        if result["json"] + "\n" != expected:
            differing.append(result["command"])
            continue
        ours, theirs = json.loads(result["json"]), json.loads(expected)
        assert ours["layers"] == theirs["layers"] and len(ours["breakpoints"]) == len(theirs["breakpoints"])
    assert differing == [], f"{len(differing)} of {len(settings)} settings differ, first: {differing[:3]}"
    deepest = [s for s in settings if s["width"] == 64 and s["layers"] == 4]
    print(f"\n{len(settings)} settings ({len(deepest)} of 4 layers of 64 units) give the CLI's JSON, character for character")


JS_CUSTOM = """([net, lo, hi]) => ReluvizCore.cliJson(ReluvizLine.analyze({layers: net.layers.map(l => ({weight: l.weight.map(r =>
    Float64Array.from(r)), bias: l.bias})), activation: net.activation, negativeSlope: net.slope}, lo, hi))"""


def test_the_browser_decides_the_hard_cases_exactly_as_the_package(explore):
    """The cases where floating point cannot decide and the exact path is taken (ties, cancellations, dead
    paths, slopes beyond the doubles' reach), through a test-only entry: the explorer's controls cannot reach them."""
    from reluviz import analyze_line
    from reluviz.export import to_json

    from .test_exactness import HARD_CASES

    chooser = random.Random(7)
    coincident = []  # small integer weights: zeros that coincide, units that cancel, paths that are dead
    for i in range(60):
        widths = [1] + [chooser.randint(1, 4) for _ in range(chooser.randint(1, 3))] + [1]
        layers = [([[float(chooser.randint(-2, 2)) for _ in range(a)] for _ in range(b)], [float(chooser.randint(-2, 2)) for _ in range(b)])
                  for a, b in zip(widths[:-1], widths[1:])]
        net = Network(layers, chooser.choice(["relu", "leaky_relu", "identity"]), leaky_slope=chooser.choice([0.5, 1 - 2.0**-52]))
        coincident.append((f"integer network {i}", net, *chooser.choice([(-3.0, 3.0), (-math.inf, math.inf)]), None))
    compared = 0
    for name, net, lo, hi, _ in HARD_CASES + coincident:
        if net.hidden_units > 50:
            continue
        expected = to_json(analyze_line(net, lo, hi).to_dict())
        document = {"layers": [{"weight": layer.weight.tolist(), "bias": layer.bias.tolist()} for layer in net.layers],
                    "activation": net.activation.name, "slope": net.activation.negative_slope}
        ends = [None if math.isinf(v) else v for v in (lo, hi)]
        got = explore.page.evaluate(f"([n, a, b]) => ({JS_CUSTOM})([n, a ?? -Infinity, b ?? Infinity])", [document, *ends])
        assert got == expected, name
        compared += 1
    assert compared >= 70


def test_the_portable_generator_matches_known_answers_in_the_browser(explore):
    # Random123's known-answer vectors for Philox4x32-10, which reluviz.portable_random checks in Python too.
    words = explore.page.evaluate(
        "() => [Array.from(ReluvizCore.philox(0, 0, 0, 0, 0, 0)), Array.from(ReluvizCore.philox(0x243f6a88, 0x85a308d3,"
        " 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))].map(w => w.map(x => x.toString(16).padStart(8, '0')))"
    )
    assert words == [["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"], ["d16cfe09", "94fdcceb", "5001e420", "24126ea1"]]


def _state(page) -> dict:
    return page.evaluate("() => { const e = document.querySelector('.rv-explorer').explorer; return {json: e.json(), "
                         "command: document.querySelector('.rv-command code').textContent, summary: document.querySelector('.rv-summary').textContent}; }")


def _agrees_with_cli(page) -> dict:
    state = _state(page)
    assert state["json"] + "\n" == cli_output(state["command"]), state["command"]
    return state


def test_every_control_changes_the_network_and_the_shown_command_reproduces_it(explore, tmp_path):
    page = explore.page
    before = _agrees_with_cli(page)
    page.focus("#explorer-full-width")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # the keyboard works the sliders
    page.focus("#explorer-full-layers")
    page.keyboard.press("ArrowRight")
    after_sliders = _agrees_with_cli(page)
    assert "--width 13 --depth 2" in after_sliders["command"] and after_sliders["summary"] != before["summary"]
    page.fill("#explorer-full-seed", "5")
    page.select_option("#explorer-full-init", "he")
    page.select_option("#explorer-full-activation", "leaky_relu")
    page.uncheck("#explorer-full-biases")
    page.fill("#explorer-full-lo", "-20")
    page.fill("#explorer-full-hi", "30")
    state = _agrees_with_cli(page)
    for option in ("--seed 5", "--init he", "--activation leaky_relu", "--no-biases", "--lo -20 --hi 30"):
        assert option in state["command"], option
    page.click("text=Zoom in")
    assert "--lo -7.5 --hi 17.5" in _agrees_with_cli(page)["command"]
    page.click("text=Zoom out")
    assert "--lo -20 --hi 30" in _agrees_with_cli(page)["command"]
    page.click("text=Reset interval")
    assert "--lo -100 --hi 100" in _agrees_with_cli(page)["command"]
    page.select_option("#explorer-full-init", "spread")
    page.click(".rv-more summary")
    page.fill("#explorer-full-spread_lo", "-10")
    page.fill("#explorer-full-spread_hi", "12")
    assert "--spread-lo -10 --spread-hi 12" in _agrees_with_cli(page)["command"]
    seed = page.input_value("#explorer-full-seed")
    page.click("text=New network")
    assert page.input_value("#explorer-full-seed") != seed
    state = _agrees_with_cli(page)

    # The address holds the whole state (once the controls rest): opening it again shows the same network and read-out.
    page.wait_for_function("s => new URLSearchParams(location.search).get('seed') === s", arg=page.input_value("#explorer-full-seed"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["seed"] == [page.input_value("#explorer-full-seed")] and query["biases"] == ["0"]
    again = page.context.new_page()
    again.goto(page.url)
    assert _state(again) == state
    again.close()

    # Copy link puts the address on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("text=Copy link")
    page.wait_for_function("document.querySelector('.rv-share-status').textContent === 'Link copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url

    # Download JSON saves exactly what the command prints.
    with page.expect_download() as download:
        page.click("text=Download JSON")
    saved = tmp_path / "explorer.json"
    download.value.save_as(saved)
    assert saved.read_text() == cli_output(state["command"])


def test_the_pointer_and_the_probe_slider_read_the_output_slope_and_mask(explore):
    page = explore.page
    box = page.locator(".rv-plot svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] / 2)
    at_pointer = page.text_content(".rv-probe")
    page.focus("#explorer-full-probe")
    page.keyboard.press("Home")
    at_left = page.text_content(".rv-probe")
    assert at_pointer != at_left and at_left.startswith("x = −100:")
    readout = page.evaluate("() => { const e = document.querySelector('.rv-explorer').explorer; return {"
                            "at: ReluvizCore.evaluate(e.wholeLine, -100), mask: [...document.querySelectorAll('.rv-mask .rv-units')].map("
                            "row => [...row.children].map(i => i.classList.contains('on') ? '1' : '0').join(''))}; }")
    from reluviz import Network, analyze_line

    net = Network.random([1, 10, 1], seed=0)
    pieces = analyze_line(net, -100, 100)
    assert readout["at"]["slope"] == float(pieces.slopes[0, 0])
    assert readout["mask"] == ["".join("1" if on else "0" for on in net.activation_pattern([-100.0])[0][0])]


def test_a_bad_address_shows_the_defaults_and_says_which_setting_was_ignored(server, browser):
    visit = Visit(browser, server + "explore/?width=999&seed=-1&init=bogus&lo=5&hi=1&layers=2")
    try:
        note = visit.page.locator(".rv-explorer .rv-note")
        assert note.is_visible()
        text = note.text_content()
        for name in ("width", "seed", "init", "lo and hi"):
            assert name in text, (name, text)
        assert visit.page.input_value("#explorer-full-width") == "10" and visit.page.input_value("#explorer-full-layers") == "2"
        assert visit.console_errors == []
    finally:
        visit.close()


@pytest.mark.parametrize(("scheme", "palette"), [("light", LIGHT), ("dark", DARK)])
def test_the_explorer_uses_the_figures_colours_and_passes_axe(server, browser, scheme, palette):
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(browser, server + "explore/", color_scheme=scheme)
    try:
        colours = visit.page.evaluate("() => ['.rv-output', '.rv-kinks', '.rv-negative'].map(s => getComputedStyle(document.querySelector(s)).stroke)")
        expected = [_rgb(palette.output), _rgb(palette.slope_change), _rgb(palette.negative)]
        assert colours == expected
        violations = Axe().run(visit.page).response["violations"]
        assert [v["id"] for v in violations] == []  # every impact level, not only serious ones
    finally:
        visit.close()


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_the_explorer_keeps_working_offline_and_fits_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in str(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # The browser's own late favicon fetch is the only request allowed to fail once the connection is gone.
    page.on("requestfailed", lambda r: None if r.url.endswith("favicon.png") else errors.append(f"{r.url} {r.failure}"))
    try:
        page.goto(server + "explore/")
        page.wait_for_load_state("networkidle")
        context.set_offline(True)
        page.fill("#explorer-full-seed", "11")
        assert "--seed 11" in _agrees_with_cli(page)["command"]
        fits = page.evaluate("() => { const e = document.querySelector('.rv-explorer'); return e.scrollWidth <= e.clientWidth; }")
        smallest = page.evaluate("() => Math.min(...[...document.querySelectorAll('.rv-plot text')].map(t => t.getBoundingClientRect().height))")
        assert fits and smallest >= 9
        assert errors == []
    finally:
        context.close()


def test_the_first_page_explorer_shows_figure_one_and_links_to_the_full_one(server, browser, built_project):
    visit = Visit(browser, server)
    page = visit.page
    try:
        figure = json.loads((built_project.site / "figures" / "relu-network-1d.json").read_text())
        shown = json.loads(page.evaluate("() => document.querySelector('#explorer-compact').explorer.json()"))
        assert shown["layers"] == figure["layers"] and shown["breakpoints"] == figure["breakpoints"]
        page.fill("#explorer-compact-seed", "3")
        link = page.get_attribute("#explorer-compact .rv-open", "href")
        assert "seed=3" in link
        page.click("#explorer-compact .rv-open")
        page.wait_for_load_state("networkidle")
        assert page.input_value("#explorer-full-seed") == "3"
        assert visit.console_errors == []
    finally:
        visit.close()


def test_figure_links_open_the_figures_own_network(server, browser, built_project):
    manifest = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    linked = {figure_id: entry["explorer"] for figure_id, entry in manifest["figures"].items() if entry.get("explorer")}
    assert {"relu-network-1d", "kinks-zoom", "linear-collapse", "bias-moves-kinks", "training-fit", "training-pieces"} <= set(linked)
    visit = Visit(browser, server + "explore/")
    try:
        for figure_id, query in linked.items():
            visit.page.goto(f"{server}explore/?{query}")
            if "step" in parse_qs(query):  # a training figure's: the Train panel trains to that step first
                visit.page.wait_for_function("([step]) => document.querySelector('.rv-explorer').explorer.panel.frames"
                                             ".at(-1)?.step === step", arg=[int(parse_qs(query)["step"][0])], timeout=60_000)
            shown = json.loads(visit.page.evaluate("() => document.querySelector('.rv-explorer').explorer.json()"))
            published = json.loads((built_project.site / "figures" / f"{figure_id}.json").read_text())
            trained = published.get("final_network") or published.get("live_network")
            if "step" in parse_qs(query):  # the network the figure's training ended with, to the bit
                assert shown["layers"] == trained["layers"], figure_id
            networks = [obj for obj in json_objects(published) if "layers" in obj]
            assert shown["layers"] in [n["layers"] for n in networks], figure_id
            same = [n for n in networks if all(n.get(key) == shown[key] for key in ("layers", "activation", "interval"))]
            assert all(n["breakpoints"] == shown["breakpoints"] for n in same if "breakpoints" in n), figure_id
        assert visit.console_errors == []
    finally:
        visit.close()
    pages = "".join(path.read_text() for path in Path(built_project.site).rglob("index.html"))
    assert pages.count("open in the explorer") >= len(linked)


def test_the_expected_count_is_claimed_only_where_its_assumptions_hold(server, browser):
    """Kogan, Jananthan and Kepner's N + 1 is for He-initialised ReLU networks with biases: each assumption unmet
    removes the claim and says which; the identity's read-outs count linear pieces, not sign changes."""
    visit = Visit(browser, server + "explore/")
    try:
        for query, claimed, reason in [("init=he", True, ""), ("init=he&biases=0", False, "no biases"),
                                       ("init=he&activation=leaky_relu", False, "leaky"), ("init=spread", False, "spread"),
                                       ("init=standard", False, "standard normal"), ("init=he&activation=identity", False, "linear")]:
            visit.page.goto(f"{server}explore/?{query}&width=12&layers=2")
            summary = visit.page.text_content(".rv-summary")
            assert ("is about the count to expect" in summary) == claimed, query
            assert claimed or ("is stated for He-initialised ReLU networks with biases" in summary and reason in summary), query
        assert "1 linear piece," in summary and "nothing bends" in summary
        assert visit.page.text_content(".rv-probe").endswith("linear piece 1 of 1")
        assert visit.console_errors == []
    finally:
        visit.close()


def test_each_task_opens_its_state_and_its_answer_is_the_explorers(server, browser, built_project):
    from reluviz.explorer_tasks import LINE_TASKS

    page = (built_project.site / "explore" / "index.html").read_text()
    answers = re.findall(r'<p class="rv-computed">(.*?)</p>', page)
    assert answers == [html.escape(task.solved(), quote=True) for task in LINE_TASKS] and len(answers) >= 4
    visit = Visit(browser, server + "explore/")
    try:
        for number, task in enumerate(LINE_TASKS, start=1):
            visit.page.click(f".rv-tasks > li:nth-child({number}) a")
            visit.page.wait_for_function("q => location.search === '?' + q && document.querySelector('.rv-explorer')?.explorer",
                                         arg=task.query())
            assert visit.page.evaluate("() => document.querySelector('.rv-explorer').explorer.state") == task.state()
        assert visit.console_errors == []
    finally:
        visit.close()


def test_on_a_phone_the_plot_stays_in_view_over_the_controls_and_every_target_is_44_pixels(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(server + "explore/")
        page.evaluate("document.querySelector('#explorer-full-width').closest('.rv-field').scrollIntoView(); window.scrollBy(0, -60)")
        plot, width = (page.locator(s).bounding_box() for s in (".rv-plot svg", "#explorer-full-width"))
        assert plot["y"] >= 0 and plot["y"] + plot["height"] <= 844 and 0 <= width["y"] <= 844 - width["height"]
        page.locator("#explorer-full-activation").scroll_into_view_if_needed()
        plot, control = (page.locator(s).bounding_box() for s in (".rv-plot svg", "#explorer-full-activation"))
        assert plot["y"] >= 0 and plot["y"] + plot["height"] <= control["y"], "the plot scrolled away from the controls"
        small = page.evaluate("""() => [...document.querySelectorAll('.rv-explorer button, .rv-explorer input, .rv-explorer select')]
            .filter(e => e.offsetParent !== null).map(e => [e.id || e.textContent, e.getBoundingClientRect()])
            .filter(([, r]) => r.height < 44 || r.width < 44).map(([name]) => name)""")
        assert small == []
        before = page.text_content(".rv-probe")
        page.tap(".rv-plot svg", position={"x": 80, "y": 100})
        assert page.text_content(".rv-probe") != before
    finally:
        context.close()
