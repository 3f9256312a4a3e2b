#!/usr/bin/env python3
"""Time importing the CLI (issue floor: ``import auditor.cli`` <= 150 ms); print medians.

Rows:
  interpreter        ``python -c pass``: the start-up every command pays anyway.
  import auditor.cli ``python -c "import auditor.cli"``, interpreter included.
  difference         what importing the CLI adds (the floor's figure).
  importtime         ``-X importtime`` cumulative microseconds of ``auditor.cli``
                     (the interpreter's own accounting, for comparison).

Writes benchmarks/results/import.json.
Usage: python benchmarks/bench_import.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

import _results


def wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def importtime() -> float:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import auditor.cli"],
                         check=True, capture_output=True, text=True).stderr
    line = [ln for ln in err.splitlines() if ln.rstrip().endswith("| auditor.cli")][-1]
    return int(re.split(r"\s*\|\s*", line.split(":", 1)[1].strip())[1]) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    _results.compile_bytecode()
    wall("import auditor.cli")  # warm the file cache
    base, cli, imp = [], [], []
    for _ in range(args.runs):  # interleaved, so that machine noise hits both alike
        base.append(wall("pass"))
        cli.append(wall("import auditor.cli"))
        imp.append(importtime())
    b, c = statistics.median(base), statistics.median(cli)
    print(f"{'measure':<20} {'median':>9}   (runs: {args.runs})")
    print(f"{'interpreter':<20} {b * 1000:>7.0f}ms")
    print(f"{'import auditor.cli':<20} {c * 1000:>7.0f}ms")
    print(f"{'difference':<20} {(c - b) * 1000:>7.0f}ms   (floor: 150 ms)")
    print(f"{'importtime':<20} {statistics.median(imp) * 1000:>7.0f}ms")
    print("wrote", _results.write("import", [{"interpreter_ms": round(b * 1000), "import_cli_ms": round(c * 1000),
                                              "difference_ms": round((c - b) * 1000),
                                              "importtime_ms": round(statistics.median(imp) * 1000),
                                              "runs": args.runs}]))


if __name__ == "__main__":
    main()
