"""Contributor figures of real repositories against the forge's published count (issue 12).

Usage::

    PYTHONPATH=. python benchmarks/bench_people.py [--as-of 2024-03-26] [NAME=PATH:COUNT ...]

Each repository (default: the numpy, scipy and threadpoolctl mirrors fetched
for development under ``/work/.mirror``; never committed) is cloned the way an
audit clones it (:class:`auditor.net.git.GitCache`: bare, treeless, the
repository's ``.mailmap`` at ``HEAD`` copied and applied), then read with
:func:`auditor.people.history.histories` up to ``--as-of``, each repository on
its own (as an audit of that one package would).  Printed and written to
``benchmarks/results/people.json``, per repository: ``contributors`` (the
forge-comparable authors), the forge's count and the difference in per cent,
``unlinkable_authors``, ``co_authors_only``, ``committers_only``,
``people_all_roles``, ``excluded_bots`` and the merges of every identity rule.

The floor (issue 12): as of 2024-03-26, numpy and scipy within [0 %, +8 %] of
GitHub's 1,581 and 1,447, threadpoolctl exactly 10.
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import _results
from bench_history import servable

from auditor.models import Unknown
from auditor.net.git import GitCache
from auditor.people.history import histories

#: GitHub's contributor counts as of 2024-03-26 (the issue's hand-checked figures).
DEFAULT = ("numpy=/work/.mirror/numpy+numpy/repo:1581",
           "scipy=/work/.mirror/scipy+scipy/repo:1447",
           "threadpoolctl=/work/.mirror/joblib+threadpoolctl/repo:10")
#: The issue's floor: contributors within [0 %, +8 %] of the forge's count.
FLOOR_PCT = (0.0, 8.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repos", nargs="*", default=list(DEFAULT), help="NAME=PATH:FORGE_COUNT")
    ap.add_argument("--as-of", default="2024-03-26")
    ap.add_argument("--cache", type=Path, default=None, help="cache dir to keep the clones between runs")
    args = ap.parse_args()
    cache_dir = args.cache
    if cache_dir is None:
        cache_dir = Path(tempfile.mkdtemp(prefix="bench-people-"))
        atexit.register(shutil.rmtree, cache_dir, True)
    cache = GitCache(cache_dir, freshness=10**9)
    rows, ok = [], True
    for spec in args.repos:
        name, _, rest = spec.partition("=")
        path, _, count = rest.rpartition(":")
        git_dir = cache.update(servable(Path(path).resolve()).as_uri())
        if isinstance(git_dir, Unknown):
            print(f"{name}: cannot clone {path}: {git_dir.reason}", file=sys.stderr)
            return 1
        h = histories({name: git_dir}, as_of=args.as_of)[name]
        if isinstance(h, Unknown):
            print(f"{name}: {h.reason}", file=sys.stderr)
            return 1
        forge = int(count)
        pct = (h.contributors / forge - 1) * 100
        within = FLOOR_PCT[0] <= pct <= FLOOR_PCT[1] if name != "threadpoolctl" else h.contributors == forge
        ok &= within
        rows.append({"repository": name, "as_of": args.as_of, "contributors": h.contributors, "forge": forge,
                     "difference_pct": round(pct, 1), "within_floor": within,
                     "unlinkable_authors": h.unlinkable_authors, "co_authors_only": h.co_authors_only,
                     "committers_only": h.committers_only, "people_all_roles": h.people_all_roles,
                     "excluded_bots": h.excluded_bots, "commits": h.commits,
                     "identity_merges": {k: v for k, v in h.identity_merges.items() if v}})
        print(f"{name}: contributors {h.contributors} (forge {forge}, {pct:+.1f} %, "
              f"{'within' if within else 'OUTSIDE'} the floor); unlinkable authors {h.unlinkable_authors}, "
              f"co-authors only {h.co_authors_only}, committers only {h.committers_only}, "
              f"all roles {h.people_all_roles}, bots {h.excluded_bots}")
        print("   merges: " + ", ".join(f"{k} {v}" for k, v in h.identity_merges.items() if v))
    print("wrote", _results.write("people", rows))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
