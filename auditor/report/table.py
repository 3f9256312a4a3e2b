"""``--format table`` (default): a terminal table sorted by exposure.

Every string from package metadata or an API is wrapped in
:class:`rich.text.Text`, so markup in it (``[bold]``...) is shown, not
interpreted.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from auditor.report.safe import text as Text  # neutralises controls, escapes and bidi (report/safe.py)

from auditor.graph import attrs as A
from auditor.graph.build import node_id
from auditor.models import Unknown

#: Rows shown in the terminal; ``--limit 0`` shows all.
DEFAULT_LIMIT = 40


def _fmt(value) -> Text:
    if isinstance(value, Unknown):
        return Text("unknown", style="yellow")
    return Text(str(value))


def render(result, out: TextIO, limit: int = DEFAULT_LIMIT, color: bool | None = None, width: int | None = None) -> None:
    """Write the summary, the ranked table and the missing-data list to *out*.

    Args:
        result: the AuditResult.
        out: text stream.
        limit: maximum rows (0 for all).
        color: force colours on/off; default: only when *out* is a terminal.
        width: columns; default: the terminal's when *out* is one, else 160.
    """
    console = Console(file=out, force_terminal=color, no_color=color is False,
                      width=width or (160 if not out.isatty() else None), highlight=False)
    root = result.root
    inv = result.inventory
    console.print(Text(f"auditor {result.tool_version} — {inv.root_name} ({inv.root_kind}, {inv.resolver or 'no resolver'})", style="bold"))
    summary = (
        f"{root.packages} packages ({root.direct} direct), {root.repositories} repositories "
        f"({root.unmapped} packages unmapped), {root.maintainers} PyPI accounts can publish, "
        f"{root.organizations} organizations, contributors: {_fmt(root.contributors)}"
    )
    console.print(Text(summary))
    table = Table(show_lines=False, header_style="bold", expand=False)
    for col, kw in (
        ("Exposure", {"justify": "right"}),
        ("Package", {}),
        ("Version", {}),
        ("Maint.", {"justify": "right"}),
        ("People", {"justify": "right"}),
        ("Bus", {"justify": "right"}),
        ("Org", {}),
        ("Repository", {"overflow": "fold"}),
        ("Conf.", {}),
        ("Dependents", {"justify": "right"}),
        ("Top factors", {"overflow": "fold"}),
    ):
        table.add_column(col, **kw)
    ranked = result.ranked()
    shown = ranked if not limit else ranked[:limit]
    for node in shown:
        score = result.scores[node.name]
        maint = node.maintainers
        project = node.project
        org = ""
        if not isinstance(project, Unknown) and not isinstance(project.ownership, Unknown):
            org = project.ownership.organization or ""
        top = sorted((f for f in score.factors if f.points > 0), key=lambda f: -f.points)[:3]
        total = score.total
        table.add_row(
            Text("unknown", style="yellow") if isinstance(total, Unknown) else Text(f"{total:.1f}", style=_style(total)),
            Text(node.name),
            Text(node.distribution.version or "?"),
            _fmt(maint if isinstance(maint, Unknown) else len(maint)),
            *_history_cells(node),
            Text(org),
            Text(node.mapping.repo.url if node.mapping.repo else (node.mapping.note or "—")),
            Text(node.mapping.confidence.value),
            Text(str(result.graph.nodes[node_id(node)].get(A.DEPENDENTS, 0))),
            Text(", ".join(f"{f.name} +{f.points:g}" for f in top)),
        )
    console.print(table)
    if limit and len(ranked) > limit:
        console.print(Text(f"… {len(ranked) - limit} more packages (use --limit 0 or --format json for all)"))
    if result.findings:
        _findings(console, result.findings)
    if result.missing:
        _missing(console, result.missing)


#: Packages named per missing-data line before "and N more".
MISSING_NAMES_SHOWN = 6


def group_missing(missing) -> list[tuple[str, str, list[str]]]:
    """``[(what, reason, [packages])]``: one entry per distinct fact and cause,
    most packages first, so a service that is down is one line, not one per package."""
    groups: dict[tuple[str, str], list[str]] = {}
    for m in missing:
        groups.setdefault((m.what, m.reason), []).append(m.package or "(run)")
    return sorted(((w, r, sorted(p)) for (w, r), p in groups.items()), key=lambda g: (-len(g[2]), g[0], g[1]))


def _missing(console: Console, missing) -> None:
    console.print(Text(f"Incomplete: {len(missing)} fact(s) could not be collected:", style="yellow bold"))
    for what, reason, packages in group_missing(missing):
        names = ", ".join(packages[:MISSING_NAMES_SHOWN])
        if len(packages) > MISSING_NAMES_SHOWN:
            names += f" and {len(packages) - MISSING_NAMES_SHOWN} more"
        console.print(Text(f"  {what}: {reason} — {len(packages)} package(s): {names}"))


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
