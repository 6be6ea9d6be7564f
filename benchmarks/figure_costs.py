"""How well each figure's cost estimate (its ``cost`` function) bounds what computing it takes; prints a table.

Run by hand from the project root: python benchmarks/figure_costs.py
Each figure is computed in a fresh process, at its defaults and at larger accepted parameters, and the CPU time and
peak memory measured there are printed beside the estimates that `FigureSpec.resolve` checks against the budget.
An estimate below a measurement is a bug in the estimate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("regions-2d", {}), ("regions-2d", {"units": 12, "pixels": 800}), ("regions-2d", {"units": 24, "pixels": 200}),
    ("approximation", {}), ("approximation", {"samples": 100_001}),
    ("sawtooth-depth", {}), ("sawtooth-depth", {"search": 3000, "max_depth": 14}),
    ("pieces-vs-depth", {"limit": 400}),
]
MEASURE = """
import json, resource, sys, time
from reluviz.figures import get_spec
spec = get_spec(sys.argv[1]); params = spec.resolve(json.loads(sys.argv[2])); cost = spec.cost(**params)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time(); spec.compute(**params); used = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": used, "bytes": peak, "estimated_seconds": cost.seconds, "estimated_bytes": cost.bytes}))
"""


def main() -> None:
    print("| figure | parameters | CPU s (estimated) | peak memory MB (estimated) |")
    print("|---|---|---:|---:|")
    under = []
    for figure_id, params in CASES:
        done = subprocess.run([sys.executable, "-c", MEASURE, figure_id, json.dumps(params)], cwd=ROOT, capture_output=True, text=True,
                              check=True)
        r = json.loads(done.stdout)
        shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
        print(f"| {figure_id} | {shown} | {r['seconds']:.1f} ({r['estimated_seconds']:.1f}) | "
              f"{r['bytes'] / 1e6:,.0f} ({r['estimated_bytes'] / 1e6:,.0f}) |")
        if r["seconds"] > r["estimated_seconds"] or r["bytes"] > r["estimated_bytes"]:
            under.append(f"{figure_id} {shown}")
    print("\nEstimates below a measurement: " + (", ".join(under) if under else "none"))


if __name__ == "__main__":
    main()
