#!/usr/bin/env python3
"""Time `auditor audit` cold and warm on the shipped examples; print medians.

cold: a fresh cache directory each run (HTTP cache and uv's cache both empty).
warm: the same cache directory, already filled by a previous run.
peer: `uv pip compile` alone on the same file with a warm uv cache, in the
      same session: the floor any audit that resolves must pay.

Usage: python benchmarks/bench_audit.py [--runs N] [--cold-runs N] [EXAMPLE ...]
Needs network access to PyPI for the cold runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["scikit-learn", "llm-finetune"]


def timed(cmd: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed, proc.returncode


def audit_cmd(req: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "auditor", "audit", str(req), "--format", "json", "--output", os.devnull,
            "--cache-dir", str(cache)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="*", default=EXAMPLES)
    ap.add_argument("--runs", type=int, default=5, help="warm runs per example")
    ap.add_argument("--cold-runs", type=int, default=3, help="cold runs per example")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    import uv  # the resolver auditor uses

    uv_bin = uv.find_uv_bin()
    print(f"{'example':<14} {'cold median':>12} {'warm median':>12} {'uv compile (warm)':>18} {'cold/warm':>10} {'warm/uv':>8}")
    for name in args.examples:
        req = ROOT / "examples" / name / "requirements.txt"
        cold = []
        for _ in range(args.cold_runs):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(timed(audit_cmd(req, Path(tmp)), env)[0])
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp)
            timed(audit_cmd(req, cache), env)  # fill the cache
            warm = [timed(audit_cmd(req, cache), env)[0] for _ in range(args.runs)]
            uv_env = {**env, "UV_CACHE_DIR": str(cache / "uv")}
            peer = [
                timed([uv_bin, "pip", "compile", "--quiet", "--python-version", "3.11", str(req)], uv_env)[0]
                for _ in range(args.runs)
            ]
        c, w, p = statistics.median(cold), statistics.median(warm), statistics.median(peer)
        print(f"{name:<14} {c:>11.2f}s {w:>11.2f}s {p:>17.2f}s {c / w:>9.1f}x {w / p:>7.1f}x")


if __name__ == "__main__":
    main()
