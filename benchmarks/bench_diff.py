#!/usr/bin/env python3
"""Time `auditor diff` of two ~70-package uv.lock files with a warm cache; print medians.

Inputs: tests/fixtures/lockfiles/large-base/uv.lock (69 packages, locked
with uv --exclude-newer 2025-03-01) and large-head/uv.lock (72 packages,
2025-09-01, one more direct dependency): 3 added, 52 upgraded.

Rows:
  cli (warm)        the real command in a subprocess (`python -m auditor diff ...
                    --format sarif`) repeated: answered by the result cache.
  cli (warm facts)  the same with the result cache emptied before each run: every
                    fact from the HTTP cache and the fact memo, both audits rebuilt.
  import            `python -c "import auditor.cli"`: interpreter + import floor
                    included in the cli row.
  in-process gate   auditor.gate.open_sides + run_gate (both lockfiles read,
                    metadata from the memo, both audits through the pipeline
                    on one context, diff, policy), no interpreter start-up.
  read lockfiles    both UvLockSource.collect() calls only (warm memo).
  diff+policy+out   diff_audits + evaluate + the three formatters on the two
                    already-computed audits (the pure core).

Writes benchmarks/results/diff.json (``benchmarks/readme_table.py`` reads it).
Usage: python benchmarks/bench_diff.py [--runs N] [--cache-dir DIR]
The first (filling) run needs network access to PyPI.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "tests" / "fixtures" / "lockfiles"
BASE = LOCKS / "large-base" / "uv.lock"
HEAD = LOCKS / "large-head" / "uv.lock"


def run(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache-dir", type=Path, default=None, help="reuse this cache (default: a fresh temporary one)")
    args = ap.parse_args()
    _results.compile_bytecode()
    tmp = None
    cache = args.cache_dir
    if cache is None:
        tmp = tempfile.TemporaryDirectory()
        cache = Path(tmp.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUDITOR_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "auditor", "diff", str(BASE), str(HEAD), "--format", "sarif", "-o", os.devnull]
    fill = run(cmd, env)
    cli = statistics.median(run(cmd, env) for _ in range(args.runs))
    facts_runs = []
    for _ in range(args.runs):
        shutil.rmtree(cache / "results-v1", ignore_errors=True)
        facts_runs.append(run(cmd, env))
    facts = statistics.median(facts_runs)
    imp = statistics.median(run([sys.executable, "-c", "import auditor.cli"], env) for _ in range(args.runs))

    sys.path.insert(0, str(ROOT))
    os.environ["AUDITOR_CACHE_DIR"] = str(cache)
    from auditor import gate
    from auditor.config import Config
    from auditor.gate import diff_audits
    from auditor.gate import evaluate, load_policy
    from auditor.report.diff_json import write_diff_json
    from auditor.report.diff_markdown import write_diff_markdown
    from auditor.report.sarif import policy_sarif, write_sarif
    from auditor.sources.uv_lock import UvLockSource

    config = Config()
    policy = load_policy()

    def in_process():
        b, h = gate.open_sides(str(BASE), str(HEAD))
        return gate.run_gate(config, b, h, policy)

    from auditor.net.context import RunContext

    def read():
        with RunContext(config) as ctx:
            UvLockSource(BASE).collect(ctx)
            UvLockSource(HEAD).collect(ctx)

    ctx = RunContext(config)
    before = gate.audit(config, gate.Side("base", UvLockSource(BASE)), ctx=ctx)
    after = gate.audit(config, gate.Side("head", UvLockSource(HEAD)), ctx=ctx)
    ctx.close()

    def core():
        d = diff_audits(before, after)
        r = evaluate(policy, d)
        write_diff_markdown(io.StringIO(), d, r)
        write_sarif(io.StringIO(), policy_sarif(r))
        write_diff_json(io.StringIO(), d, r)

    gate_t = median_of(in_process, args.runs)
    read_t = median_of(read, args.runs)
    core_t = median_of(core, args.runs)
    outcome = in_process()
    print(f"diff of {BASE.relative_to(ROOT)} ({outcome.diff.totals_before.packages} packages) -> "
          f"{HEAD.relative_to(ROOT)} ({outcome.diff.totals_after.packages} packages): "
          f"{len(outcome.diff.changes)} changes, verdict {outcome.result.verdict.value}")
    print(f"{'measure':<18} {'median':>9}   (runs: {args.runs})")
    print(f"{'cli (first run)':<18} {fill:>8.2f}s   (one run; fills the cache, network when empty)")
    print(f"{'cli (warm)':<18} {cli:>8.2f}s")
    print(f"{'cli (warm facts)':<18} {facts:>8.2f}s")
    print(f"{'import':<18} {imp:>8.2f}s")
    print(f"{'in-process gate':<18} {gate_t:>8.2f}s")
    print(f"{'read lockfiles':<18} {read_t:>8.3f}s")
    print(f"{'diff+policy+out':<18} {core_t:>8.3f}s")
    print("wrote", _results.write("diff", [{
        "packages_before": outcome.diff.totals_before.packages, "packages_after": outcome.diff.totals_after.packages,
        "changes": len(outcome.diff.changes), "cli_first_s": round(fill, 3), "cli_warm_s": round(cli, 3), "cli_warm_facts_s": round(facts, 3),
        "import_s": round(imp, 3), "in_process_gate_s": round(gate_t, 3), "read_lockfiles_s": round(read_t, 3),
        "diff_policy_out_s": round(core_t, 3), "runs": args.runs}]))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
