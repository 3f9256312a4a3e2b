"""The diff of two audits: what a lockfile change does to a project's exposure.

:func:`diff_audits` is a pure function over two audit results (the
``BASE`` and ``HEAD`` sides): no I/O, no network, deterministic order.
It reports version changes, dependency-edge changes and, per added or
changed package, the exposure delta a reviewer cares about (new
publish-capable maintainers, new people reachable, repository mapping,
vulnerabilities, release age), plus the root's totals before and after.

Inputs are adapted by :func:`~auditor.gate.views.audit_view` (see
:mod:`auditor.gate.views` for each fact and its source).
"""

from __future__ import annotations

import re

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from packaging.version import Version

from auditor import clock
from auditor.gate.views import (
    AuditView,
    Vulnerability,
    audit_view,
    contacts_of,
    days_since,
    first_upload_of,
    license_of,
    maintainers_of,
    mapping_gap_of,
    organization_of,
    people_of,
    repository_of,
    repository_root_of,
    upload_time_of,
    vendor_of,
    vulnerabilities_of,
)
from auditor.judgement.evaluation import is_weak_mapping, single_maintainer
from auditor.models import Confidence, DeclaredLicense, Unknown, UnknownKind

#: Label of the root in edge changes (the audited project itself).
ROOT = "<root>"


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionChange:
    """One package's version change.

    Attributes:
        name: PEP 503 normalized name.
        kind: ``"added"``, ``"removed"``, ``"upgraded"``, ``"downgraded"`` or
            ``"changed"`` (same version string order unknown, or the origin changed).
        before / after: versions (``None`` on the side where absent or unpinned).
    """

    name: str
    kind: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class EdgeChange:
    """A dependency edge present on one side only.

    Attributes:
        source: requiring package (``"<root>"`` for the project).
        target: required package.
        requirement: the PEP 508 requirement text.
        marker: the edge's marker, if any.
    """

    source: str
    target: str
    requirement: str
    marker: str | None = None


@dataclass(frozen=True)
class PackageDelta:
    """The exposure delta of one added or changed package.

    Attributes:
        name: PEP 503 normalized name.
        change: the :class:`VersionChange`.
        direct: the head side names it directly.
        file / line: where the head lockfile declares it (for SARIF), if known.
        maintainers: publish-capable PyPI accounts on the head side (Unknown when PyPI data is missing).
        maintainers_added / maintainers_removed: accounts gained/lost versus the
            base side (for an added package: all of them are new).
        new_to_project: maintainers not seen anywhere in the base audit.
        organization: owning PyPI organization, ``None`` when none, Unknown when unknown.
        contacts_added: core-metadata author/maintainer names or addresses new in this version.
        repository: head repository URL, ``None`` when unmapped.
        repository_before: base repository URL (``None`` for an added package or unmapped).
        confidence: head mapping confidence.
        new_repository: the repository is not used by any package of the base audit.
        people_added: contributors reachable through this package and not
            reachable in the base audit (Unknown when history was not collected).
        vulnerabilities_added: known vulnerabilities of the head version
            that the base version did not have (Unknown when not collected).
        uploaded: ISO-8601 upload time of the head version, or Unknown.
        age_days: days between *uploaded* and the diff's reference time, or Unknown.
        project_age_days: days since the project's first upload to PyPI (a
            brand-new project is a typosquatting signal), or Unknown.
        mapping_gap: when no repository is mapped *because* the data the
            mapping reads (PyPI JSON, core metadata) could not be collected,
            the Unknown saying why; ``None`` when the mapping had its data.
        vendor / vendor_before: the vendor when the head / base version is a
            closed vendor binary (``signals["vendor"]``), else ``None``.
        new_vendor: *vendor* is set and no package of the base audit is a
            binary of that vendor.
        license / license_before: the declared licence of the head / base
            version (``signals["license"]``), Unknown when not collected,
            ``None`` on the base side of an added package.
    """

    name: str
    change: VersionChange
    direct: bool = False
    file: str | None = None
    line: int | None = None
    maintainers: tuple[str, ...] | Unknown = ()
    maintainers_added: tuple[str, ...] | Unknown = ()
    maintainers_removed: tuple[str, ...] | Unknown = ()
    new_to_project: tuple[str, ...] | Unknown = ()
    organization: str | None | Unknown = None
    contacts_added: tuple[str, ...] = ()
    repository: str | None = None
    repository_before: str | None = None
    confidence: Confidence = Confidence.NONE
    new_repository: bool = False
    people_added: tuple[str, ...] | Unknown = ()
    vulnerabilities_added: tuple[Vulnerability, ...] | Unknown = ()
    uploaded: str | Unknown = field(default_factory=lambda: Unknown("not collected", fault=False))
    age_days: float | Unknown = field(default_factory=lambda: Unknown("not collected", fault=False))
    project_age_days: float | Unknown = field(default_factory=lambda: Unknown("not collected", fault=False))
    mapping_gap: Unknown | None = None
    vendor: str | None = None
    vendor_before: str | None = None
    new_vendor: bool = False
    license: DeclaredLicense | Unknown = field(default_factory=lambda: Unknown("not collected", fault=False))
    license_before: DeclaredLicense | Unknown | None = None

    @property
    def weak_mapping(self) -> bool:
        """The repository is missing or only weakly mapped."""
        return is_weak_mapping(self.confidence)

    @property
    def single_maintainer(self) -> bool | Unknown:
        """Exactly one publish-capable account and no owning organization
        (:func:`auditor.judgement.evaluation.single_maintainer`)."""
        return single_maintainer(self.maintainers, self.organization)


