"""Benchmark: repository-mapping coverage on the most downloaded PyPI projects.

Usage::

    PYTHONPATH=. python benchmarks/bench_mapping.py [-n 500] [--cache DIR] [--sample K --seed S --out FILE]
                                                    [--show-unmapped] [--mirrors DIR]

Audits the first N names of the shipped list (``auditor/data/top-pypi-projects.txt``)
the way an audit maps them: the PyPI JSON API document of each project (live,
through auditor's HTTP cache under ``--cache``), its latest release's
metadata (``info``) as the core metadata, then
:func:`auditor.repos.mapping.map_repository`.  Prints coverage (mapped / N),
then the count of mappings by confidence and by rule, and the unmapped names.

``--mirrors DIR`` checks every subdirectory found against local mirrors of
the repositories (``DIR/<owner>+<name>/repo``, as the development ``fetch``
tool lays them out; never committed) with
:func:`auditor.repos.confirm.subdirectory_state`, and prints how many were
confirmed, missing, or had no mirror.

``--sample K`` also writes a seeded random sample of K mapped projects
(name, repository, subdirectory, rule, confidence, evidence) to ``--out``
(default ``benchmarks/mapping_sample.json``) for checking by hand.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from importlib import resources
from pathlib import Path

from auditor.config import Config
from auditor.dist.metadata import from_json_info
from auditor.models import Distribution, Unknown
from auditor.net.context import RunContext
from auditor.net.pypi import PyPIClient, parse_project
from auditor.repos.confirm import subdirectory_state
from auditor.repos.mapping import map_repository


def mirror_dirs(root: Path) -> dict[str, Path]:
    """``{"owner/name" lower-cased: git dir}`` for the mirrors under *root*."""
    out = {}
    for d in sorted(root.glob("*+*/repo")) if root.is_dir() else []:
        out[d.parent.name.replace("+", "/", 1).lower()] = d
    return out


def top_names(n: int) -> list[str]:
    """The first *n* names of the shipped top-projects list."""
    text = resources.files("auditor.data").joinpath("top-pypi-projects.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()][:n]


def map_one(client: PyPIClient, name: str):
    """``(RepoMapping or None, reason)`` for one project, from live PyPI facts."""
    doc = client.project_json(name)
    if isinstance(doc, Unknown):
        return None, doc.reason
    project = parse_project(doc)
    info = doc.get("info") or {}
    meta = from_json_info(info)
    dist = Distribution(name=name, version=str(info.get("version") or ""), metadata=meta)
    return map_repository(dist, project), ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "auditor-bench")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("mapping_sample.json"))
    ap.add_argument("--show-unmapped", action="store_true")
    ap.add_argument("--mirrors", type=Path, default=None)
    args = ap.parse_args(argv)
    names = top_names(args.n)
    ctx = RunContext(Config(cache_dir=args.cache, concurrency=8))
    client = PyPIClient(ctx)
    results = ctx.map(lambda n: map_one(client, n), names, task="PyPI projects")
    by_conf: collections.Counter = collections.Counter()
    by_rule: collections.Counter = collections.Counter()
    mapped, unmapped = [], []
    for name, (m, reason) in zip(names, results):
        if m is None or m.repo is None:
            unmapped.append((name, reason or (m.note if m else "") or ""))
            continue
        mapped.append((name, m))
        by_conf[m.confidence.value] += 1
        by_rule[m.rule or "?"] += 1
    n = len(names)
    print(f"mapped {len(mapped)}/{n} = {100 * len(mapped) / n:.1f} %")
    print("by confidence: " + ", ".join(f"{k} {v}" for k, v in sorted(by_conf.items())))
    print("by rule: " + ", ".join(f"{k} {v}" for k, v in by_rule.most_common()))
    with_sub = sum(1 for _n, m in mapped if m.repo.subpath)
    print(f"with a subdirectory: {with_sub}")
    print(f"unmapped ({len(unmapped)}): " + ", ".join(n for n, _r in unmapped))
    if args.mirrors:
        mirrors = mirror_dirs(args.mirrors)
        states: collections.Counter = collections.Counter()
        for name, m in mapped:
            if not m.repo.subpath:
                continue
            git_dir = mirrors.get(m.repo.path) if m.repo.host == "github.com" else None
            state = subdirectory_state(git_dir, m.repo.subpath) if git_dir else "no mirror"
            state = state if isinstance(state, str) else "unknown"
            states[state] += 1
            if state == "missing":
                print(f"  subdirectory missing: {name} {m.repo.url} {m.repo.subpath} ({m.rule})")
        print("subdirectories against mirrors: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    if args.show_unmapped:
        for name, reason in unmapped:
            print(f"  {name}: {reason}")
    if args.sample:
        rng = random.Random(args.seed)
        sample = sorted(rng.sample(mapped, min(args.sample, len(mapped))), key=lambda x: x[0])
        rows = [{"name": name, "repo": m.repo.url, "subdirectory": m.repo.subpath, "rule": m.rule,
                 "confidence": m.confidence.value, "evidence": m.evidence, "checked": None}
                for name, m in sample]
        args.out.write_text(json.dumps({"n": args.n, "seed": args.seed, "sample": rows}, indent=1) + "\n")
        print(f"sample of {len(rows)} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
