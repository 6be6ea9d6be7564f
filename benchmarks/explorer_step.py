"""How long one step of an explorer control takes in Chromium, and what the explorer weighs; prints Markdown tables.

Run by hand from the project root, after building the site: python benchmarks/explorer_step.py [--site site]
A step is what a reader's arrow key on a slider does: change one value, draw the network afresh from the portable
generator, analyse it exactly, and redraw the three panels and every read-out (layout included). Each figure is the
median (and 90th percentile) of --steps steps, every setting measured in the same browser, one after the other.
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
WEIGHT_BUDGET = 25_000
EXPLORER_FILES = ("explorer/reluviz-shared.js", "explorer/reluviz-exact.js", "explorer/reluviz-line.js", "explorer/reluviz-core.js",
                  "explorer/explorer.js", "explorer/explorer.css")
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
    print("| file | bytes | gzipped |")
    print("|---|---:|---:|")
    total = 0
    for name in EXPLORER_FILES:
        data = (args.site / name).read_bytes()
        packed = len(gzip.compress(data, 9, mtime=0))
        total += packed
        print(f"| {name} | {len(data):,} | {packed:,} |")
    print(f"| all | | {total:,} (budget {WEIGHT_BUDGET:,}) |")


if __name__ == "__main__":
    main()