@dataclass(frozen=True)
class Totals:
    """What the root reaches on one side.

    Attributes:
        packages: distributions in the audit.
        repositories: distinct mapped repositories.
        maintainers: distinct publish-capable PyPI accounts; a lower bound,
            Unknown when no package's maintainers are known.
        people: distinct people (maintainers plus contributors from history,
            after identity resolution), or Unknown when history was not collected.
        unknown_maintainers: packages whose maintainers are unknown.
        organizations: distinct PyPI organizations owning a package.
        maintainers_not_public: packages of *unknown_maintainers* owned by an
            organization whose members the JSON API does not list.

    ``maintainers`` is never a bare 0 while some package's accounts are unknown:
    it is then Unknown, and :func:`auditor.report.totals.publishers_text` words all four counts.
    """

    packages: int
    repositories: int
    maintainers: int | Unknown
    people: int | Unknown
    unknown_maintainers: int = 0
    organizations: int = 0
    maintainers_not_public: int = 0


@dataclass(frozen=True)
class HubChange:
    """A Hub repository the head loads that the base did not, or loads differently (docs/models.md).

    Attributes:
        node: ``"model:org/name"``.
        what: ``"added"``, or what changed: ``"revision"``, ``"trust_remote_code"``, ``"sha"``.
        before / after: the revisions (``"default branch"`` for ``""``) or the value before and after.
        new_people: ``hf:<username>`` who can change it and could change nothing the base loaded.
        pinned: every head-side reference pins a 40-hex commit sha.
        runs_code: why loading it runs the repository's code (head side; empty: it does not; None: no facts).
    """

    node: str
    what: str
    before: str
    after: str
    new_people: tuple[str, ...] = ()
    pinned: bool = False
    runs_code: tuple[str, ...] | None = None


#: A Hub commit sha (the only revision that cannot move).
_SHA = re.compile(r"[0-9a-f]{40}")


def _hub_changes(b: AuditView, h: AuditView) -> tuple[tuple[HubChange, ...], tuple[HubChange, ...], tuple[str, ...]]:
    """(added, changed, new Hub people) between the two sides' Hub repositories."""
    def revs(v) -> str:
        return ", ".join(r or "default branch" for r in v.revisions)

    base_people = {p for v in b.hub.values() for p in v.people}
    added, changed = [], []
    for nid, hv in sorted(h.hub.items()):
        new = tuple(sorted(hv.people - base_people))
        head = {"new_people": new, "pinned": all(_SHA.fullmatch(r) for r in hv.revisions), "runs_code": hv.runs_code}
        bv = b.hub.get(nid)
        if bv is None:
            added.append(HubChange(nid, "added", "", revs(hv), **head))
            continue
        if bv.revisions != hv.revisions:
            changed.append(HubChange(nid, "revision", revs(bv), revs(hv), **head))
        if bv.trust_remote_code != hv.trust_remote_code:
            changed.append(HubChange(nid, "trust_remote_code", str(bv.trust_remote_code), str(hv.trust_remote_code), **head))
        if bv.sha and hv.sha and bv.sha != hv.sha and bv.revisions == hv.revisions:
            changed.append(HubChange(nid, "sha", bv.sha, hv.sha, **head))
    head_people = {p for v in h.hub.values() for p in v.people}
    return tuple(added), tuple(changed), tuple(sorted(head_people - base_people))


