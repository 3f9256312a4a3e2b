"""Findings on the Hugging Face Hub references a project loads (docs/models.md).

Pure: reads the :class:`~auditor.models.hub.HubScan` made by
``auditor/sources/hub_scan.py`` and never fetches.  Rule text and severities
come from ``rules.yaml`` (AUD140 onwards).
"""

from __future__ import annotations

from auditor.judgement.catalogue import catalogue
from auditor.models import Finding, Severity
from auditor.models.hub import HubReference, HubScan
from auditor.models.hub_facts import HubFacts, HubRepoFacts

#: Rule id of a reference that does not pin a commit sha.
MUTABLE_REVISION = "AUD140"


def hub_findings(hub: HubScan | None) -> list[Finding]:
    """AUD140 once per repository with a reference that is not pinned to a commit sha.

    The severity is the rule's, raised to high when such a reference also
    passes a literal ``trust_remote_code=True``.  ``Finding.package`` is
    ``None`` (the project itself); the message names the repository node and
    where it is loaded.  Sorted like every other finding list.
    """
    if hub is None:
        return []
    rule = catalogue().findings[MUTABLE_REVISION]
    loose: dict[str, list[HubReference]] = {}
    for ref in hub.references:
        if not ref.pinned:
            loose.setdefault(ref.node_id, []).append(ref)
    out = []
    for node_id in sorted(loose):
        refs = loose[node_id]
        code = any(r.trust_remote_code is True for r in refs)
        revisions = sorted({"default branch" if r.revision is None else str(r.revision) for r in refs})
        where = ", ".join(sorted({str(r.location) for r in refs})[:5]) + (" …" if len(refs) > 5 else "")
        out.append(Finding(
            id=rule.id,
            severity=Severity.HIGH if code else rule.severity,
            message=(f"{refs[0].kind} {refs[0].repo_id} is loaded at {', '.join(revisions)}, not a commit"
                     f"{' with trust_remote_code=True' if code else ''} ({where})"),
            package=None,
            evidence=f"static scan of the project's code ({node_id})",
        ))
    return out


#: Rule ids of the findings on Hub facts (docs/models.md).
PICKLE_ONLY, REMOTE_CODE, LOADING_SCRIPT, USER_OWNER, CHANGED_SINCE_PIN, NO_LICENSE, SCAN_FLAGGED = (
    "AUD141", "AUD142", "AUD143", "AUD144", "AUD145", "AUD146", "AUD147")


def _names(items, limit: int = 3) -> str:
    items = list(items)
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def fact_findings(hub: HubScan | None, facts: HubFacts | None) -> list[Finding]:
    """AUD141-AUD147 on what the Hub says about each referenced repository (bases are not judged).

    Reads only :class:`~auditor.models.hub_facts.HubRepoFacts`; a repository
    whose facts are unknown has no finding here (it is in ``missing``).
    AUD142 needs a reference with a literal ``trust_remote_code=True``;
    AUD145 a reference pinned to a commit.
    """
    if hub is None or facts is None:
        return []
    cat = catalogue().findings
    refs: dict[str, list[HubReference]] = {}
    for ref in hub.references:
        refs.setdefault(ref.node_id, []).append(ref)
    out: list[Finding] = []

    def add(rule_id: str, node_id: str, message: str, evidence: str) -> None:
        rule = cat[rule_id]
        out.append(Finding(id=rule.id, severity=rule.severity, message=message, package=None,
                           evidence=f"{evidence} ({node_id})"))

    for node_id in sorted(refs):
        f = facts.repos.get(node_id)
        if not isinstance(f, HubRepoFacts):
            continue
        what = f"{f.kind} {f.repo_id}"
        if f.kind == "model" and f.files.pickle_only:
            add(PICKLE_ONLY, node_id, f"{what} has only pickle-based weights ({_names(f.files.pickle)})",
                "Hub file list (siblings)")
        if f.files.code and any(r.trust_remote_code is True for r in refs[node_id]):
            add(REMOTE_CODE, node_id, f"{what} is loaded with trust_remote_code=True and ships Python code "
                f"({_names(f.files.code)})", "Hub file list and static scan")
        if f.kind == "dataset" and f.files.loading_script:
            add(LOADING_SCRIPT, node_id, f"dataset {f.repo_id} has a loading script ({f.files.loading_script})",
                "Hub file list (siblings)")
        if f.owner_type == "user":
            add(USER_OWNER, node_id, f"{what} is owned by the personal account {f.owner}",
                "Hub /api/users/NAME/overview")
        if f.changed_since_pin and any(r.pinned for r in refs[node_id]):
            add(CHANGED_SINCE_PIN, node_id, f"{what} is pinned at {str(f.sha)[:12]}; its default branch is now at "
                f"{str(f.head_sha)[:12]}", "Hub info at the pinned and default revisions")
        if not f.license and f.kind != "space":
            add(NO_LICENSE, node_id, f"{what} names no licence in its card", "Hub cardData.license")
        if f.security is not None and f.security.flagged:
            add(SCAN_FLAGGED, node_id, f"the Hub's scan flags {len(f.security.flagged)} file(s) of {what}: "
                f"{_names(f'{p} ({lvl})' for p, lvl in f.security.flagged)}", "Hub securityRepoStatus")
    return out
