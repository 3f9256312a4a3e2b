"""``auditor audit --format html``: the audit as one self-contained, browsable HTML page.

The page (docs/formats-audit.md) has the summary, a sortable and filterable
package table, a detail view per package (factors with evidence, people, up to
three paths from the root, findings, unknowns with kind and reason, every collected
fact) and the dependency graph drawn on a canvas, pannable and zoomable.

Self-contained and offline: the CSS and the JavaScript (``common.js``, the
helpers shared with the diff page, then ``report.js``) are inlined from
``auditor/report/assets/`` (our own code, no third-party library; see
``assets/README.md``), and a Content-Security-Policy ``<meta>`` allows
nothing but those three inline blocks, by SHA-256 hash (``default-src
'none'``): the page can load no image, font, script or frame and connect
nowhere, whatever a hostile string in it says.

Escaping: every string from outside (names, versions, URLs, messages,
reasons, signal values) reaches the page only inside one ``<script
type="application/json">`` block, made inert for the HTML parser (ASCII
only: every other character, U+2028 and U+2029 included, and ``<``, ``>``,
``&`` written as ``\\uXXXX`` escapes), after
:func:`auditor.report.safe.terminal` has shown control characters, bidi
overrides and lone surrogates as visible escapes (``\\x1b``, ``\\u202e``).
The script inserts text only with ``textContent`` and canvas ``fillText``,
never ``innerHTML``.

The graph's layout is computed here, not in the browser, so the page stays
light at 500 nodes and the output is deterministic: a layered drawing, one
column per distance from the root (BFS over ``requires``, ``bundles``,
``links``, ``build`` and ``loads`` edges), nodes in a column ordered by the
mean position of their parents (one barycentre sweep, ties by label), tall
columns wrapped at :data:`COLUMN_ROWS`.  Identical input gives identical
bytes (``SOURCE_DATE_EPOCH`` fixes the date, as for every format).
"""

from __future__ import annotations

import base64
import graphlib
import hashlib
import json
import re
from collections import Counter, deque
from importlib import resources
from typing import Any, Callable, TextIO

import orjson

from auditor.graph import attrs as A
from auditor.graph.build import node_id
from auditor.judgement.findings import catalogue
from auditor.models import Unknown
from auditor.report.json_report import package_record
from auditor.report.safe import BIDI, terminal
from auditor.report.serialize import orjson_converter, to_jsonable
from auditor.report.totals import hub_text, interpreter_text, people_reach_note, summary_text

#: Node kinds drawn in the graph (people and repositories are in the detail view instead; the
#: interpreter, which every package requires, is in the table but not drawn: its edges would hide the rest).
GRAPH_KINDS = (A.ROOT, A.DISTRIBUTION, A.NATIVE_LIBRARY, A.BUILD_REQUIREMENT,
               A.HUB_MODEL, A.HUB_DATASET, A.HUB_SPACE)
#: Edge kinds drawn in the graph.
GRAPH_EDGES = (A.REQUIRES, A.BUNDLES, A.LINKS, A.BUILD, A.LOADS)
#: Nodes per drawn column before a layer wraps into the next column.
COLUMN_ROWS = 40
#: Layout units between columns and between rows (the page scales them to fit).
COLUMN_GAP, ROW_GAP, WRAP_GAP = 260, 26, 200