@dataclass(frozen=True)
class AuditDiff:
    """The result of :func:`diff_audits` (everything sorted by package name).

    Attributes:
        base / head: labels of the two sides.
        changes: every version change (added, removed, upgraded, downgraded, changed).
        edges_added / edges_removed: dependency-edge changes.
        deltas: exposure delta of each added or changed package on the head side.
        new_maintainers: publish-capable accounts reachable in head but not base.
        new_people: people reachable in head but not base, or Unknown.
        new_repositories: repository URLs used in head but not base.
        totals_before / totals_after: root totals.
        unknowns: ``(package, what, reason)`` for facts that could not be
            collected about changed packages (data gaps a policy must weigh).
        reference_time: the ISO-8601 time ages were computed against.
        head_packages: every head-side package as ``(name, version, file, line)``
            (for rules that apply to the whole tree, e.g. a denylist).
        hub_added / hub_changed: Hub repositories the head loads that the base did not, or
            loads at another revision, with ``trust_remote_code`` switched, or at another sha
            (:class:`HubChange`; docs/models.md).
        hub_new_people: Hub accounts (``hf:<username>``) who can change what the head loads
            and nothing the base loaded.
    """

    base: str
    head: str
    changes: tuple[VersionChange, ...]
    edges_added: tuple[EdgeChange, ...]
    edges_removed: tuple[EdgeChange, ...]
    deltas: tuple[PackageDelta, ...]
    new_maintainers: tuple[str, ...]
    new_people: tuple[str, ...] | Unknown
    new_repositories: tuple[str, ...]
    totals_before: Totals
    totals_after: Totals
    unknowns: tuple[tuple[str, str, str], ...] = ()
    reference_time: str = ""
    head_packages: tuple[tuple[str, str | None, str | None, int | None], ...] = ()
    hub_added: tuple["HubChange", ...] = ()
    hub_changed: tuple["HubChange", ...] = ()
    hub_new_people: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[VersionChange, ...]:
        """Changes of one kind (``"added"``, ``"upgraded"``, ...)."""
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def empty(self) -> bool:
        """No package or edge changed."""
        return not (self.changes or self.edges_added or self.edges_removed)


# --------------------------------------------------------------------------
# The diff
# --------------------------------------------------------------------------


#: The index a registry distribution comes from when the input does not say.
DEFAULT_INDEX = "https://pypi.org/simple"


def source_key(origin) -> tuple[str, str | None, str | None]:
    """Where a distribution comes from: ``(kind, url, index)`` with the index
    normalized (no trailing slash; unspecified means PyPI)."""
    index = None
    if origin.kind == "registry":
        index = (origin.index_url or DEFAULT_INDEX).rstrip("/")
    return origin.kind, origin.url, index


def _compare(before: str | None, after: str | None) -> str:
    if before == after:
        return "same"
    try:
        b, a = Version(before or ""), Version(after or "")
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        return "changed"
    if a > b:
        return "upgraded"
    if a < b:
        return "downgraded"
    return "same"  # equal under PEP 440 normalization (1.0 vs 1.0.0)


def _edges(view: AuditView) -> set[tuple[str, str, str, str | None]]:
    out = {(ROOT, e.target, e.requirement, e.marker) for e in view.root_requires if e.target in view.nodes}
    for name, node in view.nodes.items():
        for e in node.distribution.requires:
            if e.target in view.nodes:
                out.add((name, e.target, e.requirement, e.marker))
    return out


