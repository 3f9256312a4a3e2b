"""Views of one audit for the diff: the facts :func:`~auditor.gate.diff.diff_audits` reads.

:func:`audit_view` adapts a pipeline ``AuditResult`` (or an
:class:`~auditor.models.Inventory`, edges only) into an :class:`AuditView`;
the ``*_of`` functions read one fact of one node, tolerant of collectors
that did not run (an :class:`~auditor.models.Unknown` then says why).

Facts and their sources (collected upstream, only read here):

* publish-capable maintainers: ``PackageNode.maintainers`` (PyPI JSON API
  ``ownership.roles``);
* organization: ``PyPIProject.ownership.organization``;
* repository and confidence: ``PackageNode.mapping``;
* upload time of a version: ``PyPIProject.version_uploads`` (PyPI JSON API
  ``releases[version][].upload_time_iso_8601``, earliest file);
* contributors: the ``history`` signal when that collector ran (people
  identities after identity resolution);
* vulnerabilities: the ``vulnerabilities`` signal when that collector ran
  (OSV ids with a severity).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from packaging.version import Version

from auditor.models import (
    Confidence,
    DependencyEdge,
    Inventory,
    PackageNode,
    RepoMapping,
    RepositoryHistory,
    Severity,
    Unknown,
    UnknownKind,
    VulnerabilityReport,
)

if TYPE_CHECKING:
    from auditor.models import DeclaredLicense

#: Signal keys read from ``PackageNode.signals`` (kept for importers; the
#: views read them as ``node.signal(RepositoryHistory)`` / ``node.signal(VulnerabilityReport)``).
HISTORY_SIGNAL = RepositoryHistory.KEY
VULNERABILITY_SIGNAL = VulnerabilityReport.KEY


@dataclass(frozen=True)
class AuditView:
    """The parts of an audit a diff reads.

    Attributes:
        name: label of the audited input (a path, ``path@rev``).
        nodes: ``{normalized name: PackageNode}``.
        root_requires: the root's edges.
        complete: False when the audit ran with nothing collected (edges only).
    """

    name: str
    nodes: Mapping[str, PackageNode]
    root_requires: tuple[DependencyEdge, ...] = ()
    complete: bool = True
    hub: Mapping[str, "HubView"] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.hub is None:
            object.__setattr__(self, "hub", {})


@dataclass(frozen=True)
class HubView:
    """One Hub repository as the diff reads it (``AuditResult.hub`` and ``.hub_facts``, docs/models.md).

    Attributes:
        kind / repo_id: as referenced.
        revisions: the revisions referenced, sorted (``""`` the default branch, ``"unknown"`` not a literal).
        trust_remote_code: some reference passes ``trust_remote_code=True``.
        sha: the commit the Hub resolved the revision to, or None (no facts).
        people: ``hf:<username>`` who can change it (commit authors, owner-organization members).
        runs_code: why loading it runs the repository's code (empty: it does not), None without facts.
    """

    kind: str
    repo_id: str
    revisions: tuple[str, ...]
    trust_remote_code: bool
    sha: str | None
    people: frozenset[str]
    runs_code: tuple[str, ...] | None = None


def _runs_code(refs: list, f: Any) -> tuple[str, ...] | None:
    """Why loading the repository runs its code (the facts of AUD141-AUD143 and AUD147), or None without facts."""
    files = getattr(f, "files", None)
    if files is None:
        return None
    why = []
    if files.code and any(r.trust_remote_code is True for r in refs):
        why.append("trust_remote_code with Python files")
    if files.loading_script:
        why.append("a loading script")
    if getattr(f, "kind", "") == "model" and files.pickle_only:
        why.append("pickle-only weights")
    if getattr(f, "security", None) is not None and f.security.flagged:
        why.append("files flagged by the Hub's scan")
    return tuple(why)


def hub_views(result: Any) -> dict[str, HubView]:
    """``{node id: HubView}`` of an ``AuditResult`` (empty without Hub references)."""
    hub = getattr(result, "hub", None)
    if hub is None:
        return {}
    facts = getattr(result, "hub_facts", None)
    people: dict[str, set[str]] = {}
    for person, nids in (facts.people().items() if facts is not None else ()):
        for nid in nids:
            people.setdefault(nid, set()).add(person)
    grouped: dict[str, list] = {}
    for ref in hub.references:
        grouped.setdefault(ref.node_id, []).append(ref)
    out = {}
    for nid, refs in sorted(grouped.items()):
        f = facts.repos.get(nid) if facts is not None else None
        sha = getattr(f, "sha", None)
        out[nid] = HubView(refs[0].kind, refs[0].repo_id,
                           tuple(sorted({"unknown" if isinstance(r.revision, Unknown) else (r.revision or "") for r in refs})),
                           any(r.trust_remote_code is True for r in refs), sha if isinstance(sha, str) else None,
                           frozenset(people.get(nid, ())), _runs_code(refs, f))
    return out


@dataclass(frozen=True)
class Vulnerability:
    """A known vulnerability affecting a version (from the ``vulnerabilities`` signal).

    Attributes:
        id: OSV id (``GHSA-...``, ``PYSEC-...``).
        severity: :class:`~auditor.models.Severity`, or Unknown when not rated.
        summary: one line, untrusted text.
        aliases: other ids of the same advisory (CVE, GHSA, PYSEC).
    """

    id: str
    severity: Severity | Unknown
    summary: str = ""
    aliases: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# Adapters
# --------------------------------------------------------------------------


def audit_view(result: Any, name: str | None = None) -> AuditView:
    """An :class:`AuditView` of a pipeline ``AuditResult`` or an :class:`Inventory`.

    Args:
        result: ``AuditResult`` (``.nodes`` plus ``.inventory`` or
            ``.root_requires``), an :class:`AuditView`, or an ``Inventory``
            (then every node has nothing collected: ``complete=False``).
        name: label; defaults to the inventory's ``root_name``.
    """
    if isinstance(result, AuditView):
        return result
    if isinstance(result, Inventory):
        nodes = {d.name: _bare_node(d) for d in result.distributions}
        return AuditView(name or result.root_name, nodes, result.root_requires, complete=False)
    # the interpreter node (origin kind "interpreter") is the same on both
    # sides of a lockfile diff; it and the edges to it are left out
    nodes = {n: node for n, node in getattr(result, "nodes").items()
             if node.distribution.origin.kind != "interpreter"}
    inv = getattr(result, "inventory", None)
    root = tuple(getattr(inv, "root_requires", None) or getattr(result, "root_requires", None) or ())
    label = name or getattr(inv, "root_name", None) or getattr(result, "name", "") or ""
    return AuditView(label, nodes, root, complete=True, hub=hub_views(result))


def _bare_node(d) -> PackageNode:
    return PackageNode(
        distribution=d,
        mapping=RepoMapping(None, "not collected", Confidence.NONE),
        project=Unknown("not collected", fault=False),
    )


# --------------------------------------------------------------------------
# Fact extraction (tolerant of collectors that did not run)
# --------------------------------------------------------------------------


def maintainers_of(node: PackageNode) -> tuple[str, ...] | Unknown:
    m = node.maintainers
    if isinstance(m, Unknown):
        return m
    return tuple(sorted({x.username for x in m}, key=str.lower))


def organization_of(node: PackageNode) -> str | None | Unknown:
    if isinstance(node.project, Unknown):
        return node.project
    own = node.project.ownership
    if isinstance(own, Unknown):
        return own
    return own.organization


def repository_of(node: PackageNode) -> str | None:
    repo = node.mapping.repo
    if repo is None:
        return None
    return repo.url + (f"/{repo.subpath}" if repo.subpath else "")


def repository_root_of(node: PackageNode) -> str | None:
    return node.mapping.repo.url if node.mapping.repo is not None else None


def people_of(node: PackageNode) -> tuple[str, ...] | Unknown:
    """Resolved ids of the contributors, from ``node.signal(RepositoryHistory)``
    (:meth:`~auditor.models.RepositoryHistory.person_ids`: kept even without
    ``--people``); Unknown when the history was not collected."""
    history = node.signal(RepositoryHistory)
    if isinstance(history, Unknown):
        return history
    if not isinstance(history, RepositoryHistory):
        return Unknown("history signal has no contributor list", fault=False)
    return tuple(sorted(history.person_ids()))


def vulnerabilities_of(node: PackageNode) -> tuple[Vulnerability, ...] | Unknown:
    """Known vulnerabilities of the pinned version, from ``node.signal(VulnerabilityReport)``
    (OSV ids, aliases, severity or ``Unknown("severity not rated")``), sorted by id;
    Unknown when the vulnerabilities were not collected."""
    report = node.signal(VulnerabilityReport)
    if isinstance(report, Unknown):
        return report
    if not isinstance(report, VulnerabilityReport):
        return Unknown("vulnerabilities signal has no advisories", fault=False)
    out = [
        Vulnerability(a.id, a.severity or Unknown("severity not rated", fault=False), a.summary or "", tuple(a.aliases))
        for a in report.advisories
    ]
    return tuple(sorted(out, key=lambda x: x.id))


def upload_time_of(node: PackageNode) -> str | Unknown:
    project = node.project
    if isinstance(project, Unknown):
        return project
    version = node.distribution.version
    if not version:
        return Unknown("version not pinned", fault=True)
    uploads = dict(project.version_uploads)
    if version in uploads:
        return uploads[version]
    try:
        want = Version(version)
        for v, t in uploads.items():
            try:
                if Version(v) == want:
                    return t
            except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
                continue
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        pass
    return Unknown(f"no upload time for {version} in the PyPI JSON API", fault=True)


def vendor_of(node: PackageNode | None) -> str | None:
    """The vendor of a closed vendor binary (``signals["vendor"]``, docs/native.md), else ``None``."""
    from auditor.models import VendorBinary

    fact = node.signals.get("vendor") if node is not None else None
    return fact.vendor if isinstance(fact, VendorBinary) else None


def license_of(node: PackageNode) -> DeclaredLicense | Unknown:
    """The declared licence (``signals["license"]``, docs/signals.md#licence), or Unknown when not collected."""
    from auditor.models import DeclaredLicense

    fact = node.signals.get("license")
    if isinstance(fact, (DeclaredLicense, Unknown)):
        return fact
    return Unknown("licence not collected (--disable license)", fault=False, kind=UnknownKind.DISABLED)


def mapping_gap_of(node: PackageNode) -> Unknown | None:
    """Why the repository mapping lacked its inputs, when it found nothing."""
    if node.mapping.repo is not None:
        return None
    for value in (node.project, node.distribution.metadata):
        if isinstance(value, Unknown) and value.fault:
            return value
    return None


def first_upload_of(node: PackageNode) -> str | Unknown:
    project = node.project
    if isinstance(project, Unknown):
        return project
    return project.first_upload or Unknown("no release uploads in the PyPI JSON API", fault=True)


def days_since(uploaded: str | Unknown, now: dt.datetime) -> float | Unknown:
    if isinstance(uploaded, Unknown):
        return uploaded
    try:
        t = dt.datetime.fromisoformat(uploaded.replace("Z", "+00:00"))
    except ValueError:
        return Unknown(f"unparseable upload time {uploaded!r}")
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return round((now - t).total_seconds() / 86400.0, 2)


def contacts_of(node: PackageNode | None) -> set[str]:
    if node is None:
        return set()
    return {(c.name or c.email or "").strip() for c in node.contacts if (c.name or c.email)}
