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
        out.append(Finding(
            id=rule.id,
            severity=Severity.HIGH if code else rule.severity,
            message=(f"{refs[0].kind} {refs[0].repo_id} is loaded{' with trust_remote_code=True' if code else ''} "
                     f"at {_revisions(refs)}, not at a pinned commit, according to {_where(refs)}"),
            package=None,
            evidence=f"static scan of the project's code ({node_id})",
        ))
    return out


def _revisions(refs: list[HubReference]) -> str:
    """``its default branch``, ``the branch or tag 'main'``, ``a revision the static scan cannot read (…)``,
    joined with ``and``: the unpinned revisions of *refs*."""
    named = sorted({r.revision for r in refs if isinstance(r.revision, str)})
    unread = sorted({str(r.revision) for r in refs if r.revision is not None and not isinstance(r.revision, str)})
    parts = (["its default branch"] if any(r.revision is None for r in refs) else [])
    parts += [f"a revision the static scan cannot read ({u})" for u in unread[:2]]
    if named:
        quoted = ", ".join(repr(n) for n in named[:3]) + (" …" if len(named) > 3 else "")
        parts.append(f"the branch or tag {quoted}" if len(named) == 1 else f"the branches or tags {quoted}")
    return " and ".join(parts)


def _where(refs: list[HubReference]) -> str:
    """The source of *refs*: ``the static scan (train.py:3, train.py:9)``, ``the --model option``, ``the Hub cache``."""
    scanned = sorted({str(r.location) for r in refs if not r.call.startswith("--") and r.call != "hf-cache"})
    parts = []
    if scanned:
        parts.append(f"the static scan ({', '.join(scanned[:5])}{' …' if len(scanned) > 5 else ''})")
    parts += [f"the {opt} option" for opt in sorted({r.call for r in refs if r.call.startswith("--")})]
    if any(r.call == "hf-cache" for r in refs):
        parts.append("the local Hub cache")
    return " and ".join(parts)


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
            add(PICKLE_ONLY, node_id, f"{what} has only pickle-based weights, which run code when loaded "
                f"({_names(f.files.pickle)}), according to the Hub's file list", "Hub file list (siblings)")
        if f.files.code and any(r.trust_remote_code is True for r in refs[node_id]):
            add(REMOTE_CODE, node_id, f"{what} is loaded with trust_remote_code=True and its Python files "
                f"({_names(f.files.code)}) run on load, according to the Hub's file list and the static scan",
                "Hub file list and static scan")
        if f.kind == "dataset" and f.files.loading_script:
            add(LOADING_SCRIPT, node_id, f"{what} has a loading script ({f.files.loading_script}) that "
                "load_dataset may run, according to the Hub's file list", "Hub file list (siblings)")
        if f.owner_type == "user":
            add(USER_OWNER, node_id, f"{what} is owned by the personal account {f.owner}, not an organization, "
                "according to the Hub's account overview", "Hub /api/users/NAME/overview")
        if f.changed_since_pin and any(r.pinned for r in refs[node_id]):
            add(CHANGED_SINCE_PIN, node_id, f"{what} is pinned at commit {str(f.sha)[:12]} but its default branch "
                f"has moved to {str(f.head_sha)[:12]}, according to the Hub's repository info",
                "Hub info at the pinned and default revisions")
        if not f.license and f.kind != "space":
            add(NO_LICENSE, node_id, f"{what} names no licence in its {f.kind} card, according to the Hub's card data",
                "Hub cardData.license")
        if f.security is not None and f.security.flagged:
            add(SCAN_FLAGGED, node_id, f"{what} has {len(f.security.flagged)} "
                f"{'file' if len(f.security.flagged) == 1 else 'files'} flagged by the Hub's security scan: {_names(f'{p} ({lvl})' for p, lvl in f.security.flagged)}", "Hub securityRepoStatus")
    return out
