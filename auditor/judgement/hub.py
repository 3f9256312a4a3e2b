"""Findings on the Hugging Face Hub references a project loads (docs/models.md).

Pure: reads the :class:`~auditor.models.hub.HubScan` made by
``auditor/sources/hub_scan.py`` and never fetches.  Rule text and severities
come from ``rules.yaml`` (AUD140 onwards).
"""

from __future__ import annotations

from auditor.judgement.catalogue import catalogue
from auditor.models import Finding, Severity
from auditor.models.hub import HubReference, HubScan

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
