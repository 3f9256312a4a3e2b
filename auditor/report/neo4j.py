"""``auditor audit -f neo4j -o DIR``: the audit graph as CSV files for ``neo4j-admin database import full``.

A folder format (:func:`render` writes files into the folder
:func:`auditor.report.write.write_tree` gives it):

* ``nodes-<kind>.csv``, one per node kind (``distribution``, ``repository``,
  ``maintainer``, ...), header ``id:ID(Node),:LABEL,<property>:<type>,...``;
  the label is the kind in PascalCase (``native_library`` -> ``NativeLibrary``);
* ``relationships-<TYPE>.csv``, one per edge kind (``REQUIRES``, ``SOURCE``,
  ``MAINTAINS``, ...), header ``:START_ID(Node),:END_ID(Node),:TYPE,<property>:<type>,...``;
* ``import.txt``: the exact ``neo4j-admin`` command for these files
  (docs/formats-audit.md, "Neo4j").

All nodes share one id space, ``Node``, whose ids are the graph's
(``name==version``, ``repo:<url>``, ``pypi:<user>``, ``<root>``; docs/graph.md).
Property types follow the values of that file's column: ``boolean``, ``long``,
``double`` (a column with both integers and floats), ``string``, and
``string[]`` for lists of scalars, whose elements are joined with ``;``
(``neo4j-admin``'s default ``--array-delimiter``).  A list column in which some
element contains ``;`` is written as a JSON string instead (type ``string``)
so no element is split; lists of objects and dicts (``factors``, ``unknown``)
are always JSON strings.  A value that was not collected is an empty field:
the property is absent (with ``--ignore-empty-strings=true`` for strings),
and the node's ``unknown`` property (JSON) says why, as in GraphML.

Every string from outside is written by the :mod:`csv` module (fields
quoted, ``"`` doubled, which is ``neo4j-admin``'s quoting), with characters
XML 1.0 forbids (NUL, other C0 controls, lone surrogates) replaced by
U+FFFD (:func:`auditor.report.safe.xml`), so the files are valid UTF-8 text a
CSV reader parses back to the same strings.  Newlines stay inside quoted
fields (``--multiline-fields=true``).  Rows are sorted by id, so identical
audits give identical files.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterable

from auditor.graph import attrs as A
from auditor.models import Unknown
from auditor.report.safe import xml

#: The one id space of every node file.
ID_SPACE = "Node"
#: neo4j-admin's default array delimiter.
ARRAY_DELIMITER = ";"
#: The command-line file written next to the CSVs.
COMMAND_FILE = "import.txt"


def label(kind: str) -> str:
    """The Neo4j label of a node kind (``native_library`` -> ``NativeLibrary``; ``""`` -> ``Node``)."""
    return "".join(part.capitalize() for part in str(kind).split("_") if part) or "Node"


def rel_type(kind: str) -> str:
    """The Neo4j relationship type of an edge kind (``contributed_to`` -> ``CONTRIBUTED_TO``)."""
    return str(kind).upper() or "RELATED"


def _text(value: Any) -> str:
    return xml(str(value))


def node_ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """``{graph node: its Neo4j id}``: the id made safe (:func:`_text`), and when two ids become equal
    that way (hostile names differing only in forbidden characters) every one but the first in sorted
    order gets ``~`` and 12 hex digits of the SHA-256 of its original id, so ``neo4j-admin`` never
    sees a duplicate id and every relationship still finds its nodes."""
    import hashlib

    out: dict[Any, str] = {}
    taken: set[str] = set()
    for n in sorted(nodes, key=str):
        raw = str(n)
        text = _text(raw)
        if text in taken:
            text = f"{text}~{hashlib.sha256(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"
        taken.add(text)
        out[n] = text
    return out


def _clean(data: dict) -> dict[str, Any]:
    """Attributes as Neo4j values: None and Unknown left out (listed in ``unknown``), strings made safe."""
    out: dict[str, Any] = {}
    unknown = dict(data.get(A.UNKNOWN) or {})
    for key, value in data.items():
        if key in (A.KIND, A.UNKNOWN) or value is None:
            continue
        if isinstance(value, Unknown):
            unknown[key] = value.reason
            continue
        if isinstance(value, (set, frozenset, tuple)):
            value = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        out[key] = value
    if unknown:
        out[A.UNKNOWN] = {k: str(v) for k, v in unknown.items()}
    return out


def _column_type(values: list[Any]) -> str:
    """The import type of one column: ``boolean``, ``long``, ``double``, ``string[]``, ``string`` or ``json``."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "double"
    if present and all(isinstance(v, list) and all(isinstance(x, (str, int, float, bool)) for x in v) for v in present):
        if not any(ARRAY_DELIMITER in str(x) for v in present for x in v):
            return "string[]"
        return "json"
    if present and all(isinstance(v, (str, int, float, bool)) for v in present):
        return "string"
    return "json"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("long", "double"):
        return repr(value) if isinstance(value, float) else str(value)
    if kind == "string[]":
        return ARRAY_DELIMITER.join(_text(x) for x in value)
    if kind == "json":
        return _text(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False))
    return _text(value)


