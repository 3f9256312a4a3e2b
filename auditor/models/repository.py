"""Repository references and the package -> repository mapping.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar


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
        rule: which mapping rule produced it (docs/mapping.md), e.g.
            ``"project-url-source"``, ``"description-link"``, ``"curated"``;
            ``""`` when nothing was mapped.
        subdirectory_state: what the repository's file list says about the
            subdirectory (:class:`SubdirectoryCheck`): ``"confirmed"``,
            ``"refuted"`` (the named one is absent: ``repo.subpath`` fell back
            to the root), ``"removed"`` (absent at HEAD but in the history:
            kept, one confidence level less), ``"inferred"`` (found in the file list: the root
            has no packaging file), ``"not-confirmed"`` (the check failed;
            the reason is in ``evidence``), or ``""`` (not checked).
    """

    repo: RepositoryRef | None
    evidence: str
    confidence: Confidence
    note: str | None = None
    candidates: tuple[tuple[str, str], ...] = ()
    rule: str = ""
    subdirectory_state: str = ""


#: ``SubdirectoryCheck.state`` values.
SUBDIRECTORY_STATES = ("confirmed", "refuted", "removed", "inferred", "root", "not-confirmed")


@dataclass(frozen=True)
class SubdirectoryCheck:
    """The mapped subdirectory checked against the repository's file list.

    Source: the forge's file list (GitHub REST ``GET /repos/{o}/{r}/git/trees/HEAD?recursive=1``,
    else ``GET /repos/{o}/{r}/contents/{dir}``; GitLab v4
    ``GET /projects/:id/repository/tree?path=dir``), else an existing clone
    (``git cat-file -t HEAD:dir``).  See docs/mapping.md.

    Attributes:
        state: ``"confirmed"`` (the directory exists at HEAD or at the
            release's tag ``v<version>``/``<version>``), ``"refuted"`` (it does
            not, nor in the history: the mapping falls back to the root),
            ``"removed"`` (not at HEAD nor at a release tag, but the path has
            commits: removed after the release), ``"inferred"`` (no
            subdirectory was named, the root has no ``pyproject.toml``/
            ``setup.py``/``setup.cfg``, and exactly one directory holds the
            distribution: ``subdirectory``), ``"root"`` (no subdirectory
            named, the root holds a packaging file or no single candidate), or
            ``"not-confirmed"`` (the check could not be made: ``detail``).
        subdirectory: the directory checked or inferred (``None`` for ``root``).
        source: ``"GitHub tree API"``, ``"GitHub contents API"``,
            ``"GitHub commits API"``, ``"GitLab tree API"`` or ``"clone"``.
        detail: one line: what was seen, or why it could not be checked.
    """

    KEY: ClassVar[str] = "subdirectory"
    state: str
    subdirectory: str | None
    source: str
    detail: str = ""
