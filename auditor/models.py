"""Frozen dataclasses shared by every stage of the pipeline.

Stages exchange only these types; library objects (HTTP responses,
``importlib.metadata`` distributions, subprocess results) stay inside the
stage that produced them.  Nothing in this module does I/O.

A fact that could not be collected is an :class:`Unknown` carrying the
reason, never ``None`` or ``0``: reports render it as ``unknown (<reason>)``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping, TypeVar, Union

from packaging.utils import canonicalize_name

T = TypeVar("T")


@dataclass(frozen=True)
class Unknown:
    """A value that could not be determined.

    Attributes:
        reason: short human-readable cause, e.g. ``"not found on PyPI"``,
            ``"offline"``, ``"rate limited"``, ``"HTTP 503 after 3 retries"``.
        fault: ``True`` when the value is missing because something failed
            (network, bad data) and the audit is therefore incomplete;
            ``False`` when it is missing by design or by the user's choice
            (a disabled collector, a package with no public source).
    """

    reason: str
    fault: bool = True

    def __str__(self) -> str:
        return f"unknown ({self.reason})"


#: ``Known[int]`` reads as "an int, or Unknown with the reason".
Known = Union[T, Unknown]


def is_unknown(value: object) -> bool:
    """Return True when *value* is an :class:`Unknown`."""
    return isinstance(value, Unknown)


def normalize_name(name: str) -> str:
    """PEP 503 normalized form of a distribution name (``Foo_Bar`` -> ``foo-bar``)."""
    return str(canonicalize_name(name))


class Confidence(str, enum.Enum):
    """How sure a repository mapping is, strongest first.

    ``verified``: a cryptographic statement (PEP 740 attestation from a
    Trusted Publisher) names the repository.  ``high``: the package's own
    metadata labels the URL as its source.  ``medium``: a URL in the
    metadata or the built-in table that points at a forge but is not
    labelled as source (e.g. ``Home-page``).  ``low``: inferred from a
    weaker hint (documentation or issue-tracker URL on a forge).
    ``none``: no repository known.
    """

    VERIFIED = "verified"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"

    @property
    def rank(self) -> int:
        """0 for ``verified`` up to 4 for ``none``; lower is stronger."""
        return list(Confidence).index(self)


class Severity(str, enum.Enum):
    """Severity of a finding, in SARIF-compatible order (highest first)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for ``critical`` up to 4 for ``info``."""
        return list(Severity).index(self)


# --------------------------------------------------------------------------
# Inputs: what every source hands the pipeline
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetEnvironment:
    """The environment for which markers are evaluated (PEP 508 marker variables).

    Attributes:
        python_version: ``"3.11"`` style ``python_version`` marker value.
        python_full_version: ``"3.11.7"``; defaults to ``python_version + ".0"``.
        sys_platform: ``"linux"``, ``"darwin"`` or ``"win32"``.
        platform_machine: ``"x86_64"``, ``"arm64"``, ``"AMD64"``, ...
        implementation_name: ``"cpython"`` unless stated otherwise.
    """

    python_version: str = "3.11"
    sys_platform: str = "linux"
    platform_machine: str = "x86_64"
    python_full_version: str | None = None
    implementation_name: str = "cpython"

    def marker_environment(self) -> dict[str, str]:
        """The dict :meth:`packaging.markers.Marker.evaluate` expects."""
        os_name = "nt" if self.sys_platform == "win32" else "posix"
        platform_system = {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}.get(
            self.sys_platform, self.sys_platform
        )
        full = self.python_full_version or f"{self.python_version}.0"
        return {
            "implementation_name": self.implementation_name,
            "implementation_version": full,
            "os_name": os_name,
            "platform_machine": self.platform_machine,
            "platform_release": "",
            "platform_system": platform_system,
            "platform_version": "",
            "python_full_version": full,
            "platform_python_implementation": "CPython"
            if self.implementation_name == "cpython"
            else self.implementation_name,
            "python_version": self.python_version,
            "sys_platform": self.sys_platform,
        }


@dataclass(frozen=True)
class CoreMetadata:
    """The core-metadata fields auditor reads (PKG-INFO / METADATA / PEP 658 ``.metadata``).

    Field names follow the Core Metadata specification.  Every value is
    untrusted text from the package author.

    Attributes:
        name: ``Name`` as written by the author (not normalized).
        version: ``Version``.
        summary: ``Summary``.
        home_page: ``Home-page``.
        download_url: ``Download-URL``.
        project_urls: ``Project-URL`` entries as ``(label, url)`` pairs, in order.
        author / author_email / maintainer / maintainer_email: the raw fields.
        license: ``License-Expression`` if present, else ``License`` (first line).
        requires_dist: ``Requires-Dist`` PEP 508 strings.
        requires_python: ``Requires-Python``.
        provides_extra: ``Provides-Extra`` names.
    """

    name: str
    version: str
    summary: str | None = None
    home_page: str | None = None
    download_url: str | None = None
    project_urls: tuple[tuple[str, str], ...] = ()
    author: str | None = None
    author_email: str | None = None
    maintainer: str | None = None
    maintainer_email: str | None = None
    license: str | None = None
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    provides_extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class DependencyEdge:
    """A requirement of one distribution (or of the root) on another.

    Attributes:
        target: PEP 503 normalized name of the required distribution.
        requirement: the PEP 508 requirement string as declared
            (a ``Requires-Dist`` value or an input line).
        marker: the environment-marker text, or ``None``.
        extras: extras requested of the target (``requests[socks]`` -> ``("socks",)``).
        via_extra: the requiring distribution's extra that activated this
            edge (``Requires-Dist: x; extra == "y"`` -> ``"y"``), else ``None``.
        kind: ``"runtime"``, or ``"build"`` for build requirements.
    """

    target: str
    requirement: str
    marker: str | None = None
    extras: tuple[str, ...] = ()
    via_extra: str | None = None
    kind: str = "runtime"


@dataclass(frozen=True)
class Origin:
    """Where a distribution comes from and which input line named it.

    Attributes:
        kind: ``"registry"`` (an index such as PyPI), ``"url"`` (direct
            archive URL), ``"vcs"`` (``git+https://...``), ``"path"`` (local
            directory or file), ``"installed"`` (read from an environment), or
            ``"interpreter"`` (the Python interpreter itself).
        url: the direct URL for ``url``/``vcs``/``path`` kinds, else ``None``.
        file: the input file that named it directly, if any.
        line: 1-based line in *file*, if known.
        index_url: the index it resolves from, for ``registry`` kind.
    """

    kind: str = "registry"
    url: str | None = None
    file: str | None = None
    line: int | None = None
    index_url: str | None = None


@dataclass(frozen=True)
class Distribution:
    """One distribution (name + version) in the audited set.

    Attributes:
        name: PEP 503 normalized name.
        version: the pinned version; ``None`` only for URL/VCS/path
            requirements whose version could not be learned.
        metadata: the distribution's core metadata, or Unknown with why.
        requires: dependency edges to other distributions in the same set,
            markers and extras already evaluated for the target environment.
        origin: where it comes from.
        direct: True when the audited input names it directly.
        hashes: ``sha256:...`` hashes the input pins, if any.
    """

    name: str
    version: str | None
    metadata: CoreMetadata | Unknown
    requires: tuple[DependencyEdge, ...] = ()
    origin: Origin = field(default_factory=Origin)
    direct: bool = False
    hashes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Graph node id: ``"name==version"`` (``"name"`` when unversioned)."""
        return f"{self.name}=={self.version}" if self.version else self.name


