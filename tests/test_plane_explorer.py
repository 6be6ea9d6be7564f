"""The 2-D explorer in Chromium: the package's regions to the bit, its counts and bounds, every control, the address,
both palettes, a phone's screen, and the cases a reader's link or zoom can reach."""

from __future__ import annotations

import json
import math
import random
from urllib.parse import parse_qs, urlsplit

import pytest

from reluviz import Network
from reluviz.experiments import without_biases
from reluviz.explorer import PLANE_CONTROLS
from reluviz.portable_random import MAX_SEED
from reluviz.regions import region_upper_bound, whole_plane_regions

from .browsing import Visit
from .test_explorer import cli_output

IDENTITY_SETTINGS = 120
PAGE = "explore-plane/"
DRAWN = "document.querySelector('#plane-full .rv-summary').textContent.includes('activation region')"
# Asks the page's own worker file for each setting's JSON (and, where asked, its whole-plane count), one at a time.
WORKER_RUN = """async ([url, all, task]) => {
  const worker = new Worker(url), out = [];
  for (const [i, state] of all.entries()) {
    out.push(await new Promise((resolve) => { worker.onmessage = ({data}) => resolve(data); worker.postMessage({id: i, task, state}); }));
  }
  worker.terminate();
  return out;
}"""
COMMAND = "all => all.map(s => new ReluvizUI.Settings(ReluvizShared.plane.controls).command('regions', s))"


def plane_settings(count: int) -> list[dict]:
    """Small networks mostly, so that the CLI keeps up, with the extremes of every control among them."""
    chooser = random.Random(20261201)
    chosen = [
        {"width": 32, "layers": 2, "seed": MAX_SEED, "init": "he", "activation": "relu", "biases": True, "half": 3.0, "x": 0.0, "y": 0.0},
        {"width": 1, "layers": 1, "seed": 0, "init": "standard", "activation": "relu", "biases": False, "half": 3.0, "x": 0.0, "y": 0.0},
        {"width": 4, "layers": 4, "seed": 5, "init": "spread", "activation": "leaky_relu", "biases": True, "half": 150.0, "x": 10.0, "y": -3.0},
        {"width": 3, "layers": 1, "seed": 2, "init": "standard", "activation": "relu", "biases": True, "half": 2.0**-20, "x": 1e9, "y": -1e9},
    ]
    while len(chosen) < count:
        chosen.append({
            "width": chooser.choice([1, 2, 3, 5, 8, 12]), "layers": chooser.choice([1, 1, 2, 2, 3]),
            "seed": chooser.choice([0, 1, 7, 99, 2**32 + 5, 123456789012]),
            "init": chooser.choice(["standard", "he", "spread"]),
            "activation": chooser.choice(["relu", "leaky_relu", "identity"]), "biases": chooser.random() < 0.8,
            "half": chooser.choice([3.0, 0.5, 20.0, 1e-3, 1e4]), "x": chooser.choice([0.0, 0.3, -1.25]), "y": chooser.choice([0.0, 2.5]),
        })
    return chosen


def network_of(state: dict) -> Network:
    net = Network.random([2, *[state["width"]] * state["layers"], 1], activation=state["activation"], init=state["init"], seed=state["seed"])
    return net if state["biases"] else without_biases(net)


@pytest.fixture
def plane(server, browser):
    visit = Visit(browser, server + PAGE)
    visit.page.wait_for_function(DRAWN)
    yield visit
    assert visit.console_errors == [] and visit.outside == [] and visit.failed == []
    visit.close()


def test_the_plane_explorer_cuts_the_packages_regions_to_the_bit(plane, server):
    settings = plane_settings(IDENTITY_SETTINGS)
    commands = plane.page.evaluate(COMMAND, settings)
    results = plane.page.evaluate(WORKER_RUN, [server + "explorer/plane-worker.js", settings, "json"])
    differing = [command for command, result in zip(commands, results) if result.get("json", result.get("error")) + "\n" != cli_output(command)]
    assert differing == [], f"{len(differing)} of {len(settings)} settings differ, first: {differing[:3]}"
    counts = [len(json.loads(result["json"])["regions"]) for result in results]
    print(f"\n{len(settings)} settings give the CLI's JSON, character for character ({sum(counts):,} regions, up to {max(counts):,} in one)")


def test_the_whole_plane_is_counted_as_the_package_counts_it(plane, server):
    settings = [s for s in plane_settings(60) if s["width"] * s["layers"] <= 24][:30]
    results = plane.page.evaluate(WORKER_RUN, [server + "explorer/plane-worker.js", settings, "whole"])
    for state, result in zip(settings, results):
        try:
            expected = len(whole_plane_regions(network_of(state))[0])
        except ValueError:
            expected = None
        assert result["count"] == expected, state


