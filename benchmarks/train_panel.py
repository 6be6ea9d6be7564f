"""How fast the explorers' Train panels train and redraw in Chromium, and what all the explorers' files weigh; prints
Markdown tables.

Run by hand from the project root, after building the site: python benchmarks/train_panel.py [--site site]
For 1 × 16 units in the 1-D explorer and 2 × 16 in the 2-D one, each on 200 points: the worker's own speed (Trainer
steps in a Web Worker, nothing drawn), then the panel playing at its fastest speed for --seconds: the training steps
it reached per second, the steps drawn and counted exactly per second, the median time of one 1-D redraw (analysis,
drawing and count, on the page's thread), and every main-thread task longer than 50 ms (the Long Tasks API).
Nothing here is asserted; the goals are printed beside the figures.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.explorer_step import serve  # noqa: E402  (one static server for the benchmarks)
from tests.browsing import CHROMIUM_FLAGS  # noqa: E402  (one list of the flags the browser runs with)

GOALS = {"line": (200, 0), "plane": (60, 10)}  # steps per second, redraws per second
WEIGHT_GOAL = 45_000
LONG_TASK_MS = 50.0
CASES = {  # the explorer, its address and its root
    "line": ("explore/?width=16&layers=1&seed=3&init=he&dataset=sin&points=200", "#explorer-full", "1 × 16, 1-D"),
    "plane": ("explore-plane/?width=16&layers=2&seed=3&init=he&dataset=xor&points=200&half=3", "#plane-full", "2 × 16, 2-D"),
}
SCRIPTS = ("reluviz-shared.js", "reluviz-exact.js", "reluviz-line.js", "reluviz-core.js", "reluviz-train.js")
# The Trainer alone in a Worker made from the site's scripts: steps per second over `steps` steps.
WORKER = """importScripts(...self.name.split(" "));
onmessage = ({data: [settings, steps]}) => {
  const trainer = ReluvizTrain.start(settings, null), t0 = performance.now();
  trainer.step(steps);
  postMessage(steps / ((performance.now() - t0) / 1000));
};"""
RAW = """async ([urls, source, settings, steps]) => {
  const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})), {name: urls.join(" ")});
  const rate = await new Promise((resolve) => { worker.onmessage = ({data}) => resolve(data); worker.postMessage([settings, steps]); });
  worker.terminate();
  return rate;
}"""
# The panel playing at its fastest speed for `seconds`: steps reached and frames counted per second, long tasks.
PLAY = """async ([root, seconds]) => {
  const explorer = document.querySelector(root).explorer, panel = explorer.panel, long = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration))).observe({type: 'longtask'});
  panel.speed.value = String(Math.max(...ReluvizShared.training.stepsPerSecond));
  const first = panel.frames.length, firstStep = panel.frames[first - 1].step, t0 = performance.now();
  panel.resume();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000, drawn = panel.frames.slice(first);
  panel.pause();
  const redraws = [];
  if (root === '#explorer-full') {
    for (const frame of drawn.slice(-50)) {
      const t = performance.now();
      explorer.showTrained(frame.network, {...frame, step: undefined});
      explorer.root.getBoundingClientRect();
      redraws.push(performance.now() - t);
    }
  }
  redraws.sort((a, b) => a - b);
  return {steps: (drawn[drawn.length - 1].step - firstStep) / elapsed, redraws: drawn.length / elapsed,
          redrawMs: redraws.length ? redraws[Math.floor(redraws.length / 2)] : null, long: long.length,
          longest: long.length ? Math.max(...long) : 0};
}"""


def settings_of(address: str) -> dict:
    """The Trainer settings the panel starts from at this address (the defaults of both tables, then the address)."""
    from urllib.parse import parse_qsl

    from reluviz.explorer import LINE_CONTROLS, PLANE_CONTROLS, TRAIN_LINE_CONTROLS, TRAIN_PLANE_CONTROLS

    plane = address.startswith("explore-plane/")
    tables = (LINE_CONTROLS, PLANE_CONTROLS, TRAIN_PLANE_CONTROLS) if plane else (LINE_CONTROLS, TRAIN_LINE_CONTROLS)
    controls = {control.name: control for table in tables for control in table}
    settings = {name: control.default for name, control in controls.items()}
    for name, value in parse_qsl(address.split("?")[1]):
        settings[name] = {"integer": int, "number": float}.get(controls[name].kind, str)(value)
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/)")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the panel plays in each explorer")
    parser.add_argument("--raw-steps", type=int, default=2000, help="Trainer steps timed in the worker alone")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not (args.site / "explore" / "index.html").is_file():
        sys.exit(f"benchmark: error: {args.site} holds no built explorer; run properdocs build first")
    from playwright.sync_api import sync_playwright

    url = serve(args.site)
    print("| network, explorer | worker alone, steps/s | panel at full speed, steps/s | steps drawn and counted/s | "
          "1-D redraw median ms | tasks over 50 ms (longest ms) | goal |")
    print("|---|---:|---:|---:|---:|---:|---|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for kind, (address, root, name) in CASES.items():
            page.goto(url + address)
            page.wait_for_function("root => document.querySelector(`${root}-train .rv-train-status`).textContent.startsWith('Step 0: loss')", arg=root)
            raw = page.evaluate(RAW, [[f"{url}explorer/{script}" for script in SCRIPTS], WORKER, settings_of(address), args.raw_steps])
            r = page.evaluate(PLAY, [root, args.seconds])
            steps, redraws = GOALS[kind]
            goal = f"≥ {steps} steps/s" + (f", ≥ {redraws} redraws/s" if redraws else "")
            redraw = f"{r['redrawMs']:.2f}" if r["redrawMs"] is not None else "(in the worker)"
            print(f"| {name} | {raw:,.0f} | {r['steps']:,.0f} | {r['redraws']:.1f} | {redraw} | {r['long']} ({r['longest']:.0f}) | {goal} |")
        browser.close()
    print(f"\nMain-thread tasks are counted over {LONG_TASK_MS:.0f} ms; the panel's fastest speed caps its steps per second.\n")
    print("| shipped file | bytes | gzipped |")
    print("|---|---:|---:|")
    total = 0
    for path in sorted((args.site / "explorer").glob("*")):
        if path.suffix not in {".js", ".css"}:
            continue
        data = path.read_bytes()
        packed = len(gzip.compress(data, 9, mtime=0))
        total += packed
        print(f"| explorer/{path.name} | {len(data):,} | {packed:,} |")
    print(f"| all | | {total:,} (goal ≤ {WEIGHT_GOAL:,}) |")


if __name__ == "__main__":
    main()
