"""``auditor diff --format markdown``: a pull-request comment.

Layout: a one-line verdict; a table of the changes that matter (packages
with a policy violation or a risk flag of :func:`auditor.gate.flags.flags`:
new, new maintainers, weak or missing repository, young release, new
vulnerability); then collapsible
``<details>`` sections with the policy results, every version change, the
edge changes and the root's totals before and after.

Every string that comes from package metadata or a lockfile (names,
versions, maintainer names, URLs, messages built from them) goes through
:func:`md` (Markdown and HTML escaped, newlines and control characters
removed), so a malicious package name cannot inject links, images,
mentions or HTML into the comment.
"""

from __future__ import annotations

from typing import IO, Iterable

from auditor.gate.diff import AuditDiff, PackageDelta, Totals
from auditor.report.totals import publishers_text
from auditor.gate.flags import flags
from auditor.models import Unknown
from auditor.report.safe import markdown

#: Rows shown in the main table before the rest is folded into details.
MAX_TABLE_ROWS = 25


VERDICT_LINE = {
    "pass": "✅ **auditor: policy passed**",
    "fail": "❌ **auditor: policy failed**",
    "incomplete": "⚠️ **auditor: could not collect enough data to decide**",
    None: "ℹ️ **auditor: dependency changes**",
}


def md(text: object) -> str:
    """Escape untrusted *text* for GitHub-flavoured Markdown (inline, in a table cell).

    HTML-significant characters become entities, Markdown punctuation is
    backslash-escaped, ``@`` becomes ``&#64;`` so it mentions nobody, and
    control characters and newlines become spaces (:func:`auditor.report.safe.markdown`).
    """
    return markdown(text)


def _code(text: object) -> str:
    """Inline code for names/versions: escaped (no backticks, so entities render)."""
    return md(text)


def _k(value: object) -> str:
    if isinstance(value, Unknown):
        return f"unknown ({md(value.reason)})"
    if isinstance(value, (list, tuple)):
        return ", ".join(md(v) for v in value) if value else "–"
    return md(value)


def _change(d: PackageDelta) -> str:
    c = d.change
    if c.kind == "added":
        return f"added {md(c.after)}"
    return f"{md(c.before)} → {md(c.after)} ({c.kind})"


def _totals_row(label: str, t: Totals) -> str:
    publishers = publishers_text(t.maintainers, t.organizations, t.unknown_maintainers, t.maintainers_not_public)
    return f"| {label} | {t.packages} | {t.repositories} | {md(publishers)} | {_k(t.people)} |"


