#!/usr/bin/env python3
"""Time the resolution step alone: uv pip compile (cold and warm) vs pip's dry run.

cold: a fresh resolver cache each run; warm: the same cache, filled by a
previous run.  pip is opt-in (``--pip``) because, against an index that
does not advertise PEP 658 metadata, its dry run downloads every wheel
(3.1 GB for examples/llm-finetune: torch and the CUDA wheels).

Also prints how many pins each resolver produced and whether they agree.

Usage: python benchmarks/bench_resolve.py [--runs N] [--pip] [EXAMPLE ...]
Needs network access to the index.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.config import Config  # noqa: E402
from auditor.sources import resolve as R  # noqa: E402
from auditor.sources.requirements import RequirementsSource, parse_requirements  # noqa: E402

EXAMPLES = ["scikit-learn", "llm-finetune"]


def request_for(path: Path, cache: Path) -> R.ResolveRequest:
    config = Config(cache_dir=cache)
    source = RequirementsSource(path)
    parsed = parse_requirements(path)
    return source._request(parsed, config, parsed.requirements)


def timed(fn) -> tuple[float, R.Resolution]:
    start = time.perf_counter()
    res = fn()
    return time.perf_counter() - start, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="*", default=EXAMPLES)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pip", action="store_true", help="also time pip --dry-run (downloads wheels; see above)")
    args = ap.parse_args()
    for name in args.examples:
        path = ROOT / "examples" / name / "requirements.txt"
        cold, warm, pip_times = [], [], []
        uv_pins = pip_pins = None
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                req = request_for(path, Path(tmp))
                t, res = timed(lambda: R.resolve_with_uv(req))
                cold.append(t)
                t, res = timed(lambda: R.resolve_with_uv(req))
                warm.append(t)
                uv_pins = {(p.name, p.version) for p in res.pins}
        if args.pip:
            with tempfile.TemporaryDirectory() as tmp:
                req = replace(request_for(path, Path(tmp)), cache_dir=None)
                t, res = timed(lambda: R.resolve_with_pip(req))
                pip_times.append(t)
                pip_pins = {(p.name, p.version) for p in res.pins}
        line = (
            f"{name}: {len(uv_pins)} pins; uv cold median {statistics.median(cold):.2f} s, "
            f"warm median {statistics.median(warm):.2f} s ({args.runs} runs)"
        )
        if pip_times:
            line += (
                f"; pip --dry-run {statistics.median(pip_times):.2f} s "
                f"({statistics.median(pip_times) / statistics.median(cold):.0f}x uv cold); "
                f"same pins: {uv_pins == pip_pins}"
            )
        print(line, flush=True)


if __name__ == "__main__":
    main()