@dataclass(frozen=True)
class Inventory:
    """A complete, pinned dependency set: what every source returns.

    Attributes:
        root_name: label of the audited input (a path, or ``env:<python>``).
        root_kind: ``"requirements"``, ``"environment"``, ``"lockfile"`` or ``"pyproject"``.
        root_requires: edges from the root to the directly required distributions.
        distributions: every distribution in the set, unique by name.
        target: environment the markers were evaluated for.
        interpreter_version: full version of the Python interpreter the set
            runs on (``"3.11.7"``), used for the interpreter node.
        resolver: what produced the pins (``"uv pip compile"``, ``"pip --dry-run"``,
            ``"installed"``, ``"lockfile"``).
    """

    root_name: str
    root_kind: str
    root_requires: tuple[DependencyEdge, ...]
    distributions: tuple[Distribution, ...]
    target: TargetEnvironment
    interpreter_version: str
    resolver: str = ""

    def by_name(self) -> dict[str, Distribution]:
        """Distributions keyed by normalized name."""
        return {d.name: d for d in self.distributions}


# --------------------------------------------------------------------------
# Repository mapping
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RepositoryRef:
    """A canonical source repository location.

    Attributes:
        url: canonical ``https://host/path`` without ``.git`` or trailing slash;
            host lower-cased; on case-insensitive forges (GitHub, GitLab,
            Bitbucket, Codeberg) the path is lower-cased too.
        host: ``"github.com"``, ``"gitlab.com"``, ... (lower case).
        path: ``"owner/name"`` (GitLab: ``"group/subgroup/name"``).
        subpath: directory inside a monorepo (``"libs/core"``), or ``None``.
    """

    url: str
    host: str
    path: str
    subpath: str | None = None

    @property
    def forge(self) -> str:
        """``"github"``, ``"gitlab"``, ``"bitbucket"``, ``"codeberg"`` or ``"other"``."""
        return {
            "github.com": "github",
            "gitlab.com": "gitlab",
            "bitbucket.org": "bitbucket",
            "codeberg.org": "codeberg",
        }.get(self.host, "other")

    @property
    def clone_url(self) -> str:
        """URL for ``git clone`` (the canonical URL; forges accept it without ``.git``)."""
        return self.url


