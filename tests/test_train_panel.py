"""The Train panels of both explorers in Chromium: Play, Pause, Step and Reset, the timeline, the export (the CLI's own
run, bit for bit, with the exact counts the panel shows), the reader's clicked points in the address, a divergence
that stops with a message, Space, and axe."""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from reluviz import Network, analyze_line
from reluviz.measures import kink_spread
from reluviz.regions import analyze_plane

from .browsing import Visit
from .test_explorer import cli_output

EXPLORERS = {"line": ("explore/", "#explorer-full"), "plane": ("explore-plane/", "#plane-full")}
STATUS = "([panel, start]) => document.querySelector(`${panel} .rv-train-status`).textContent.startsWith(start)"
STEP = "panel => Number((document.querySelector(`${panel} .rv-train-status`).textContent.match(/^Step ([\\d,]+):/) || [0, '-1'])[1].replace(/,/g, ''))"


@pytest.fixture(params=list(EXPLORERS))
def explorer(request, server, browser):
    path, root = EXPLORERS[request.param]
    visit = Visit(browser, server + path)
    yield visit.page, root
    assert visit.console_errors == [] and visit.outside == [] and visit.failed == []
    visit.close()


def open_panel(page, root: str) -> str:
    panel = f"{root}-train"
    page.click(f"{panel} summary")
    wait_status(page, panel, "Step 0: loss")
    return panel


def wait_status(page, panel: str, start: str) -> None:
    page.wait_for_function(STATUS, arg=[panel, start])


def step_shown(page, panel: str) -> int:
    return page.evaluate(STEP, panel)


def download(page, panel: str, button: str, path: Path) -> str:
    with page.expect_download() as done:
        page.click(f"{panel} >> text={button}")
    done.value.save_as(path)
    return path.read_text()


def shown_command(page, panel: str, steps: int, data: Path | None = None) -> str:
    """The command the panel shows once it has drawn step ``steps``, with the data file (if any) at ``data``."""
    page.wait_for_function("([panel, end]) => document.querySelector(`${panel} .rv-train-command code`).textContent.endsWith(end)",
                           arg=[panel, f"--steps {steps} --json"])
    command = page.text_content(f"{panel} .rv-train-command code")
    if data is not None:
        words = command.split(" ")
        words[words.index("--data") + 1] = str(data)
        command = " ".join(words)
    return command


def exported_run(page, panel: str, tmp_path: Path, data: Path | None = None) -> dict:
    """Download the trained network; check that the shown command prints it, character for character."""
    text = download(page, panel, "Download the trained network", tmp_path / "trained.json")
    run = json.loads(text)
    assert text == cli_output(shown_command(page, panel, run["steps"], data))
    return run


def check_counts(page, root: str, panel: str, run: dict, data_x: list) -> None:
    """The count the panel states for the step is the package's exact count of the exported network."""
    net = Network([(layer["weight"], layer["bias"]) for layer in run["layers"]], run["activation"])
    status = page.text_content(f"{panel} .rv-train-status")
    if net.input_dim == 1:
        whole = analyze_line(net, -math.inf, math.inf)
        gaps = kink_spread(whole.breakpoints, data_x).occupied_gaps
        assert f"{whole.linear_pieces:,} linear piece" in status and f"kinks in {gaps:,} gap" in status, status
    else:
        corners = page.evaluate(f"() => {{ const e = document.querySelector('{root}').explorer; return e.corners(e.shownState); }}")
        assert f"{len(analyze_plane(net, tuple(corners)).regions):,} region" in status, status


def test_step_play_pause_reset_and_the_export_is_the_cli_s_run(explorer, tmp_path):
    page, root = explorer
    panel = open_panel(page, root)
    page.click(f"{panel} >> text=Step")
    wait_status(page, panel, "Step 1:")
    page.click(f"{panel} >> text=Play")
    page.wait_for_function(f"() => ({STEP})('{panel}') >= 20")
    page.click(f"{panel} >> text=Pause")
    run = exported_run(page, panel, tmp_path)
    assert run["steps"] >= 20 and page.get_attribute(f"{panel} button[aria-pressed]", "aria-pressed") == "false"
    wait_status(page, panel, f"Step {run['steps']:,}:")
    data = json.loads(download(page, panel, "Download the data", tmp_path / "data.json"))
    check_counts(page, root, panel, run, [row[0] for row in data["x"]])
    chart = page.get_attribute(f"{panel} svg", "aria-label")
    assert chart.startswith("From step 0 to") and page.locator(f"{panel} .rv-chart-loss").count() == 1
    page.click(f"{panel} >> text=Reset")
    wait_status(page, panel, "Step 0: loss")
    assert page.locator(f"{panel} .rv-chart-loss").count() == 0


def test_the_timeline_replays_a_drawn_step(explorer):
    page, root = explorer
    panel = open_panel(page, root)
    untrained = page.evaluate(f"async () => await document.querySelector('{root}').explorer.json()")
    for step in range(1, 4):
        page.click(f"{panel} >> text=Step")
        wait_status(page, panel, f"Step {step}:")
    after = page.evaluate(f"async () => await document.querySelector('{root}').explorer.json()")
    page.focus(f"{panel}-timeline")
    page.keyboard.press("Home")
    wait_status(page, panel, "Step 0:")
    replayed = page.evaluate(f"async () => await document.querySelector('{root}').explorer.json()")
    assert replayed == untrained != after
    page.keyboard.press("End")
    wait_status(page, panel, "Step 3:")
    assert page.evaluate(f"async () => await document.querySelector('{root}').explorer.json()") == after