def _header_type(kind: str) -> str:
    return "string" if kind == "json" else kind


def _write(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> None:
    """One CSV: the *fixed* header cells and each row's fixed cells, then the typed property columns."""
    names = sorted({k for _, props in rows for k in props})
    kinds = {n: _column_type([props.get(n) for _, props in rows]) for n in names}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow([*fixed, *(f"{n}:{_header_type(kinds[n])}" for n in names)])
        for cells, props in rows:
            writer.writerow([*cells, *(_cell(props.get(n), kinds[n]) for n in names)])


def _group(items: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for key, item in items:
        out.setdefault(key, []).append(item)
    return out


def files(graph) -> tuple[list[str], list[str]]:
    """The node and relationship file names :func:`render` writes for *graph*, in order."""
    kinds = sorted({str(d.get(A.KIND) or "") for _, d in graph.nodes(data=True)})
    types = sorted({str(d.get(A.KIND) or "") for _, _, d in graph.edges(data=True)})
    return ([f"nodes-{k or 'node'}.csv" for k in kinds], [f"relationships-{rel_type(k)}.csv" for k in types])


def command(node_files: list[str], rel_files: list[str], directory: str = "import", database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for the files (paths under *directory*)."""
    parts = ["neo4j-admin database import full"]
    parts += [f"--nodes={directory}/{f}" for f in node_files]
    parts += [f"--relationships={directory}/{f}" for f in rel_files]
    parts += [f'--array-delimiter="{ARRAY_DELIMITER}"', "--multiline-fields=true", "--ignore-empty-strings=true",
              "--overwrite-destination=true", database]
    return " \\\n  ".join(parts)


def render(result, directory: Path | str, **_options: Any) -> None:
    """Write the Neo4j import files of *result*'s graph into *directory* (see the module docstring).

    Args:
        result: an :class:`~auditor.pipeline.AuditResult` (read only).
        directory: an empty folder (from :func:`auditor.report.write.write_tree`).
    """
    directory = Path(directory)
    graph = result.graph
    ids = node_ids(graph.nodes)
    nodes = _group((str(d.get(A.KIND) or ""), (n, d)) for n, d in sorted(graph.nodes(data=True), key=lambda x: str(x[0])))
    for kind, members in nodes.items():
        rows = [([ids[n], label(kind)], _clean(d)) for n, d in members]
        _write(directory / f"nodes-{kind or 'node'}.csv", [f"id:ID({ID_SPACE})", ":LABEL"], rows)
    edges = _group((str(d.get(A.KIND) or ""), (u, v, d))
                   for u, v, d in sorted(graph.edges(data=True), key=lambda x: (str(x[0]), str(x[1]))))
    for kind, members in edges.items():
        rows = [([ids[u], ids[v], rel_type(kind)], _clean(d)) for u, v, d in members]
        _write(directory / f"relationships-{rel_type(kind)}.csv",
               [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"], rows)
    node_files, rel_files = files(graph)
    (directory / COMMAND_FILE).write_text(
        "# Copy the CSV files of this folder into Neo4j's import directory, stop the database, then run:\n"
        + command(node_files, rel_files) + "\n", encoding="utf-8")