@dataclass(frozen=True)
class RepoMapping:
    """A package's source repository, with the evidence and how sure we are.

    Attributes:
        repo: the repository, or ``None`` when none is known.
        evidence: which field or table gave it, e.g.
            ``"core metadata Project-URL 'Source'"``,
            ``"PyPI JSON info.project_urls 'Homepage'"``,
            ``"built-in table (numpy's metadata lists no source)"``.
        confidence: see :class:`Confidence`.
        note: extra explanation, e.g. ``"no public source repository"``.
        candidates: other repository URLs seen, ``(url, evidence)`` pairs,
            for analysts (disagreements show up here).
    """

    repo: RepositoryRef | None
    evidence: str
    confidence: Confidence
    note: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Judgement: scores and findings
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One contribution to an exposure score.

    Attributes:
        name: stable factor id (``"maintainers"``, ``"blast_radius"``, ...).
        value: the measured input (a JSON scalar) or Unknown.
        points: points added to the score (0 when the value is unknown).
        weight: the maximum points this factor can give.
        detail: one-line explanation of how value became points.
    """

    name: str
    value: Any
    points: float
    weight: float
    detail: str = ""


@dataclass(frozen=True)
class Score:
    """An exposure score in [0, 100] and the factors that made it.

    Attributes:
        total: sum of factor points, rescaled to [0, 100] over the weights of
            the factors whose value is known; Unknown when no factor is known.
        factors: every factor, known or not, in a fixed order.
        unknown_factors: names of factors whose value was unknown.
    """

    total: float | Unknown
    factors: tuple[Factor, ...]
    unknown_factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A judged fact worth a reviewer's attention.

    Attributes:
        id: stable rule id (``"AUD001"``-style), shared by every output format.
        severity: see :class:`Severity`.
        message: one line, plain text (formatters escape it).
        package: normalized name of the package it concerns, or ``None`` for the root.
        evidence: where the fact came from.
    """

    id: str
    severity: Severity
    message: str
    package: str | None = None
    evidence: str | None = None


