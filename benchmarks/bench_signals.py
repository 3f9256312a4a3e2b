"""Time the signal collectors on a real environment (warm cache) and provenance verification.

Usage: PYTHONPATH=. python benchmarks/bench_signals.py [PYTHON] [CACHE_DIR]

Prints medians of 3 runs: the audit of PYTHON's environment without the
signal collectors, with them, and each collector alone; then the median time
to verify one real PEP 740 provenance object (the pypi-attestations fixture).
Run once first to warm the cache (the first run is not counted).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from auditor.collectors import RunContext
from auditor.config import Config
from auditor.pipeline import collect_nodes, run_audit
from auditor.signals.provenance import verify_provenance
from auditor.signals.registry import SIGNAL_COLLECTORS
from auditor.sources.environment import EnvironmentSource

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "signals" / "fixtures"


def median_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    python = sys.argv[1] if len(sys.argv) > 1 else sys.executable
    cache = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/auditor-bench-cache")
    config = Config(cache_dir=cache, osv_db=FIXTURES / "osv")
    source = EnvironmentSource(python)
    collectors = [factory(config) for _name, factory in SIGNAL_COLLECTORS]
    run_audit(config, source, collectors=collectors)  # warm the cache
    base = median_of(lambda: run_audit(config, source, collectors=[]))
    full = median_of(lambda: run_audit(config, source, collectors=collectors))
    print(f"warm audit of {python}: without signals {base:.2f} s, with signals {full:.2f} s (median of 3)")
    ctx = RunContext(config)
    inventory = source.collect(ctx)
    nodes = list(collect_nodes(inventory, ctx).values())
    for collector in collectors:
        t = median_of(lambda: collector.collect(RunContext(config), nodes))
        print(f"  {collector.key:16} {t * 1000:8.1f} ms for {len(nodes)} packages")
    doc = json.loads((FIXTURES / "provenance" / "pypi_attestations-0.0.19.tar.gz.provenance").read_text())
    sha = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"
    verify_provenance(doc, "pypi_attestations-0.0.19.tar.gz", sha)  # imports, trust root load
    t = median_of(lambda: verify_provenance(doc, "pypi_attestations-0.0.19.tar.gz", sha), runs=5)
    print(f"verify one PEP 740 provenance (1 attestation): {t * 1000:.1f} ms (median of 5)")


if __name__ == "__main__":
    main()
