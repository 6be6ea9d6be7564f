"""Build times, page weights and figure sizes, measured side by side in one run; prints Markdown tables.

Run by hand from the project root: python benchmarks/site_build.py [--runs 3]
Every timing is the median of --runs builds, each a separate `properdocs build --strict` process. The scenarios:
a cold build (no cache) with one worker process per core and with a single worker, which decides whether the worker
pool earns its keep; warm rebuilds after a prose edit, a comment in one figure's file, and an edit to a module every
figure imports; and the bare build, the same Markdown with the figure scripts and hooks removed. Page weight is what
Chromium downloads to show the page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CONFIG, COPY_IGNORE  # noqa: E402  (one definition of how a copy is made)

PAGE_BUDGET = 600_000
CHAPTER_BUDGETS = {"/digits/": 250_000}  # a chapter's own budget, from the issue that made it
WIDTHS = (390, 1280)  # a phone, which gets the narrow figures, and a laptop
SVG_BUDGET = 60_000


def build_seconds(root: Path, config: str = CONFIG, **env: str) -> float:
    strict = ["--strict"] if config == CONFIG else []  # the bare build leaves tokens such as {{ repository }} unfilled
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "properdocs", "build", *strict, "-f", config], cwd=root, check=True,
                   capture_output=True, env={**os.environ, **env})
    return time.perf_counter() - start


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def measure_builds(root: Path, runs: int) -> dict[str, float]:
    """Median seconds of each scenario, interleaved run by run so that a busy moment falls on all of them alike."""
    times: dict[str, list[float]] = {}
    bare = bare_config(root)
    for run in range(runs):
        for label, workers in (("cold build, 1 worker", "1"), ("cold build, worker per core", "")):
            shutil.rmtree(root / ".cache", ignore_errors=True)
            times.setdefault(label, []).append(build_seconds(root, RELUVIZ_WORKERS=workers))
        append(root / "docs" / "about.md", f"\nA prose edit, number {run}.\n")
        times.setdefault("warm: prose edit", []).append(build_seconds(root))
        append(root / "reluviz" / "figures" / "xor.py", f"\n# a comment, number {run}\n")
        times.setdefault("warm: comment in one figure file", []).append(build_seconds(root))
        append(root / "reluviz" / "style.py", f"\n# a comment, number {run}\n")
        times.setdefault("warm: edit to a module every figure imports", []).append(build_seconds(root))
        times.setdefault("bare build, figures off", []).append(build_seconds(root, bare))
    return {label: statistics.median(values) for label, values in times.items()}


def bare_config(root: Path) -> str:
    config = yaml.safe_load((root / CONFIG).read_text())
    config.pop("hooks", None)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "gen-files" in p)]
    (root / "bare.yml").write_text(yaml.safe_dump(config))
    return "bare.yml"


COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def page_weights(site: Path, width: int) -> dict[str, tuple[int, int]]:
    """Bytes Chromium downloads for each page, read from top to bottom on a screen ``width`` pixels wide, everything
    it loads included: as stored, and as sent by a server that gzips text (GitHub Pages does)."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    weights = {}
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        for index in sorted(site.rglob("index.html")):
            path = str(index.parent.relative_to(site)).replace(".", "")
            page = browser.new_page(viewport={"width": width, "height": 900})
            loaded: list[tuple[int, int]] = []
            page.on("response", lambda r: loaded.append(_sizes(r.body(), r.headers.get("content-type", ""))) if r.ok else None)
            page.goto(base + (path + "/" if path else ""))
            page.wait_for_load_state("networkidle")
            for _ in range(60):  # scroll to the end, so that every lazily loaded figure is fetched too
                if page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight"):
                    break
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(50)
            page.wait_for_load_state("networkidle")
            weights["/" + (path + "/" if path else "")] = (sum(r for r, _ in loaded), sum(z for _, z in loaded))
            page.close()
        browser.close()
    server.shutdown()
    return weights


def _sizes(body: bytes, content_type: str) -> tuple[int, int]:
    compressed = len(gzip.compress(body, 6, mtime=0)) if content_type.startswith(COMPRESSIBLE) else len(body)
    return len(body), min(len(body), compressed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "reluviz"
        shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
        timings = measure_builds(root, runs)
        build_seconds(root)  # leave the full site in root/site for the weights below
        weights = {width: page_weights(root / "site", width) for width in WIDTHS}
        svgs = {p.name: p.stat().st_size for p in sorted((root / "site" / "figures").glob("*.svg"))}

    print(f"## Build times (median of {runs}, seconds, {os.cpu_count()} cores)\n\n| build | seconds |\n|---|---:|")
    for scenario, seconds in timings.items():
        print(f"| {scenario} | {seconds:.2f} |")
    pool = timings["cold build, worker per core"] / timings["cold build, 1 worker"]
    warm = timings["warm: prose edit"] / timings["bare build, figures off"]
    print(f"\n- cold build, worker per core / one worker: {pool:.2f}")
    print(f"- warm rebuild after a prose edit / bare build: {warm:.2f} (goal ≤ 1.25) {'met' if warm <= 1.25 else 'MISSED'}\n")

    print("## Page weight (everything Chromium loads, scrolled to the end), gzipped bytes\n")
    print("| page | " + " | ".join(f"{w} px wide" for w in WIDTHS) + " |\n|---|" + "---:|" * len(WIDTHS))
    for page in weights[WIDTHS[0]]:
        print(f"| {page} | " + " | ".join(f"{weights[w][page][1]:,}" for w in WIDTHS) + " |")
    for width in WIDTHS:
        heaviest = max(weights[width], key=lambda page: weights[width][page][1])
        raw, zipped = weights[width][heaviest]
        verdict = "met" if zipped <= PAGE_BUDGET else "MISSED"
        print(f"\n- heaviest page at {width} px: {heaviest}, {zipped:,} bytes gzipped, {raw:,} as stored (goal ≤ {PAGE_BUDGET:,}) {verdict}")
    for page, budget in CHAPTER_BUDGETS.items():
        zipped = max(weights[width][page][1] for width in WIDTHS)
        print(f"- {page} at its heaviest width: {zipped:,} bytes gzipped (goal ≤ {budget:,}) {'met' if zipped <= budget else 'MISSED'}")
    largest = max(svgs, key=lambda name: svgs[name])
    print(f"- largest SVG: {largest}, {svgs[largest]:,} bytes (goal < {SVG_BUDGET:,}) {'met' if svgs[largest] < SVG_BUDGET else 'MISSED'}\n")

    print("## Exact analysis against the Quora experiment's grid\n")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "exact_vs_grid.py")], check=True)


if __name__ == "__main__":
    main()
