"""Accuracy of the repository mapping against an independently checked sample.

Usage::

    PYTHONPATH=. python benchmarks/mapping_truth.py benchmarks/mapping_truth_seed20261203.json
                                                   [--cache DIR] [--out FILE]

The truth file is a JSON list written by a reviewer who did not look at
auditor's answers: ``{"name", "repo", "subdirectory", "confirmed",
"how_checked"}`` per project (``repo`` a canonical URL or null,
``subdirectory`` the directory of the build file that declares the
distribution, null for the repository root), and ``alternatives`` where the
reviewer named another answer that is also right (``[{"repo",
"subdirectory", "why"}]``: a moved project's latest release built from its
old repository; a Subversion repository and its git mirror).

Each project is mapped the way :mod:`benchmarks.bench_mapping` maps it (live
PyPI JSON, :func:`auditor.repos.mapping.map_repository`), then compared:

* repository right: same host and ``owner/name`` (case-insensitive, ``.git``
  and trailing slashes ignored);
* subdirectory right: the repository is right and the subdirectories are
  equal (both root counts as equal).

Both rates are printed strictly (the reviewer's first answer) and with the
reviewer's alternatives accepted.

``--mirrors DIR`` applies the file-list check an audit makes through the
forge API (:func:`benchmarks.bench_mapping.check_against_mirrors`) on local
mirrors, as if the forge were reachable.

Prints both rates and every disagreement; ``--out`` writes the per-project
verdicts as JSON (the record kept in ``benchmarks/``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_mapping import check_against_mirrors, map_one, mirror_dirs  # noqa: E402

from auditor.config import Config  # noqa: E402
from auditor.net.context import RunContext  # noqa: E402
from auditor.net.pypi import PyPIClient  # noqa: E402


def repo_key(url: str | None) -> str | None:
    """``host/owner/name`` lower-cased, without ``.git`` or a trailing slash; None for None."""
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "https://" + url)
    path = parts.path.strip("/").removesuffix(".git").lower()
    return f"{(parts.hostname or '').lower()}/{path}"


def norm_sub(sub: str | None) -> str | None:
    """A subdirectory without surrounding slashes; None for the root."""
    sub = (sub or "").strip("/")
    return sub or None


def verdicts(truth: list[dict], mapped: dict[str, tuple[str | None, str | None, str]]) -> list[dict]:
    """One verdict per truth row: auditor's answer, ``repo_right`` and ``subdirectory_right``."""
    out = []
    for row in truth:
        repo, sub, rule = mapped.get(row["name"], (None, None, "unmapped"))
        repo_right = repo_key(repo) == repo_key(row.get("repo"))
        alt = next((a for a in row.get("alternatives") or ()
                    if repo_key(repo) == repo_key(a.get("repo")) and norm_sub(sub) == norm_sub(a.get("subdirectory"))),
                   None)
        out.append({
            "right_by_alternative": alt is not None, "alternative_why": alt.get("why") if alt else None,
            "name": row["name"], "auditor_repo": repo, "auditor_subdirectory": sub, "auditor_rule": rule,
            "truth_repo": row.get("repo"), "truth_subdirectory": row.get("subdirectory"),
            "truth_confirmed": bool(row.get("confirmed")),
            "repo_right": repo_right,
            "subdirectory_right": repo_right and norm_sub(sub) == norm_sub(row.get("subdirectory")),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truth", type=Path)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "auditor-bench")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--mirrors", type=Path, default=None,
                    help="apply the audit's file-list check on local mirrors (as with a reachable forge)")
    args = ap.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    names = [row["name"] for row in truth]
    ctx = RunContext(Config(cache_dir=args.cache, concurrency=8))
    client = PyPIClient(ctx)
    results = ctx.map(lambda n: map_one(client, n), names, task="PyPI projects")
    found = [(name, m) for name, (m, _reason, _v) in zip(names, results) if m is not None and m.repo is not None]
    if args.mirrors:
        versions = {name: v for name, (_m, _r, v) in zip(names, results)}
        found = check_against_mirrors(found, versions, mirror_dirs(args.mirrors))
    mapped = {name: (m.repo.url, m.repo.subpath, m.rule or "?") for name, m in found}
    rows = verdicts(truth, mapped)
    n = len(rows)
    repo_ok = sum(r["repo_right"] for r in rows)
    both_ok = sum(r["subdirectory_right"] for r in rows)
    print(f"repository right: {repo_ok}/{n} = {100 * repo_ok / n:.1f} %")
    print(f"repository + subdirectory right: {both_ok}/{n} = {100 * both_ok / n:.1f} %")
    alt_ok = sum(r["subdirectory_right"] or r["right_by_alternative"] for r in rows)
    print(f"repository + subdirectory right, the reviewer's alternatives accepted: {alt_ok}/{n} = {100 * alt_ok / n:.1f} %")
    for r in rows:
        if not r["subdirectory_right"]:
            print(f"  {r['name']}: auditor {r['auditor_repo']} [{r['auditor_subdirectory']}] ({r['auditor_rule']})"
                  f"; truth {r['truth_repo']} [{r['truth_subdirectory']}]"
                  + (f"; right by the reviewer's alternative: {r['alternative_why']}" if r["right_by_alternative"] else ""))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
