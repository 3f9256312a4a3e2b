#!/usr/bin/env python3
"""A warm audit of N Hugging Face Hub model references (issue 15's floor: 200 references in at most 1 s).

Builds a fake Hub (tests/fakes/hub.py) with N models, each owned by one of
N/4 organizations with members, a history of authors and a base model for
one in ten, then runs ``auditor audit EMPTY --model ORG/NAME ... -f json``
through the real CLI in a subprocess (``HF_ENDPOINT`` at the fake Hub, a
fresh cache directory): once cold (fills the cache), then ``--repeat``
times warm, the result cache (auditor/net/results.py) emptied before each
run so that the audit really runs, every fact from the fact memo.  The peer, in the same run, is the same command without the
``--model`` options (the audit's fixed cost: interpreter start, imports,
the empty requirements file), so ``hub_cost = warm - peer``.

The floor's own figure is the warm audit as a user reruns it: ``stored``,
the same command answered from the result cache (the key covers the
``--model`` options, auditor/net/results.py), and ``scan_stored``, a
project of N ``from_pretrained`` calls in N/10 files given with ``--scan``
(the key covers the scanned files' bytes), each rerun unchanged.

Also reports, from a warm in-process ``run_audit``, the seconds of the
``hub`` stage alone (``AuditResult.timings["hub"]``) and that the warm run
sent no Hub request.  Medians; CPU seconds (user+sys of the child) beside
wall time, since the machine is shared.

Writes benchmarks/results/hub.json.
Usage: python benchmarks/bench_hub.py [-n 200] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _results  # noqa: E402

from tests.fakes.hub import FakeHub  # noqa: E402
from tests.fakes.server import FakeServer  # noqa: E402


def world(n: int) -> tuple[FakeHub, list[str]]:
    hub = FakeHub()
    ids = []
    for i in range(n):
        org = f"org{i % max(1, n // 4)}"
        rid = f"{org}/model-{i}"
        card = {"license": "apache-2.0"}
        if i % 10 == 0:
            card["base_model"] = f"{org}/base-{i}"
            hub.model(f"{org}/base-{i}")
        hub.model(rid, card=card, commits=[("initial commit", ["system"])] + [(f"c{k}", [f"user{(i + k) % 50}"]) for k in range(5)])
        ids.append(rid)
    for k in range(max(1, n // 4)):
        hub.org(f"org{k}", *[f"user{(k + j) % 50}" for j in range(8)])
    return hub, ids


def run(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """(wall seconds, child CPU seconds, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd[:6])} ... exited {proc.returncode}: {proc.stderr[-2000:]}")
    return wall, cpu, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    _results.compile_bytecode()
    hub, ids = world(args.n)
    with FakeServer(hub=hub) as server, tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.txt"
        empty.write_text("")
        cache = Path(tmp) / "cache"
        env = {**os.environ, "HF_ENDPOINT": server.url, "PYTHONPATH": str(ROOT), "AUDITOR_OSV_URL": server.url}
        env.pop("HF_TOKEN", None)
        base = [sys.executable, "-m", "auditor", "audit", str(empty), "-f", "json", "--cache-dir", str(cache),
                "--pypi-url", server.url, "--no-history"]
        models = [a for rid in ids for a in ("--model", rid)]
        cold = run(base + models, env)
        cold_requests = len(server.log)
        warm, peer = [], []
        for _ in range(args.repeat):  # the result cache emptied first: every fact from the caches, none from it
            shutil.rmtree(cache / "results-v1", ignore_errors=True)
            warm.append(run(base + models, env))
            shutil.rmtree(cache / "results-v1", ignore_errors=True)
            peer.append(run(base, env))
        warm_requests = len(server.log) - cold_requests
        stored = [run(base + models, env) for _ in range(args.repeat)]  # the result of the last warm run
        proj = Path(tmp) / "proj"
        proj.mkdir()
        for f in range(max(1, args.n // 10)):
            lines = ["from transformers import AutoModel"]
            lines += [f"m{k} = AutoModel.from_pretrained({rid!r})" for k, rid in enumerate(ids[f * 10:(f + 1) * 10])]
            (proj / f"train_{f}.py").write_text("\n".join(lines) + "\n")
        scan = base + ["--scan", str(proj)]
        run(scan, env)  # stores the result
        scan_stored = [run(scan, env) for _ in range(args.repeat)]

        from auditor.config import Config
        from auditor.pipeline import run_audit
        from auditor.sources.registry import open_source

        os.environ["HF_ENDPOINT"] = server.url
        stage = []
        for _ in range(args.repeat):
            cfg = Config(cache_dir=cache, hub_models=tuple(ids), osv_url=server.url, pypi_url=server.url)
            result = run_audit(cfg, open_source(empty), collectors=[])
            stage.append(result.timings.get("hub", 0.0))
            assert result.requests.get("hub", {}).get("network", 0) == 0, result.requests
    med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
    row = {
        "references": args.n, "repositories": len(hub.repos), "repeat": args.repeat,
        "cold_s": round(cold[0], 3), "cold_requests": cold_requests,
        "warm_median_s": round(med(warm, 0), 3), "warm_cpu_median_s": round(med(warm, 1), 3),
        "peer_median_s": round(med(peer, 0), 3), "peer_cpu_median_s": round(med(peer, 1), 3),
        "hub_cost_median_s": round(med(warm, 0) - med(peer, 0), 3),
        "stored_median_s": round(med(stored, 0), 3), "stored_cpu_median_s": round(med(stored, 1), 3),
        "scan_stored_median_s": round(med(scan_stored, 0), 3),
        "hub_stage_median_s": round(statistics.median(stage), 3),
        "warm_hub_requests": warm_requests,
        "warm_runs_s": [round(w[0], 3) for w in warm], "peer_runs_s": [round(p[0], 3) for p in peer],
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }
    for k, v in row.items():
        print(f"{k:>22}: {v}")
    print("wrote", _results.write("hub", [row]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
