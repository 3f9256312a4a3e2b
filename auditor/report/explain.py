"""``auditor explain PACKAGE``: one node's score, factor by factor, with evidence and paths.

Writes plain text (rich ``Text``: metadata strings are shown, never
interpreted as markup) to the stream it is given; never fetches.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from auditor.report.safe import text as Text  # neutralises controls, escapes and bidi (report/safe.py)

from auditor.graph import attrs as A
from auditor.graph import queries
from auditor.graph.build import node_id
from auditor.models import Unknown
from auditor.report.lookup import audited_node
from auditor.report.serialize import to_jsonable
from auditor.judgement.findings import catalogue
from auditor.scoring.base import applicable

#: Root-to-node paths shown (shortest first).
MAX_PATHS = 5


def _signal_line(key: str, value) -> str:
    if isinstance(value, Unknown):
        return f"{key}: {value}"
    data = to_jsonable(value)
    if isinstance(data, dict):
        parts = []
        for k, v in data.items():
            if v in (None, [], {}, ""):
                continue
            if isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
                label = next((k2 for k2 in ("id", "path", "kind") if k2 in v[0]), None)
                text = "[" + ", ".join(str(i.get(label)) for i in v) + "]" if label else f"{len(v)} item(s)"
            elif isinstance(v, (list, dict)):
                text = str(v) if len(str(v)) <= 80 else f"{len(v)} item(s)"
            else:
                text = str(v)
            parts.append(f"{k}={text}")
        return f"{key}: " + (", ".join(parts) or "nothing found")
    return f"{key}: {data}"


def render(result, package: str, out: TextIO, color: bool | None = None, width: int | None = None) -> None:
    """Explain *package*'s exposure score.

    Prints the total, every factor (value, points, weight, detail), the
    repository evidence, the collected signals, the findings, and up to
    :data:`MAX_PATHS` dependency paths from the root.  *color* forces
    colours on/off and *width* the width in columns (default for both: as
    *out* is a terminal or not; 120 columns when not).

    Raises:
        InputError: *package* is not in the audited set.
    """
    node = audited_node(result, package)
    name = node.name
    tty = out.isatty() if color is None else color
    console = Console(file=out, force_terminal=color, width=width or (120 if not tty else None),
                      highlight=False, no_color=not tty)
    score = result.scores[name]
    total = score.total
    console.print(Text(f"{node.distribution.key}: exposure {total if isinstance(total, Unknown) else f'{total:.1f}'} / 100", style="bold"))
    console.print(Text("total = 100 × Σ points / Σ weight of the applicable factors; an unknown factor adds its "
                       "unknown points (half its weight by default; docs/scoring.md)"))
    table = Table(header_style="bold")
    for col, kw in (("Factor", {}), ("Value", {"overflow": "fold"}), ("Points", {"justify": "right"}),
                    ("Weight", {"justify": "right"}), ("Why", {"overflow": "fold"})):
        table.add_column(col, **kw)
    for f in score.factors:
        value = "unknown" if isinstance(f.value, Unknown) else str(f.value)
        table.add_row(Text(f.name), Text(value), Text(f"{f.points:g}"), Text(f"{f.weight:g}"), Text(f.detail))
    console.print(table)
    counted = [f for f in score.factors if applicable(f)]
    if counted:
        unknown = [f for f in counted if isinstance(f.value, Unknown)]
        console.print(Text(f"{round(sum(f.points for f in counted), 2):g} points of {round(sum(f.weight for f in counted), 2):g}"
                           f" possible ({len(counted)} applicable factors)"
                           + (f", of which {round(sum(f.points for f in unknown), 2):g} unknown points:"
                              f" {', '.join(f.name for f in unknown)}" if unknown else "")))
    console.print(Text("Evidence", style="bold"))
    console.print(Text(f"  repository: {_mapping_line(node.mapping)}"))
    for key, value in sorted(node.signals.items()):
        console.print(Text("  " + _signal_line(key, value)))
    mine = [f for f in result.findings if f.package == name]
    console.print(Text(f"Findings ({len(mine)})", style="bold"))
    rules = catalogue()
    for f in mine:
        title = rules[f.id].title if f.id in rules else ""
        console.print(Text(f"  {f.severity.value.upper():8} {f.id} {title}: {f.message}"))
    paths = queries.paths_to_root(result.graph, node_id(node), limit=MAX_PATHS)
    console.print(Text(f"Paths from the root ({len(paths)} shown)", style="bold"))
    if not paths:
        console.print(Text("  not reached from the root"))
    for path in paths:
        labels = [result.graph.nodes[p].get(A.LABEL, p) for p in path]
        console.print(Text("  " + " -> ".join(str(lbl) for lbl in labels)))


def _mapping_line(mapping) -> str:
    """``URL[, subdirectory DIR (state)] (confidence; rule RULE; evidence)`` of a repository mapping."""
    repo = mapping.repo
    if repo is None:
        return f"none ({mapping.note or 'no repository found'}; {mapping.evidence})"
    where = repo.url
    if repo.subpath:
        where += f", subdirectory {repo.subpath} ({mapping.subdirectory_state or 'not checked'})"
    elif mapping.subdirectory_state == "refuted":
        where += " (subdirectory refuted: root)"
    rule = f"; rule {mapping.rule}" if mapping.rule else ""
    return f"{where} ({mapping.confidence.value}{rule}; {mapping.evidence})"
