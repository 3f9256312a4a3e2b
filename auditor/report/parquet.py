"""``-f parquet``: the audit graph as two Parquet tables (``nodes.parquet``, ``edges.parquet``).

A folder format (``report/registry.py``, ``folder=True``): written into the
``-o DIR`` folder by :func:`auditor.report.write.write_tree`.  The schema is
in docs/formats-audit.md; it is made for DuckDB, pandas or Polars::

    SELECT name, exposure FROM 'DIR/nodes.parquet' WHERE kind = 'distribution' ORDER BY exposure DESC

pyarrow is an optional dependency (the ``parquet`` extra): it is imported
only when a Parquet file is written, and its absence is one line naming the
extra (``OutputError``, exit 2).

:func:`write_table` is the one Parquet writer of auditor (``auditor survey``
writes its tables through it): rows in the order given (callers sort them),
no pandas metadata, no timestamps, so the same rows give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from auditor.graph import attrs as A

#: Node attributes with a column of their own in ``nodes.parquet`` (everything else is in ``attrs``).
NODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("kind", "string"), ("name", "string"), ("version", "string"),
    ("direct", "bool"), ("exposure", "float64"), ("dependents", "int64"), ("maintainers", "int64"),
    ("repo_url", "string"), ("organization", "string"), ("factors", "factors"), ("unknown", "json"),
    ("attrs", "json"),
)
#: Edge columns of ``edges.parquet``.
EDGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "string"), ("target", "string"), ("kind", "string"), ("attrs", "json"),
)

_OWN = {"id", "kind", "name", "version", "direct", A.SCORE, A.DEPENDENTS, A.MAINTAINERS, A.REPO_URL,
        A.ORGANIZATION, A.FACTORS, A.UNKNOWN}


def _pyarrow():
    """``(pyarrow, pyarrow.parquet)``; OutputError naming the extra when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        from auditor.errors import OutputError

        raise OutputError("Parquet output needs pyarrow: pip install pyarrow, or auditor's 'parquet' extra from its checkout "
                          "(pip install '.[parquet]'; 'auditor' on PyPI is another project)") from exc
    return pa, pq


def arrow_type(kind: str):
    """The pyarrow type of a column kind: ``string``, ``bool``, ``int64``, ``float64``,
    ``json`` (a JSON text column), ``strings`` (list of strings) or ``factors``."""
    pa, _ = _pyarrow()
    return {
        "string": pa.string(), "json": pa.string(), "bool": pa.bool_(), "int64": pa.int64(),
        "float64": pa.float64(), "strings": pa.list_(pa.string()),
        "factors": pa.list_(pa.struct([("name", pa.string()), ("value", pa.string()), ("points", pa.float64()),
                                       ("weight", pa.float64()), ("detail", pa.string())])),
    }[kind]


def as_json(value: Any) -> str | None:
    """*value* as compact JSON text with sorted keys (``None`` stays NULL); models through ``to_jsonable``."""
    if value is None:
        return None
    from auditor.report.serialize import to_jsonable

    return json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write_table(path: Path | str, columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write *rows* (dicts keyed by column name; missing keys are NULL) as one Parquet file.

    Args:
        path: the file to write (its folder must exist).
        columns: ``(name, kind)`` pairs (kinds: :func:`arrow_type`); ``json`` columns take any
            value and store :func:`as_json` of it.
        rows: in the order to write them (sorted by the caller: the bytes depend on it).

    Returns:
        The number of rows written.
    """
    pa, pq = _pyarrow()
    data: dict[str, list[Any]] = {name: [] for name, _ in columns}
    n = 0
    for row in rows:
        n += 1
        for name, kind in columns:
            value = row.get(name)
            data[name].append(as_json(value) if kind == "json" else value)
    schema = pa.schema([(name, arrow_type(kind)) for name, kind in columns])
    table = pa.Table.from_pydict(data, schema=schema)
    pq.write_table(table, str(path), compression="zstd", write_statistics=True, store_schema=False)
    return n


def _number(value: Any, kind: type) -> Any:
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def node_rows(graph) -> list[dict[str, Any]]:
    """One row per graph node, sorted by id (see :data:`NODE_COLUMNS`)."""
    rows = []
    for nid in sorted(graph.nodes, key=str):
        data = graph.nodes[nid]
        factors = data.get(A.FACTORS)
        rows.append({
            "id": str(nid),
            "kind": data.get(A.KIND),
            "name": data.get(A.NAME),
            "version": data.get(A.VERSION) if isinstance(data.get(A.VERSION), str) else None,
            "direct": data.get(A.DIRECT) if isinstance(data.get(A.DIRECT), bool) else None,
            "exposure": float(data[A.SCORE]) if isinstance(data.get(A.SCORE), (int, float)) else None,
            "dependents": _number(data.get(A.DEPENDENTS), int),
            "maintainers": _number(data.get(A.MAINTAINERS), int),
            "repo_url": data.get(A.REPO_URL),
            "organization": data.get(A.ORGANIZATION) if isinstance(data.get(A.ORGANIZATION), str) else None,
            "factors": [{"name": f["name"], "value": None if f["value"] is None else str(f["value"]),
                         "points": f["points"], "weight": f["weight"], "detail": f["detail"]}
                        for f in factors] if factors is not None else None,
            "unknown": data.get(A.UNKNOWN) or None,
            "attrs": {k: v for k, v in sorted(data.items()) if k not in _OWN} or None,
        })
    return rows


def edge_rows(graph) -> list[dict[str, Any]]:
    """One row per graph edge, sorted by (source, target) (see :data:`EDGE_COLUMNS`)."""
    rows = []
    for u, v in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))):
        data = graph.edges[u, v]
        rows.append({"source": str(u), "target": str(v), "kind": data.get(A.KIND),
                     "attrs": {k: val for k, val in sorted(data.items()) if k != A.KIND} or None})
    return rows


def render(result, directory: Path) -> None:
    """Write ``nodes.parquet`` and ``edges.parquet`` of *result*'s graph into *directory*.

    Args:
        result: an :class:`~auditor.pipeline.AuditResult`.
        directory: an empty folder (``write_tree``'s temporary folder).
    """
    directory = Path(directory)
    write_table(directory / "nodes.parquet", NODE_COLUMNS, node_rows(result.graph))
    write_table(directory / "edges.parquet", EDGE_COLUMNS, edge_rows(result.graph))
