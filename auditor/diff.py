"""The diff of two audits: what a lockfile change does to a project's exposure.

:func:`diff_audits` is a pure function over two audit results (the
``BASE`` and ``HEAD`` sides): no I/O, no network, deterministic order.
It reports version changes, dependency-edge changes and, per added or
changed package, the exposure delta a reviewer cares about (new
publish-capable maintainers, new people reachable, repository mapping,
vulnerabilities, release age), plus the root's totals before and after.

Inputs are adapted by :func:`audit_view` from the pipeline's
``AuditResult`` (``result.nodes``: ``{name: PackageNode}``, and the
inventory's root edges) or built directly from an
:class:`~auditor.models.Inventory` (edges only, nothing collected).

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
from dataclasses import dataclass, field
from typing import Any, Mapping

from packaging.version import InvalidVersion, Version

from auditor.models import (
    Confidence,
    DependencyEdge,
    Inventory,
    PackageNode,
    RepoMapping,
    Severity,
    Unknown,
)

#: Label of the root in edge changes (the audited project itself).
ROOT = "<root>"

#: Repository mapping confidences that count as "weak": the mapping exists
#: but only from a hint (see :class:`~auditor.models.Confidence`).
WEAK_CONFIDENCE = (Confidence.LOW,)

#: Signal keys read from ``PackageNode.signals`` (set by the collectors of
#: the same names in :data:`auditor.pipeline.COLLECTORS`).
HISTORY_SIGNAL = "history"
VULNERABILITY_SIGNAL = "vulnerabilities"


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------


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

    @property
    def weak_mapping(self) -> bool:
        """The repository is missing or only weakly mapped."""
        return self.confidence == Confidence.NONE or self.confidence in WEAK_CONFIDENCE

    @property
    def single_maintainer(self) -> bool | Unknown:
        """Exactly one publish-capable account and no owning organization."""
        if isinstance(self.maintainers, Unknown):
            return self.maintainers
        if isinstance(self.organization, Unknown):
            return self.organization if len(self.maintainers) == 1 else False
        return len(self.maintainers) == 1 and self.organization is None


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
    """

    packages: int
    repositories: int
    maintainers: int | Unknown
    people: int | Unknown
    unknown_maintainers: int = 0


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

    def of_kind(self, kind: str) -> tuple[VersionChange, ...]:
        """Changes of one kind (``"added"``, ``"upgraded"``, ...)."""
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def empty(self) -> bool:
        """No package or edge changed."""
        return not (self.changes or self.edges_added or self.edges_removed)


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
    return AuditView(label, nodes, root, complete=True)


def _bare_node(d) -> PackageNode:
    return PackageNode(
        distribution=d,
        mapping=RepoMapping(None, "not collected", Confidence.NONE),
        project=Unknown("not collected", fault=False),
    )


# --------------------------------------------------------------------------
# Fact extraction (tolerant of collectors that did not run)
# --------------------------------------------------------------------------


def _maintainers(node: PackageNode) -> tuple[str, ...] | Unknown:
    m = node.maintainers
    if isinstance(m, Unknown):
        return m
    return tuple(sorted({x.username for x in m}, key=str.lower))


def _organization(node: PackageNode) -> str | None | Unknown:
    if isinstance(node.project, Unknown):
        return node.project
    own = node.project.ownership
    if isinstance(own, Unknown):
        return own
    return own.organization


def _repo(node: PackageNode) -> str | None:
    repo = node.mapping.repo
    if repo is None:
        return None
    return repo.url + (f"/{repo.subpath}" if repo.subpath else "")


def _repo_root(node: PackageNode) -> str | None:
    return node.mapping.repo.url if node.mapping.repo is not None else None