def click_points(page, root: str, points: list[tuple[float, float, int]]) -> None:
    """Click the plot at these places, given as parts of the plot's width and height, with the class chosen first."""
    plot = page.locator(f"{root} canvas" if root == "#plane-full" else f"{root} .rv-plot svg")
    plot.evaluate("node => node.scrollIntoView({block: 'center'})")
    if root == "#plane-full":
        box, margin = plot.bounding_box(), {"left": 46, "top": 8, "right": 8}
        size = box["width"] - margin["left"] - margin["right"]
        area = (box["x"] + margin["left"], box["y"] + margin["top"], size, size)
    else:
        box = plot.bounding_box()
        area = (box["x"] + 52, box["y"] + 22, box["width"] - 64, 150)
    for fx, fy, label in points:
        if root == "#plane-full":
            page.select_option(f"{root}-train-class", str(label))
        page.mouse.click(area[0] + fx * area[2], area[1] + fy * area[3])


def test_clicked_points_go_into_the_address_survive_a_reload_and_train_as_the_cli(explorer, tmp_path):
    page, root = explorer
    panel = open_panel(page, root)
    page.select_option(f"{panel}-dataset", "own")
    wait_status(page, panel, "Add at least one point")
    click_points(page, root, [(0.2, 0.3, 0), (0.5, 0.8, 1), (0.7, 0.4, 1), (0.9, 0.6, 0)])
    page.wait_for_function("() => (new URLSearchParams(location.search).get('own') || '').split(',').length === 4")
    own = parse_qs(urlsplit(page.url).query)["own"][0]
    again = page.context.new_page()
    again.goto(page.url.split("?")[0] + "?" + urlencode({**{k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}, "step": 5}))
    wait_status(again, panel, "Step 5: loss")
    assert again.input_value(f"{panel}-dataset") == "own" and len(again.input_value(f"{panel}-own").splitlines()) == 4
    data = tmp_path / "points.json"
    download(again, panel, "Download the data", data)
    run = exported_run(again, panel, tmp_path, data)
    assert run["steps"] == 5
    again.wait_for_function("own => new URLSearchParams(location.search).get('own') === own", arg=own)
    again.close()


def test_points_in_a_bad_address_are_refused_with_a_note(server, browser):
    visit = Visit(browser, server + "explore/?dataset=own&own=1:2,bogus,3:4")
    try:
        note = visit.page.text_content("#explorer-full .rv-note")
        assert "own (point 2" in note and visit.page.input_value("#explorer-full-train-own") == ""
        assert visit.console_errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("kind", list(EXPLORERS))
def test_a_divergence_stops_the_run_with_a_message_naming_the_step(server, browser, kind):
    from reluviz.build.twin import shared_script, shared_values

    values = shared_values()
    for control in values["training"]["lineControls"] + values["training"]["planeControls"]:
        if control["name"] == "learning_rate":
            control["high"] = 1e308  # a learning rate no control allows, to make the run blow up
    path, root = EXPLORERS[kind]
    visit = Visit(browser, f"{server}{path}?learning_rate=1e300", route=("**/explorer/reluviz-shared.js", shared_script(values)))
    try:
        page, panel = visit.page, f"{root}-train"
        wait_status(page, panel, "Step 0: loss")
        page.click(f"{panel} >> text=Step")
        wait_status(page, panel, "Training stopped: training diverged at step 1:")
        assert "Lower the learning rate" in page.text_content(f"{panel} .rv-train-status")
        page.click(f"{panel} >> text=Play")
        page.wait_for_timeout(300)
        assert page.get_attribute(f"{panel} button[aria-pressed]", "aria-pressed") == "false"
        assert "NaN" not in page.text_content(f"{root} .rv-summary") and visit.console_errors == []
    finally:
        visit.close()


def test_space_plays_and_pauses(explorer):
    page, root = explorer
    panel = open_panel(page, root)
    page.focus(f"{panel}-points")
    page.keyboard.press(" ")
    page.wait_for_function(f"() => ({STEP})('{panel}') >= 3")
    assert page.get_attribute(f"{panel} button[aria-pressed]", "aria-pressed") == "true"
    page.keyboard.press(" ")
    assert page.get_attribute(f"{panel} button[aria-pressed]", "aria-pressed") == "false"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", list(EXPLORERS))
def test_the_panel_passes_axe_and_fits_a_phone(server, browser, kind, width):
    from axe_playwright_python.sync_playwright import Axe

    path, root = EXPLORERS[kind]
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + path + "?step=3")
        wait_status(page, f"{root}-train", "Step 3: loss")
        page.click(f"{root}-train >> text=Step")
        wait_status(page, f"{root}-train", "Step 4: loss")
        violations = Axe().run(page, context=root).response["violations"]
        assert [v["id"] for v in violations] == []
        fits = page.evaluate(f"() => {{ const e = document.querySelector('{root}'); return e.scrollWidth <= e.clientWidth; }}")
        assert fits
        if width == 390:
            heights = page.evaluate(f"() => [...document.querySelectorAll('{root}-train button, {root}-train select')].filter(b => b.offsetParent).map(b => b.getBoundingClientRect().height)")
            assert min(heights) >= 44
    finally:
        context.close()
