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

:func:`render` writes the document itself, one element at a time, as the
exact text of ``networkx.write_graphml(graphml_graph(g), prettyprint=True,
infer_numeric_types=True)`` with the standard library's ElementTree (key ids
``d0, d1, ...`` in order of first use, declared last-first, each attribute
typed by the most general type among its values, the graph's own data after
its edges).  networkx's writer builds an ElementTree of every element and
its data first: at 10,000 packages that took 6-9 s and most of the memory
of the report (issue 14).  A graph that writer would treat specially (ids
that collide once made XML-safe, a value of another type, graph data named
``id``) is written by networkx itself.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any, TextIO
from xml.sax.saxutils import escape

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.bulk import bulk
from auditor.models import Unknown
from auditor.report.safe import xml, xml_invalid

#: Attribute listing the attributes whose text had characters XML cannot hold.
XML_REPLACED = "xml_replaced"


#: ``json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)``, made once (not per value).
_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)


#: Entries a :func:`_write` keeps in its cache of encoded dicts before starting over.
_ENCODED_MAX = 4096


def _scalar(value: Any, encoded: dict[int, tuple[dict, str]] | None = None) -> Any:
    """*value* as a GraphML scalar: lists, tuples, dicts and sets as JSON text.

    With *encoded* (``{id: (dict, text)}``, for one document whose graph does
    not change while it is written), a non-empty list's dict items met before
    reuse their text: the list is ``[`` + its items' texts joined by ``, `` +
    ``]``, exactly the standard library's text of the whole list (equal
    factors share one dict on the graph: ``pipeline.annotate``).
    """
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        if encoded is None or type(value) is not list or not value:
            return _JSON.encode(value)
        parts = []
        for item in value:
            if type(item) is not dict:
                parts.append(_JSON.encode(item))
                continue
            hit = encoded.get(id(item))
            if hit is None:
                if len(encoded) >= _ENCODED_MAX:
                    encoded.clear()
                hit = encoded[id(item)] = (item, _JSON.encode(item))  # the dict is held: its id is not reused
            parts.append(hit[1])
        return "[" + ", ".join(parts) + "]"
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _clean(data: dict, encoded: dict[int, tuple[dict, str]] | None = None) -> dict:
    out: dict[str, Any] = {}
    given = data.get(A.UNKNOWN)
    unknown = dict(given) if given else None  # copied only when there is one (most edges have none)
    replaced: list[str] = []
    plain: list[str] = []  # keys of str values kept as they are: checked for XML-invalid characters together
    for key, value in data.items():
        t = type(value)
        if key != A.UNKNOWN and (t is int or t is float or t is bool or t is str):
            out[key] = value  # the common case, as the checks below would leave it
            if t is str:
                plain.append(key)
            continue
        if key == A.UNKNOWN or value is None:
            continue
        if isinstance(value, Unknown):
            if unknown is None:
                unknown = {}
            unknown[key] = xml(value.reason)
            continue
        value = _scalar(value, encoded)
        if isinstance(value, str) and xml_invalid(value):
            value = xml(value)
            replaced.append(key)
        out[key] = value
    if plain and xml_invalid("".join([out[k] for k in plain])):  # rare: replace them, keys in place
        for k in plain:
            if xml_invalid(out[k]):
                out[k] = xml(out[k])
                replaced.append(k)
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


@bulk()
def render(result, out: TextIO) -> None:
    """Write the audit graph as GraphML to *out* (see the module docstring)."""
    if not _write(result.graph, out):
        _write_networkx(result.graph, out)


def _write_networkx(graph: nx.DiGraph, out: TextIO) -> None:
    buf = io.BytesIO()
    nx.write_graphml_xml(graphml_graph(graph), buf, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    out.write(buf.getvalue().decode("utf-8"))


#: GraphML type of each Python type (networkx's ``GraphML.xml_type``).
_XML_TYPE = {int: "long", str: "string", float: "double", bool: "boolean"}
_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           f'<graphml xmlns="{nx.readwrite.graphml.GraphML.NS_GRAPHML}" '
           f'xmlns:xsi="{nx.readwrite.graphml.GraphML.NS_XSI}" '
           f'xsi:schemaLocation="{nx.readwrite.graphml.GraphML.SCHEMALOCATION}">')


def _cdata(text: str) -> str:
    """Element text escaped as ElementTree writes it (``&``, ``<``, ``>``)."""
    return escape(text) if _CDATA_SPECIAL.search(text) else text


#: What ElementTree escapes in attribute values beyond ``&``, ``<``, ``>``.
_ATTRIB_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_CDATA_SPECIAL = re.compile("[&<>]")
_ATTRIB_SPECIAL = re.compile('[&<>"\r\n\t]')


def _attrib(text: str) -> str:
    """An attribute value escaped as ElementTree writes it (byte-identical to networkx's writer)."""
    return escape(text, _ATTRIB_ENTITIES) if _ATTRIB_SPECIAL.search(text) else text


