"""People: PyPI accounts and ownership, metadata contacts, git-history contributors.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

from auditor.models.unknown import Unknown


@dataclass(frozen=True)
class Maintainer:
    """A PyPI account that can publish releases of a project.

    Source: the PyPI JSON API ``ownership.roles`` list (``/pypi/NAME/json``).

    Attributes:
        username: PyPI username.
        role: ``"Owner"`` or ``"Maintainer"`` (both can upload releases).
    """

    username: str
    role: str


@dataclass(frozen=True)
class Contact:
    """A person named in core metadata ``Author``/``Maintainer`` fields.

    Attributes:
        name: display name, or ``None``.
        email: address, or ``None``.
        field: the metadata field it came from (``"Author-email"``, ...).
    """

    name: str | None
    email: str | None
    field: str


@dataclass(frozen=True)
class Ownership:
    """Who controls a project on PyPI.

    Source: the PyPI JSON API ``ownership`` object.

    Attributes:
        organization: the PyPI organization that owns the project, or ``None``.
        maintainers: accounts with upload rights (``Owner`` and ``Maintainer`` roles).
    """

    organization: str | None
    maintainers: tuple[Maintainer, ...]


@dataclass(frozen=True)
class PyPIProject:
    """Facts about a project from the PyPI JSON API (``/pypi/NAME/json``).

    Attributes:
        name: the project's display name (``info.name``).
        ownership: see :class:`Ownership`; Unknown when the API omits it.
        project_urls: ``info.project_urls`` as ``(label, url)`` pairs.
        home_page: ``info.home_page``.
        download_url: ``info.download_url``.
        latest_version: ``info.version``.
        release_count: number of non-empty entries in ``releases``.
        first_upload: ISO-8601 time of the earliest file upload, or ``None``.
        version_uploads: ``{version: earliest upload time (ISO-8601)}`` for every release.
        yanked_versions: versions whose files are all yanked.
        description_links: ``http(s)`` link targets in ``info.description``
            (the latest release's long description), parsed for its content
            type (:func:`auditor.dist.description.description_links`); in an
            audit only its directory links when the project's own URLs already
            name a repository (the only links the mapping reads then:
            ``RunContext.repository_named``, docs/mapping.md).
    """

    name: str
    ownership: Ownership | Unknown
    project_urls: tuple[tuple[str, str], ...] = ()
    home_page: str | None = None
    download_url: str | None = None
    latest_version: str | None = None
    release_count: int = 0
    first_upload: str | None = None
    version_uploads: Mapping[str, str] = field(default_factory=dict)
    yanked_versions: tuple[str, ...] = ()
    description_links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """One human, merged from every identity they used (see :mod:`auditor.people.identity`).

    Source: author, committer and ``Co-authored-by`` identities in git
    history (``.mailmap`` applied), plus login<->email links from enrichers.

    Attributes:
        id: ``"person:<16 hex>"``, stable between runs while the person's
            identities are unchanged (a hash of their smallest identity key;
            formats that must not reveal e-mails re-hash it with a salt).
        names: every display name seen, sorted.
        emails: every e-mail address seen (lower-cased), sorted.
        logins: GitHub logins learnt from noreply addresses or enrichers, sorted.
    """

    id: str
    names: tuple[str, ...]
    emails: tuple[str, ...]
    logins: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        """The longest name (usually the full one), else a login, else ``"?"``."""
        if self.names:
            return max(self.names, key=lambda n: (len(n), n))
        return self.logins[0] if self.logins else "?"


@dataclass(frozen=True)
class Contribution:
    """What one person did in one repository (up to the as-of date).

    Attributes:
        person: :attr:`Person.id`.
        authored: non-merge commits they authored.
        co_authored: commits naming them in a ``Co-authored-by:`` trailer.
        landed: commits they committed for another author, plus merge
            commits they made (merging lands others' work).
        active: True when any of those falls in the activity window.
        first / last: ISO-8601 UTC committer dates of their first and last
            commit touching this repository.
    """

    person: str
    authored: int
    co_authored: int
    landed: int
    active: bool
    first: str
    last: str


@dataclass(frozen=True)
class RepositoryHistory:
    """Per-repository figures from the default branch's git history.

    Source: ``git log`` of a bare treeless clone (``auditor.net.git``), up to
    ``as_of``; people resolved across every audited repository.

    Attributes:
        url: canonical repository URL (:attr:`RepositoryRef.url`).
        as_of: ISO date the figures are computed at (``None``: the audit time).
        commits: commits reachable from ``HEAD`` (merges included) up to as-of.
        first_commit / last_commit: ISO-8601 UTC committer dates, or ``None`` when empty.
        contributors: distinct authors of non-merge commits (bots and tools
            excluded) who authored at least one from an address a forge
            account can hold: the figure comparable to a forge's contributor
            count, which counts the accounts linked to commit authors.
        unlinkable_authors: the other distinct authors: every commit they
            authored carries an address no forge account can hold
            (``user@localhost``, ``user@<svn uuid>``, ...;
            :func:`auditor.people.names.unlinkable_reason`).  Forges cannot
            count them; people reach does.
        active_contributors: of those, people with a commit in the
            ``window_days`` before as-of.
        committers: people who landed others' work (committer differs from
            the author, or author of a merge commit); forge web-flow excluded.
        bus_factor: smallest number of people who together authored at least
            half of the non-merge, non-bot commits in the window; 0 when the
            window has no such commit.
        excluded_bots: distinct bot accounts seen and left out.
        window_days: the activity window (365).
        co_authors_only: people who appear only in ``Co-authored-by`` trailers.
        committers_only: people who only committed or merged others' work
            (committer of another's commit, or author of merge commits only).
        people_all_roles: distinct people in any role
            (``contributors + unlinkable_authors + co_authors_only +
            committers_only``); people
            reach counts these.
        identity_merges: ``{rule: merges}`` made by identity resolution
            (:data:`auditor.people.identity.RULES`), over every repository of
            the audit (identities are resolved once, across repositories).
        people: the people behind the figures, sorted by id (only with ``--people``).
        contributions: one per person, most authored commits first (only with ``--people``).

    The ids of the contributors are always kept, in private fields that
    JSON output leaves out (a large tree has tens of thousands): use
    :meth:`person_ids`.
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(RepositoryHistory)``.
    KEY: ClassVar[str] = "history"

    url: str
    as_of: str | None
    commits: int
    first_commit: str | None
    last_commit: str | None
    contributors: int
    active_contributors: int
    committers: int
    bus_factor: int
    excluded_bots: int
    window_days: int = 365
    co_authors_only: int = 0
    committers_only: int = 0
    people_all_roles: int = 0
    unlinkable_authors: int = 0
    identity_merges: Mapping[str, int] = field(default_factory=dict)
    people: tuple[Person, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    _person_ids: frozenset[str] = field(default=frozenset(), repr=False)
    _active_ids: frozenset[str] = field(default=frozenset(), repr=False)
    _login_ids: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def person_ids(self, active_only: bool = False) -> frozenset[str]:
        """Ids of the contributors (or only the active ones)."""
        if self.contributions:
            return frozenset(c.person for c in self.contributions if c.active or not active_only)
        return self._active_ids if active_only else self._person_ids

    def login_ids(self) -> dict[str, str]:
        """``{GitHub login, lower-cased: person id}`` for the people of this history whose GitHub login is
        known (from a noreply address or the GitHub contributors API: :mod:`auditor.people.identity`);
        what a conda-forge recipe maintainer's login is matched against (docs/history.md#people-reach)."""
        return dict(self._login_ids)


@dataclass(frozen=True)
class NativeHistories:
    """Git histories of the upstream repositories of the native libraries a distribution bundles
    (``signals["native_history"]``; docs/native.md#people).

    Source: the ``vendored`` signal's libraries (``repository`` from ``auditor/data/native-libraries.yaml``
    or a PEP 770 SBOM), each repository read once per audit by the ``history`` collector with the
    package repositories (one identity resolution over all of them, so a person in numpy's history
    and in OpenBLAS's is one person).

    Attributes:
        repos: ``((repository URL, RepositoryHistory or Unknown), ...)`` sorted by URL.
        closed: upstream projects bundled with no public repository (closed source, e.g. CUDA), sorted.
        unrecognized: bundled library files whose upstream is not known (no table entry), sorted.
    """

    KEY: ClassVar[str] = "native_history"

    repos: tuple[tuple[str, "RepositoryHistory | Unknown"], ...] = ()
    closed: tuple[str, ...] = ()
    unrecognized: tuple[str, ...] = ()

    def faults(self) -> list[tuple[str, str, str]]:
        """``(repository URL, reason, UnknownKind value)`` per upstream history that could not be read (a
        fault): the audit lists them as missing data (exit 3) under the history's own kind."""
        return [(url, h.reason, h.kind.value) for url, h in self.repos if isinstance(h, Unknown) and h.fault]


@dataclass(frozen=True)
class ReachPart:
    """One origin of the people who can change what the root runs (a part of :class:`ReachBreakdown`).

    Attributes:
        origin: ``"git"`` (contributors in the histories of the packages' repositories), ``"hub"``
            (Hugging Face Hub commit authors and owner-organization members of the models and datasets
            loaded), ``"conda"`` (conda-forge ``recipe-maintainers``), ``"native"`` (contributors in the
            histories of bundled native libraries' upstream repositories).
        people: distinct people of this origin reached from the root.
        naive_sum: the per-source counts added up (a person in two sources counts twice).
        sources: sources of this origin whose people are known (packages, Hub repositories, recipes,
            upstream repositories).
        unknown: ``"what: reason"`` for each source of this origin whose people could not be learnt (a
            fault): the figure is then a lower bound.
        notes: sources counted as nobody by design, in words (``"2 closed-source libraries: no public
            repository"``, ``"1 conda-forge team: members not listed"``).
    """

    origin: str
    people: int
    naive_sum: int
    sources: int
    unknown: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReachBreakdown:
    """The root's people reach, in total and by origin (``RootSummary.people``; docs/history.md#people-reach).

    Attributes:
        people: distinct people over every origin (a person in several origins counts once).
        parts: one :class:`ReachPart` per origin present, in the order git, hub, conda, native.
        overlap: people counted in more than one origin (``sum(part.people) - people``).
        at_least: True when a part is unknown in part: ``people`` is a lower bound.
    """

    people: int
    parts: tuple[ReachPart, ...]
    overlap: int = 0
    at_least: bool = False

    def part(self, origin: str) -> ReachPart | None:
        """The part of *origin*, or None when nothing of that origin is reached."""
        return next((p for p in self.parts if p.origin == origin), None)


@dataclass(frozen=True)
class PeopleReach:
    """Distinct people over a node and everything it depends on.

    Attributes:
        people: distinct people in the union of the per-node sets.
        naive_sum: the sum of the per-node counts (what adding up would claim).
        overcount: ``naive_sum - people``: people counted more than once.
        nodes: how many nodes with known people contributed.
    """

    people: int
    naive_sum: int
    overcount: int
    nodes: int