def _details(summary: str, lines: Iterable[str]) -> list[str]:
    body = list(lines)
    if not body:
        return []
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def write_diff_markdown(stream: IO[str], diff: AuditDiff, result=None, young_days: float | None = None) -> None:
    """Write the PR comment for *diff* (and the policy *result*, if any) to *stream*.

    Args:
        stream: a text stream.
        diff: the :class:`~auditor.gate.diff.AuditDiff`.
        result: a :class:`~auditor.gate.evaluate.PolicyResult`, or None (no policy).
        young_days: releases younger than this are flagged (default: the
            policy's ``min_release_age_days``).
    """
    verdict = result.verdict.value if result is not None else None
    if young_days is None and result is not None:
        young_days = result.policy.min_release_age_days
    counts = {k: len(diff.of_kind(k)) for k in ("added", "removed", "upgraded", "downgraded", "changed")}
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no package changes"
    extra = ""
    if result is not None:
        failing = len(result.failing)
        if failing:
            extra = f" — {failing} violation{'s' if failing != 1 else ''}"
        elif result.undecided:
            extra = f" — {len(result.undecided)} rule check{'s' if len(result.undecided) != 1 else ''} lacked data"
    lines = [f"{VERDICT_LINE[verdict]}: {summary}{extra}", ""]

    by_pkg: dict[str, list] = {}
    if result is not None:
        for v in result.violations:
            by_pkg.setdefault(v.package or "", []).append(v)
    rows = []
    for d in diff.deltas:
        f = flags(d, young_days)
        vs = by_pkg.get(d.name, [])
        if not f and not vs:
            continue
        rules = ", ".join(sorted({(v.rule + (" (waived)" if v.waived_by else "")) for v in vs})) or "–"
        maint = _k(d.maintainers)
        if isinstance(d.organization, str) and d.organization:
            maint += f" (org: {md(d.organization)})"
        if not isinstance(d.maintainers_added, Unknown) and d.maintainers_added and d.change.kind != "added":
            maint += f" (new: {_k(d.maintainers_added)})"
        repo = md(d.repository) if d.repository else ("unknown" if d.mapping_gap is not None else "none")
        rows.append((0 if any(not v.waived_by for v in vs) else 1, d.name,
                     f"| {_code(d.name)} | {_change(d)} | {maint} | {repo} | {', '.join(f) or '–'} | {rules} |"))
    rows.sort(key=lambda r: (r[0], r[1]))
    if rows:
        lines += ["| Package | Change | Maintainers (PyPI) | Repository | Flags | Policy |",
                  "|---|---|---|---|---|---|"]
        lines += [r[2] for r in rows[:MAX_TABLE_ROWS]]
        if len(rows) > MAX_TABLE_ROWS:
            lines.append(f"| … | {len(rows) - MAX_TABLE_ROWS} more in the details below | | | | |")
        lines.append("")
    elif not diff.empty:
        lines += ["No change adds a risk flag.", ""]

    tb, ta = diff.totals_before, diff.totals_after
    lines += [
        "| Root totals | Packages | Repositories | Publishers | People |",
        "|---|---|---|---|---|",
        _totals_row("before", tb),
        _totals_row("after", ta),
        "",
    ]

    if result is not None:
        policy_lines = []
        for v in result.violations:
            where = f" ({md(v.file)}:{v.line})" if v.file and v.line else ""
            waived = f" — waived until {v.waived_by.expires.isoformat()}: {md(v.waived_by.reason)}" if v.waived_by else ""
            policy_lines.append(f"- **{v.rule}** {md(v.message)}{where}{waived}")
        for u in result.undecided:
            policy_lines.append(f"- **{u.rule}** could not decide for {_code(u.package or 'the change')}: {md(u.reason)}")
        for n in result.notes:
            policy_lines.append(f"- note: {md(n)}")
        lines += _details(f"Policy results ({md(result.policy.source)})", policy_lines)

    change_lines = [f"- {_code(c.name)}: {c.kind} {md(c.before or '')}{' → ' if c.before and c.after else ''}{md(c.after or '')}"
                    for c in diff.changes]
    lines += _details(f"All version changes ({len(diff.changes)})", change_lines)

    def req(e) -> str:
        return f" ({md(e.requirement)})" if e.requirement != e.target else ""

    edge_lines = [f"- ➕ {_code(e.source)} → {_code(e.target)}{req(e)}" for e in diff.edges_added]
    edge_lines += [f"- ➖ {_code(e.source)} → {_code(e.target)}{req(e)}" for e in diff.edges_removed]
    lines += _details(f"Dependency edges ({len(diff.edges_added)} added, {len(diff.edges_removed)} removed)", edge_lines)

    people_lines = []
    if diff.new_maintainers:
        people_lines.append(f"- new publish-capable PyPI accounts: {_k(diff.new_maintainers)}")
    people_lines.append(f"- new people reachable: {_k(diff.new_people)}")
    if diff.new_repositories:
        people_lines.append(f"- new repositories: {_k(diff.new_repositories)}")
    for p, what, reason in diff.unknowns:
        people_lines.append(f"- {_code(p)}: {md(what)} unknown ({md(reason)})")
    lines += _details("People, repositories and data gaps", people_lines)

    hub_lines = [f"- ➕ {_code(c.node)} at {md(c.after)}" + (f" (new Hub people: {_k(c.new_people)})" if c.new_people else "")
                 for c in diff.hub_added]
    hub_lines += [f"- {_code(c.node)}: {md(c.what)} {md(c.before)} → {md(c.after)}"
                  + (f" (new Hub people: {_k(c.new_people)})" if c.new_people else "") for c in diff.hub_changed]
    if diff.hub_new_people:
        hub_lines.append(f"- new Hub accounts that can change what is loaded: {_k(diff.hub_new_people)}")
    if hub_lines:
        lines += _details(f"Hugging Face Hub ({len(diff.hub_added)} added, {len(diff.hub_changed)} changed)", hub_lines)

    lines.append(f"<sub>{md(diff.base)} → {md(diff.head)} · auditor diff</sub>")
    stream.write("\n".join(lines).rstrip() + "\n")


def render(outcome, out: IO[str]) -> None:
    """``auditor diff --format markdown``: write *outcome* (a :class:`~auditor.gate.GateOutcome`) to *out*.

    The comment stays under GitHub's 65,536-character limit (:func:`auditor.report.comment.fit`).
    """
    import io

    from auditor.report.comment import fit

    buf = io.StringIO()
    write_diff_markdown(buf, outcome.diff, outcome.result)
    out.write(fit(buf.getvalue()))
