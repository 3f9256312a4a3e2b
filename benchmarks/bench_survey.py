#!/usr/bin/env python3
"""Survey: wall time, CPU time and peak RSS of ``auditor survey --top N -o DIR`` on the embedded default.

Usage: PYTHONPATH=. python benchmarks/bench_survey.py --top 1000 [--top 2000 ...] --cache-dir DIR [--runs 3] [--warm-up]

Each run is the real CLI in a fresh subprocess (``python -m auditor survey --top N
-o TMP --cache-dir DIR``), so peak RSS (``ru_maxrss`` of the child, which includes
the uv subprocesses only through their own, smaller, maxima) is that survey's alone.
"Warm" means the cache directory already holds the facts and resolutions of these
inputs (the resolution cache keeps an answer for an hour, the PyPI facts for a day:
``--warm-up`` runs the survey once before measuring; a cold top-1,000 survey took
335 s here).  Rows: top N, inputs, failed inputs, distinct packages, median wall
seconds, median CPU seconds (user + system of the child and its children), peak RSS
MB, the machine's load average when the runs started (the machine may be shared).
Writes benchmarks/results/survey.json (or --json PATH).
"""

from __future__ import annotations

import argparse
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


def run_once(n: int, cache: Path, extra: tuple[str, ...] = ()) -> dict:
    """One survey in a child process: wall, CPU, peak RSS, and what the tables hold."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tables"
        code = ("import resource, sys, runpy\n"
                "sys.argv = ['auditor', 'survey', '--top', sys.argv[1], '-o', sys.argv[2], '--cache-dir', sys.argv[3],"
                " *sys.argv[4:]]\n"
                "try:\n    runpy.run_module('auditor', run_name='__main__')\n"
                "finally:\n    r = resource.getrusage(resource.RUSAGE_SELF)\n"
                "    print('RSS', r.ru_maxrss, file=sys.stderr)\n")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, str(n), str(out), str(cache), *extra], env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 3):
            sys.exit(f"survey failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        rss = max(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("RSS "))
        import duckdb

        db = duckdb.connect()
        inputs, failed = db.execute(f"SELECT count(*), count(*) FILTER (WHERE status = 'failed') "
                                    f"FROM '{out}/inputs.parquet'").fetchone()
        packages = db.execute(f"SELECT count(*) FROM '{out}/packages.parquet'").fetchone()[0]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss_mb": rss / 1024, "inputs": inputs, "failed": failed, "packages": packages}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, action="append", required=True)
    ap.add_argument("--cache-dir", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warm-up", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--offline", action="store_true",
                    help="pass --offline: remembered resolutions of any age are used (a warm run older than the "
                         "resolution cache's hour), and nothing is fetched")
    args = ap.parse_args()
    _results.compile_bytecode()
    rows = []
    extra = ("--offline",) if args.offline else ()
    for n in args.top:
        if args.warm_up:
            run_once(n, args.cache_dir, extra)
        load = os.getloadavg()[0]
        runs = [run_once(n, args.cache_dir, extra) for _ in range(args.runs)]
        row = {"top": n, "inputs": runs[0]["inputs"], "failed": runs[0]["failed"], "packages": runs[0]["packages"],
               "wall_s": round(statistics.median(r["wall"] for r in runs), 2),
               "wall_runs": [round(r["wall"], 2) for r in runs],
               "cpu_s": round(statistics.median(r["cpu"] for r in runs), 2),
               "peak_rss_mb": round(max(r["rss_mb"] for r in runs), 1), "load": round(load, 2),
               "offline": args.offline}
        print(row, flush=True)
        rows.append(row)
    if args.json is not None:  # e.g. a size measured apart from the others
        import json

        args.json.write_text(json.dumps({"benchmark": "survey", "machine": _results.machine(), "rows": rows}, indent=2) + "\n")
        print("wrote", args.json)
    else:
        print("wrote", _results.write("survey", rows))


if __name__ == "__main__":
    main()