def _edge_pairs(edges: set[tuple[str, str, str, str | None]]) -> dict[tuple[str, str], tuple[str, str, str, str | None]]:
    """One edge per (source, target): a changed specifier is not a new edge."""
    out: dict[tuple[str, str], tuple[str, str, str, str | None]] = {}
    for e in sorted(edges, key=lambda x: (x[0], x[1], x[2], x[3] or "")):
        out.setdefault((e[0], e[1]), e)
    return out


def _maintainer_names(view: AuditView) -> set[str]:
    """Lower-cased publish-capable accounts of one side (nodes with unknown maintainers left out)."""
    out: set[str] = set()
    for node in view.nodes.values():
        m = maintainers_of(node)
        if not isinstance(m, Unknown):
            out |= {u.lower() for u in m}
    return out


def _people(view: AuditView) -> set[str] | None:
    """Everyone reachable on one side, or None when any node's history is unknown."""
    out: set[str] = set()
    for node in view.nodes.values():
        p = people_of(node)
        if isinstance(p, Unknown):
            return None
        out |= set(p)
    return out


def totals(view: AuditView) -> Totals:
    """Root totals of one side (see :class:`Totals`)."""
    repos = {r for r in (repository_root_of(n) for n in view.nodes.values()) if r}
    maint: set[str] = set()
    orgs: set[str] = set()
    unknown_m = not_public = 0
    people: set[str] = set()
    people_known = bool(view.nodes)
    for node in view.nodes.values():
        m = maintainers_of(node)
        if isinstance(m, Unknown):
            unknown_m += 1
            not_public += m.kind is UnknownKind.NOT_PUBLIC
        else:
            maint |= {f"pypi:{u.lower()}" for u in m}
        org = organization_of(node)
        if isinstance(org, str) and org:
            orgs.add(org.lower())
        p = people_of(node)
        if isinstance(p, Unknown):
            people_known = False
        else:
            people |= set(p)
    maintainers: int | Unknown = len(maint)
    if view.nodes and unknown_m == len(view.nodes):
        maintainers = Unknown("no package's maintainers are known", fault=view.complete and not_public < unknown_m,
                              kind=UnknownKind.NOT_PUBLIC if not_public == unknown_m else UnknownKind.ERROR)
    elif unknown_m and not maint:  # never a bare 0 beside packages whose accounts are not known
        maintainers = Unknown(f"accounts not known for {unknown_m} packages", fault=False)
    ppl: int | Unknown = len(people | maint) if people_known else Unknown("history not collected", fault=False)
    return Totals(len(view.nodes), len(repos), maintainers, ppl, unknown_m, len(orgs), not_public)


