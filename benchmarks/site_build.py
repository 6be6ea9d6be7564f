"""Build times, page weights and figure sizes, measured side by side in one run; prints Markdown tables.

Run by hand from the project root: python benchmarks/site_build.py [--runs 3]
Every timing is the median of --runs builds of a fresh copy of the project, each a separate `mkdocs build --strict`
process; "naive" is RELUVIZ_CACHE=off (no cache, no worker processes); "bare" is the same Markdown built with the
figure scripts and hooks removed from mkdocs.yml. Page weight is what Chromium downloads to show the page.
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
from tests.conftest import BUILD_ENV, COPY_IGNORE  # noqa: E402  (one definition of how a copy is made)

PAGE_BUDGET = 600_000
SVG_BUDGET = 60_000


def build_seconds(root: Path, config: str = "mkdocs.yml", **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config], cwd=root, check=True,
        capture_output=True, env={**os.environ, **BUILD_ENV, **env},
    )
    return time.perf_counter() - start


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def measure_builds(fast: Path, naive: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median seconds of each scenario. Scenarios are interleaved run by run, and the bare build is timed between
    the others, so that a busy moment of the machine falls on all of them alike."""
    variants = {"cache + workers": (fast, {}), "naive (RELUVIZ_CACHE=off)": (naive, {"RELUVIZ_CACHE": "off"})}
    times: dict[str, dict[str, list[float]]] = {label: {} for label in variants}
    bare = bare_config(fast)
    for run in range(runs):
        for label, (root, env) in variants.items():
            record = times[label].setdefault
            shutil.rmtree(root / ".cache", ignore_errors=True)
            record("cold build", []).append(build_seconds(root, **env))
            append(root / "docs" / "about.md", f"\nA prose edit, number {run}.\n")
            record("prose edit", []).append(build_seconds(root, **env))
            append(root / "reluviz" / "figures" / "seed.py", f"\n# a code edit, number {run}\n")
            record("reluviz edit", []).append(build_seconds(root, **env))
            record("bare mkdocs build, figures off", []).append(build_seconds(fast, bare))
    return {label: {k: statistics.median(v) for k, v in scenarios.items()} for label, scenarios in times.items()}


def bare_config(root: Path) -> str:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config.pop("hooks", None)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "gen-files" in p)]
    (root / "bare.yml").write_text(yaml.safe_dump(config))
    return "bare.yml"


COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def page_weights(site: Path) -> dict[str, tuple[int, int]]:
    """Bytes Chromium downloads for each page, read from top to bottom, everything it loads included: as stored,
    and as sent by a server that gzips text (GitHub Pages does)."""
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
            page = browser.new_page()
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
        fast, naive = Path(folder) / "fast", Path(folder) / "naive"
        shutil.copytree(ROOT, fast, ignore=COPY_IGNORE)
        shutil.copytree(ROOT, naive, ignore=COPY_IGNORE)
        timings = measure_builds(fast, naive, runs)
        build_seconds(fast)  # leave the full site in fast/site for the weights below
        weights = page_weights(fast / "site")
        svgs = {p.name: p.stat().st_size for p in sorted((fast / "site" / "figures").glob("*.svg"))}

    print(f"## Build times (median of {runs}, seconds, 2 cores)\n")
    print("| build | " + " | ".join(timings) + " |\n|---|" + "---:|" * len(timings))
    for scenario in timings["cache + workers"]:
        print(f"| {scenario} | " + " | ".join(f"{t[scenario]:.2f}" for t in timings.values()) + " |")
    fast_t, naive_t = timings["cache + workers"], timings["naive (RELUVIZ_CACHE=off)"]
    warm_ratio = fast_t["prose edit"] / fast_t["bare mkdocs build, figures off"]
    print()
    cold_ratio = fast_t["cold build"] / naive_t["cold build"]
    print(f"- warm rebuild / bare build: {warm_ratio:.2f} (goal ≤ 1.25) {'met' if warm_ratio <= 1.25 else 'MISSED'}")
    print(f"- cold build / naive cold build: {cold_ratio:.2f} (goal ≤ 0.65) {'met' if cold_ratio <= 0.65 else 'MISSED'}\n")

    print("## Page weight (everything Chromium loads, scrolled to the end)\n\n| page | bytes as stored | bytes gzipped |\n|---|---:|---:|")
    for page, (raw, zipped) in weights.items():
        print(f"| {page} | {raw:,} | {zipped:,} |")
    heaviest = max(weights, key=lambda page: weights[page][1])
    raw, zipped = weights[heaviest]
    verdict = "met" if zipped <= PAGE_BUDGET else "MISSED"
    print(f"\n- heaviest page: {heaviest}, {zipped:,} bytes gzipped, {raw:,} as stored (goal ≤ {PAGE_BUDGET:,}) {verdict}")
    largest = max(svgs, key=svgs.get)
    print(f"- largest SVG: {largest}, {svgs[largest]:,} bytes (goal < {SVG_BUDGET:,}) {'met' if svgs[largest] < SVG_BUDGET else 'MISSED'}\n")

    print("## Exact analysis against the seed's grid\n")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "exact_vs_grid.py")], check=True)


if __name__ == "__main__":
    main()
