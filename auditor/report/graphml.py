"""``--format graphml``: the audit graph for Gephi, Neo4j, yEd or networkx.

GraphML wants one scalar type per attribute and no null values, so:

* ``None`` and Unknown values are left out of the node (GraphML's "no
  value"); the node's ``unknown`` attribute lists them as a JSON object
  ``{"attribute": "reason"}``;
* lists and dicts (``maintainer_names``, ``factors``, ``extras``) are JSON
  strings (``json.loads`` restores them);
* numbers are written with their type (``int``/``double``), booleans as ``boolean``;
* characters XML 1.0 does not allow (control characters, lone surrogates
  from metadata) are replaced by U+FFFD (:func:`auditor.report.safe.xml`),
  and the node or edge's ``xml_replaced`` attribute names the attributes
  that were changed, so the document is always valid XML.

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
from auditor.report.safe import xml, xml_invalid

#: Attribute listing the attributes whose text had characters XML cannot hold.
XML_REPLACED = "xml_replaced"


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
    replaced: list[str] = []
    for key, value in data.items():
        if key == A.UNKNOWN or value is None:
            continue
        if isinstance(value, Unknown):
            unknown[key] = xml(value.reason)
            continue
        value = _scalar(value)
        if isinstance(value, str) and xml_invalid(value):
            value = xml(value)
            replaced.append(key)
        out[key] = value
    if unknown:
        out[A.UNKNOWN] = xml(json.dumps(unknown, sort_keys=True, ensure_ascii=False))
    if replaced:
        out[XML_REPLACED] = json.dumps(sorted(replaced))
    return out


def _id(node: Any) -> Any:
    return xml(node) if isinstance(node, str) else node


def graphml_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy of *graph* with GraphML-safe attribute values (see module doc)."""
    g = nx.DiGraph()
    g.graph.update(_clean({k: v for k, v in graph.graph.items() if v is not None and not isinstance(v, Unknown)}))
    for n in sorted(graph.nodes):
        g.add_node(_id(n), **_clean(graph.nodes[n]))
    for u, v in sorted(graph.edges):
        g.add_edge(_id(u), _id(v), **_clean(graph.edges[u, v]))
    return g


def render(result, out: TextIO) -> None:
    """Write the audit graph as GraphML to *out*."""
    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(result.graph), buf, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    out.write(buf.getvalue().decode("utf-8"))
