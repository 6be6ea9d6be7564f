"""Training in Chromium is the package's to the bit: in a Web Worker that loads the site's own scripts, after k steps
the JSON of reluviz-train.js equals what ``reluviz train … --steps k --json`` prints, character for character, on
random settings of both explorers (both losses, every generated data set, a reader's clicked points); a run that
diverges stops at the same step with the same line; the data sets' JSON is the package's, and so are the trained
networks' exact pieces (one input) or regions (two)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import shlex
from pathlib import Path

import pytest

from reluviz import Network, analyze_line, portable_math
from reluviz.cli import main as cli_main
from reluviz.datasets import CURVES, LABELLED, LABELLED_SETS, curve_data, data_json, write_data
from reluviz.export import to_json
from reluviz.portable_random import MAX_SEED
from reluviz.regions import analyze_plane

from .browsing import Visit

SETTINGS = 60
STEP_COUNTS = (1, 7, 50)
SCRIPTS = ("reluviz-shared.js", "reluviz-exact.js", "reluviz-line.js", "reluviz-core.js", "reluviz-plane.js", "reluviz-train.js")
SQUARE = (-3.0, 3.0, -3.0, 3.0)  # where the trained 2-D networks' regions are cut
CLICKED = {  # a reader's points, as the page would hold them: a few on the plot, one class per button
    1: {"x": [[-2.5], [-1.0], [0.0], [0.75], [1.5], [3.0]], "y": [[1.0], [-0.5], [0.25], [0.5], [2.0], [-1.0]]},
    2: {"x": [[0.5, -1.0], [1.25, 0.0], [-2.0, 2.0], [0.1, 0.1], [-1.5, -0.5], [2.0, 1.75]],
        "y": [[1.0], [0.0], [1.0], [0.0], [0.0], [1.0]]},
}
# A Worker made from the site's scripts: for each case it trains, steps k times and answers the JSON or the line.
WORKER = """importScripts(...self.name.split(" "));
onmessage = ({data: [cases, square]}) => postMessage(cases.map(({settings, steps, own}) => {
  try {
    const data = ReluvizTrain.dataOf(settings, own && ReluvizTrain.fromRows(own.x, own.y));
    const trainer = ReluvizTrain.start(settings, data);
    trainer.step(steps);
    if (trainer.diverged) return {error: trainer.diverged, data: ReluvizTrain.dataJson(data)};
    const net = trainer.network(), exact = data.inputs === 1
      ? ReluvizCore.cliJson(ReluvizCore.analyzeLine(net, -Infinity, Infinity)) : ReluvizPlane.cliJson(ReluvizPlane.analyze(net, square));
    return {json: trainer.cliJson(), data: ReluvizTrain.dataJson(data), exact};
  } catch (error) { return {error: "JavaScript: " + error.message}; }
}));"""
RUN = """async ([urls, cases, source, square]) => {
  const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})), {name: urls.join(" ")});
  const answer = await new Promise((resolve) => { worker.onmessage = ({data}) => resolve(data); worker.postMessage([cases, square]); });
  worker.terminate();
  return answer;
}"""


def train_settings(count: int) -> list[dict]:
    """Both explorers' settings, small networks mostly, the extremes among them; a clicked data set in each."""
    chooser = random.Random(20261202)
    cases = []
    for index in range(count):
        inputs = 1 + index % 2
        settings = {
            "width": chooser.choice([1, 2, 5, 8, 16]), "layers": chooser.choice([1, 1, 2, 3]),
            "seed": chooser.choice([0, 1, 7, 2**32 + 5, MAX_SEED]), "init": chooser.choice(["he", "he", "standard", "spread"]),
            "activation": chooser.choice(["relu", "relu", "leaky_relu", "identity"]), "biases": chooser.random() < 0.85,
            "spread_lo": chooser.choice([-100.0, -4.0]), "spread_hi": chooser.choice([100.0, 4.0]),
            "learning_rate": chooser.choice([0.01, 0.03, 0.1, 0.001, 2.5]),
            "points": chooser.choice([2, 9, 64, 200]),
        }
        clicked = index % 10 in (4, 5)
        if inputs == 1:
            settings |= {"dataset": "own" if clicked else chooser.choice(list(CURVES)), "loss": "mse"}
        else:
            settings |= {"dataset": "own" if clicked else chooser.choice(LABELLED_SETS),
                         "data_seed": chooser.choice([0, 3, 99, MAX_SEED]), "noise": chooser.choice([0.0, 0.2, 1.5]),
                         "loss": chooser.choice(["logistic", "logistic", "mse"])}
        cases.append({"settings": settings, "steps": STEP_COUNTS[index % len(STEP_COUNTS)], "inputs": inputs})
    first = cases[0]["settings"]  # a learning rate that blows up, and one (on one point) that runs a bias off
    cases.append({"settings": {**first, "learning_rate": 1e300}, "steps": 7, "inputs": 1})
    cases.append({"settings": {**cases[1]["settings"], "dataset": "own", "loss": "logistic", "learning_rate": 1.7e308,
                               "activation": "relu", "biases": False}, "steps": 7, "inputs": 2,
                  "own": {"x": [[0.0, 0.0]], "y": [[0.0]]}})  # only the output's bias learns, and the loss stays 0
    for case in cases:
        if case["settings"]["dataset"] == "own":
            case.setdefault("own", CLICKED[case["inputs"]])
    return cases


