"""Canonical forms of source-repository URLs and PEP 753 Project-URL labels.

``canonical_repository(url)`` turns the many spellings of a forge URL
(``git+https://``, ``git@host:owner/repo.git``, ``www.``, ``/tree/main/sub``,
mixed case, trailing ``.git`` or ``/``) into one
:class:`~auditor.models.RepositoryRef`, keeping a monorepo subdirectory as
``subpath``.  Only the four public forges below are recognized as repository
hosts; any other URL is not a repository (it may be a homepage).
"""

from __future__ import annotations

import re
import string
from urllib.parse import unquote, urlsplit

from auditor.models import RepositoryRef

#: Hosts whose URLs name repositories, with how many path segments name one
#: (``None``: GitLab-style nested groups, ended by ``/-/``).
FORGES: dict[str, int | None] = {
    "github.com": 2,
    "gitlab.com": None,
    "bitbucket.org": 2,
    "codeberg.org": 2,
}

#: First path segments on GitHub that are site pages, not owners.
GITHUB_RESERVED = frozenset(
    {
        "sponsors", "orgs", "marketplace", "features", "topics", "apps", "settings", "about",
        "site", "enterprise", "collections", "login", "join", "pricing", "security", "notifications",
        "explore", "trending", "users", "search", "pulls", "issues", "contact",
    }
)

#: Path segments after ``owner/repo`` that introduce a branch and a subdirectory.
_TREE_WORDS = frozenset({"tree", "blob", "src", "browse"})

_SCP_RE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+\.[a-z]{2,}):(?P<path>(?!//)[^\s]+)$", re.I)


def normalize_label(label: str) -> str:
    """PEP 753 label normalization: drop punctuation and whitespace, lower-case.

    ``"Source Code"`` -> ``"sourcecode"``; ``"Bug-Tracker"`` -> ``"bugtracker"``.
    """
    return "".join(c for c in label if c not in string.punctuation and not c.isspace()).lower()


#: PEP 753 well-known labels (normalized), by meaning; ``code`` and ``git``
#: are common in the wild and unambiguous, so they count as source too.
LABELS = {
    "source": frozenset({"source", "repository", "sourcecode", "github", "gitlab", "code", "git", "repo"}),
    "homepage": frozenset({"homepage", "home"}),
    "issues": frozenset({"issues", "bugs", "issue", "tracker", "issuetracker", "bugtracker", "bugreports"}),
    "download": frozenset({"download"}),
    "changelog": frozenset({"changelog", "changes", "whatsnew", "history", "releasenotes"}),
    "documentation": frozenset({"documentation", "docs"}),
}


def label_kind(label: str) -> str:
    """The PEP 753 meaning of a Project-URL label: a key of :data:`LABELS` or ``"other"``."""
    norm = normalize_label(label)
    for kind, names in LABELS.items():
        if norm in names:
            return kind
    return "other"


def canonical_repository(url: str | None) -> RepositoryRef | None:
    """The repository a URL points into, or ``None`` if it names none.

    Args:
        url: any URL or scp-like git address; untrusted text.

    Returns:
        The canonical :class:`RepositoryRef` (``https://github.com/owner/name``,
        lower-cased on these case-insensitive forges), with ``subpath`` set
        for ``/tree/<branch>/<dir>`` style links; ``None`` for non-forge hosts,
        forge site pages (``github.com/sponsors/...``) and owner-only URLs.
    """
    if not url or not isinstance(url, str):
        return None
    text = url.strip()
    if len(text) > 2048 or any(c.isspace() for c in text):
        return None
    for prefix in ("git+", "hg+", "svn+", "bzr+"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    m = _SCP_RE.match(text)
    if m and "://" not in text:
        text = f"https://{m.group('host')}/{m.group('path')}"
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in FORGES:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    depth = FORGES[host]
    if depth and len(segments) >= depth and "@" in segments[depth - 1]:
        # pip VCS syntax: .../repo.git@<rev>
        segments = segments[:depth - 1] + [segments[depth - 1].split("@", 1)[0]]
    elif segments and "@" in segments[-1]:
        segments[-1] = segments[-1].split("@", 1)[0]
    segments = [s[:-4] if s.endswith(".git") else s for s in segments]
    subpath: str | None = None
    if depth is None:  # GitLab: groups/subgroups/project[/-/tree/branch/dir]
        if "-" in segments:
            i = segments.index("-")
            rest = segments[i + 1:]
            segments = segments[:i]
            if len(rest) >= 3 and rest[0] in _TREE_WORDS:
                subpath = "/".join(rest[2:])
        if len(segments) < 2:
            return None
        repo_segments = segments
    else:
        if len(segments) < depth:
            return None
        if host == "github.com" and segments[0].lower() in GITHUB_RESERVED:
            return None
        repo_segments = segments[:depth]
        rest = segments[depth:]
        if len(rest) >= 3 and rest[0] in _TREE_WORDS:
            subpath = "/".join(rest[2:])
    if any(not re.fullmatch(r"[\w.\-]+", s) for s in repo_segments):
        return None
    path = "/".join(repo_segments).lower()
    return RepositoryRef(url=f"https://{host}/{path}", host=host, path=path, subpath=subpath or None)