def _asset(name: str) -> str:
    """The text of ``auditor/report/assets/NAME`` (package data; see its README.md)."""
    return resources.files("auditor.report").joinpath("assets", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    """``'sha256-…'`` of an inline block, as CSP Level 2 hashes it (UTF-8 bytes of the element's text)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _inert(value: Any) -> Any:
    """*value* (JSON types) with every string shown safely: controls, bidi and surrogates escaped (safe.terminal)."""
    if isinstance(value, str):
        return terminal(value)
    if isinstance(value, dict):
        return {terminal(k): _inert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_inert(v) for v in value]
    return value


def data_json(value: Any) -> str:
    """*value* as JSON text safe inside ``<script type="application/json">``: ASCII only, no ``<``, ``>``, ``&``.

    Every string is first passed through :func:`~auditor.report.safe.terminal`
    (controls, bidi overrides and lone surrogates become visible escapes).
    ``JSON.parse`` reads the ``\\uXXXX`` escapes back, so the page shows the
    original characters.  Compact, as ``json.dumps(…, ensure_ascii=True,
    separators=(",", ":"))`` writes it.
    """
    text = _fast_json(value)
    if text is None:
        text = json.dumps(_inert(value), ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return _block(text)


def _block(text: str) -> str:
    """ASCII JSON text with ``<``, ``>``, ``&`` escaped: they only occur inside strings, so the value is unchanged."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: In orjson's compact output, what may mean a string :func:`terminal` would change: a C0 escape other
#: than ``\\n`` and ``\\t``, DEL (substrings), C1 or a bidi character (:data:`_UNSAFE_CHAR`).  A literal
#: backslash before ``u00``, ``b``, ``f`` or ``r`` matches too, which only costs the slow path.
_MAYBE_UNSAFE = ("\\u00", "\\b", "\\f", "\\r", "\x7f")
_UNSAFE_CHAR = re.compile("[\x80-\x9f" + BIDI + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _u_escape(m: re.Match[str]) -> str:
    """A non-ASCII character as ``json.dumps(ensure_ascii=True)`` writes it (a surrogate pair beyond the BMP)."""
    c = ord(m.group(0))
    if c > 0xFFFF:
        c -= 0x10000
        return f"\\u{0xD800 + (c >> 10):04x}\\u{0xDC00 + (c & 0x3FF):04x}"
    return f"\\u{c:04x}"


def _fast_json(value: Any) -> str | None:
    """:func:`data_json`'s text before ``<>&`` escaping, through orjson's C encoder, when no string needs
    :func:`terminal`; ``None`` when one may (or orjson cannot write *value*: a lone surrogate, a big integer).

    *value* may hold ``orjson.Fragment`` floats (:func:`~auditor.report.serialize.orjson_converter`).
    Most audits take this path: walking every string in Python was most of the render's time (issue 17).
    """
    try:
        text = orjson.dumps(value).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if any(seq in text for seq in _MAYBE_UNSAFE):
        return None
    if text.isascii():
        return text
    return None if _UNSAFE_CHAR.search(text) else _NON_ASCII.sub(_u_escape, text)


def _depths(g, nodes: list[str], edges: list[tuple[str, str, str]]) -> dict[str, int]:
    """The column of each node: its longest distance from the root along drawn edges, so every edge
    points right; with a cycle among them, the shortest distance (BFS) instead.  Nodes the root
    does not reach go one column past the deepest."""
    out: dict[str, list[str]] = {}
    for u, v, _ in edges:
        out.setdefault(u, []).append(v)
    depth = {A.ROOT_ID: 0} if A.ROOT_ID in g else {}
    queue = deque(depth)
    while queue:
        u = queue.popleft()
        for v in sorted(out.get(u, ())):
            if v not in depth:
                depth[v] = depth[u] + 1
                queue.append(v)
    preds: dict[str, list[str]] = {n: [] for n in depth}
    for u, v, _ in edges:
        if u in depth and v in depth:
            preds[v].append(u)
    try:
        order = list(graphlib.TopologicalSorter(preds).static_order())
    except graphlib.CycleError:
        order = []  # keep the BFS columns
    if order:
        longest: dict[str, int] = {}
        for n in order:
            longest[n] = max((longest[p] + 1 for p in preds[n]), default=0)
        depth = longest
    last = max(depth.values(), default=-1) + 1
    return {n: depth.get(n, last) for n in nodes}


def layout(g) -> dict:
    """The drawn graph: ``{"nodes": [{id, label, kind, x, y, depth}], "edges": [[i, j, kind]]}``.

    Coordinates are integers in layout units (:data:`COLUMN_GAP`, :data:`ROW_GAP`);
    node and edge order are sorted, so the result is deterministic.  Linear
    in nodes and edges apart from the sorts.
    """
    nodes = sorted(n for n, k in g.nodes(data=A.KIND) if k in GRAPH_KINDS)
    keep = set(nodes)
    edges = sorted((u, v, k) for u, v, k in g.edges(data=A.KIND) if k in GRAPH_EDGES and u in keep and v in keep)
    depth = _depths(g, nodes, edges)
    parents: dict[str, list[str]] = {}
    for u, v, _ in edges:
        if depth[u] < depth[v]:
            parents.setdefault(v, []).append(u)
    layers: dict[int, list[str]] = {}
    for n in nodes:
        layers.setdefault(depth[n], []).append(n)
    label = {n: str(g.nodes[n].get(A.LABEL, n)) for n in nodes}
    row: dict[str, float] = {}
    pos: dict[str, tuple[int, int]] = {}
    x = 0
    for d in sorted(layers):
        def bary(n: str) -> float:
            ps = [row[p] for p in parents.get(n, ()) if p in row]
            return sum(ps) / len(ps) if ps else float("inf")

        members = sorted(layers[d], key=lambda n: (bary(n), label[n], n))
        height = min(len(members), COLUMN_ROWS)
        for i, n in enumerate(members):
            col, r = divmod(i, COLUMN_ROWS)
            row[n] = i / max(len(members) - 1, 1) * (len(nodes) or 1)
            pos[n] = (x + col * WRAP_GAP, (r - (height - 1) / 2) * ROW_GAP)
        x += ((len(members) - 1) // COLUMN_ROWS) * WRAP_GAP + COLUMN_GAP
    index = {n: i for i, n in enumerate(nodes)}
    return {
        "nodes": [{"id": n, "label": label[n], "kind": g.nodes[n].get(A.KIND), "x": int(pos[n][0]),
                   "y": int(round(pos[n][1])), "depth": depth[n]} for n in nodes],
        "edges": [[index[u], index[v], k] for u, v, k in edges],
    }


#: Paths from the root shown per package (each through a different direct dependent).
MAX_PATHS = 3


def _paths_from_root(g) -> dict[str, list[list[str]]]:
    """Up to :data:`MAX_PATHS` ``requires`` paths from the root to every package id.

    Each path ends with a different one of the package's dependents (the
    root first when it names the package, then by distance from the root
    and id), reached by a shortest path (BFS tree, successors sorted): one
    BFS for the whole graph, so linear where ``explain``'s k-shortest paths
    per package would not be at 500 packages.
    """
    parent: dict[str, str | None] = {A.ROOT_ID: None}
    depth = {A.ROOT_ID: 0}
    queue = deque([A.ROOT_ID] if A.ROOT_ID in g else [])
    while queue:
        u = queue.popleft()
        for v in sorted(g.successors(u)):
            if v not in parent and g.edges[u, v].get(A.KIND) == A.REQUIRES:
                parent[v], depth[v] = u, depth[u] + 1
                queue.append(v)

    def tree_path(n: str) -> list[str]:
        out = []
        cur: str | None = n
        while cur is not None:
            out.append(cur)
            cur = parent[cur]
        return out[::-1]

    paths = {}
    for n in parent:
        if n == A.ROOT_ID:
            continue
        via = sorted((u for u in g.predecessors(n) if u in depth and g.edges[u, n].get(A.KIND) == A.REQUIRES),
                     key=lambda u: (depth[u], u))[:MAX_PATHS]
        paths[n] = [tree_path(u) + [n] for u in via]
    return paths


def _unknowns(node, missing: list) -> list[dict]:
    """The package's unknown facts: signals that are Unknown, its PyPI accounts, then its gaps in *missing* (deduplicated)."""
    seen, out = set(), []
    items = [(key, value.kind.value, value.reason) for key, value in sorted(node.signals.items()) if isinstance(value, Unknown)]
    if isinstance(node.maintainers, Unknown):
        items.append(("maintainers", node.maintainers.kind.value, node.maintainers.reason))
    items += [(m.what, m.kind, m.reason) for m in missing]
    for what, kind, reason in items:
        if (what, reason) not in seen:
            seen.add((what, reason))
            out.append({"what": what, "kind": str(kind), "reason": reason})
    return out


def _finding(f, rules) -> dict:
    rule = rules.get(f.id)
    return {"id": f.id, "severity": f.severity.value, "rank": f.severity.rank, "title": rule.title if rule else "",
            "message": f.message, "evidence": f.evidence}


def document(result, convert: Callable[[Any], Any] = to_jsonable) -> dict:
    """Everything the page shows, as JSON values (strings not yet made inert: :func:`data_json` does that).

    *convert* turns models into JSON values (:func:`~auditor.report.serialize.to_jsonable`, or an
    :func:`~auditor.report.serialize.orjson_converter` for :func:`_fast_json`).
    """
    g = result.graph
    rules = catalogue()
    paths = _paths_from_root(g)
    by_package: dict[str | None, list] = {}
    missing: dict[str | None, list] = {}
    for m in result.missing:
        missing.setdefault(m.package, []).append(m)
    for f in sorted(result.findings, key=lambda f: (f.severity.rank, f.id, f.package or "", f.message)):
        by_package.setdefault(f.package, []).append(_finding(f, rules))
    packages = []
    for node in result.ranked():
        nid = node_id(node)
        record = package_record(result, node, convert)
        total = result.scores[node.name].total
        dependency = [v for v in g.successors(nid) if g.edges[nid, v].get(A.KIND) == A.REQUIRES]
        required_by = [u for u in g.predecessors(nid) if g.edges[u, nid].get(A.KIND) == A.REQUIRES]
        packages.append({
            "id": nid,
            "exposure": None if isinstance(total, Unknown) else convert(total),
            "exposure_unknown": total.reason if isinstance(total, Unknown) else None,
            "findings": by_package.get(node.name, []),
            "unknowns": _unknowns(node, missing.get(node.name, [])),
            "paths": [[str(g.nodes[p].get(A.LABEL, p)) for p in path] for path in paths.get(nid, [])],
            "requires": sorted(dependency),
            "required_by": sorted(u for u in required_by if u != A.ROOT_ID),
            "record": record,
        })
    inv = result.inventory
    counts = Counter(f.severity.value for f in result.findings)
    return {
        "title": f"auditor {result.tool_version}: {inv.root_name} ({inv.root_kind})",
        "generated_at": result.generated_at,
        "input": {"name": inv.root_name, "kind": inv.root_kind, "resolver": inv.resolver},
        "summary": summary_text(result),
        "people_reach": people_reach_note(result),
        "interpreter": interpreter_text(result),
        "hub": hub_text(result),
        "complete": not result.incomplete,
        "root": convert(result.root),
        "severities": {s: counts[s] for s in ("critical", "high", "medium", "low", "info") if counts[s]},
        "run_findings": by_package.get(None, []),
        "run_missing": [{"what": m.what, "kind": m.kind, "reason": m.reason} for m in result.missing if m.package is None],
        "missing_count": len(result.missing),
        "packages": packages,
        "graph": layout(g),
    }


#: The script both pages run first (``{{common}}`` in a skeleton): the helpers report.js and diff.js share.
COMMON_SCRIPT = "common.js"


def page(data: str, skeleton: str = "report.html", script: str = "report.js") -> str:
    """The HTML text around *data* (from :func:`data_json`): the *skeleton*, the inline CSS, the
    :data:`COMMON_SCRIPT` and *script* (files of ``assets/``, each its own inline block), and the data
    block; the CSP names the hashes of that style and of both scripts."""
    css, common, js = _asset("report.css"), _asset(COMMON_SCRIPT), _asset(script)
    csp = (f"default-src 'none'; script-src {_csp_hash(common)} {_csp_hash(js)}; style-src {_csp_hash(css)}; "
           "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")
    return (_asset(skeleton)
            .replace("{{csp}}", csp)  # our own text: hashes and keywords only
            .replace("{{css}}", css)
            .replace("{{common}}", common)
            .replace("{{js}}", js)
            .replace("{{data}}", data))  # last: no placeholder is looked for in outside text


def render(result, out: TextIO) -> None:
    """Write the HTML report of *result* (an :class:`~auditor.pipeline.AuditResult`) to *out*.

    One UTF-8 page, no external resource; see the module docstring for the
    escaping and the layout.  Pure: nothing is fetched or changed.
    """
    text = _fast_json(document(result, orjson_converter()))
    # None: some string needs terminal(), so every string goes through it and the standard library's encoder
    out.write(page(data_json(document(result)) if text is None else _block(text)))
