"""Fuzz every parser of outside input: N mutated cases per target (default 10,000); print outcome counts.

    PYTHONPATH=. python benchmarks/fuzz.py [--cases 10000] [--seed 1] [--only NAME] [--json out.json]
    PYTHONPATH=. python benchmarks/fuzz.py --cli 300     # the real CLI (offline) on mutated lockfiles: exit codes

Outcomes per target: ``ok`` (parsed), ``rejected`` (a clean refusal: an
input error or an ``unknown``), ``crash`` (any other exception: what would
be exit 4 or a traceback; each distinct place is listed), ``slow`` (over
:data:`SLOW` seconds, interrupted by SIGALRM).  The targets and mutators are
in tests/fuzz/targets.py.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.setrecursionlimit(10_000)  # the default CLI limit is 1000; parsers must be bounded either way

from tests.fuzz.targets import targets  # noqa: E402

#: Seconds after which a case counts as a hang.
SLOW = 10


class _Slow(BaseException):
    pass


def _alarm(signum, frame):  # noqa: ARG001
    raise _Slow()


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "/auditor/" in f.filename] or tb
    last = ours[-1]
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", action="append")
    ap.add_argument("--json")
    ap.add_argument("--cli", type=int, default=0, help="run the CLI on this many mutated input files instead")
    args = ap.parse_args()
    if args.cli:
        return cli(args.cli, args.seed)
    signal.signal(signal.SIGALRM, _alarm)
    report = {}
    bad = 0
    for name, target in targets().items():
        if args.only and name not in args.only:
            continue
        rng = random.Random(f"{args.seed}:{name}")
        counts: Counter[str] = Counter()
        places: Counter[str] = Counter()
        start = time.perf_counter()
        for _ in range(args.cases):
            case = target.case(rng)
            signal.alarm(SLOW)
            try:
                counts[target.run(case)] += 1
            except _Slow:
                counts["slow"] += 1
            except Exception as exc:  # noqa: BLE001 - counting them is the point
                counts["crash"] += 1
                places[_where(exc)] += 1
            finally:
                signal.alarm(0)
        elapsed = time.perf_counter() - start
        bad += counts["crash"] + counts["slow"]
        report[name] = {"cases": args.cases, **counts, "seconds": round(elapsed, 1), "crash_places": dict(places)}
        line = ", ".join(f"{k} {counts[k]}" for k in ("ok", "rejected", "crash", "slow"))
        print(f"{name:20} {args.cases} cases: {line}  ({elapsed:.0f} s)", flush=True)
        for place, n in places.most_common(8):
            print(f"    {n:5}  {place}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 1 if bad else 0


def cli(cases: int, seed: int) -> int:
    """``auditor audit FILE --offline -f json`` on mutated lockfiles and requirements; count the exit codes."""
    import tempfile

    from typer.testing import CliRunner

    from auditor.cli import app
    from tests.fuzz.targets import mutate_text

    runner = CliRunner()
    all_targets = targets()
    names = {"uv.lock": "uv.lock", "poetry.lock": "poetry.lock", "pylock.toml": "pylock.toml",
             "Pipfile.lock": "Pipfile.lock", "requirements": "requirements.txt"}
    rng = random.Random(f"{seed}:cli")
    tmp = Path(tempfile.mkdtemp(prefix="auditor-cli-fuzz-"))
    codes: Counter[int] = Counter()
    internal: Counter[str] = Counter()
    start = time.perf_counter()
    for i in range(cases):
        name = list(names)[i % len(names)]
        path = tmp / names[name]
        path.write_text(mutate_text(rng.choice(all_targets[name].seeds), rng), encoding="utf-8", errors="surrogatepass")
        signal.alarm(SLOW * 6)
        try:
            res = runner.invoke(app, ["audit", str(path), "--offline", "--no-history", "--resolver", "none",
                                      "--cache-dir", str(tmp / "cache"), "-f", "json"])
            codes[res.exit_code] += 1
            if res.exit_code == 4:
                internal[(res.output.strip().splitlines() or ["?"])[-1][:120]] += 1
        except _Slow:
            codes[-1] += 1
        finally:
            signal.alarm(0)
    print(f"CLI {cases} cases ({time.perf_counter() - start:.0f} s): "
          + ", ".join(f"exit {k}: {v}" for k, v in sorted(codes.items()) if k >= 0)
          + (f", hangs: {codes[-1]}" if codes[-1] else ""))
    for line, n in internal.most_common(10):
        print(f"    {n:4}  {line}")
    return 1 if codes[4] or codes[-1] else 0


if __name__ == "__main__":
    raise SystemExit(main())
