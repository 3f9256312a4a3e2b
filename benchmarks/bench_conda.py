"""Time the conda inputs' parsing: pixi.lock and conda-lock.yml of 64 conda + 3 PyPI packages, and a conda prefix.

Usage: PYTHONPATH=. python benchmarks/bench_conda.py [RUNS]

Each row is the median (and min/max) wall time and CPU time of RUNS (default 21)
calls of the source's ``collect`` with metadata fetching off and ``--offline``
(parsing and inventory only: no request), after one warm-up call that also pays
py-rattler's import.  The peer in the same run is the parsing of
``tests/fixtures/lockfiles/large-base/uv.lock``, so a loaded
machine shows in both.  The issue's floor: each conda lock in at most 0.2 s.
Writes ``benchmarks/results/conda.json``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from auditor.config import Config
from auditor.net.context import RunContext
from auditor.sources.conda import CondaLockSource, CondaPrefixSource, PixiLockSource
from auditor.sources.uv_lock import UvLockSource

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._results import write  # noqa: E402
from tests.conda_fixtures import PACKAGES, record, write_prefix  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def timed(make, runs: int) -> dict:
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(cache_dir=Path(tmp), offline=True, use_cache=False)
        for i in range(runs + 1):
            ctx = RunContext(config)
            w, c = time.perf_counter(), time.process_time()
            inv = make().collect(ctx)
            w, c = time.perf_counter() - w, time.process_time() - c
            ctx.close()
            if i:  # the first call is the warm-up
                walls.append(w)
                cpus.append(c)
    return {"packages": len(inv.distributions), "median_s": round(statistics.median(walls), 4),
            "min_s": round(min(walls), 4), "max_s": round(max(walls), 4),
            "median_cpu_s": round(statistics.median(cpus), 4)}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with tempfile.TemporaryDirectory() as tmp:
        prefix = write_prefix(Path(tmp) / "env", [record(n, v, b, s, d) for n, v, b, s, d in PACKAGES])
        rows = [
            {"input": "pixi.lock", **timed(lambda: PixiLockSource(FIXTURES / "conda" / "pixi.lock", fetch_metadata=False), runs)},
            {"input": "conda-lock.yml",
             **timed(lambda: CondaLockSource(FIXTURES / "conda" / "conda-lock.yml", fetch_metadata=False), runs)},
            {"input": "conda prefix (64 conda-meta records)", **timed(lambda: CondaPrefixSource(prefix), runs)},
            {"input": "uv.lock (peer)",
             **timed(lambda: UvLockSource(FIXTURES / "lockfiles" / "large-base" / "uv.lock", fetch_metadata=False), runs)},
        ]
    for r in rows:
        print(f"{r['input']:<40} {r['packages']:>4} packages  median {r['median_s'] * 1000:7.1f} ms "
              f"(min {r['min_s'] * 1000:.1f}, max {r['max_s'] * 1000:.1f}; CPU {r['median_cpu_s'] * 1000:.1f} ms)")
    print("written:", write("conda", rows, runs=runs, floor_s=0.2))


if __name__ == "__main__":
    main()
