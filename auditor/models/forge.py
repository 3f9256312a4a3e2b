"""Facts from forges and ecosystem services: GitHub, GitLab, OpenSSF Scorecard, deps.dev.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

from auditor.models.unknown import Unknown


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

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(ForgeFacts)``.
    KEY: ClassVar[str] = "github"

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

    def faults(self) -> list[tuple[str, str, str]]:
        """``(field, reason, UnknownKind value)`` for every part missing because of a fault (the "missing" list)."""
        out = []
        parts = [("repo", self.repo), ("contributors", self.contributors)]
        if not isinstance(self.repo, Unknown):
            parts.append(("security_policy", self.repo.security_policy))
        parts += [(f"account {login}", acc) for login, acc in sorted(self.accounts.items())]
        for name, value in parts:
            if isinstance(value, Unknown) and value.fault:
                out.append((name, value.reason, value.kind.value))
        return out


@dataclass(frozen=True)
class GitLabFacts(ForgeFacts):
    """:class:`ForgeFacts` from GitLab: the same shape, its own slot (``signals["gitlab"]``)."""

    KEY: ClassVar[str] = "gitlab"


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

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(ScorecardResult)``.
    KEY: ClassVar[str] = "scorecard"

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

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(DepsDevVersion)``.
    KEY: ClassVar[str] = "depsdev"

    source_repo: str | None
    source_repo_provenance: str | None
    verified: bool
    advisories: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()
    published_at: str | None = None
    dependents: int | Unknown = field(default_factory=lambda: Unknown("not requested", fault=False))
    direct_dependents: int | Unknown = field(default_factory=lambda: Unknown("not requested", fault=False))
    mapping_agreement: str = "no mapping"

    def faults(self) -> list[tuple[str, str, str]]:
        """``(field, reason, UnknownKind value)`` for every part missing because of a fault."""
        return [
            (name, value.reason, value.kind.value)
            for name, value in (("dependents", self.dependents), ("direct_dependents", self.direct_dependents))
            if isinstance(value, Unknown) and value.fault
        ][:1]
