#!/usr/bin/env python3
"""The cache a cold audit of the top N PyPI projects leaves behind, by file, table and kind.

Audits the first N names of the shipped list (``auditor/data/top-pypi-projects.txt``),
each pinned to the version in ``benchmarks/top-pins.txt`` (``--refresh-pins`` writes that
file again from the simple index: the newest final release with files), with
``--resolver none`` (500 projects are not one installable set) and a fresh cache
directory; then prints and records the size of every file in the cache directory, the
fact memo's stored bytes by namespace and the HTTP cache's responses by host.

Writes benchmarks/results/cache.json (``benchmarks/readme_table.py`` reads it).
Usage: python benchmarks/bench_cache.py [-n 500] [--refresh-pins] [--keep DIR]
Needs network access to PyPI.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import _results

ROOT = Path(__file__).resolve().parent.parent
PINS = Path(__file__).resolve().parent / "top-pins.txt"
MB = 1e6


def top_names(n: int) -> list[str]:
    text = resources.files("auditor.data").joinpath("top-pypi-projects.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()][:n]


def refresh_pins(names: list[str]) -> None:
    """Write PINS: ``name==version`` for the newest final release that has files, per name."""
    import requests
    from packaging.utils import parse_sdist_filename, parse_wheel_filename
    from packaging.version import InvalidVersion

    session = requests.Session()

    def newest(name: str) -> str | None:
        resp = session.get(f"https://pypi.org/simple/{name}/", timeout=60,
                           headers={"Accept": "application/vnd.pypi.simple.v1+json"})
        if resp.status_code != 200:
            return None
        versions = set()
        for f in resp.json().get("files", []):
            if f.get("yanked"):
                continue
            fn = f.get("filename", "")
            try:
                v = parse_wheel_filename(fn)[1] if fn.endswith(".whl") else parse_sdist_filename(fn)[1]
            except (ValueError, InvalidVersion):
                continue
            if not v.is_prerelease and not v.is_devrelease:
                versions.add(v)
        return f"{name}=={max(versions)}" if versions else None

    with ThreadPoolExecutor(16) as pool:
        pins = [p for p in pool.map(newest, names) if p]
    PINS.write_text("# The newest final release of each of the top projects, for bench_cache.py"
                    f" ({time.strftime('%Y-%m-%d', time.gmtime())}).\n" + "\n".join(pins) + "\n")


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else (
        path.stat().st_size if path.exists() else 0)


def memo_by_namespace(path: Path) -> dict[str, dict[str, int]]:
    if not path.exists():
        return {}
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT ns, COUNT(*), SUM(size) FROM facts GROUP BY ns ORDER BY ns").fetchall()
    finally:
        db.close()
    return {ns: {"rows": n, "bytes": int(b or 0)} for ns, n, b in rows}


def http_by_host(path: Path) -> dict[str, dict[str, int]]:
    """Responses stored in the requests-cache SQLite file, by host of the request."""
    if not path.exists():
        return {}
    from requests_cache import SQLiteCache

    backend = SQLiteCache(str(path))
    out: dict[str, dict[str, int]] = collections.defaultdict(lambda: {"rows": 0, "bytes": 0})
    db = sqlite3.connect(path)
    try:
        for key, value in db.execute("SELECT key, value FROM responses"):
            try:
                resp = backend.responses.deserialize(key, value)
                host = urlsplit(resp.url).netloc or "?"
            except Exception:  # noqa: BLE001 - a row this version cannot read
                host = "?"
            out[host]["rows"] += 1
            out[host]["bytes"] += len(value)
    finally:
        db.close()
        backend.close()
    return dict(sorted(out.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--refresh-pins", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="use (and keep) this cache directory instead of a temporary one")
    args = ap.parse_args()
    _results.compile_bytecode()
    names = top_names(args.n)
    if args.refresh_pins or not PINS.exists():
        refresh_pins(names)
    wanted = set(names)
    pins = [line for line in PINS.read_text().splitlines() if line and not line.startswith("#")
            and line.split("==")[0] in wanted]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.keep or Path(tmp) / "cache"
        req = Path(tmp) / "requirements.txt"
        req.write_text("\n".join(pins) + "\n")
        cmd = [sys.executable, "-m", "auditor", "audit", str(req), "--resolver", "none", "--format", "json",
               "--output", str(Path(tmp) / "audit.json"), "--cache-dir", str(cache)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 3):
            sys.exit(f"audit failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        audited = len(json.loads((Path(tmp) / "audit.json").read_text())["packages"])
        files = {p.name: tree_bytes(p) for p in sorted(cache.iterdir())}
        memo = memo_by_namespace(cache / "facts-v2.sqlite")
        http = http_by_host(cache / "http-cache.sqlite")
    total = sum(files.values())
    print(f"cold audit of {len(pins)} pinned projects ({audited} packages in the report): {elapsed:.1f} s")
    print(f"cache directory: {total / MB:.1f} MB")
    for name, size in files.items():
        print(f"  {name:<28} {size / MB:8.2f} MB")
    print("fact memo, stored bytes by namespace:")
    for ns, d in memo.items():
        print(f"  {ns:<28} {d['rows']:6d} rows {d['bytes'] / MB:8.2f} MB")
    print("HTTP cache, responses by host:")
    for host, d in http.items():
        print(f"  {host:<28} {d['rows']:6d} rows {d['bytes'] / MB:8.2f} MB")
    rows = [{"kind": "total", "name": "cache directory", "mb": round(total / MB, 2)}]
    rows += [{"kind": "file", "name": k, "mb": round(v / MB, 2)} for k, v in files.items()]
    rows += [{"kind": "memo", "name": k, "rows": d["rows"], "mb": round(d["bytes"] / MB, 2)} for k, d in memo.items()]
    rows += [{"kind": "http", "name": k, "rows": d["rows"], "mb": round(d["bytes"] / MB, 2)} for k, d in http.items()]
    _results.write("cache", rows, names=len(names), projects=len(pins), packages=audited, seconds=round(elapsed, 1))


if __name__ == "__main__":
    main()
