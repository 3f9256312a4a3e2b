"""``--format table`` (default): a terminal table sorted by exposure.

Every string from package metadata or an API is wrapped in
:class:`rich.text.Text`, so markup in it (``[bold]``...) is shown, not
interpreted.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.table import Table
from auditor.report.safe import text as Text  # neutralises controls, escapes and bidi (report/safe.py)

from auditor.graph import attrs as A
from auditor.graph.build import node_id
from auditor.models import Unknown, UnknownKind
from auditor.report.totals import hub_text, interpreter_text, summary_text

#: Rows shown in the terminal; ``--limit 0`` shows all.
DEFAULT_LIMIT = 40


def _fmt(value) -> Text:
    if isinstance(value, Unknown):
        return Text("unknown", style="yellow")
    return Text(str(value))


#: Width when the output is not a terminal and ``COLUMNS`` is unset.
PIPE_WIDTH = 160
#: Below this width the table keeps only the columns that rank and identify a package.
NARROW = 120


def report_width(out: TextIO, width: int | None = None) -> int | None:
    """Columns to render at: *width*, else ``COLUMNS``, else the terminal's (None: rich asks it), else 160."""
    if width:
        return width
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if out.isatty() else PIPE_WIDTH


def maintainers_cell(node) -> Text:
    """Publish-capable accounts, ``org`` when a PyPI organization owns it with members not public, or unknown."""
    maint = node.maintainers
    if isinstance(maint, Unknown):
        if maint.kind is UnknownKind.NOT_PUBLIC:
            return Text("org", style="cyan")
        return Text("unknown", style="yellow")
    return Text(str(len(maint)))


def render(result, out: TextIO, limit: int = DEFAULT_LIMIT, color: bool | None = None, width: int | None = None,
           verbose: bool = False) -> None:
    """Write the summary, the ranked table, the interpreter line, findings and gaps to *out*.

    Args:
        result: the AuditResult.
        out: text stream.
        limit: maximum rows (0 for all).
        color: force colours on/off; default: only when *out* is a terminal.
        width: columns; default: ``COLUMNS``, else the terminal's, else 160
            (:func:`report_width`).  Below :data:`NARROW` the repository,
            history and factor columns are left out; package names are
            never cut (they fold).
        verbose: list every gap instead of one line per cause.
    """
    console = Console(file=out, force_terminal=color, no_color=color is False,
                      width=report_width(out, width), highlight=False)
    narrow = console.width < NARROW
    inv = result.inventory
    console.print(Text(f"auditor {result.tool_version} — {inv.root_name} ({inv.root_kind}, {inv.resolver or 'no resolver'})", style="bold"))
    console.print(Text(summary_text(result)))
    if (hub := hub_text(result)) is not None:
        console.print(Text(hub))
    table = Table(show_lines=False, header_style="bold", expand=False)
    columns = [
        ("Exposure", {"justify": "right"}),
        ("Cov.", {"justify": "right"}),
        ("Package", {"overflow": "fold", "min_width": 7}),
        ("Version", {"overflow": "fold"}),
        ("Maint.", {"justify": "right"}),
        ("People", {"justify": "right"}),
        ("Bus", {"justify": "right"}),
        ("Org", {"overflow": "fold"}),
        ("Repository", {"overflow": "fold"}),
        ("Conf.", {}),
        ("Dependents", {"justify": "right"}),
        ("Top factors", {"overflow": "fold"}),
    ]
    keep = {"Exposure", "Cov.", "Package", "Version", "Maint.", "Org", "Dependents"} if narrow else None
    for col, kw in columns:
        if keep is None or col in keep:
            table.add_column("Dep." if narrow and col == "Dependents" else col, **kw)
    ranked = [n for n in result.ranked() if n.distribution.origin.kind != "interpreter"]
    shown = ranked if not limit else ranked[:limit]
    for node in shown:
        score = result.scores[node.name]
        top = sorted((f for f in score.factors if f.points > 0), key=lambda f: (-f.points, f.name))[:3]
        total = score.total
        cells = {
            "Exposure": Text("unknown", style="yellow") if isinstance(total, Unknown) else Text(f"{total:.1f}", style=_style(total)),
            "Cov.": Text(score.coverage),
            "Package": Text(node.name),
            "Version": Text(node.distribution.version or "?"),
            "Maint.": maintainers_cell(node),
            "Org": Text(node.organization or ""),
            "Repository": Text(node.mapping.repo.url if node.mapping.repo else (node.mapping.note or "—")),
            "Conf.": Text(node.mapping.confidence.value),
            "Dependents": Text(str(result.graph.nodes[node_id(node)].get(A.DEPENDENTS, 0))),
            "Top factors": Text(", ".join(f"{f.name} +{f.points:g}{'?' if isinstance(f.value, Unknown) else ''}" for f in top)),
        }
        cells["People"], cells["Bus"] = _history_cells(node)
        table.add_row(*(cells[col] for col, _kw in columns if keep is None or col in keep))
    console.print(table)
    if narrow:
        console.print(Text("(narrow: repository, people and factor columns left out; `auditor explain PACKAGE` "
                           "or --format markdown shows them)"))
    if limit and len(ranked) > limit:
        console.print(Text(f"… {len(ranked) - limit} more packages (use --limit 0 or --format json for all)"))
    console.print(Text("Cov. = factors known / factors that apply; an unknown factor adds half its weight, "
                       "marked ? (docs/scoring.md)"))
    line = interpreter_text(result)
    if line:
        console.print(Text(line))
    if result.findings:
        _findings(console, result.findings)
    if result.missing:
        _missing(console, result.missing, verbose)


