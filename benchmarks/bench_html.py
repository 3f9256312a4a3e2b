#!/usr/bin/env python3
"""The HTML report at scale: render cost beside the JSON report's, page size, and the page in chromium.

Usage: PYTHONPATH=. python benchmarks/bench_html.py [--nodes 500 --nodes 2000] [--runs 5]
Writes benchmarks/results/html.json.

For each size, on bench_scale.py's seeded synthetic graph (preferential
attachment, so a few packages are required by most):

* ``html_cpu_s`` / ``json_cpu_s``: median CPU seconds (``time.process_time``)
  of rendering the HTML report and, as the peer in the same run, the JSON
  report, runs interleaved; CPU time because the machine may be shared;
  ``ratio`` is html / json;
* ``html_bytes`` / ``json_bytes``: the sizes of the two reports;
* with chromium on PATH (Debian's package, through Playwright, as
  tests/report/test_html_browser.py): ``load_ms``, the page's own
  ``loadEventEnd`` from the Navigation Timing API (parsing, the inline
  script building the table), and ``draw_ms``, one full redraw of the graph
  (``auditorGraph.draw()``, median of 21 in the page) after fitting it.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _results

sys.path.insert(0, str(Path(__file__).resolve().parent))


def result_of(n: int):
    """bench_scale's synthetic audit of *n* packages, scored, as an AuditResult (no network)."""
    import networkx as nx

    from auditor.graph import queries
    from auditor.graph.build import build_graph, node_id
    from auditor.graph.bulk import bulk
    from auditor.graph.people import annotate_history
    from auditor.judgement.findings import all_findings
    from auditor.pipeline import AuditResult, FrozenDict, annotate, summarize
    from auditor.scoring.aggregate import load_weights, score_all
    from bench_scale import synthetic

    inventory, nodes = synthetic(n, False)
    graph = build_graph(inventory, nodes)
    reach = annotate_history(graph, {node_id(p): p.signals["history"] for p in nodes.values()}, add_people=False,
                             nodes=nodes)
    with bulk():
        findings = all_findings(nodes.values())
        dependents = queries.dependents_counts(graph)
        scores = score_all(graph, nodes, load_weights(), dependents)
        annotate(graph, nodes, scores, dependents)
        root = summarize(graph, nodes, reach)
    return AuditResult(inventory=inventory, nodes=FrozenDict(nodes), graph=nx.freeze(graph), scores=FrozenDict(scores),
                       root=root, findings=tuple(findings), missing=(), requests=FrozenDict(),
                       generated_at="2024-06-01T00:00:00+00:00", elapsed=0.0, timings=FrozenDict())


def cpu(fn, result) -> tuple[float, str]:
    out = io.StringIO()
    start = time.process_time()
    fn(result, out)
    return time.process_time() - start, out.getvalue()


def browser_figures(path: Path, runs: int) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        return {"load_ms": None, "draw_ms": None, "browser": "no chromium on PATH"}
    from playwright.sync_api import sync_playwright

    loads, draws = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        for _ in range(runs):
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.goto(path.as_uri())
            loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            page.click("button[data-view=graph]")
            draws.append(page.evaluate("""() => { const t = [];
                for (let i = 0; i < 21; i++) { const s = performance.now(); window.auditorGraph.draw(); t.push(performance.now() - s); }
                t.sort((a, b) => a - b); return t[10]; }"""))
            page.close()
        version = b.version
        b.close()
    return {"load_ms": round(statistics.median(loads), 1), "draw_ms": round(statistics.median(draws), 2),
            "browser": f"chromium {version}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, action="append")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1717200000")
    from auditor.report import html, json_report

    rows = []
    print(f"{'nodes':>6} {'html cpu s':>10} {'json cpu s':>10} {'ratio':>6} {'html MB':>8} {'json MB':>8} "
          f"{'load ms':>8} {'draw ms':>8}   (medians of {args.runs})")
    for n in args.nodes or [500, 2000]:
        result = result_of(n)
        h, j = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            t, page = cpu(html.render, result)
            h.append(t)
            t, doc = cpu(json_report.render, result)
            j.append(t)
        with tempfile.TemporaryDirectory(prefix="bench_html") as tmp:
            path = Path(tmp) / "audit.html"
            path.write_text(page, encoding="utf-8")
            web = browser_figures(path, args.runs)
        row = {"nodes": n, "html_cpu_s": round(statistics.median(h), 3), "json_cpu_s": round(statistics.median(j), 3),
               "ratio": round(statistics.median(h) / statistics.median(j), 2),
               "html_bytes": len(page.encode()), "json_bytes": len(doc.encode()), "runs": args.runs, **web}
        rows.append(row)
        print(f"{n:>6} {row['html_cpu_s']:>10} {row['json_cpu_s']:>10} {row['ratio']:>6} "
              f"{row['html_bytes'] / 1e6:>8.2f} {row['json_bytes'] / 1e6:>8.2f} {str(row['load_ms']):>8} {str(row['draw_ms']):>8}")
    print("wrote", _results.write("html", rows))


if __name__ == "__main__":
    main()
