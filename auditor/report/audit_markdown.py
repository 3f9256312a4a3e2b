"""``auditor audit --format markdown``: the audit as GitHub-flavoured Markdown.

Layout (docs/formats-audit.md): a title line; a one-line summary of the
root figures (packages, repositories, PyPI accounts that can publish,
organizations, contributors reached); a table of the top packages by
exposure; the findings; and a collapsible ``<details>`` with the missing
data grouped by (what, reason).

Every string that comes from package metadata, an input file or an API
(names, versions, URLs, messages, reasons) goes through
:func:`auditor.report.diff_markdown.md`, so a hostile package cannot inject
links, images, mentions or HTML.  Output order is deterministic: packages
by :meth:`AuditResult.ranked`, findings by severity, id, package, message,
missing data by (what, reason).  Nothing is fetched.  The text stays under
GitHub's 65,536-character comment limit (:func:`auditor.report.comment.fit`).
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from auditor.models import Unknown, UnknownKind
from auditor.report.comment import fit
from auditor.report.diff_markdown import md
from auditor.report.totals import hub_text, interpreter_text, summary_text

#: Packages shown in the exposure table (the JSON output carries them all).
MAX_PACKAGES = 25
#: Findings listed; the rest are counted (the JSON and SARIF outputs carry all).
MAX_FINDINGS = 100
#: Packages named per missing-data group before "… and N more".
MAX_MISSING_NAMES = 20
#: Factors named per package in the table.
TOP_FACTORS = 3


def _count(value) -> str:
    """A count or ``unknown (reason)``."""
    if isinstance(value, Unknown):
        return f"unknown ({md(value.reason)})"
    return md(value)


def summary_line(result) -> str:
    """The one-line summary of the root figures (worded once, :func:`auditor.report.totals.summary_text`)."""
    return md(summary_text(result))


def _contributors(node) -> str:
    history = node.signals.get("history")
    if history is None:
        return "–"
    if isinstance(history, Unknown):
        return "unknown"
    return md(getattr(history, "contributors", "?"))


def _package_row(result, node) -> str:
    score = result.scores[node.name]
    total = score.total
    exposure = "unknown" if isinstance(total, Unknown) else f"{total:.1f}"
    maint = node.maintainers
    maintainers = ("org" if maint.kind is UnknownKind.NOT_PUBLIC else "unknown") if isinstance(maint, Unknown) else str(len(maint))
    mapping = node.mapping
    repo = md(mapping.repo.url) if mapping.repo else (md(mapping.note) if mapping.note else "–")
    if mapping.repo and mapping.repo.subpath:  # the directory the package is built from, and what checked it
        repo += f", subdirectory {md(mapping.repo.subpath)}" + (f" {md(mapping.subdirectory_state)}"
                                                                 if mapping.subdirectory_state else "")
    top = sorted((f for f in score.factors if f.points > 0), key=lambda f: (-f.points, f.name))[:TOP_FACTORS]
    factors = ", ".join(f"{md(f.name)} +{f.points:g}{'?' if isinstance(f.value, Unknown) else ''}" for f in top) or "–"
    return (f"| {md(node.name)} | {md(node.distribution.version or '?')} | {exposure} | {score.coverage} | {maintainers} | "
            f"{_contributors(node)} | {repo} ({md(mapping.confidence.value)}) | {factors} |")


def render(result, out: TextIO, limit: int = MAX_PACKAGES) -> None:
    """Write the Markdown report of *result* (an AuditResult) to *out*.

    Args:
        result: the :class:`~auditor.pipeline.AuditResult`.
        out: a text stream.
        limit: packages in the exposure table (0: all).
    """
    inv = result.inventory
    lines = [f"## auditor {md(result.tool_version)}: {md(inv.root_name)} ({md(inv.root_kind)})", "",
             summary_line(result), ""]
    if (hub := hub_text(result)) is not None:
        lines += [md(hub), ""]

    ranked = [n for n in result.ranked() if n.distribution.origin.kind != "interpreter"]
    shown = ranked if not limit else ranked[:limit]
    lines += ["### Top packages by exposure", "",
              "| Package | Version | Exposure | Coverage | Maintainers | Contributors | Repository (confidence) | Top factors |",
              "|---|---|---:|---:|---:|---:|---|---|"]
    lines += [_package_row(result, n) for n in shown]
    if len(ranked) > len(shown):
        lines.append(f"| … | {len(ranked) - len(shown)} more (see `--format json`) | | | | | | |")
    lines += ["", "Coverage: factors known / factors that apply; an unknown factor adds half its weight, "
              "marked ? (docs/scoring.md).", ""]
    interp = interpreter_text(result)
    if interp:
        lines += [md(interp), ""]

    findings = sorted(result.findings, key=lambda f: (f.severity.rank, f.id, f.package or "", f.message))
    counts = Counter(f.severity.value for f in findings)
    by_sev = ", ".join(f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low", "info") if counts[s])
    lines += [f"### Findings ({len(findings)}{': ' + by_sev if by_sev else ''})", ""]
    if findings:
        lines += ["| Id | Severity | Package | Message |", "|---|---|---|---|"]
        for f in findings[:MAX_FINDINGS]:
            lines.append(f"| {md(f.id)} | {md(f.severity.value)} | {md(f.package or '(root)')} | {md(f.message)} |")
        if len(findings) > MAX_FINDINGS:
            lines.append(f"| … | | | {len(findings) - MAX_FINDINGS} more (see `--format json` or `--format sarif`) |")
    else:
        lines.append("No findings.")
    lines.append("")

    if result.missing:
        groups: dict[tuple[str, str], list[str]] = {}
        for m in result.missing:
            groups.setdefault((m.what, m.reason), []).append(m.package or "(run)")
        body = []
        for (what, reason), pkgs in sorted(groups.items()):
            pkgs = sorted(set(pkgs))
            names = ", ".join(md(p) for p in pkgs[:MAX_MISSING_NAMES])
            if len(pkgs) > MAX_MISSING_NAMES:
                names += f", … and {len(pkgs) - MAX_MISSING_NAMES} more"
            body.append(f"- **{md(what)}**: {md(reason)} ({len(pkgs)}): {names}")
        lines += ["<details>",
                  f"<summary>Incomplete: {len(result.missing)} fact(s) could not be collected</summary>",
                  "", *body, "", "</details>", ""]

    lines.append(f"<sub>{md(result.generated_at)} · auditor audit</sub>")
    out.write(fit("\n".join(lines).rstrip() + "\n"))