#: Packages named per missing-data line before "and N more".
MISSING_NAMES_SHOWN = 6


def group_missing(missing) -> list[tuple[str, str, list[str]]]:
    """``[(what, reason, [packages])]``: one entry per distinct fact and cause,
    most packages first, so a service that is down is one line, not one per package."""
    groups: dict[tuple[str, str], list[str]] = {}
    for m in missing:
        groups.setdefault((m.what, m.reason), []).append(m.package or "(run)")
    return sorted(((w, r, sorted(p)) for (w, r), p in groups.items()), key=lambda g: (-len(g[2]), g[0], g[1]))


def group_causes(missing) -> list[tuple[str, str, int, str]]:
    """``[(what, kind, count, one reason)]``: one entry per fact and typed cause (:class:`UnknownKind`),
    most gaps first; the reason shown is the first in sorted order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for m in missing:
        groups.setdefault((m.what.split(".")[0], m.kind), []).append(m.reason)
    return sorted(((w, k, len(r), sorted(r)[0]) for (w, k), r in groups.items()), key=lambda g: (-g[2], g[0], g[1]))


def _missing(console: Console, missing, verbose: bool = False) -> None:
    console.print(Text(f"Incomplete: {len(missing)} fact(s) could not be collected"
                       f"{' (one line per cause; -v lists all)' if not verbose else ''}:", style="yellow bold"))
    if not verbose:
        for what, kind, count, reason in group_causes(missing):
            console.print(Text(f"  {what}: {count} × {kind} — e.g. {reason}"))
        return
    for what, reason, packages in group_missing(missing):
        console.print(Text(f"  {what}: {reason} — {len(packages)} package(s): {', '.join(packages)}"))


#: Findings listed in the table (most severe first); JSON/SARIF carry all of them.
FINDINGS_SHOWN = 20


def _findings(console: Console, findings) -> None:
    from collections import Counter

    counts = Counter(f.severity.value for f in findings)
    order = ("critical", "high", "medium", "low", "info")
    console.print(Text(f"Findings: {len(findings)} (" + ", ".join(f"{counts[s]} {s}" for s in order if counts[s]) + ")", style="bold"))
    for f in findings[:FINDINGS_SHOWN]:
        console.print(Text(f"  {f.severity.value.upper():8} {f.id}  {f.message}"))
    if len(findings) > FINDINGS_SHOWN:
        console.print(Text(f"  … {len(findings) - FINDINGS_SHOWN} more (see --format json; `auditor explain PACKAGE`)"))


def _history_cells(node) -> tuple[Text, Text]:
    """Contributors and bus factor from the ``history`` signal (git history)."""
    history = node.signals.get("history")
    if history is None:
        return Text("—"), Text("—")
    if isinstance(history, Unknown):
        return _fmt(history), _fmt(history)
    return Text(str(history.contributors)), Text(str(history.bus_factor))


def _style(total: float) -> str:
    return "red" if total >= 60 else "yellow" if total >= 40 else "green"