def diff_audits(base: Any, head: Any, now: dt.datetime | None = None) -> AuditDiff:
    """Compare two audits.

    Args:
        base: the audit before the change (anything :func:`audit_view` accepts).
        head: the audit after the change.
        now: reference time for release ages (default: the current UTC time;
            tests pass a fixed one).

    Returns:
        An :class:`AuditDiff`; pure and deterministic for fixed inputs.
    """
    b, h = audit_view(base), audit_view(head)
    now = now or clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)

    changes: list[VersionChange] = []
    for name in sorted(set(b.nodes) | set(h.nodes)):
        bn, hn = b.nodes.get(name), h.nodes.get(name)
        if bn is None:
            changes.append(VersionChange(name, "added", None, hn.distribution.version))
        elif hn is None:
            changes.append(VersionChange(name, "removed", bn.distribution.version, None))
        else:
            kind = _compare(bn.distribution.version, hn.distribution.version)
            if kind == "same" and source_key(bn.distribution.origin) != source_key(hn.distribution.origin):
                kind = "changed"  # same version from another index, URL or VCS: a dependency-confusion signal
            if kind != "same":
                changes.append(VersionChange(name, kind, bn.distribution.version, hn.distribution.version))

    be, he = _edge_pairs(_edges(b)), _edge_pairs(_edges(h))
    edges_added = tuple(EdgeChange(*he[k]) for k in sorted(set(he) - set(be)))
    edges_removed = tuple(EdgeChange(*be[k]) for k in sorted(set(be) - set(he)))

    base_maint, head_maint = _maintainer_names(b), _maintainer_names(h)
    base_repos = {r for r in (repository_root_of(n) for n in b.nodes.values()) if r}
    head_repos = {r for r in (repository_root_of(n) for n in h.nodes.values()) if r}
    base_vendors = {v for v in (vendor_of(n) for n in b.nodes.values()) if v}

    base_people = _people(b)

    deltas: list[PackageDelta] = []
    unknowns: list[tuple[str, str, str]] = []
    for change in changes:
        if change.kind == "removed":
            continue
        hn = h.nodes[change.name]
        bn = b.nodes.get(change.name)
        maint = maintainers_of(hn)
        before = maintainers_of(bn) if bn is not None else ()
        if isinstance(maint, Unknown):
            added: tuple[str, ...] | Unknown = maint
            removed: tuple[str, ...] | Unknown = maint
            new_to_project: tuple[str, ...] | Unknown = maint
        elif isinstance(before, Unknown):
            added = removed = before
            new_to_project = tuple(u for u in maint if u.lower() not in base_maint)
        else:
            added = tuple(u for u in maint if u not in before)
            removed = tuple(u for u in before if u not in maint)
            new_to_project = tuple(u for u in maint if u.lower() not in base_maint)
        people = people_of(hn)
        if isinstance(people, Unknown) or base_people is None:
            people_added: tuple[str, ...] | Unknown = (
                people if isinstance(people, Unknown) else Unknown("history not collected for the base", fault=False)
            )
        else:
            people_added = tuple(p for p in people if p not in base_people)
        vulns = vulnerabilities_of(hn)
        if not isinstance(vulns, Unknown) and bn is not None:
            old = vulnerabilities_of(bn)
            if not isinstance(old, Unknown):
                old_ids = {i for v in old for i in (v.id, *v.aliases)}
                vulns = tuple(v for v in vulns if not ({v.id, *v.aliases} & old_ids))
        uploaded = upload_time_of(hn)
        repo = repository_of(hn)
        delta = PackageDelta(
            name=change.name,
            change=change,
            direct=hn.distribution.direct,
            file=hn.distribution.origin.file,
            line=hn.distribution.origin.line,
            maintainers=maint,
            maintainers_added=added,
            maintainers_removed=removed,
            new_to_project=new_to_project,
            organization=organization_of(hn),
            contacts_added=tuple(sorted(contacts_of(hn) - contacts_of(bn))),
            repository=repo,
            repository_before=repository_of(bn) if bn is not None else None,
            confidence=hn.mapping.confidence,
            new_repository=bool(repository_root_of(hn)) and repository_root_of(hn) not in base_repos,
            people_added=people_added,
            vulnerabilities_added=vulns,
            uploaded=uploaded,
            age_days=days_since(uploaded, now),
            project_age_days=days_since(first_upload_of(hn), now),
            mapping_gap=mapping_gap_of(hn),
            vendor=vendor_of(hn),
            vendor_before=vendor_of(bn),
            new_vendor=bool(vendor_of(hn)) and vendor_of(hn) not in base_vendors,
            license=license_of(hn),
            license_before=license_of(bn) if bn is not None else None,
        )
        deltas.append(delta)
        for what, value in (("maintainers", maint), ("upload time", uploaded), ("vulnerabilities", vulns),
                            ("people", people)):
            if isinstance(value, Unknown) and value.fault:
                unknowns.append((change.name, what, value.reason))

    new_people: tuple[str, ...] | Unknown
    head_people = _people(h)
    if head_people is not None and base_people is not None:
        new_people = tuple(sorted(head_people - base_people))
    else:
        new_people = Unknown("history not collected", fault=False)

    return AuditDiff(
        base=b.name,
        head=h.name,
        changes=tuple(changes),
        edges_added=edges_added,
        edges_removed=edges_removed,
        deltas=tuple(deltas),
        new_maintainers=tuple(sorted(head_maint - base_maint)),
        new_people=new_people,
        new_repositories=tuple(sorted(head_repos - base_repos)),
        totals_before=totals(b),
        totals_after=totals(h),
        unknowns=tuple(unknowns),
        reference_time=now.isoformat(timespec="seconds"),
        head_packages=tuple(
            (n, node.distribution.version, node.distribution.origin.file, node.distribution.origin.line)
            for n, node in sorted(h.nodes.items())
        ),
        **dict(zip(("hub_added", "hub_changed", "hub_new_people"), _hub_changes(b, h))),
    )