def test_the_bounds_are_the_packages_for_every_shape_the_explorer_offers(plane, server):
    for name in ("reluviz-exact.js", "reluviz-line.js", "reluviz-core.js", "reluviz-plane.js"):
        plane.page.add_script_tag(url=f"{server}explorer/{name}")
    controls = {c.name: c for c in PLANE_CONTROLS}
    shapes = [(width, depth, a) for width in range(1, int(controls["width"].high) + 1)
              for depth in range(1, int(controls["layers"].high) + 1) for a in controls["activation"].choices]
    got = plane.page.evaluate("all => all.map(([w, d, a]) => ReluvizPlane.regionUpperBound(Array(d).fill(w), a))", shapes)
    assert got == [region_upper_bound([width] * depth, a) for width, depth, a in shapes]


def _state(page) -> dict:
    return page.evaluate("""async () => { const e = document.querySelector('#plane-full').explorer;
        return {json: await e.json(), command: document.querySelector('#plane-full .rv-command code').textContent,
                summary: document.querySelector('#plane-full .rv-summary').textContent}; }""")


def _after(page, act) -> dict:
    """Do ``act`` (a callable), wait for the canvas to be redrawn, and check the shown command prints the JSON."""
    page.evaluate("() => { window.rvDrawn = new Promise(r => document.querySelector('#plane-full').addEventListener('rv-drawn', r, {once: true})); }")
    act()
    page.evaluate("() => window.rvDrawn")
    state = _state(page)
    assert state["json"] + "\n" == cli_output(state["command"]), state["command"]
    return state


def test_every_control_and_key_changes_the_view_and_the_command_reproduces_it(plane, tmp_path):
    page = plane.page
    before = _after(page, lambda: page.fill("#plane-full-seed", "1"))
    page.focus("#plane-full-width")
    after = _after(page, lambda: page.keyboard.press("ArrowRight"))
    assert "--width 7" in after["command"] and after["summary"] != before["summary"]
    _after(page, lambda: (page.focus("#plane-full-layers"), page.keyboard.press("ArrowRight")))
    for act, option in [
        (lambda: page.select_option("#plane-full-init", "he"), "--init he"),
        (lambda: page.select_option("#plane-full-activation", "leaky_relu"), "--activation leaky_relu"),
        (lambda: page.uncheck("#plane-full-biases"), "--no-biases"),
        (lambda: page.fill("#plane-full-half", "2"), "--half-width 2"),
        (lambda: page.fill("#plane-full-x", "0.5"), "--centre-x 0.5"),
        (lambda: page.fill("#plane-full-y", "-1"), "--centre-y -1"),
        (lambda: page.click("#plane-full >> text=Zoom in"), "--half-width 1 "),
        (lambda: page.click("#plane-full >> text=Zoom out"), "--half-width 2 "),
        (lambda: page.click("[aria-label='Pan right']"), "--centre-x 1 "),
        (lambda: page.click("[aria-label='Pan up']"), "--centre-y -0.5 "),
        (lambda: (page.focus("#plane-full canvas"), page.keyboard.press("Shift+ArrowLeft")), "--centre-x 0.5 "),
        (lambda: page.keyboard.press("+"), "--half-width 1 "),
        (lambda: page.keyboard.press("-"), "--half-width 2 "),
        (lambda: page.click("#plane-full >> text=Reset view"), "--half-width 1.15"),
    ]:
        assert option in _after(page, act)["command"], option
    seed = page.input_value("#plane-full-seed")
    _after(page, lambda: page.click("#plane-full >> text=New network"))
    assert page.input_value("#plane-full-seed") != seed
    state = _state(page)

    # The address holds the whole state once the controls rest: opening it again shows the same regions.
    page.wait_for_function("s => new URLSearchParams(location.search).get('seed') === s", arg=page.input_value("#plane-full-seed"))
    assert parse_qs(urlsplit(page.url).query)["biases"] == ["0"]
    again = page.context.new_page()
    again.goto(page.url)
    again.wait_for_function(DRAWN)
    assert _state(again)["json"] == state["json"]
    again.close()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#plane-full >> text=Copy link")
    page.wait_for_function("document.querySelector('#plane-full .rv-share-status').textContent === 'Link copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    with page.expect_download() as download:
        page.click("#plane-full >> text=Download JSON")
    saved = tmp_path / "regions.json"
    download.value.save_as(saved)
    assert saved.read_text() == cli_output(state["command"])


def test_the_probe_reads_the_region_its_map_and_its_units(plane):
    page = plane.page
    page.focus("#plane-full canvas")
    centre = page.text_content("#plane-full .rv-probe")
    page.keyboard.press("ArrowRight")
    moved = page.text_content("#plane-full .rv-probe")
    assert centre.startswith("At (0, 0): region") and moved.startswith("At (0.05") and "output is" in moved
    shown = page.evaluate("""async () => { const e = document.querySelector('#plane-full').explorer, p = e.probePoint(), k = e.regions.at(...p);
        const value = e.regions.output(k, ...p);
        return {k, point: p, value, text: ReluvizUI.format(value), json: JSON.parse(await e.json())}; }""")
    region = shown["json"]["regions"][shown["k"]]
    net = network_of({c.name: c.default for c in PLANE_CONTROLS} | starting_state(page))
    assert region["pattern"] == ["".join("1" if on else "0" for on in layer[0]) for layer in net.activation_pattern([shown["point"]])]
    assert math.isclose(shown["value"], float(net.forward([shown["point"]])[0, 0]), rel_tol=1e-12, abs_tol=1e-12)
    assert moved.endswith(f"= {shown['text']}.")
    box = page.locator("#plane-full canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + 20)
    assert page.text_content("#plane-full .rv-probe") != moved
    pictures = page.locator("#plane-full .rv-mask .rv-units").count()
    assert pictures == 1


def starting_state(page) -> dict:
    """The explorer's starting state, from its container (the regions figure's network)."""
    query = parse_qs(page.get_attribute("#plane-full", "data-state"))
    controls = {c.name: c for c in PLANE_CONTROLS}
    kinds = {"integer": int, "number": float, "choice": str, "switch": lambda v: v == "1"}
    return {name: kinds[controls[name].kind](values[0]) for name, values in query.items()}


def test_a_bad_address_and_the_far_reaches_give_a_note_and_never_a_blank_square(server, browser):
    visit = Visit(browser, server + PAGE + "?width=99&seed=-1&init=bogus&half=0&layers=2&x=nan")
    try:
        visit.page.wait_for_function(DRAWN)
        note = visit.page.text_content("#plane-full .rv-note")
        for name in ("width", "seed", "init", "half", "x ("):
            assert name in note, (name, note)
        assert visit.page.input_value("#plane-full-layers") == "2"
        visit.page.goto(server + PAGE + "?half=9.5367431640625e-07&x=1000000000&y=-1000000000&width=8&layers=2")
        visit.page.wait_for_function(DRAWN)
        assert _state(visit.page)["json"] + "\n" == cli_output(_state(visit.page)["command"])
        visit.page.click("#plane-full >> text=Zoom in")
        assert "half-width stays" in visit.page.text_content("#plane-full .rv-note")
        assert visit.console_errors == []
    finally:
        visit.close()


def test_more_regions_than_the_limit_are_refused_with_a_note(server, browser):
    from reluviz.build.twin import shared_script, shared_values

    values = shared_values()
    values["plane"]["regionLimit"] = 50
    visit = Visit(browser, server + PAGE + "?width=16&layers=2", route=("**/explorer/reluviz-shared.js", shared_script(values)))
    try:
        visit.page.wait_for_function("document.querySelector('#plane-full .rv-summary').textContent.includes('More than 50 regions')")
        assert visit.page.locator("#plane-full .rv-plane-plot.rv-stale").count() == 1 and visit.console_errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_plane_explorer_passes_axe_and_fits_a_phone(server, browser, scheme, width):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + PAGE)
        page.wait_for_function(DRAWN)
        violations = Axe().run(page, context="#plane-full").response["violations"]
        assert [v["id"] for v in violations] == []
        fits = page.evaluate("() => { const e = document.querySelector('#plane-full'); return e.scrollWidth <= e.clientWidth; }")
        assert fits
        if width == 390:  # the square and the first controls on one screen, the square kept in view while scrolling
            page.locator("#plane-full canvas").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, 300)")
            canvas, layers = (page.locator(s).bounding_box() for s in ("#plane-full canvas", "#plane-full-layers"))
            assert canvas["y"] >= 0 and layers["y"] + layers["height"] <= 844 and canvas["y"] + canvas["height"] <= layers["y"]
    finally:
        context.close()


