"""Exact analysis against the Quora experiment's 20,001-point grid: time and kinks found, side by side in one run.

Run by hand: python benchmarks/exact_vs_grid.py   (prints a Markdown table; no assertion, no timing in tests)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from reluviz import MAX_GRID_VALUES, Network, analyze_line, measure_on_grid, sampled_kink_count


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def close_kinks_network() -> Network:
    """Two kinks 0.003 apart, between the same two grid points: the grid sees one."""
    return Network([([[1.0], [1.0]], [-0.501, -0.504]), ([[1.0, 1.0]], [0.0])])


def main() -> None:
    cases = [
        ("1 x 10", Network.random([1, 10, 1], seed=0)),
        ("1 x 999 (the widest the grid takes)", Network.random([1, 999, 1], seed=0)),
        ("1 x 10,000", Network.random([1, 10_000, 1], seed=0)),
        ("8 x 64", Network.random([1, *[64] * 8, 1], seed=0)),
        ("2 kinks 0.003 apart", close_kinks_network()),
    ]
    print("| network (depth x width) | exact ms | grid ms | grid / exact | exact kinks | grid kinks |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, net in cases:
        exact_ms = median_ms(lambda: analyze_line(net, -100, 100), repeats=9)
        kinks = len(analyze_line(net, -100, 100).breakpoints)
        if 20_001 * net.hidden_units > MAX_GRID_VALUES:  # the grid refuses it: more values than it will hold
            print(f"| {name} | {exact_ms:.2f} | refused | | {kinks} | |")
            continue
        grid_ms = median_ms(lambda: measure_on_grid(net), repeats=3)
        seen = sampled_kink_count(measure_on_grid(net))
        print(f"| {name} | {exact_ms:.2f} | {grid_ms:.1f} | {grid_ms / exact_ms:.0f}x | {kinks} | {seen} |")


if __name__ == "__main__":
    main()
