"""Benchmark: forge and ecosystem enrichers for ~70 packages against local fake services.

Starts fake GitHub, GitLab, Scorecard and deps.dev servers on 127.0.0.1 that
answer in the real APIs' shapes with an injected latency, then runs the four
collectors (GitHub, GitLab, Scorecard, deps.dev) cold (empty cache) and warm
(same cache), several times, and prints request counts and medians.

Claims checked (the script exits 1 if one fails):
* the warm run makes no network request at all;
* the cold run is concurrent: its wall time is well under the sum of the
  injected latencies of the requests it made.

Usage: PYTHONPATH=. python benchmarks/bench_forges.py [--packages 70] [--latency 0.05] [--runs 3]

Full-audit mode: ``--audit INPUT`` (a requirements file or lockfile) or
``--audit-python PATH`` (an installed environment) runs the whole pipeline
(``run_audit``) on a real dependency set: PyPI is the live one (cold runs
need it), the four forge services are the local fakes, answering for any
repository the mapping finds; git history is turned off (it would clone
from the real forges).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.collectors import RunContext  # noqa: E402
from auditor.people.forges import GitHubCollector, GitLabCollector  # noqa: E402
from auditor.signals.depsdev import DepsDevCollector  # noqa: E402
from auditor.signals.scorecard import ScorecardCollector  # noqa: E402
from tests.fakes.forges import FakeForges, world  # noqa: E402

COLLECTORS = (GitHubCollector(), GitLabCollector(), ScorecardCollector(), DepsDevCollector())


def one_pass(forges: FakeForges, cache: Path, concurrency: int) -> tuple[float, int]:
    before = forges.total_requests()
    ctx = RunContext(forges.config(cache, concurrency=concurrency))
    nodes = forges.nodes()
    start = time.perf_counter()
    for c in COLLECTORS:
        c.collect(ctx, nodes)
    wall = time.perf_counter() - start
    ctx.close()
    return wall, forges.total_requests() - before


def audit_pass(forges: FakeForges, cache: Path, source_args: tuple, concurrency: int) -> tuple[float, int, int]:
    """One full audit; ``(wall seconds, forge requests, network requests counted by every HttpClient)``."""
    from auditor.cli import open_input
    from auditor.pipeline import run_audit

    before = forges.total_requests()
    # git history is left out: it clones from the real forges, which this benchmark does not measure.
    cfg = forges.config(cache, concurrency=concurrency, disabled=frozenset({"history"}))
    start = time.perf_counter()
    result = run_audit(cfg, open_input(*source_args))
    wall = time.perf_counter() - start
    network = sum(c.get("network", 0) for c in result.requests.values())
    return wall, forges.total_requests() - before, network


def main_audit(args) -> int:
    source_args = (Path(args.audit), False, None) if args.audit else (None, False, args.audit_python)
    cold, warm = [], []
    with FakeForges([], latency=args.latency, generic=True) as forges:
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(audit_pass(forges, Path(tmp), source_args, args.concurrency))
                warm.append(audit_pass(forges, Path(tmp), source_args, args.concurrency))
        repos = len(forges.repos)
    med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
    serial = med(cold, 1) * args.latency
    print(f"full audit of {args.audit or args.audit_python}: {repos} repositories seen by the fake forges, "
          f"latency {args.latency*1000:.0f} ms/request, runs {args.runs}, concurrency {args.concurrency}")
    print(f"cold: median {med(cold, 0):.2f} s; forge requests {[r[1] for r in cold]}; all HTTP requests {[r[2] for r in cold]}")
    print(f"      sum of injected forge latencies {serial:.2f} s")
    print(f"warm: median {med(warm, 0):.2f} s; forge requests {[r[1] for r in warm]}; all HTTP requests {[r[2] for r in warm]}")
    ok = all(r[1] == 0 and r[2] == 0 for r in warm) and med(cold, 0) < serial
    print("OK" if ok else "FAILED: warm run made requests or cold run was not concurrent")
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packages", type=int, default=70)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds per request, injected by the servers")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--audit", help="full audit of this requirements file or lockfile (live PyPI, fake forges)")
    ap.add_argument("--audit-python", help="full audit of this interpreter's environment (live PyPI, fake forges)")
    args = ap.parse_args()
    if args.audit or args.audit_python:
        return main_audit(args)

    repos = world(args.packages - 1)  # + one gitlab.com project
    cold, warm, cold_reqs, warm_reqs = [], [], [], []
    with FakeForges(repos, latency=args.latency) as forges:
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                w, n = one_pass(forges, Path(tmp), args.concurrency)
                cold.append(w)
                cold_reqs.append(n)
                w, n = one_pass(forges, Path(tmp), args.concurrency)
                warm.append(w)
                warm_reqs.append(n)

    med_cold, med_warm = statistics.median(cold), statistics.median(warm)
    serial = statistics.median(cold_reqs) * args.latency
    print(f"packages: {len(repos)}  latency: {args.latency*1000:.0f} ms/request  runs: {args.runs}  concurrency: {args.concurrency}")
    print(f"cold: median {med_cold:.2f} s, requests per run {cold_reqs}")
    print(f"      sum of injected latencies {serial:.2f} s -> speed-up {serial / med_cold:.1f}x over serial")
    print(f"warm: median {med_warm:.3f} s, requests per run {warm_reqs}")
    ok = all(n == 0 for n in warm_reqs) and med_cold < serial / 2
    print("OK" if ok else "FAILED: warm run made requests or cold run was not concurrent")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
