"""Exact analysis against the floating-point analysis it replaced and against the Quora experiment's 20,001-point
grid: times and kinks found, side by side in one run, and how often the exact arithmetic was needed.

Run by hand: python benchmarks/exact_vs_grid.py   (prints Markdown tables; no assertion, no timing in tests)
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import float_baseline  # the tolerance-based analysis of b03fe96, for comparison only

from reluviz import MAX_GRID_VALUES, Network, analyze_line, measure_on_grid, sampled_kink_count


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def paired_ms(first: Callable[[], object], second: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Both runs' median CPU times and the median of their ratio, measured in pairs one after the other, so that a
    change in the machine's load between two blocks of runs does not show as a difference between them."""
    firsts, seconds = [], []
    for _ in range(repeats):
        for run, times in ((first, firsts), (second, seconds)):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
    ratio = statistics.median(b / a for a, b in zip(firsts, seconds) if a > 0)
    return 1e3 * statistics.median(firsts), 1e3 * statistics.median(seconds), ratio


def close_kinks_network() -> Network:
    """Two kinks 0.003 apart, between the same two grid points: the grid sees one."""
    return Network([([[1.0], [1.0]], [-0.501, -0.504]), ([[1.0, 1.0]], [0.0])])


def main() -> None:
    cases = [
        ("1 x 10", Network.random([1, 10, 1], seed=0), (-100.0, 100.0)),
        ("1 x 999 (the widest the grid takes)", Network.random([1, 999, 1], seed=0), (-100.0, 100.0)),
        ("1 x 10,000", Network.random([1, 10_000, 1], seed=0), (-100.0, 100.0)),
        ("8 x 64", Network.random([1, *[64] * 8, 1], seed=0), (-100.0, 100.0)),
        ("4 x 64, He, whole line (the explorer's largest)", Network.random([1, *[64] * 4, 1], init="he", seed=3), (-math.inf, math.inf)),
        ("2 kinks 0.003 apart", close_kinks_network(), (-100.0, 100.0)),
    ]
    print("| network (depth x width) | float CPU ms | exact CPU ms | exact / float (median of pairs) | + nearest doubles ms | grid ms | exact kinks | "
          "float kinks | grid kinks | exact path taken |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, net, (lo, hi) in cases:
        float_ms, exact_ms, ratio = paired_ms(lambda: float_baseline.analyze_line(net, lo, hi),
                                              lambda: analyze_line(net, lo, hi), repeats=31)
        positions_ms = median_ms(lambda: analyze_line(net, lo, hi).boundaries, repeats=5)
        pieces = analyze_line(net, lo, hi)
        kinks, stats = len(pieces.breakpoints), pieces.statistics
        taken = f"{stats.exact} of {stats.decisions} decisions, {stats.exact_positions} of {len(pieces.boundaries)} places"
        float_kinks = len(float_baseline.analyze_line(net, lo, hi).breakpoints)
        row = f"| {name} | {float_ms:.2f} | {exact_ms:.2f} | {ratio:.2f} | {positions_ms:.1f} |"
        if not math.isfinite(lo) or 20_001 * net.hidden_units > MAX_GRID_VALUES:
            print(f"{row} n/a | {kinks} | {float_kinks} | | {taken} |")
            continue
        grid_ms = median_ms(lambda: measure_on_grid(net), repeats=3)
        seen = sampled_kink_count(measure_on_grid(net))
        print(f"{row} {grid_ms:.1f} | {kinks} | {float_kinks} | {seen} | {taken} |")


if __name__ == "__main__":
    main()
