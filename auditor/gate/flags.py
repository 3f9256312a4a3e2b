"""Risk flags of one package change: plain words a reviewer reads in the diff report.

Flags inform; they never fail the check (policy rules do).  Each flag is
judged with the catalogue's thresholds (:mod:`auditor.judgement.evaluation`)
or the policy's limits, so a flag and the rule of the same name agree.
"""

from __future__ import annotations

from auditor.gate.diff import PackageDelta
from auditor.judgement.evaluation import is_new_project
from auditor.models import Unknown


def flags(d: PackageDelta, young_days: float | None = None) -> list[str]:
    """Risk flags shown for a package (plain words, no metadata), in display order.

    Args:
        d: the package's delta.
        young_days: releases younger than this many days are flagged
            ("young release"; the policy's ``min_release_age_days``); None: no such flag.

    A package the change adds is flagged "new project" when its project is
    new by the catalogue's ``new_project_days`` (the audit's finding AUD112),
    with or without a policy.
    """
    out = []
    added = d.change.kind == "added"
    if added:
        out.append("new")
        if not isinstance(d.project_age_days, Unknown) and is_new_project(d.project_age_days):
            out.append("new project")
    if not isinstance(d.maintainers_added, Unknown) and d.maintainers_added and not added:
        out.append("new maintainers")
    if d.single_maintainer is True and added:
        out.append("single maintainer")
    if d.repository is None and d.mapping_gap is not None:
        out.append("repository unknown")
    elif d.repository is None:
        out.append("no repository")
    elif d.weak_mapping:
        out.append("weak repository mapping")
    if d.new_repository and not added:
        out.append("new repository")
    if not isinstance(d.vulnerabilities_added, Unknown) and d.vulnerabilities_added:
        out.append("vulnerable")
    if young_days is not None and not isinstance(d.age_days, Unknown) and d.age_days < young_days:
        out.append("young release")
    if d.change.kind == "downgraded":
        out.append("downgrade")
    if d.change.kind == "changed":
        out.append("source changed")
    if d.contacts_added and not added:
        out.append("new authors")
    return out