def _write(graph: nx.DiGraph, out: TextIO) -> bool:
    """Write *graph* as networkx would; False (nothing written) when networkx must write it."""
    graph_data = _clean({k: v for k, v in graph.graph.items() if v is not None and not isinstance(v, Unknown)})
    if {"id", "node_default", "edge_default"} & graph_data.keys():
        return False
    nodes = sorted(graph.nodes)
    ids = {n: str(_id(n)) for n in nodes}
    if len(set(ids.values())) != len(ids):
        return False  # two ids equal once made XML-safe: networkx's copy merges them
    # pass 1: the cleaned data of every element, the Python types of each attribute, keys in order of first use
    types: dict[tuple[str, str], set[type]] = {}
    elements: list[tuple[str, str, dict[str, Any]]] = []
    seen_shapes: set[tuple[str, tuple[str, ...], tuple[type, ...]]] = set()

    def note(scope: str, data: dict[str, Any]) -> None:
        shape = (scope, tuple(data), tuple(map(type, data.values())))
        if shape in seen_shapes:  # most elements have the keys and value types of one met before
            return
        seen_shapes.add(shape)
        for k, v in data.items():
            types.setdefault((k, scope), set()).add(type(v))

    note("graph", graph_data)
    attrib_ids = {n: _attrib(i) for n, i in ids.items()}  # each id escaped once, not once per edge
    encoded: dict[int, tuple[dict, str]] = {}
    for n in nodes:
        data = _clean(graph.nodes[n], encoded)
        note("node", data)
        elements.append(("node", f'<node id="{attrib_ids[n]}"', data))
    for u, v in sorted(graph.edges):
        data = _clean(graph.edges[u, v], encoded)
        note("edge", data)
        elements.append(("edge", f'<edge source="{attrib_ids[u]}" target="{attrib_ids[v]}"', data))
    seen_shapes.clear()  # note() closes over it: cleared, not deleted
    del attrib_ids, encoded
    keys: dict[tuple[str, str], str] = {}
    declared = []
    for (name, scope), seen in types.items():
        if not seen <= _XML_TYPE.keys():
            return False  # networkx raises its own error for such a value
        if len(seen) == 1:
            xml_type = _XML_TYPE[next(iter(seen))]
        else:
            general = {_XML_TYPE[t] for t in seen}
            xml_type = "string" if "string" in general else "double" if "double" in general else "long"
        keys[name, scope] = key = f"d{len(keys)}"
        declared.append(f'  <key id="{key}" for="{scope}" attr.name="{_attrib(name)}" attr.type="{xml_type}" />\n')
    # pass 2: the text, one element at a time (networkx's indentation: two spaces a level)
    out.write(_HEADER + "\n" + "".join(reversed(declared)))
    if not (elements or graph_data):
        out.write('  <graph edgedefault="directed" />\n</graphml>\n')
        return True
    out.write('  <graph edgedefault="directed">\n')
    templates: dict[tuple[str, tuple[str, ...]], str] = {}
    batch: list[str] = []
    for i, (scope, start, data) in enumerate(elements):
        elements[i] = None  # type: ignore[call-overload]  # free each element once written
        batch.append(f"    {_element(scope, start, data, keys, templates)}\n")
        if len(batch) >= _BATCH:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
    for k, v in graph_data.items():
        out.write(f"    {_data(keys, k, 'graph', v)}\n")
    out.write("  </graph>\n</graphml>\n")
    return True


#: Elements written to the stream at a time.
_BATCH = 256


def _data(keys: dict[tuple[str, str], str], name: str, scope: str, value: Any) -> str:
    text = str(value)
    key = keys[name, scope]
    return f'<data key="{key}">{_cdata(text)}</data>' if text else f'<data key="{key}" />'


def _element(scope: str, start: str, data: dict[str, Any], keys: dict[tuple[str, str], str],
             templates: dict[tuple[str, tuple[str, ...]], str]) -> str:
    """One node or edge at level 2, its data at level 3.

    The text of :func:`_data` for each value, made from one ``str.format``
    template per scope and sequence of attribute names (``{}`` where each
    value goes; the template holds only key ids, no braces of its own), the
    values escaped only when one of them has a character to escape.
    """
    if not data:
        return start + " />"
    texts = [v if type(v) is str else str(v) for v in data.values()]
    if "" in texts:  # an empty value is written as an empty element: not in the template
        body = "\n      ".join(_data(keys, k, scope, v) for k, v in data.items())
        return f"{start}>\n      {body}\n    </{scope}>"
    shape = (scope, tuple(data))
    template = templates.get(shape)
    if template is None:
        template = templates[shape] = ("\n      ".join(
            f'<data key="{keys[k, scope]}">{{}}</data>' for k in shape[1]) + f"\n    </{scope}>")
    joined = "".join(texts)
    if "&" in joined or "<" in joined or ">" in joined:
        texts = [_cdata(t) for t in texts]
    return f"{start}>\n      " + template.format(*texts)