def test_the_plane_explorer_keeps_working_offline(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in str(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server + PAGE)
        page.wait_for_function(DRAWN)
        page.wait_for_function("document.querySelector('#plane-full .rv-summary').textContent.includes('whole plane')")
        context.set_offline(True)
        state = _after(page, lambda: page.fill("#plane-full-seed", "11"))
        assert "--seed 11" in state["command"]
        page.wait_for_function("document.querySelector('#plane-full .rv-summary').textContent.includes('in the whole plane')")
        assert errors == []
    finally:
        context.close()


def test_one_layer_counts_say_when_the_formula_holds(plane):
    page = plane.page
    summary = _after(page, lambda: page.fill("#plane-full-seed", "4"))["summary"]
    assert "1 + n + n(n − 1)/2 = 22" in summary
    page.wait_for_function("document.querySelector('#plane-full .rv-summary').textContent.includes('These lines are')")
    summary = _after(page, lambda: page.uncheck("#plane-full-biases"))["summary"]
    assert "2n = 12" in summary and "1 + n" not in summary
    summary = _after(page, lambda: page.select_option("#plane-full-activation", "identity"))["summary"]
    assert "nothing bends" in summary
    page.check("#plane-full-biases")
    summary = _after(page, lambda: (page.focus("#plane-full-layers"), page.keyboard.press("ArrowRight")))["summary"]
    assert f"more than {region_upper_bound([6, 6], 'identity'):,} regions" in summary and "not a count to expect" in summary
