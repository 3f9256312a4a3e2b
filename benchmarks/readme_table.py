#!/usr/bin/env python3
"""Regenerate the README's performance figures from benchmarks/results/*.json.

The README's text between ``<!-- perf:begin -->`` and ``<!-- perf:end -->``
is replaced by tables built only from the last results of bench_audit.py
(peers uv, pip-audit and pipdeptree in the same run), bench_cold_bound.py, bench_diff.py, bench_import.py,
bench_cache.py and bench_scale.py, each with its date and command.  A benchmark without a
result file is listed as "not measured".  Run the benchmarks, then this
script, then commit both the JSON and the README.

Usage: python benchmarks/readme_table.py [--check]
  --check  exit 1 when the README differs from what the results give (for CI).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _results

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- perf:begin -->", "<!-- perf:end -->"


def _src(doc: dict) -> str:
    m = doc.get("machine", {})
    return f"`{doc['command']}`, {doc['date']}, {m.get('cores')} cores, Python {m.get('python')}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table: the header row, the separator, one line per row."""
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def audit_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Audit: not measured (run `python benchmarks/bench_audit.py`)."]
    out = [f"Audit of the shipped examples ({_src(doc)}; medians of {doc['rows'][0]['runs']} warm and "
           f"{doc['rows'][0]['cold_runs']} cold runs; GitHub, OSV, deps.dev and Scorecard unreachable):", ""]
    out += _table(["example", "packages", "cold", "`uv pip compile --no-cache`", "cold / uv", "warm (repeat)",
                   "warm (facts cached)", "warm `uv pip compile`", "warm / uv", "warm `pip-audit` (pins, PyPI service)"],
                  [[r["example"], str(r["packages"]), f"{r['cold_s']:.2f} s", f"{r['uv_cold_s']:.2f} s",
                    f"{r['cold_over_uv_cold']:.1f}x", f"{r['warm_s']:.2f} s", f"{r['warm_facts_s']:.2f} s",
                    f"{r['uv_warm_s']:.2f} s", f"{r['warm_over_uv']:.2f}x", f"{r['pip_audit_warm_s']:.2f} s"]
                   for r in doc["rows"]])
    out += ["", "*warm (repeat)*: the same command again within 5 minutes, answered by the result cache; "
            "*warm (facts cached)*: result cache emptied, every fact from the HTTP cache and the fact memo."]
    e = doc.get("environment")
    if e:
        out += ["", f"The {e['example']} example installed in a virtual environment ({e['installed']} distributions): "
                    f"warm `auditor audit --python VENV/bin/python` {e['env_audit_warm_s']:.2f} s, "
                    f"`pipdeptree --python VENV/bin/python --json` {e['pipdeptree_s']:.2f} s on the same environment "
                    f"({e['env_over_pipdeptree']:.1f}x; medians of {e['runs']}; environments are never answered "
                    f"by the result cache)."]
    return out


def cold_bound_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Cold lower bound: not measured (run `python benchmarks/bench_cold_bound.py`)."]
    r = doc["rows"][0]
    return [f"How fast a cold audit could be here ({_src(doc)}; medians of {r['runs']}): a cold "
            f"{r['example']} audit spends {r['audit_serial_cpu_s']:.2f} s of processor time with one request at a "
            f"time ({r['audit_cold_cpu_s']:.2f} s at the default concurrency), of which uv "
            f"{r['uv_cold_cpu_s']:.2f} s and imports {r['import_cpu_s']:.2f} s. Even with every import hidden "
            f"under uv's {r['uv_cold_s']:.2f} s and the remaining {r['work_cpu_s']:.2f} s spread perfectly over "
            f"{r['cores']} cores at no cost, it would take {r['bound_s']:.2f} s, {r['bound_over_uv_cold']:.1f}x "
            f"`uv pip compile --no-cache` (measured in the same run: {r['audit_cold_s']:.2f} s, "
            f"{r['audit_cold_over_uv_cold']:.1f}x)."]