def command(case: dict, data_file: Path | None) -> str:
    """The command the page shows for this run: the network's flags, then the data's, then the training's."""
    s = case["settings"]
    words = ["reluviz", "train", "--width", s["width"], "--depth", s["layers"], "--seed", s["seed"], "--init", s["init"],
             "--activation", s["activation"], "--spread-lo", s["spread_lo"], "--spread-hi", s["spread_hi"]]
    words += [] if s["biases"] else ["--no-biases"]
    if data_file is not None:
        words += ["--data", data_file]
    else:
        words += ["--dataset", s["dataset"], "--points", s["points"]]
        words += ["--data-seed", s["data_seed"], "--noise", s["noise"]] if case["inputs"] == 2 else []
    words += ["--learning-rate", s["learning_rate"], "--loss", s["loss"], "--steps", case["steps"], "--json"]
    return shlex.join(str(word) for word in words)


def cli_answer(line: str) -> str:
    """What the command prints: its JSON, or its one-line error without the 'reluviz: error: ' before it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(shlex.split(line)[1:])
    return out.getvalue().removesuffix("\n") if code == 0 else err.getvalue().strip().removeprefix("reluviz: error: ")


@pytest.fixture
def page(server, browser):
    visit = Visit(browser, server)
    yield visit.page
    assert visit.console_errors == [] and visit.outside == [] and visit.failed == []
    visit.close()


def package_data(case: dict) -> tuple:
    """The data set the case trains on, as the package draws it."""
    s = case["settings"]
    if "own" in case:
        return case["own"]["x"], case["own"]["y"]
    if s["dataset"] in CURVES:
        return curve_data(s["dataset"], s["points"])
    return LABELLED[s["dataset"]](s["points"], s["data_seed"], s["noise"])


def exact_json(trained: str) -> str:
    """The package's exact analysis of a trained network (its JSON as ``reluviz train`` printed it): the whole line,
    or the regions in SQUARE."""
    document = json.loads(trained)
    net = Network([(layer["weight"], layer["bias"]) for layer in document["layers"]], document["activation"])
    analysis = analyze_line(net, -math.inf, math.inf) if net.input_dim == 1 else analyze_plane(net, SQUARE)
    return to_json(analysis.to_dict())


def test_the_browser_trains_the_package_s_networks_to_the_bit(page, server, tmp_path):
    cases = train_settings(SETTINGS)
    answers = page.evaluate(RUN, [[f"{server}explorer/{name}" for name in SCRIPTS],
                                  [{k: v for k, v in case.items() if k != "inputs"} for case in cases], WORKER, list(SQUARE)])
    differing, kinds = [], set()
    for index, (case, answer) in enumerate(zip(cases, answers)):
        data_file = None
        if "own" in case:
            data_file = tmp_path / f"points-{index}.json"
            write_data(data_file, case["own"]["x"], case["own"]["y"])
        line = command(case, data_file)
        expected, got = cli_answer(line), answer.get("json", answer.get("error"))
        kinds.add((case["inputs"], case["settings"]["loss"], case["settings"]["dataset"], "error" in answer))
        if got != expected:
            differing.append(f"{line}\n  package: {expected[:200]}\n  browser: {got[:200]}")
        elif answer.get("data") != data_json(*package_data(case)):
            differing.append(f"{line}\n  the data sets differ: {answer.get('data', '')[:200]}")
        elif "json" in answer and answer["exact"] != exact_json(expected):
            differing.append(f"{line}\n  the trained network's exact pieces or regions differ")
    assert differing == [], f"{len(differing)} of {len(cases)} runs differ, first: {differing[:2]}"
    assert {(i, loss) for i, loss, _, _ in kinds} == {(1, "mse"), (2, "mse"), (2, "logistic")}
    assert {dataset for _, _, dataset, _ in kinds} == {*CURVES, *LABELLED_SETS, "own"}
    diverged = [answer["error"] for answer in answers if "error" in answer]
    assert any("the loss is no longer" in line for line in diverged) and any("a weight or bias" in line for line in diverged)
    print(f"\n{len(cases)} runs give the CLI's JSON (or its line), character for character; {len(diverged)} diverged")



def test_the_browser_s_exp_log1p_sin_and_cos_are_the_package_s_bits(page, server):
    chooser = random.Random(7)
    exps = [0.0, -0.0, 1.0, -1.0, 709.0, portable_math.EXP_MAX, -708.0, -709.5, -745.0, -745.2, -746.0, -1e308, 1e-300,
            *(chooser.uniform(-745.5, 709.7) for _ in range(300)), *(chooser.uniform(-1, 1) for _ in range(100))]
    units = [0.0, 5e-324, 1e-300, 1e-17, 0.5, 1.0, *(chooser.random() for _ in range(300)), *(10 ** chooser.uniform(-300, 0) for _ in range(100))]
    angles = [0.0, -0.0, 1e-300, math.pi, -math.pi / 2, 22.0, portable_math.TRIG_MAX, -portable_math.TRIG_MAX,
              *(chooser.uniform(-25, 25) for _ in range(300)), *(chooser.uniform(-portable_math.TRIG_MAX, portable_math.TRIG_MAX) for _ in range(100))]
    for name in SCRIPTS:
        page.add_script_tag(url=f"{server}explorer/{name}")
    got = page.evaluate("([e, u, a]) => [e.map(ReluvizTrain.exp), u.map(ReluvizTrain.log1p), a.map(ReluvizTrain.sin), a.map(ReluvizTrain.cos)]",
                        [exps, units, angles])
    expected = [portable_math.exp(exps), portable_math.log1p(units), portable_math.sin(angles), portable_math.cos(angles)]
    for name, browser, package in zip(("exp", "log1p", "sin", "cos"), got, expected):
        browser = [float(b) for b in browser]  # a large whole number comes back as an int, from its shortest digits
        differing = [(b, p) for b, p in zip(browser, package.tolist()) if b != p or math.copysign(1, b) != math.copysign(1, p)]
        assert differing == [], f"{name}: {len(differing)} values differ, first {differing[:3]}"