def _person_key(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    for attr in ("identity", "id", "key", "login", "email", "name"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value
    return None


def people_of(node: PackageNode) -> tuple[str, ...] | Unknown:
    """Identities of contributors from the ``history`` signal.

    Accepts the history collector's model (``RepositoryHistory.people``:
    :class:`~auditor.models.Person` items, keyed by their resolved ``id``),
    or any object exposing ``people``/``contributors``/``authors`` as a
    sequence of items with ``identity``/``id``/``login``/``email``/``name``
    or of strings; Unknown when the signal is absent.
    """
    sig = node.signals.get(HISTORY_SIGNAL) if node.signals else None
    if sig is None:
        return Unknown("history not collected", fault=False)
    if isinstance(sig, Unknown):
        return sig
    person_ids = getattr(sig, "person_ids", None)
    if callable(person_ids):  # RepositoryHistory: ids are kept even without --people
        return tuple(sorted(person_ids()))
    for attr in ("people", "contributors", "authors"):
        items = getattr(sig, attr, None)
        if isinstance(items, Unknown):
            return items
        if items is not None and not isinstance(items, (int, float, str)):
            return tuple(sorted({k for k in (_person_key(i) for i in items) if k}))
    if isinstance(sig, (list, tuple, set, frozenset)):
        return tuple(sorted({k for k in (_person_key(i) for i in sig) if k}))
    return Unknown("history signal has no contributor list", fault=False)


def _severity(value: Any) -> Severity | Unknown:
    if isinstance(value, Severity):
        return value
    if isinstance(value, str):
        try:
            return Severity(value.lower())
        except ValueError:
            if value.lower() in ("moderate",):
                return Severity.MEDIUM
    return Unknown("severity not rated", fault=False)


def vulnerabilities_of(node: PackageNode) -> tuple[Vulnerability, ...] | Unknown:
    """Known vulnerabilities from the ``vulnerabilities`` signal (OSV ids).

    Accepts the vulnerabilities collector's ``VulnerabilityReport``
    (``advisories``: items with ``id``, ``aliases``, ``severity`` (a
    :class:`~auditor.models.Severity` or None), ``summary``), or a sequence of
    such records or dicts; Unknown when the signal is absent.
    """
    sig = node.signals.get(VULNERABILITY_SIGNAL) if node.signals else None
    if sig is None:
        return Unknown("vulnerabilities not collected", fault=False)
    if isinstance(sig, Unknown):
        return sig
    items = sig
    for attr in ("vulnerabilities", "advisories"):
        if hasattr(sig, attr):
            items = getattr(sig, attr)
            break
    if isinstance(items, Unknown):
        return items
    out = []
    for v in items or ():
        vid = v.get("id") if isinstance(v, Mapping) else getattr(v, "id", None)
        if not vid:
            continue
        sev = v.get("severity") if isinstance(v, Mapping) else getattr(v, "severity", None)
        summary = v.get("summary", "") if isinstance(v, Mapping) else getattr(v, "summary", "")
        aliases = v.get("aliases", ()) if isinstance(v, Mapping) else getattr(v, "aliases", ())
        out.append(Vulnerability(str(vid), _severity(sev), str(summary or ""), tuple(str(a) for a in aliases or ())))
    return tuple(sorted(out, key=lambda x: x.id))


def _uploaded(node: PackageNode) -> str | Unknown:
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
            except InvalidVersion:
                continue
    except InvalidVersion:
        pass
    return Unknown(f"no upload time for {version} in the PyPI JSON API", fault=True)


def _mapping_gap(node: PackageNode) -> Unknown | None:
    """Why the repository mapping lacked its inputs, when it found nothing."""
    if node.mapping.repo is not None:
        return None
    for value in (node.project, node.distribution.metadata):
        if isinstance(value, Unknown) and value.fault:
            return value
    return None


def _first_upload(node: PackageNode) -> str | Unknown:
    project = node.project
    if isinstance(project, Unknown):
        return project
    return project.first_upload or Unknown("no release uploads in the PyPI JSON API", fault=True)


def _age_days(uploaded: str | Unknown, now: dt.datetime) -> float | Unknown:
    if isinstance(uploaded, Unknown):
        return uploaded
    try:
        t = dt.datetime.fromisoformat(uploaded.replace("Z", "+00:00"))
    except ValueError:
        return Unknown(f"unparseable upload time {uploaded!r}")
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return round((now - t).total_seconds() / 86400.0, 2)


def _contacts(node: PackageNode | None) -> set[str]:
    if node is None:
        return set()
    return {(c.name or c.email or "").strip() for c in node.contacts if (c.name or c.email)}


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
    except InvalidVersion:
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


def totals(view: AuditView) -> Totals:
    """Root totals of one side (see :class:`Totals`)."""
    repos = {r for r in (_repo_root(n) for n in view.nodes.values()) if r}
    maint: set[str] = set()
    unknown_m = 0
    people: set[str] = set()
    people_known = bool(view.nodes)
    for node in view.nodes.values():
        m = _maintainers(node)
        if isinstance(m, Unknown):
            unknown_m += 1
        else:
            maint |= {f"pypi:{u.lower()}" for u in m}
        p = people_of(node)
        if isinstance(p, Unknown):
            people_known = False
        else:
            people |= set(p)
    maintainers: int | Unknown = len(maint)
    if view.nodes and unknown_m == len(view.nodes):
        maintainers = Unknown("no package's maintainers are known", fault=view.complete)
    ppl: int | Unknown = len(people | maint) if people_known else Unknown("history not collected", fault=False)
    return Totals(len(view.nodes), len(repos), maintainers, ppl, unknown_m)


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
    now = now or dt.datetime.now(dt.timezone.utc)
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

    base_maint: set[str] = set()
    for node in b.nodes.values():
        m = _maintainers(node)
        if not isinstance(m, Unknown):
            base_maint |= {u.lower() for u in m}
    head_maint: set[str] = set()
    for node in h.nodes.values():
        m = _maintainers(node)
        if not isinstance(m, Unknown):
            head_maint |= {u.lower() for u in m}
    base_repos = {r for r in (_repo_root(n) for n in b.nodes.values()) if r}
    head_repos = {r for r in (_repo_root(n) for n in h.nodes.values()) if r}

    base_people: set[str] | None = set()
    for node in b.nodes.values():
        p = people_of(node)
        if isinstance(p, Unknown):
            base_people = None
            break
        base_people |= set(p)

    deltas: list[PackageDelta] = []
    unknowns: list[tuple[str, str, str]] = []
    for change in changes:
        if change.kind == "removed":
            continue
        hn = h.nodes[change.name]
        bn = b.nodes.get(change.name)
        maint = _maintainers(hn)
        before = _maintainers(bn) if bn is not None else ()
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
        uploaded = _uploaded(hn)
        repo = _repo(hn)
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
            organization=_organization(hn),
            contacts_added=tuple(sorted(_contacts(hn) - _contacts(bn))),
            repository=repo,
            repository_before=_repo(bn) if bn is not None else None,
            confidence=hn.mapping.confidence,
            new_repository=bool(_repo_root(hn)) and _repo_root(hn) not in base_repos,
            people_added=people_added,
            vulnerabilities_added=vulns,
            uploaded=uploaded,
            age_days=_age_days(uploaded, now),
            project_age_days=_age_days(_first_upload(hn), now),
            mapping_gap=_mapping_gap(hn),
        )
        deltas.append(delta)
        for what, value in (("maintainers", maint), ("upload time", uploaded), ("vulnerabilities", vulns),
                            ("people", people)):
            if isinstance(value, Unknown) and value.fault:
                unknowns.append((change.name, what, value.reason))

    new_people: tuple[str, ...] | Unknown
    head_people: set[str] = set()
    people_ok = base_people is not None
    for node in h.nodes.values():
        p = people_of(node)
        if isinstance(p, Unknown):
            people_ok = False
            break
        head_people |= set(p)
    if people_ok and base_people is not None:
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
    )