# --------------------------------------------------------------------------
# The enriched node and the result
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageNode:
    """Everything collected about one distribution.

    Attributes:
        distribution: the pinned distribution.
        mapping: its source repository mapping.
        project: PyPI JSON facts, or Unknown (unknown package, network failure, offline).
        contacts: people named in core metadata.
        signals: facts from optional enrichers, keyed by the enricher's
            ``key`` (e.g. ``"history"``, ``"github"``, ``"vulnerabilities"``);
            each value is that enricher's own frozen model or an Unknown.
    """

    distribution: Distribution
    mapping: RepoMapping
    project: PyPIProject | Unknown
    contacts: tuple[Contact, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """PEP 503 normalized name."""
        return self.distribution.name

    @property
    def maintainers(self) -> tuple[Maintainer, ...] | Unknown:
        """Publish-capable PyPI accounts, or Unknown when PyPI data is missing."""
        if isinstance(self.project, Unknown):
            return self.project
        if isinstance(self.project.ownership, Unknown):
            return self.project.ownership
        return self.project.ownership.maintainers


# --------------------------------------------------------------------------
# Git history: people and per-repository figures (auditor.people.history)
# --------------------------------------------------------------------------


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
        contributors: distinct people (authors, co-authors, committers; bots excluded).
        active_contributors: of those, people with a commit in the
            ``window_days`` before as-of.
        committers: people who landed others' work (committer differs from
            the author, or author of a merge commit); forge web-flow excluded.
        bus_factor: smallest number of people who together authored at least
            half of the non-merge, non-bot commits in the window; 0 when the
            window has no such commit.
        excluded_bots: distinct bot accounts seen and left out.
        window_days: the activity window (365).
        people: the people behind the figures, sorted by id (only with ``--people``).
        contributions: one per person, most authored commits first (only with ``--people``).

    The ids of the contributors are always kept, in private fields that
    JSON output leaves out (a large tree has tens of thousands): use
    :meth:`person_ids`.
    """

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
    people: tuple[Person, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    _person_ids: frozenset[str] = field(default=frozenset(), repr=False)
    _active_ids: frozenset[str] = field(default=frozenset(), repr=False)

    def person_ids(self, active_only: bool = False) -> frozenset[str]:
        """Ids of the contributors (or only the active ones)."""
        if self.contributions:
            return frozenset(c.person for c in self.contributions if c.active or not active_only)
        return self._active_ids if active_only else self._person_ids


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


# --------------------------------------------------------------------------
# Forges and ecosystem services: GitHub, GitLab, OpenSSF Scorecard, deps.dev
# (issue 4; collectors in auditor/people/forges.py and auditor/signals/)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgeAccount:
    """An account on a forge.

    Source: GitHub REST ``GET /users/{login}`` (``login``, ``type``, ``created_at``).

    Attributes:
        login: the account name.
        account_type: ``"User"``, ``"Organization"`` or ``"Bot"``.
        created_at: ISO-8601 creation time, or ``None`` when the API omits it.
        forge: ``"github"`` or ``"gitlab"``.
    """

    login: str
    account_type: str
    created_at: str | None
    forge: str = "github"


@dataclass(frozen=True)
class ForgeContributor:
    """One entry of a forge's contributor list.

    Sources: GitHub ``GET /repos/{owner}/{repo}/contributors?anon=1`` (entries
    with ``login``, or ``type: "Anonymous"`` entries with ``email``/``name``
    for commits not linked to an account); GitLab
    ``GET /projects/:id/repository/contributors`` (``name``, ``email``, ``commits``).

    Attributes:
        login: account login, or ``None`` for anonymous entries (GitLab: always ``None``).
        email: commit e-mail for anonymous entries (GitHub) or every entry (GitLab);
            a salted ``"hash:<16 hex>"`` unless ``--show-emails``.
        name: commit author name when given.
        contributions: number of commits the forge counts.
        account_type: ``"User"``, ``"Bot"`` or ``"Anonymous"``.
    """

    login: str | None
    email: str | None
    name: str | None
    contributions: int
    account_type: str = "User"


@dataclass(frozen=True)
class ForgeRepo:
    """Repository metadata from a forge API.

    Sources: GitHub ``GET /repos/{owner}/{repo}`` (``owner.type``, ``archived``,
    ``fork``, ``created_at``, ``pushed_at``, ``default_branch``,
    ``license.spdx_id``) and the contents API for ``SECURITY.md``; GitLab
    ``GET /projects/:id?license=true`` (``namespace.kind``, ``archived``,
    ``forked_from_project``, ``created_at``, ``last_activity_at``,
    ``default_branch``, ``license.key``).

    Attributes:
        forge: ``"github"`` or ``"gitlab"``.
        full_name: ``"owner/name"`` as the forge spells it now (after renames).
        url: the repository's web URL.
        owner: owning account or group.
        owner_type: ``"user"`` or ``"organization"`` (GitLab groups count as organizations).
        archived: read-only on the forge.
        fork: a fork of another repository.
        parent: ``"owner/name"`` of the fork's parent, if known.
        created_at / pushed_at: ISO-8601 times (GitLab ``last_activity_at`` for pushed_at).
        default_branch: the default branch name.
        license: SPDX id (GitHub) or GitLab license key; ``None`` when the forge detected none.
        security_policy: a ``SECURITY.md`` exists (repository root, ``.github/``,
            ``docs/``, or the owner's ``.github`` repository), or Unknown.
    """

    forge: str
    full_name: str
    url: str
    owner: str
    owner_type: str
    archived: bool
    fork: bool
    created_at: str | None
    pushed_at: str | None
    default_branch: str | None
    license: str | None
    security_policy: bool | Unknown
    parent: str | None = None


@dataclass(frozen=True)
class ForgeFacts:
    """Everything a forge says about a package's repository: ``signals["github"|"gitlab"]``.

    Attributes:
        repo: repository metadata, or Unknown (``"not found (HTTP 404)"`` for a
            deleted or private repository, ``"rate limited"``, ``"offline"``).
        contributors: the forge's contributor list (first pages, most commits first), or Unknown.
        contributor_count: the forge's own count, anonymous entries included, or Unknown.
        _email_logins: ``{lower-cased commit e-mail: login}`` links the forge
            knows (GitHub commits API ``commit.author.email`` + ``author.login``,
            and ``ID+login@users.noreply.github.com`` addresses), read through
            :attr:`email_logins`.  This is the shape identity resolution
            (auditor/people/identity.py) merges by.  Personal data: the
            leading underscore keeps it out of every report and ``repr``.
        accounts: ``{login: account or Unknown}`` for the top contributors,
            the owner (when a user) and matched PyPI maintainers.
        maintainer_logins: ``{PyPI username: forge login}`` for PyPI
            maintainers whose username is also a contributor login of this
            repository (a same-handle match, not a proof of identity).
    """

    repo: ForgeRepo | Unknown
    contributors: tuple[ForgeContributor, ...] | Unknown
    contributor_count: int | Unknown
    _email_logins: Mapping[str, str] = field(default_factory=dict, repr=False)
    accounts: Mapping[str, "ForgeAccount | Unknown"] = field(default_factory=dict)
    maintainer_logins: Mapping[str, str] = field(default_factory=dict)

    @property
    def email_logins(self) -> Mapping[str, str]:
        """``{lower-cased e-mail: login}`` (see ``_email_logins``)."""
        return self._email_logins

    def faults(self) -> list[tuple[str, str]]:
        """``(field, reason)`` for every part missing because of a fault (for the "missing" list)."""
        out = []
        parts = [("repo", self.repo), ("contributors", self.contributors)]
        if not isinstance(self.repo, Unknown):
            parts.append(("security_policy", self.repo.security_policy))
        parts += [(f"account {login}", acc) for login, acc in sorted(self.accounts.items())]
        for name, value in parts:
            if isinstance(value, Unknown) and value.fault:
                out.append((name, value.reason))
        return out


@dataclass(frozen=True)
class ScorecardCheck:
    """One OpenSSF Scorecard check result.

    Source: Scorecard API ``GET /projects/{host}/{owner}/{repo}``, ``checks[]``.

    Attributes:
        name: check name (``"Code-Review"``, ``"Maintained"``, ...).
        score: 0..10, or Unknown when Scorecard was inconclusive (score ``-1``).
        reason: Scorecard's one-line reason.
        documentation: URL of the check's documentation.
    """

    name: str
    score: int | Unknown
    reason: str = ""
    documentation: str | None = None


@dataclass(frozen=True)
class ScorecardResult:
    """A repository's published OpenSSF Scorecard: ``signals["scorecard"]``.

    Attributes:
        repo: ``"github.com/owner/name"`` as Scorecard names it.
        date: when the scorecard was computed (ISO date).
        score: aggregate score 0..10, or Unknown.
        checks: every check, in the API's order.
        commit: the commit the checks ran on.
        scorecard_version: version of the Scorecard tool.
    """

    repo: str
    date: str | None
    score: float | Unknown
    checks: tuple[ScorecardCheck, ...]
    commit: str | None = None
    scorecard_version: str | None = None

    def check(self, name: str) -> ScorecardCheck | None:
        """The check called *name* (case-insensitive), or None when not published."""
        for c in self.checks:
            if c.name.lower() == name.lower():
                return c
        return None


@dataclass(frozen=True)
class DepsDevVersion:
    """deps.dev's view of a package version: ``signals["depsdev"]``.

    Sources: deps.dev API v3 ``GET /v3/systems/pypi/packages/{name}/versions/{version}``
    (``relatedProjects``, ``links``, ``slsaProvenances``, ``attestations``,
    ``advisoryKeys``, ``licenses``, ``publishedAt``) and v3alpha
    ``GET .../versions/{version}:dependents`` (``dependentCount``, ``directDependentCount``).

    Attributes:
        source_repo: declared source repository as ``https://host/owner/name``, or ``None``.
        source_repo_provenance: deps.dev ``relationProvenance`` of that link
            (``"UNVERIFIED_METADATA"``, ``"SLSA_ATTESTATION"``, ``"PYPI_PUBLISH_ATTESTATION"``, ...).
        verified: True when provenance (SLSA or a PyPI publish attestation)
            verifies the source repository.
        advisories: advisory ids (``GHSA-...``) deps.dev lists for the version.
        licenses: SPDX expressions.
        published_at: ISO-8601 publication time.
        dependents: packages depending on this version (``dependentCount``), or Unknown.
        direct_dependents: ``directDependentCount``, or Unknown.
        mapping_agreement: ``"agrees"``, ``"disagrees"``, ``"no declared repository"``
            or ``"no mapping"``: deps.dev's repository compared with ``PackageNode.mapping``.
    """

    source_repo: str | None
    source_repo_provenance: str | None
    verified: bool
    advisories: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    published_at: str | None = None
    dependents: int | Unknown = field(default_factory=lambda: Unknown("not requested", fault=False))
    direct_dependents: int | Unknown = field(default_factory=lambda: Unknown("not requested", fault=False))
    mapping_agreement: str = "no mapping"

    def faults(self) -> list[tuple[str, str]]:
        """``(field, reason)`` for every part missing because of a fault."""
        return [
            (name, value.reason)
            for name, value in (("dependents", self.dependents), ("direct_dependents", self.direct_dependents))
            if isinstance(value, Unknown) and value.fault
        ][:1]


# --------------------------------------------------------------------------
# Package and release signals (issue 6): vulnerabilities, provenance,
# release facts, install-time code execution, vendored native code, names
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Advisory:
    """One known vulnerability affecting a pinned version.

    Source: OSV (``/v1/query``, or an offline OSV database) or the PyPI
    per-version JSON ``vulnerabilities`` list, through pip-audit's services.

    Attributes:
        id: the advisory's primary id (``PYSEC-2023-74``, ``GHSA-...``, ``CVE-...``).
        aliases: other ids of the same advisory, sorted.
        summary: one line (untrusted text).
        fixed_versions: versions that fix it, ascending (may be empty).
        severity: the advisory's severity when the source gives one, else ``None``.
        severity_source: where *severity* came from (``"CVSS:3.1/AV:N/..."``,
            ``"GHSA database_specific.severity MODERATE"``), else ``None``.
        published: ISO-8601 publication time, if given.
        url: a reference URL (``https://osv.dev/vulnerability/<id>``), if known.
    """

    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    fixed_versions: tuple[str, ...] = ()
    severity: Severity | None = None
    severity_source: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """The id followed by its aliases."""
        return (self.id, *self.aliases)


@dataclass(frozen=True)
class VulnerabilityReport:
    """Known vulnerabilities of one pinned version (``signals["vulnerabilities"]``).

    Attributes:
        version: the pinned version that was queried.
        advisories: advisories affecting it, sorted by id (empty: none known).
        service: ``"osv"``, ``"pypi"`` or ``"osv-db:<path>"``.
    """

    version: str
    advisories: tuple[Advisory, ...]
    service: str

    @property
    def worst(self) -> Severity | None:
        """Highest severity among the advisories that have one."""
        sev = [a.severity for a in self.advisories if a.severity is not None]
        return min(sev, key=lambda s: s.rank) if sev else None


@dataclass(frozen=True)
class TrustedPublisher:
    """The Trusted Publisher identity of a PEP 740 attestation bundle.

    Source: ``attestation_bundles[].publisher`` of the PyPI integrity API.

    Attributes:
        kind: ``"GitHub"``, ``"GitLab"``, ``"Google"`` or ``"CircleCI"``.
        repository: ``"owner/name"`` (GitHub, GitLab), else ``None``.
        workflow: workflow file (GitHub ``workflow``, GitLab ``workflow_filepath``), else ``None``.
        environment: CI environment name, if the publisher sets one.
        repository_url: ``https://github.com/owner/name`` style URL, if *repository* is known.
    """

    kind: str
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = None
    repository_url: str | None = None


@dataclass(frozen=True)
class ReleaseProvenance:
    """PEP 740 provenance of a pinned release (``signals["provenance"]``).

    Source: ``GET https://pypi.org/integrity/<project>/<version>/<filename>/provenance``,
    verified with ``pypi-attestations`` against the file's sha256 from the
    simple index.

    Attributes:
        status: ``"verified"`` (every attestation verified against its publisher),
            ``"unattested"`` (no provenance published: not a failure), or
            ``"invalid"`` (provenance present but verification failed).
        filename: the distribution file whose provenance was checked.
        publishers: Trusted Publishers named by the attestation bundles.
        predicate_types: in-toto predicate types seen (``https://docs.pypi.org/attestations/publish/v1``).
        detail: one line: why invalid, or what was verified.
    """

    status: str
    filename: str | None = None
    publishers: tuple[TrustedPublisher, ...] = ()
    predicate_types: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ReleaseFacts:
    """Release history facts for a pinned version (``signals["release"]``).

    Source: the PyPI JSON API project document (:class:`PyPIProject`),
    limited to uploads on or before ``Config.as_of``.

    Attributes:
        version: the pinned version.
        uploaded: ISO-8601 upload time of the pinned version, or ``None`` if unknown.
        version_age_days: days from *uploaded* to the reference date.
        project_age_days: days from the project's first upload to the reference date.
        release_count: number of releases with files.
        yanked: whether every file of the pinned version is yanked (PEP 592).
        last_release: version with the most recent upload.
        days_since_last_release: days from that upload to the reference date.
        reference_date: the date ages are measured to (``as_of`` or today), ISO-8601.
    """

    version: str
    uploaded: str | None
    version_age_days: float | None
    project_age_days: float | None
    release_count: int
    yanked: bool
    last_release: str | None
    days_since_last_release: float | None
    reference_date: str


@dataclass(frozen=True)
class InstallFacts:
    """Whether installing a release runs its code (``signals["install"]``).

    Source: the simple index file list (PEP 691), matched against the target
    environment's tags (``packaging.tags``); the build system from the
    sdist's ``pyproject.toml`` (PEP 517/518), read as data, never executed.

    Attributes:
        version: the pinned version.
        wheel: the best wheel filename for the target, or ``None``.
        sdist: the sdist filename, or ``None``.
        builds_from_source: True when no wheel fits and the sdist's build
            backend runs at install time.
        build_backend: ``build-system.build-backend`` of the sdist (PEP 517
            default ``setuptools.build_meta:__legacy__`` when absent), or ``None``.
        build_requires: ``build-system.requires`` PEP 508 strings.
        backend_path: ``build-system.backend-path`` (PEP 517 in-tree backend:
            the build backend is code shipped inside the sdist itself).
    """

    version: str
    wheel: str | None
    sdist: str | None
    builds_from_source: bool
    build_backend: str | None = None
    build_requires: tuple[str, ...] = ()
    backend_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class VendoredLibrary:
    """A shared library shipped inside an installed wheel.

    Attributes:
        path: path relative to site-packages, as in the RECORD file.
        size: bytes (RECORD size, else the file's size), or ``None``.
        upstream: recognizable upstream project (``"OpenBLAS"``, ``"libgfortran"``), else ``None``.
        bundled: True when it sits in an auditwheel/delocate ``*.libs``/``.dylibs`` folder.
    """

    path: str
    size: int | None
    upstream: str | None = None
    bundled: bool = False


@dataclass(frozen=True)
class VendoredCode:
    """Native code an installed distribution ships (``signals["vendored"]``).

    Source: the distribution's ``RECORD`` (wheel spec) in its ``.dist-info``.

    Attributes:
        libraries: bundled or own shared libraries, sorted by path.
    """

    libraries: tuple[VendoredLibrary, ...] = ()

    @property
    def bundled(self) -> tuple[VendoredLibrary, ...]:
        """Libraries copied in by auditwheel/delocate/delvewheel (third-party code)."""
        return tuple(lib for lib in self.libraries if lib.bundled)


@dataclass(frozen=True)
class NameSignals:
    """Name-confusion facts for a package (``signals["names"]``).

    Source: the bundled list of the most downloaded PyPI projects
    (``auditor/data/top-pypi-projects.txt``) and the run's repository mappings.

    Attributes:
        rank: 1-based download rank of the name itself, or ``None`` if not in the list.
        similar_to: ``(popular name, technique)`` pairs for more popular names
            this one imitates (``("requests", "edit distance 1")``).
        shares_repository_with: other packages in the audit mapped to the same
            repository whose names are unrelated to this one.
    """

    rank: int | None = None
    similar_to: tuple[tuple[str, str], ...] = ()
    shares_repository_with: tuple[str, ...] = ()
