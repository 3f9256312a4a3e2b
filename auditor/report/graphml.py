"""``--format graphml``: the audit graph for Gephi, Neo4j, yEd or networkx.

GraphML wants one scalar type per attribute and no null values, so:

* ``None`` and Unknown values are left out of the node (GraphML's "no
  value"); the node's ``unknown`` attribute lists them as a JSON object
  ``{"attribute": "reason"}``;
* lists and dicts (``maintainer_names``, ``factors``, ``extras``) are JSON
  strings (``json.loads`` restores them);
* numbers are written with their type (``int``/``double``), booleans as ``boolean``.

Load it back with ``networkx.read_graphml(path)``; attribute names are
documented in ``docs/graph.md``.
"""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

import networkx as nx

from auditor.graph import attrs as A
from auditor.models import Unknown


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _clean(data: dict) -> dict:
    out: dict[str, Any] = {}
    unknown = dict(data.get(A.UNKNOWN) or {})
    for key, value in data.items():
        if key == A.UNKNOWN or value is None:
            continue
        if isinstance(value, Unknown):
            unknown[key] = value.reason
            continue
        out[key] = _scalar(value)
    if unknown:
        out[A.UNKNOWN] = json.dumps(unknown, sort_keys=True, ensure_ascii=False)
    return out


def graphml_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy of *graph* with GraphML-safe attribute values (see module doc)."""
    g = nx.DiGraph()
    g.graph.update({k: _scalar(v) for k, v in graph.graph.items() if v is not None})
    for n in sorted(graph.nodes):
        g.add_node(n, **_clean(graph.nodes[n]))
    for u, v in sorted(graph.edges):
        g.add_edge(u, v, **_clean(graph.edges[u, v]))
    return g


def render(result, out: TextIO) -> None:
    """Write the audit graph as GraphML to *out*."""
    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(result.graph), buf, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    out.write(buf.getvalue().decode("utf-8"))
