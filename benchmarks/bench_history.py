"""Benchmark: reading a large git history vs. a bare ``git log`` of the same fields.

Usage::

    PYTHONPATH=. python benchmarks/bench_history.py [REPO] [--runs N] [--cache DIR]

REPO is a local repository path or a URL (default: the numpy mirror fetched
for development, ``/work/.mirror/numpy+numpy/repo``; never committed).  It is
first cloned the way audits clone (bare, treeless, via
:class:`auditor.net.git.GitCache`; a local source must allow filters,
``uploadpack.allowFilter``, which the shim made for a config-less mirror
does), then timed, each ``--runs`` times, medians printed:

* ``git log``: the exact argv auditor runs (:func:`auditor.net.git.log_command`,
  same format, same mailmap), output to /dev/null;
* ``read``: :func:`auditor.people.history.read_repo_log` (git log + streamed
  parsing + folding by identity);
* ``read+resolve``: :func:`auditor.people.history.histories` (also identity
  resolution and the per-repository figures).

The floor (issue 12) is ``read <= 1.3 x git log``, the peer being the same
argv (merges included: auditor reads merge commits to find who landed
work, so a ``--no-merges`` peer would do less work than the reader).
Results are written to ``benchmarks/results/history.json``: one row with
the commit count, the medians in seconds and the two ratios.
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results

from auditor.models import Unknown
from auditor.net.git import GitCache, git_env, log_command
from auditor.people.history import histories, read_repo_log
from auditor.people.identity import clear_caches

DEFAULT_REPO = "/work/.mirror/numpy+numpy/repo"
#: Reading may take at most this many times the bare ``git log`` (issue 12).
FLOOR = 1.3


def timed(fns: dict, runs: int) -> tuple[dict[str, float], dict[str, object]]:
    """Median seconds per function; runs are interleaved so that load from other
    processes on the machine falls on every contender alike.  The folding caches
    are emptied before each call (untimed), so every run is a cold audit."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    results: dict[str, object] = {}
    for _ in range(runs):
        for name, fn in fns.items():
            clear_caches()
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}, results


def servable(repo: Path) -> Path:
    """A bare repository git can serve: *repo* itself, or (for a mirror without a
    ``config`` file, as the development mirrors are) a shim sharing its objects."""
    if (repo / "config").exists() or (repo / ".git").exists():
        return repo
    tmp = tempfile.mkdtemp(prefix="bench-src-")
    atexit.register(shutil.rmtree, tmp, True)
    shim = Path(tmp) / "src.git"
    shim.mkdir()
    (shim / "objects").symlink_to(repo / "objects")
    for name in ("HEAD", "packed-refs"):
        if (repo / name).exists():
            shutil.copy(repo / name, shim / name)
    shutil.copytree(repo / "refs", shim / "refs")
    # Serve partial clones as forges do (git ignores GIT_CONFIG_* for the local "remote" side).
    (shim / "config").write_text("[core]\n\trepositoryformatversion = 0\n\tbare = true\n"
                                 "[uploadpack]\n\tallowFilter = true\n")
    return shim


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=None, help="cache dir to keep the clone between runs")
    args = ap.parse_args()

    url = servable(Path(args.repo).resolve()).as_uri() if Path(args.repo).exists() else args.repo
    cache_dir = args.cache
    if cache_dir is None:
        cache_dir = Path(tempfile.mkdtemp(prefix="bench-history-"))
        atexit.register(shutil.rmtree, cache_dir, True)
    t0 = time.perf_counter()
    git_dir = GitCache(cache_dir).update(url)
    if isinstance(git_dir, Unknown):
        print(f"cannot clone {url}: {git_dir.reason}", file=sys.stderr)
        return 1
    print(f"clone/update: {time.perf_counter() - t0:.2f} s  ({git_dir})")

    cmd = log_command(git_dir)
    med, res = timed({
        "bare": lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, env=git_env(), check=True),
        "read": lambda: read_repo_log(git_dir, url),
        "full": lambda: histories({url: git_dir}),
    }, args.runs)
    lg, h = res["read"], res["full"][url]
    bare, read, full = med["bare"], med["read"], med["full"]
    print(f"commits: {lg.commits}   contributors: {h.contributors}   active: {h.active_contributors}   "
          f"bus factor: {h.bus_factor}")
    print(f"median of {args.runs} (interleaved):")
    print(f"  git log (same argv, to /dev/null): {bare:.3f} s")
    print(f"  read_repo_log (auditor):           {read:.3f} s   ratio {read / bare:.2f}x")
    print(f"  histories (read + resolve):        {full:.3f} s   ratio {full / bare:.2f}x")
    print("wrote", _results.write("history", [{
        "commits": lg.commits, "runs": args.runs, "git_log_s": round(bare, 3), "read_s": round(read, 3),
        "read_ratio": round(read / bare, 2), "read_resolve_s": round(full, 3),
        "read_resolve_ratio": round(full / bare, 2), "floor_read_ratio": FLOOR}]))
    return 0 if read <= FLOOR * bare else 1


if __name__ == "__main__":
    raise SystemExit(main())
