#!/usr/bin/env python3
"""How fast could a cold audit be on this machine? A lower bound from processor time, beside `uv pip compile --no-cache`.

Issue 14's cold floor asks a cold `auditor audit` to take at most 4x a cold
`uv pip compile --no-cache` of the same file.  The audit runs that very uv
command, then reads, per pinned package, its PyPI project document, its index
page, its core metadata and its wheel's shared libraries.  This script measures
what that work costs in processor time and turns it into the best wall time any
scheduling of it could reach on this machine:

    bound = uv cold wall + (audit CPU - uv CPU - import CPU) / cores

where every term is a median measured in this run:

- *uv cold wall*, *uv CPU*: `uv pip compile --no-cache` alone (its user + system time);
- *audit CPU*: user + system time of a cold `auditor audit --concurrency 1` (one request
  at a time: the least processor time, no lock contention), uv's included;
- *import CPU*: a fresh interpreter importing every module that audit imported.

The bound is optimistic on purpose: it hides every import under uv's run, assumes
the rest spreads perfectly over all cores with no cost for doing so (no second
interpreter importing the same modules, no shared cache lost), and no wait on the
network.  When the bound is above 4x uv, no reordering, thread pool or process pool
meets the floor: only less processor time does.  The default-concurrency cold audit is
measured in the same run, for comparison.

Writes benchmarks/results/cold_bound.json (``benchmarks/readme_table.py`` reads it).
Usage: python benchmarks/bench_cold_bound.py [--runs N] [EXAMPLE]
Needs network access to PyPI.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results

ROOT = Path(__file__).resolve().parent.parent

#: Run in a child interpreter: a cold audit in process, then the names of every module it imported.
_AUDIT_AND_LIST = """
import json, sys
req, out, cache, listing = sys.argv[1:5]
sys.argv = ["auditor", "audit", req, "--format", "json", "--output", out, "--cache-dir", cache, "--concurrency", "1"]
from auditor.cli import main
try:
    main()
except SystemExit:
    pass
json.dump(sorted(sys.modules), open(listing, "w"))
"""

#: Run in a child interpreter: import each named module (those that fail are skipped; rare: ``__main__`` and such).
_IMPORT_ALL = """
import importlib, json, sys
for name in json.load(open(sys.argv[1])):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def cpu_timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, user + system seconds of the child and everything it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("example", nargs="?", default="llm-finetune")
    ap.add_argument("--runs", type=int, default=5, help="runs of each measurement (interleaved)")
    args = ap.parse_args()
    _results.compile_bytecode()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    import uv  # the resolver auditor uses

    uv_bin = uv.find_uv_bin()
    req = ROOT / "examples" / args.example / "requirements.txt"
    cores = os.cpu_count() or 1
    m: dict[str, list[float]] = {k: [] for k in ("uv_wall", "uv_cpu", "serial_wall", "serial_cpu", "audit_wall",
                                                 "audit_cpu", "import_cpu")}
    with tempfile.TemporaryDirectory() as scratch:
        modules = Path(scratch) / "modules.json"
        for i in range(args.runs):
            with tempfile.TemporaryDirectory() as cache:
                wall, cpu = cpu_timed([uv_bin, "pip", "compile", "--quiet", "--no-cache", "--python-version", "3.11",
                                       str(req), "-o", os.devnull], env)
                m["uv_wall"].append(wall), m["uv_cpu"].append(cpu)
            with tempfile.TemporaryDirectory() as cache:
                wall, cpu = cpu_timed([sys.executable, "-c", _AUDIT_AND_LIST, str(req), os.devnull, cache,
                                       str(modules)], env)
                m["serial_wall"].append(wall), m["serial_cpu"].append(cpu)
            with tempfile.TemporaryDirectory() as cache:
                wall, cpu = cpu_timed([sys.executable, "-m", "auditor", "audit", str(req), "--format", "json",
                                       "--output", os.devnull, "--cache-dir", cache], env)
                m["audit_wall"].append(wall), m["audit_cpu"].append(cpu)
            m["import_cpu"].append(cpu_timed([sys.executable, "-c", _IMPORT_ALL, str(modules)], env)[1])
            print(f"run {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in m.items()), flush=True)
        imported = len(json.loads(modules.read_text()))
    med = {k: round(statistics.median(v), 3) for k, v in m.items()}
    rest = max(0.0, med["serial_cpu"] - med["uv_cpu"] - med["import_cpu"])
    bound = med["uv_wall"] + rest / cores
    row = {"example": args.example, "cores": cores, "runs": args.runs, "modules_imported": imported,
           "uv_cold_s": med["uv_wall"], "uv_cold_cpu_s": med["uv_cpu"],
           "audit_serial_s": med["serial_wall"], "audit_serial_cpu_s": med["serial_cpu"],
           "audit_cold_s": med["audit_wall"], "audit_cold_cpu_s": med["audit_cpu"],
           "import_cpu_s": med["import_cpu"], "work_cpu_s": round(rest, 3),
           "bound_s": round(bound, 3), "bound_over_uv_cold": round(bound / med["uv_wall"], 2),
           "floor_s": round(4 * med["uv_wall"], 3), "audit_cold_over_uv_cold": round(med["audit_wall"] / med["uv_wall"], 2)}
    path = _results.write("cold_bound", [row], load_average_at_end=[round(x, 2) for x in os.getloadavg()])
    print(json.dumps(row, indent=1))
    print(f"lower bound {bound:.2f} s = {row['bound_over_uv_cold']:.1f}x uv cold (floor 4x = {row['floor_s']:.2f} s); "
          f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
