#!/usr/bin/env python3
"""Scale: time and peak RSS of scoring + JSON + GraphML on a synthetic graph of N packages.

Usage: PYTHONPATH=. python benchmarks/bench_scale.py --nodes 10000 [--nodes 1000 ...] [--people] [--runs 5]
Writes benchmarks/results/scale.json (or --json PATH).

Each size runs in a fresh subprocess (so peak RSS is that size's alone) and
prints one row: nodes, edges, people, seconds per stage (graph, people
reach, findings + scoring, JSON, GraphML), total wall and CPU time (the
machine may be shared: CPU time shows what the run itself cost), and peak
RSS (``ru_maxrss`` of the child) twice: with the reports written to files
as ``auditor audit -o FILE`` writes them (``report/write.py::emit_report``
streaming ``Format.write`` into the temporary file, the result cache's
size cap applied), and after rendering them once more in memory as the CLI
does for stdout (``--no-in-memory`` skips that).  Floors (issue 14): 10k
nodes <= 5 s and <= 300 MB; 100k nodes <= 60 s with linear growth (the "per
1k nodes" column should stay flat).

The synthetic graph (seeded, so every run builds the same one):

* dependencies by preferential attachment: package *i* requires ``k``
  earlier packages, ``k`` drawn from a geometric distribution (mean 3,
  at most 40), each chosen with probability proportional to its dependents
  + 1, so a few packages (the ``six``/``numpy`` of the graph) are required
  by thousands; the 25 newest packages are the root's direct requirements;
* people: each package has a repository whose history names a lognormal
  number of contributors (median 4, heavy tail, at most 400), drawn with
  Zipf-like popularity from a pool of ``2 * N`` people, so people overlap
  across repositories as they do on PyPI; the people reach of every node
  is computed from them; with ``--people`` (as ``auditor --people``) the
  graph also gets person nodes and ``contributed_to`` edges, and the JSON
  a record per person and contribution.

``--origins`` adds the other people of people reach (issues 15 and 16;
docs/history.md#people-reach): bundled native libraries with upstream
histories, conda-forge recipe maintainers and Hub models with their
authors and members (:func:`synthetic`, :func:`hub_world`).

Nothing touches the network: the stages after collection are run directly
(``build_graph``, ``annotate_history``, ``all_findings``, ``score_all``,
``annotate``, ``summarize``, the JSON and GraphML formatters).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def synthetic(n: int, people_nodes: bool = False, seed: int = 14, origins: bool = False):
    """``(inventory, nodes)`` of *n* packages (see the module docstring); with *origins* (``--origins``) also the
    other kinds of people in people reach: every 10th package bundles two native libraries from a pool of n/50
    upstream repositories with their histories, every 20th is a conda-forge package with three recipe maintainers
    (GitHub logins, half of them logins of history people), and :func:`hub_world` gives n/50 Hub models."""
    from auditor.models import (Confidence, Contribution, CoreMetadata, Distribution, Inventory, Maintainer,
                                Origin, Ownership, PackageNode, Person, PyPIProject, RepoMapping,
                                RepositoryHistory, RepositoryRef, TargetEnvironment)
    from auditor.models import DependencyEdge

    rng = random.Random(seed)
    names = [f"pkg{i:06d}" for i in range(n)]
    urn: list[int] = []  # package j appears 1 + (its dependents so far) times: uniform picks are proportional
    requires: list[list[int]] = []
    for i in range(n):
        k = min(i, 40, int(math.log(1 - rng.random()) / math.log(1 - 1 / 3)))  # geometric, mean ~2-3
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(urn[rng.randrange(len(urn))])
        requires.append(sorted(chosen))
        urn.append(i)
        urn.extend(chosen)
    pool = 2 * n
    target = TargetEnvironment("3.11", "linux", "x86_64")
    nodes = {}
    dists = []
    for i, name in enumerate(names):
        reqs = tuple(DependencyEdge(target=names[j], requirement=names[j]) for j in requires[i])
        dist = Distribution(name=name, version="1.0", metadata=CoreMetadata(name=name, version="1.0"),
                            requires=reqs, origin=Origin(), direct=i >= n - 25)
        dists.append(dist)
        url = f"https://github.com/org{i % 997}/{name}"
        ref = RepositoryRef(url=url, host="github.com", path=f"org{i % 997}/{name}")
        count = max(1, min(400, int(rng.lognormvariate(math.log(4), 1.2))))
        ids = sorted({f"person:{int(pool * rng.random() ** 3):016x}" for _ in range(count)})
        people, contribs = (), ()
        if people_nodes:  # what --people collects: the people and their contributions
            people = tuple(Person(pid, (f"Dev {pid[-6:]}",), ()) for pid in ids)
            contribs = tuple(Contribution(pid, 1 + c % 50, 0, 0, c % 3 == 0, "2020-01-01T00:00:00Z",
                                          "2024-01-01T00:00:00Z") for c, pid in enumerate(ids))
        history = RepositoryHistory(url=url, as_of="2024-06-01", commits=10 * count, first_commit="2020-01-01",
                                    last_commit="2024-01-01", contributors=count,
                                    active_contributors=len(ids) // 3, committers=1, bus_factor=1 + count // 10,
                                    excluded_bots=0, people=people, contributions=contribs,
                                    _person_ids=frozenset(ids), _active_ids=frozenset(ids[::3]))
        project = PyPIProject(name=name, ownership=Ownership(None, (Maintainer(f"m{i % 3000}", "Owner"),)),
                              version_uploads={"1.0": "2023-01-01T00:00:00Z"}, first_upload="2019-01-01T00:00:00Z")
        signals = {"history": history}
        if origins:  # two GitHub logins per history, which recipe maintainers may name
            signals["history"] = dataclasses.replace(history, _login_ids=tuple((f"dev{p[-6:]}", p) for p in ids[:2]))
            signals.update(_origin_signals(i, name, ids, pool, n, rng))
        nodes[name] = PackageNode(distribution=dist, mapping=RepoMapping(ref, "synthetic", Confidence.HIGH),
                                  project=project, signals=signals)
    root = tuple(DependencyEdge(target=names[i], requirement=names[i]) for i in range(n - 25, n))
    inventory = Inventory("synthetic", "requirements", root, tuple(dists), target, "3.11.7", "bench_scale")
    return inventory, nodes


def _origin_signals(i: int, name: str, ids: list, pool: int, n: int, rng) -> dict:
    """The ``--origins`` signals of package *i* (see :func:`synthetic`)."""
    from auditor.models import (CondaPackage, CondaRecord, NativeHistories, RepositoryHistory, VendoredCode,
                                VendoredLibrary)

    out: dict = {}
    logins = tuple((f"dev{pid[-6:]}", pid) for pid in ids[:2])
    if i % 10 == 0:
        libs, repos = [], []
        for j in sorted({rng.randrange(max(1, n // 50)) for _ in range(2)}):
            url = f"https://github.com/native{j}/lib{j}"
            people = frozenset(f"person:{int(pool * random.Random(j * 7 + k).random() ** 3):016x}" for k in range(30))
            libs.append(VendoredLibrary(f"{name}.libs/lib{j}.so", 10, f"lib{j}", True, repository=url))
            repos.append((url, RepositoryHistory(url=url, as_of=None, commits=100, first_commit=None, last_commit=None,
                                                 contributors=30, active_contributors=10, committers=2, bus_factor=3,
                                                 excluded_bots=0, _person_ids=people)))
        out["vendored"] = VendoredCode(tuple(libs))
        out["native_history"] = NativeHistories(repos=tuple(repos))
    if i % 20 == 0:
        record = CondaRecord(name, "1.0", "h0_0", "https://conda.anaconda.org/conda-forge/", "linux-64")
        out["conda"] = CondaPackage(record, ("conda",), None, feedstock=f"https://github.com/conda-forge/{name}-feedstock",
                                    recipe_maintainers=(logins[0][0] if logins else "x", f"maint{i % 500}", f"maint{i % 77}"))
    return out


def hub_world(n: int):
    """``(references, HubFacts)``: n/50 models the root loads, each with 5 commit authors and 10 organization members
    from a pool of n/10 Hub accounts."""
    from auditor.models.hub import HubReference, SourceLocation
    from auditor.models.hub_facts import HubFacts, HubRepoFacts, classify_files

    rng = random.Random(15)
    refs, repos = [], {}
    for m in range(max(1, n // 50)):
        rid = f"org{m % 40}/model{m}"
        refs.append(HubReference("model", rid, None, False, None, "from_pretrained", SourceLocation("train.py", m + 1)))
        who = lambda k: tuple(sorted({f"user{rng.randrange(max(1, n // 10))}" for _ in range(k)}))
        repos[f"model:{rid}"] = HubRepoFacts("model", rid, rid, None, rid.split("/")[0], "organization", False, False,
                                             False, "a" * 40, None, None, None, 1, 1, "transformers", None, "mit", (),
                                             classify_files(["model.safetensors"], "model", rid), None, who(5), who(10))
    return tuple(refs), HubFacts(repos, referenced=frozenset(repos))


def run_one(n: int, people: bool, in_memory: bool = True, origins: bool = False) -> dict:
    """Run the stages once on a graph of *n* packages; the figures as a dict (in this process).

    The two reports are written to files as the CLI writes ``-o FILE``
    (:func:`_write`): ``peak_rss_mb`` is the peak of the stages and writers.
    With *in_memory*, both are then also rendered as the CLI renders a
    report for stdout (``Format.render``: into a ``StringIO``, then one
    ``str``), and ``peak_rss_in_memory_mb`` is the peak after that: the cost
    of holding the whole report in memory (UCS-2 when it has one non-Latin-1
    character, and ``StringIO.getvalue`` copies it), which the time columns do not include.
    """
    from auditor import clock  # noqa: F401  (SOURCE_DATE_EPOCH honoured by the formatters)
    import networkx as nx

    from auditor.graph import attrs as A
    from auditor.graph import queries
    from auditor.graph.build import build_graph, node_id
    from auditor.graph.bulk import bulk
    from auditor.graph.people import annotate_history
    from auditor.judgement.findings import all_findings
    from auditor.pipeline import AuditResult, FrozenDict, annotate, summarize
    from auditor.report import graphml, json_report
    from auditor.scoring.aggregate import load_weights, score_all

    inventory, nodes = synthetic(n, people, origins=origins)
    refs, facts = hub_world(n) if origins else ((), None)
    t: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    graph = build_graph(inventory, nodes)
    if origins:
        from auditor.graph.hub import add_hub_facts, add_hub_nodes

        add_hub_nodes(graph, refs)
        add_hub_facts(graph, facts)
    t["graph"] = time.perf_counter() - start
    s = time.perf_counter()
    reach = annotate_history(graph, {node_id(p): p.signals["history"] for p in nodes.values()}, add_people=people,
                             nodes=nodes, hub_facts=facts)
    t["people_reach"] = time.perf_counter() - s
    s = time.perf_counter()
    with bulk():  # as auditor.pipeline.run_audit runs these stages
        findings = all_findings(nodes.values())
        dependents = queries.dependents_counts(graph)
        scores = score_all(graph, nodes, load_weights(), dependents)
        annotate(graph, nodes, scores, dependents)
        root = summarize(graph, nodes, reach)
    t["scoring"] = time.perf_counter() - s
    result = AuditResult(inventory=inventory, nodes=FrozenDict(nodes), graph=nx.freeze(graph),
                         scores=FrozenDict(scores), root=root, findings=tuple(findings), missing=(),
                         requests=FrozenDict(), generated_at="2024-06-01T00:00:00+00:00", elapsed=0.0,
                         timings=FrozenDict())
    with tempfile.TemporaryDirectory(prefix="bench_scale") as tmp:
        s = time.perf_counter()
        json_bytes = _write("json", result, Path(tmp) / "audit.json")
        t["json"] = time.perf_counter() - s
        s = time.perf_counter()
        graphml_bytes = _write("graphml", result, Path(tmp) / "audit.graphml")
        t["graphml"] = time.perf_counter() - s
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = _peak_mb()
    in_memory_peak = None
    if in_memory:
        for fn in (json_report.render, graphml.render):
            _render(fn, result)
        in_memory_peak = _peak_mb()
    return {
        "nodes": n, "edges": graph.number_of_edges(), "graph_nodes": graph.number_of_nodes(),
        "people": sum(1 for _n, k in graph.nodes(data=A.KIND) if k == A.PERSON) if people else None,
        "seconds": {k: round(v, 3) for k, v in t.items()}, "total_s": round(total, 3), "cpu_s": round(cpu, 3),
        "per_1k_nodes_s": round(total / n * 1000, 3), "json_bytes": json_bytes, "graphml_bytes": graphml_bytes,
        "peak_rss_mb": peak, "peak_rss_in_memory_mb": in_memory_peak,
    }


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _write(name: str, result, path: Path) -> int:
    """Write audit format *name* to *path* as ``auditor audit -f NAME -o PATH`` does; its size in bytes.

    ``emit_report`` streams the format's writer into a temporary file beside
    *path* (renamed over it) and reads the text back only when it is small
    enough for the result cache (``MAX_TEXT_BYTES``), as the CLI does.
    """
    from auditor.net.results import MAX_TEXT_BYTES
    from auditor.report import registry
    from auditor.report.write import emit_report

    fmt = registry.get("audit", name)
    emit_report(lambda out: fmt.write(result, out), path, keep=MAX_TEXT_BYTES)
    return path.stat().st_size


def _render(fn, result) -> str:
    """Render as ``auditor.report.registry.Format.render`` does (a StringIO, then its value)."""
    buf = io.StringIO()
    fn(result, buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, action="append", help="graph size (repeatable; default 1000 and 10000)")
    ap.add_argument("--people", action=argparse.BooleanOptionalAction, default=False,
                    help="as auditor's --people: person nodes, contributed_to edges and per-person records")
    ap.add_argument("--in-memory", action=argparse.BooleanOptionalAction, default=True,
                    help="also render both reports in memory as the CLI does, for the in-memory peak RSS")
    ap.add_argument("--origins", action=argparse.BooleanOptionalAction, default=False,
                    help="also native libraries with upstream histories, conda-forge recipe maintainers and Hub "
                         "models in people reach (see synthetic())")
    ap.add_argument("--json", type=Path, help="write the rows here instead of benchmarks/results/scale.json")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs per size (each in a fresh process); the row is the run with the median total")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.people, args.in_memory, args.origins)))
        return
    import _results

    _results.compile_bytecode()
    rows = []
    print(f"{'nodes':>7} {'edges':>8} {'people':>7} {'graph':>6} {'reach':>6} {'score':>6} {'json':>6} "
          f"{'graphml':>7} {'total':>7} {'cpu':>6} {'/1k':>6} {'peak RSS':>9} {'in memory':>9}")
    for n in args.nodes or [1000, 10000]:
        cmd = [sys.executable, __file__, "--child", str(n), "--people" if args.people else "--no-people",
               "--in-memory" if args.in_memory else "--no-in-memory", "--origins" if args.origins else "--no-origins"]
        runs = [json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
                for _ in range(args.runs)]
        row = sorted(runs, key=lambda r: r["total_s"])[len(runs) // 2]  # the median run, whole
        row["runs"] = len(runs)
        row["total_s_runs"] = sorted(r["total_s"] for r in runs)
        row["cpu_s_runs"] = sorted(r["cpu_s"] for r in runs)
        rows.append(row)
        s = row["seconds"]
        print(f"{n:>7} {row['edges']:>8} {row['people'] or 0:>7} {s['graph']:>6.2f} {s['people_reach']:>6.2f} "
              f"{s['scoring']:>6.2f} {s['json']:>6.2f} {s['graphml']:>7.2f} {row['total_s']:>6.2f}s "
              f"{row['cpu_s']:>5.2f}s {row['per_1k_nodes_s']:>6.3f} {row['peak_rss_mb']:>7.0f}MB "
              f"{row['peak_rss_in_memory_mb'] or 0:>7.0f}MB", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"benchmark": "scale", "rows": rows}, indent=2) + "\n")
    else:
        print("wrote", _results.write("scale", rows, people_nodes=args.people,
                                      load_average_at_end=[round(x, 2) for x in os.getloadavg()]))


if __name__ == "__main__":
    main()
