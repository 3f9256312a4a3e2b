#!/usr/bin/env python3
"""Time `auditor audit` cold and warm on the shipped examples, with its peers in the same run; print medians.

cold:        a fresh cache directory each run (HTTP cache and uv's cache both empty).
warm:        the same cache directory, already filled: a repeated audit, answered
             by the result cache (auditor/net/results.py) within its 5 minutes.
warm facts:  the result cache emptied before each run: every fact from the
             HTTP cache and the fact memo, the graph, scores and report rebuilt.
peers (same session, same file):
  uv warm    `uv pip compile` with a warm uv cache: the floor any audit that resolves pays;
  uv cold    `uv pip compile --no-cache`;
  pip-audit  `pip-audit -r <the compiled pins> --no-deps --disable-pip` with a warm
             pip-audit cache (advisories only; OSV is unreachable here, so the PyPI service).
environment (--env-example, default scikit-learn): a virtual environment with that example
  installed (uv); a warm `auditor audit --python VENV/bin/python` (environments are never
  answered by the result cache: every fact from the caches) against `pipdeptree --python
  VENV/bin/python --json` on the same environment.

Writes benchmarks/results/audit.json (``benchmarks/readme_table.py`` reads it).
Usage: python benchmarks/bench_audit.py [--runs N] [--cold-runs N] [--env-example NAME] [EXAMPLE ...]
Needs network access to PyPI for the cold runs.
"""

from __future__ import annotations

import argparse
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
EXAMPLES = ["scikit-learn", "llm-finetune"]


def timed(cmd: list[str], env: dict, ok: tuple[int, ...] = (0, 3)) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
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
    ap.add_argument("--env-example", default="scikit-learn", help="example installed for the pipdeptree peer ('' skips)")
    args = ap.parse_args()
    _results.compile_bytecode()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    import uv  # the resolver auditor uses

    uv_bin = uv.find_uv_bin()
    rows = []
    print(f"{'example':<14} {'cold':>7} {'warm':>7} {'facts':>7} {'uv warm':>8} {'uv cold':>8} {'pip-audit':>9} "
          f"{'warm/uv':>8} {'cold/uv cold':>12}")
    for name in args.examples:
        req = ROOT / "examples" / name / "requirements.txt"
        cold, uv_cold = [], []
        for _ in range(args.cold_runs):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(timed(audit_cmd(req, Path(tmp)), env)[0])
            with tempfile.TemporaryDirectory() as tmp:
                uv_cold.append(timed([uv_bin, "pip", "compile", "--quiet", "--no-cache", "--python-version", "3.11",
                                      str(req)], {**env, "UV_CACHE_DIR": tmp})[0])
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp)
            timed(audit_cmd(req, cache), env)  # fill the cache
            warm = [timed(audit_cmd(req, cache), env)[0] for _ in range(args.runs)]
            facts = []
            for _ in range(args.runs):
                shutil.rmtree(cache / "results-v1", ignore_errors=True)
                facts.append(timed(audit_cmd(req, cache), env)[0])
            uv_env = {**env, "UV_CACHE_DIR": str(cache / "uv")}
            compile_cmd = [uv_bin, "pip", "compile", "--quiet", "--python-version", "3.11", str(req)]
            peer = [timed(compile_cmd, uv_env)[0] for _ in range(args.runs)]
            pins = cache / "pins.txt"
            pins.write_text(subprocess.run(compile_cmd, env=uv_env, capture_output=True, text=True).stdout)
            pa_cmd = [sys.executable, "-m", "pip_audit", "-r", str(pins), "--no-deps", "--disable-pip",
                      "--progress-spinner", "off", "--vulnerability-service", "pypi", "--cache-dir", str(cache / "pa")]
            timed(pa_cmd, env, ok=(0, 1))
            pip_audit = [timed(pa_cmd, env, ok=(0, 1))[0] for _ in range(args.runs)]
            packages = sum(1 for ln in pins.read_text().splitlines() if "==" in ln)
        m = {k: round(statistics.median(v), 3) for k, v in (("cold_s", cold), ("warm_s", warm), ("warm_facts_s", facts),
             ("uv_warm_s", peer), ("uv_cold_s", uv_cold), ("pip_audit_warm_s", pip_audit))}
        row = {"example": name, "packages": packages, **m,
               "warm_over_uv": round(m["warm_s"] / m["uv_warm_s"], 2),
               "warm_facts_over_uv": round(m["warm_facts_s"] / m["uv_warm_s"], 2),
               "cold_over_uv_cold": round(m["cold_s"] / m["uv_cold_s"], 2),
               "runs": args.runs, "cold_runs": args.cold_runs}
        rows.append(row)
        print(f"{name:<14} {m['cold_s']:>6.2f}s {m['warm_s']:>6.2f}s {m['warm_facts_s']:>6.2f}s {m['uv_warm_s']:>7.2f}s "
              f"{m['uv_cold_s']:>7.2f}s {m['pip_audit_warm_s']:>8.2f}s {row['warm_over_uv']:>7.2f}x "
              f"{row['cold_over_uv_cold']:>11.2f}x", flush=True)
    environment = env_peer(args.env_example, args.runs, env, uv_bin) if args.env_example else None
    print("wrote", _results.write("audit", rows, **({"environment": environment} if environment else {})))


def env_peer(name: str, runs: int, env: dict, uv_bin: str) -> dict:
    """Warm `auditor audit --python` against `pipdeptree --python` on one installed environment."""
    req = ROOT / "examples" / name / "requirements.txt"
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([uv_bin, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env)
        python = str(venv / "bin" / "python")
        subprocess.run([uv_bin, "pip", "install", "--quiet", "--python", python, "-r", str(req)], check=True, env=env)
        cache = Path(tmp) / "cache"
        cmd = [sys.executable, "-m", "auditor", "audit", "--python", python, "--format", "json", "--output",
               os.devnull, "--cache-dir", str(cache)]
        timed(cmd, env)  # fill the caches
        audit = [timed(cmd, env)[0] for _ in range(runs)]
        tree = [sys.executable, "-m", "pipdeptree", "--python", python, "--json"]
        timed(tree, env)
        peer = [timed(tree, env)[0] for _ in range(runs)]
        out = subprocess.run([sys.executable, "-m", "pip", "--python", python, "list", "--format", "json"],
                             capture_output=True, text=True, env=env).stdout
    row = {"example": name, "installed": len(__import__("json").loads(out or "[]")),
           "env_audit_warm_s": round(statistics.median(audit), 3), "pipdeptree_s": round(statistics.median(peer), 3),
           "runs": runs}
    row["env_over_pipdeptree"] = round(row["env_audit_warm_s"] / row["pipdeptree_s"], 2)
    print(f"environment {name}: auditor audit --python {row['env_audit_warm_s']:.2f}s (warm), "
          f"pipdeptree {row['pipdeptree_s']:.2f}s, {row['env_over_pipdeptree']:.2f}x", flush=True)
    return row


if __name__ == "__main__":
    main()
