"""Benchmark: repository-mapping coverage on the most downloaded PyPI projects.

Usage::

    PYTHONPATH=. python benchmarks/bench_mapping.py [-n 500] [--cache DIR] [--sample K --seed S --out FILE]
                                                    [--show-unmapped] [--mirrors DIR]

Audits the first N names of the shipped list (``auditor/data/top-pypi-projects.txt``)
the way an audit maps them: the PyPI JSON API document of each project (live,
through auditor's HTTP cache under ``--cache``), its latest release's core
metadata as an audit reads it (:meth:`PyPIClient.core_metadata`: the PEP 658
file or the wheel's METADATA; the JSON ``info`` as the last resort), then
:func:`auditor.repos.mapping.map_repository`.  Prints coverage (mapped / N),
then the count of mappings by confidence and by rule, and the unmapped names.

``--mirrors DIR`` runs the audit's file-list check (docs/mapping.md) on local
mirrors of the repositories (``DIR/<owner>+<name>/repo``, as the development
``fetch`` tool lays them out; never committed): a named subdirectory is
confirmed at HEAD or at the release tag (:func:`auditor.repos.confirm.clone_check`)
or refuted, and a root mapping whose root holds no packaging file gets the
one directory declaring the name (:func:`auditor.repos.confirm.clone_inference`,
rule suffix ``+tree``).  It prints each change, the count per state, and the
coverage by confidence and rule after the check; ``--sample`` then samples
the checked mappings.

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
from auditor.models import SubdirectoryCheck
from auditor.repos.confirm import apply_subdirectory, clone_check, clone_inference
from auditor.repos.mapping import map_repository, names_repository


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
    """``(RepoMapping or None, reason, latest version)`` for one project, from live PyPI facts."""
    doc = client.project_json(name)
    if isinstance(doc, Unknown):
        return None, doc.reason, ""
    project = parse_project(doc, None, names_repository)  # as an audit parses it (pipeline.run_audit)
    info = doc.get("info") or {}
    version = str(info.get("version") or "")
    # The release's own core metadata, as an audit reads it (PEP 658 file, or
    # METADATA read by range from the wheel); the JSON API's ``info`` only as
    # the audit's own last resort.  ``info`` can lag behind: filelock 4.3.1's
    # wheel names github.com/tox-dev/filelock, its ``info`` the old py-filelock.
    meta = client.core_metadata(name, version) if version else None
    if meta is None or isinstance(meta, Unknown):
        meta = from_json_info(info)
    dist = Distribution(name=name, version=version, metadata=meta)
    return map_repository(dist, project), "", dist.version


def check_against_mirrors(mapped: list, versions: dict[str, str], mirrors: dict[str, Path]) -> list:
    """The mappings after the file-list check on local mirrors (the audit's
    ``subdirectory`` collector does the same through the forge API): a named
    subdirectory is confirmed at HEAD or the release tag, or refuted; a root
    mapping gets the one directory that declares the name (``+tree``).
    Prints a line per change and the count per state."""
    states: collections.Counter = collections.Counter()
    out = []
    for name, m in mapped:
        git_dir = mirrors.get(m.repo.path) if m.repo.host == "github.com" else None
        if git_dir is None:
            states["no mirror"] += 1
            out.append((name, m))
            continue
        if m.repo.subpath:
            check = clone_check(git_dir, m.repo.subpath, versions.get(name), history=True)
        else:
            check = clone_inference(git_dir, name)
        state = check.state if isinstance(check, SubdirectoryCheck) else "unknown"
        states[state] += 1
        new = apply_subdirectory(m, check)
        if state in ("refuted", "removed", "inferred", "unknown") or "tag" in getattr(check, "detail", ""):
            print(f"  {state}: {name} {m.repo.url} {check.subdirectory if state != 'unknown' else check.reason}"
                  f" ({new.rule}; {getattr(check, 'detail', '')})")
        out.append((name, new))
    print("file-list check on mirrors: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    return out


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
    versions = {name: v for name, (_m, _r, v) in zip(names, results)}
    results = [(m, r) for m, r, _v in results]
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
        mapped = check_against_mirrors(mapped, versions, mirror_dirs(args.mirrors))
        by_rule = collections.Counter(m.rule or "?" for _n, m in mapped)
        by_conf = collections.Counter(m.confidence.value for _n, m in mapped)
        print("after the file-list check (mirrors only):")
        print("  by confidence: " + ", ".join(f"{k} {v}" for k, v in sorted(by_conf.items())))
        print("  by rule: " + ", ".join(f"{k} {v}" for k, v in by_rule.most_common()))
        print(f"  with a subdirectory: {sum(1 for _n, m in mapped if m.repo.subpath)}")
    if args.show_unmapped:
        for name, reason in unmapped:
            print(f"  {name}: {reason}")
    if args.sample:
        rng = random.Random(args.seed)
        sample = sorted(rng.sample(mapped, min(args.sample, len(mapped))), key=lambda x: x[0])
        rows = [{"name": name, "repo": m.repo.url, "subdirectory": m.repo.subpath, "rule": m.rule,
                 "confidence": m.confidence.value, "subdirectory_state": m.subdirectory_state,
                 "evidence": m.evidence, "checked": None}
                for name, m in sample]
        args.out.write_text(json.dumps({"n": args.n, "seed": args.seed, "sample": rows}, indent=1) + "\n")
        print(f"sample of {len(rows)} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
