"""How long one step of an explorer control takes in Chromium, and what the explorers weigh; prints Markdown tables.

Run by hand from the project root, after building the site: python benchmarks/explorer_step.py [--site site]
A step is what a reader's arrow key on a slider does: change one value, draw the network afresh from the portable
generator, analyse it exactly, and redraw the plot and every read-out (layout included). In the 2-D explorer the
cutting runs in a worker, so a step is timed from the input to the redrawn canvas, and every main-thread task longer
than 50 ms is counted (the Long Tasks API), those while stepping apart from those of the page's load (the
theme's scripts run then too). Each figure is the median (and 90th percentile) of
--steps steps, every setting measured in the same browser, one after the other.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browsing import CHROMIUM_FLAGS  # noqa: E402  (one list of the flags the browser runs with)

STEP_BUDGET_MS = 16.0
PLANE_BUDGETS_MS = {(2, 16): 16.0, (4, 32): 100.0}  # the 2-D step's median at these shapes (layers, units)
PROBE_BUDGET_MS = 4.0
LONG_TASK_MS = 50.0
WEIGHT_BUDGET = 35_000
EXPLORER_FILES = ("explorer/reluviz-shared.js", "explorer/explorer-ui.js", "explorer/reluviz-exact.js", "explorer/reluviz-line.js",
                  "explorer/reluviz-core.js", "explorer/reluviz-plane.js", "explorer/explorer.js", "explorer/plane-explorer.js",
                  "explorer/plane-worker.js", "explorer/explorer.css")
# Each step moves the named control by one and back, alternately; the width steps 63 <-> 64 at the widest setting.
STEP_SCRIPT = """async ([control, steps]) => {
  const root = document.querySelector('.rv-explorer'), input = document.querySelector(`#explorer-full-${control}`);
  const start = Number(input.value), times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    input.value = i % 2 ? start : start - 1;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    root.getBoundingClientRect();  // include the layout of what was drawn
    times.push(performance.now() - t0);
    await new Promise(requestAnimationFrame);
  }
  const pieces = root.explorer.pieces.edges.length - 1;
  times.sort((a, b) => a - b);
  return {median: times[Math.floor(steps / 2)], p90: times[Math.floor(0.9 * steps)], pieces};
}"""


# The 2-D explorer: each step moves the seed by one and back (a new network of the same shape), timed until the
# canvas is redrawn; then the probe is moved by the arrow key, timed synchronously.
PLANE_SCRIPT = """async (steps) => {
  const root = document.querySelector('.rv-explorer'), explorer = root.explorer, input = document.querySelector('#plane-full-seed');
  const long = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e))).observe({type: 'longtask', buffered: true});
  const drawn = () => new Promise((resolve) => root.addEventListener('rv-drawn', (e) => resolve(e.detail), {once: true}));
  const start = Number(input.value), times = [], counts = [], probes = [], begin = performance.now();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now(), done = drawn();
    input.value = i % 2 ? start : start + 1;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const detail = await done;
    root.getBoundingClientRect();
    times.push(performance.now() - t0);
    counts.push(detail.count);
    const t1 = performance.now();
    explorer.canvas.dispatchEvent(new KeyboardEvent('keydown', {key: i % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true}));
    root.getBoundingClientRect();
    probes.push(performance.now() - t1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  const at = (a, q) => a.slice().sort((x, y) => x - y)[Math.floor(q * a.length)];
  return {median: at(times, 0.5), p90: at(times, 0.9), probe: at(probes, 0.5), probeMax: Math.max(...probes),
          regions: at(counts, 0.5), stepping: long.filter((e) => e.startTime >= begin).map((e) => e.duration),
          loading: long.filter((e) => e.startTime < begin).map((e) => e.duration)};
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> str:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/)")
    parser.add_argument("--steps", type=int, default=101)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not (args.site / "explore" / "index.html").is_file():
        sys.exit(f"benchmark: error: {args.site} holds no built explorer; run properdocs build first")
    from playwright.sync_api import sync_playwright

    url = serve(args.site)
    print("| hidden layers × units | control stepped | pieces on screen | median ms | 90th percentile ms |")
    print("|---|---|---:|---:|---:|")
    slowest = 0.0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for layers, width in [(1, 10), (1, 64), (2, 64), (4, 32), (4, 64)]:
            for control in ("width", "seed", "probe"):
                page.goto(f"{url}explore/?width={width}&layers={layers}&seed=3&init=he")
                page.wait_for_load_state("networkidle")
                result = page.evaluate(STEP_SCRIPT, [control, args.steps])
                slowest = max(slowest, result["median"]) if control != "probe" else slowest
                print(f"| {layers} × {width} | {control} | {result['pieces']} | {result['median']:.2f} | {result['p90']:.2f} |")
        browser.close()
    print(f"\nSlowest median recompute-and-redraw step: {slowest:.2f} ms (budget {STEP_BUDGET_MS:.0f} ms)\n")
    plane(url, args)
    print("| file | bytes | gzipped |")
    print("|---|---:|---:|")
    total = 0
    for name in EXPLORER_FILES:
        data = (args.site / name).read_bytes()
        packed = len(gzip.compress(data, 9, mtime=0))
        total += packed
        print(f"| {name} | {len(data):,} | {packed:,} |")
    print(f"| all | | {total:,} (budget {WEIGHT_BUDGET:,}) |")


def _tasks(durations: list[float]) -> str:
    return f"{len(durations)} ({max(durations):.0f})" if durations else "0"


def plane(url: str, args: argparse.Namespace) -> None:
    """The 2-D explorer's steps and probe moves, with the longest main-thread task of each run."""
    from playwright.sync_api import sync_playwright

    print("| hidden layers × units | regions in the square (median) | step median ms | step 90th percentile ms | "
          "probe median ms | probe slowest ms | tasks over 50 ms while stepping (longest ms) | at page load (longest ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    verdicts = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for layers, width in [(1, 16), (2, 16), (3, 32), (4, 32)]:
            page.goto(f"{url}explore-plane/?width={width}&layers={layers}&seed=3&init=he&half=3")
            page.wait_for_function("document.querySelector('.rv-summary').textContent.includes('regions')")
            r = page.evaluate(PLANE_SCRIPT, max(11, args.steps // 3))
            print(f"| {layers} × {width} | {r['regions']:,} | {r['median']:.1f} | {r['p90']:.1f} | {r['probe']:.2f} | "
                  f"{r['probeMax']:.2f} | {_tasks(r['stepping'])} | {_tasks(r['loading'])} |")
            budget = PLANE_BUDGETS_MS.get((layers, width))
            if budget is not None:
                verdicts.append(f"{layers} × {width}: median step {r['median']:.1f} ms (goal ≤ {budget:.0f} ms)")
            longest = max(r["stepping"] + r["loading"], default=0)
            verdicts.append(f"{layers} × {width}: probe {r['probeMax']:.2f} ms at most (goal ≤ {PROBE_BUDGET_MS:.0f} ms), "
                            f"longest main-thread task {longest:.0f} ms, page load included (goal ≤ {LONG_TASK_MS:.0f} ms)")
        browser.close()
    print("\n" + "\n".join(f"- {line}" for line in verdicts) + "\n")


if __name__ == "__main__":
    main()