def cache_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Cache: not measured (run `python benchmarks/bench_cache.py`)."]
    total = next(r for r in doc["rows"] if r["kind"] == "total")
    files = ", ".join(f"`{r['name']}` {r['mb']:.1f} MB" for r in doc["rows"] if r["kind"] == "file" and r["mb"] >= 0.05)
    return [f"A cold audit of the first {doc.get('names', doc['projects'])} names of the top-projects list "
            f"({doc['projects']} on the index, each pinned to its newest release: {doc['packages']} packages; "
            f"{_src(doc)}) took {doc['seconds']:.0f} s and left {total['mb']:.1f} MB of cache: {files}."]


def diff_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Diff: not measured (run `python benchmarks/bench_diff.py`)."]
    r = doc["rows"][0]
    return [f"`auditor diff` of two uv.lock files ({r['packages_before']} -> {r['packages_after']} packages, "
            f"{r['changes']} changes; {_src(doc)}): {r['cli_warm_s']:.2f} s repeated (result cache, median of "
            f"{r['runs']}), {r.get('cli_warm_facts_s', float('nan')):.2f} s with every fact cached but no result, "
            f"{r['cli_first_s']:.2f} s for the run that fills the cache; in process {r['in_process_gate_s']:.2f} s, "
            f"of which reading both lockfiles {r['read_lockfiles_s']:.3f} s and diff + policy + three formats "
            f"{r['diff_policy_out_s']:.3f} s."]


def import_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Import: not measured (run `python benchmarks/bench_import.py`)."]
    r = doc["rows"][0]
    return [f"`import auditor.cli` adds {r['difference_ms']} ms to the interpreter's {r['interpreter_ms']} ms "
            f"start-up ({_src(doc)})."]


def scale_section(doc: dict | None) -> list[str]:
    if doc is None:
        return ["Scale: not measured (run `python benchmarks/bench_scale.py --nodes 1000 --nodes 10000`)."]
    out = [f"Synthetic graphs (`benchmarks/bench_scale.py`: preferential-attachment dependencies, lognormal "
           f"contributors per repository; {_src(doc)}{_runs(doc)}), seconds per stage; peak RSS with the "
           "reports written to files, and after rendering them in memory as the CLI does for standard output:", ""]

    def mb(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f} MB"

    out += _table(["packages", "edges", "graph", "people reach", "findings + scoring", "JSON", "GraphML", "total",
                   "CPU", "per 1k packages", "peak RSS", "peak RSS, in memory"],
                  [[f"{r['nodes']:,}", f"{r['edges']:,}", *(f"{r['seconds'][k]:.2f}" for k in
                    ("graph", "people_reach", "scoring", "json", "graphml")),
                    f"{r['total_s']:.2f} s", f"{r['cpu_s']:.2f} s" if "cpu_s" in r else "-",
                    f"{r['per_1k_nodes_s']:.2f} s", mb(r["peak_rss_mb"]), mb(r.get("peak_rss_in_memory_mb"))]
                   for r in doc["rows"]])
    return out


def _runs(doc: dict) -> str:
    runs = max((r.get("runs", 1) for r in doc["rows"]), default=1)
    load = doc.get("load_average_at_end")
    return ((f"; the run with the median total of {runs} per size" if runs > 1 else "")
            + (f"; load average {load[0]:.1f} at the end (shared machine)" if load else ""))


def render() -> str:
    parts = [audit_section(_results.read("audit")), cold_bound_section(_results.read("cold_bound")),
             diff_section(_results.read("diff")),
             import_section(_results.read("import")), cache_section(_results.read("cache")),
             scale_section(_results.read("scale"))]
    lines = [BEGIN, "<!-- generated by benchmarks/readme_table.py from benchmarks/results/*.json: do not edit -->"]
    for part in parts:
        lines += ["", *part]
    return "\n".join(lines + ["", END])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text = README.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{README}: no {BEGIN} ... {END} block")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    new = head + render() + tail
    if args.check:
        sys.exit(0 if new == text else "README performance figures differ from benchmarks/results: "
                                       "run benchmarks/readme_table.py")
    README.write_text(new)
    print(f"updated {README}")


if __name__ == "__main__":
    main()
