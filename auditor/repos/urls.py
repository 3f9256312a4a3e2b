"""Canonical forms of source-repository URLs and PEP 753 Project-URL labels.

``canonical_repository(url)`` turns the many spellings of a forge URL
(``git+https://``, ``git@host:owner/repo.git``, ``www.``, ``/tree/main/sub``,
mixed case, trailing ``.git`` or ``/``) into one
:class:`~auditor.models.RepositoryRef`, keeping a monorepo subdirectory as
``subpath``.  Only the four public forges below are recognized as repository
hosts, with self-hosted forges recognized by URL structure (:func:`forge_kind`);
any other URL is not a repository (it may be a homepage).
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


#: Self-hosted forges recognized by the first label of their host name:
#: GitLab (and Heptapod, GitLab for Mercurial) use nested groups ended by
#: ``/-/``; Gitea and Forgejo use ``owner/repo`` and ``/src/branch/<b>/<dir>``.
_HOST_PREFIX_KINDS = {"gitlab": "gitlab", "heptapod": "gitlab", "gitea": "gitea", "forgejo": "gitea"}
#: Whole host names of self-hosted forges that do not say so in their name.
_KNOWN_HOSTS = {"foss.heptapod.net": "gitlab", "salsa.debian.org": "gitlab", "invent.kde.org": "gitlab",
                "framagit.org": "gitlab", "git.sr.ht": "sourcehut"}


def forge_kind(host: str) -> str | None:
    """The URL structure of a repository host: ``"github"``-like (owner/repo),
    ``"gitlab"`` (nested groups), ``"gitea"``, ``"sourceforge"``, ``"launchpad"``,
    ``"sourcehut"``, or None when *host* is not recognized as a forge."""
    if host in FORGES:
        return "gitlab" if FORGES[host] is None else "github"
    if host in _KNOWN_HOSTS:
        return _KNOWN_HOSTS[host]
    if host == "sourceforge.net":
        return "sourceforge"
    if host in ("launchpad.net", "code.launchpad.net", "git.launchpad.net", "bugs.launchpad.net"):
        return "launchpad"
    first = host.split(".", 1)[0]
    for prefix, kind in _HOST_PREFIX_KINDS.items():
        if first == prefix or first.startswith(prefix + "-"):
            return kind
    return None


def _split(url: str) -> tuple[str, list[str]] | None:
    """``(host, unquoted path segments)`` of a URL or scp-like address, or None."""
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
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    return host, [unquote(s) for s in parts.path.split("/") if s]


def _tree_subpath(rest: list[str]) -> str | None:
    """Subdirectory named by the path after ``owner/repo``: ``tree/<branch>/<dir>``
    (a directory), ``blob/<branch>/<dir>/<file>`` (the file's directory), Gitea's
    ``src/branch/<branch>/<dir>``."""
    if len(rest) >= 4 and rest[0] == "src" and rest[1] in ("branch", "tag", "commit"):
        rest = ["tree", rest[2], *rest[3:]]
    if len(rest) >= 3 and rest[0] in _TREE_WORDS:
        sub = rest[2:]
        if rest[0] == "blob":
            sub = sub[:-1]
        return "/".join(sub) or None
    return None


def _ref(host: str, repo_segments: list[str], subpath: str | None, lower: bool = True) -> RepositoryRef | None:
    if not repo_segments or any(not re.fullmatch(r"[\w.\-~+]+", s) for s in repo_segments):
        return None
    path = "/".join(repo_segments)
    path = path.lower() if lower else path
    return RepositoryRef(url=f"https://{host}/{path}", host=host, path=path, subpath=subpath or None)


def _sourceforge(segments: list[str]) -> RepositoryRef | None:
    # sourceforge.net/p/<project>/<mount>/...  or  sourceforge.net/projects/<project>
    if len(segments) >= 2 and segments[0] in ("p", "projects"):
        return _ref("sourceforge.net", ["p", segments[1], "code"], None)
    return None


def _launchpad(host: str, segments: list[str]) -> RepositoryRef | None:
    # git.launchpad.net/<project>[/tree/...], (code|bugs.)launchpad.net/<project>
    if not segments or segments[0].startswith(("~", "+")):
        return None
    return _ref("git.launchpad.net", [segments[0]], None)


def canonical_repository(url: str | None) -> RepositoryRef | None:
    """The repository a URL points into, or ``None`` if it names none.

    Args:
        url: any URL or scp-like git address; untrusted text.

    Returns:
        The canonical :class:`RepositoryRef` (``https://github.com/owner/name``,
        lower-cased), with ``subpath`` set for ``/tree/<branch>/<dir>`` style
        links (a ``blob`` link gives its file's directory); ``None`` for
        unrecognized hosts, forge site pages (``github.com/sponsors/...``)
        and owner-only URLs.  A pip ``#subdirectory=<dir>`` fragment sets
        ``subpath`` too.  Hosts are recognized by URL structure
        (:func:`forge_kind`): the public forges, self-hosted GitLab, Heptapod,
        Gitea and Forgejo, SourceForge projects (``sourceforge.net/p/<project>/code``),
        Launchpad projects (``git.launchpad.net/<project>``) and cgit paths
        (``.../cgit/<repo>``).
    """
    split = _split(url) if isinstance(url, str) else None
    if split is None:
        return None
    host, segments = split
    ref = _canonical(host, segments)
    frag = _FRAGMENT_SUBDIR.search(url or "")
    if ref is not None and frag and not ref.subpath:  # pip syntax: ...#subdirectory=pkg
        sub = "/".join(s for s in unquote(frag.group(1)).split("/") if s and s not in (".", ".."))
        ref = RepositoryRef(url=ref.url, host=ref.host, path=ref.path, subpath=sub or None)
    return ref


_FRAGMENT_SUBDIR = re.compile(r"#(?:.*&)?subdirectory=([^&\s]+)")


def _canonical(host: str, segments: list[str]) -> RepositoryRef | None:
    kind = forge_kind(host)
    if kind is None and "cgit" in segments[:-1]:  # host/cgit/<repo>[.git]/...
        i = segments.index("cgit")
        return _ref(host, [*segments[:i + 1], segments[i + 1].removesuffix(".git")], None)
    if kind is None and host.split(".", 1)[0] == "git":  # cgit/gitweb: git.host/<path>/<repo>.git/...
        ends = [i for i, seg in enumerate(segments) if seg.endswith(".git") and len(seg) > 4]
        if ends:
            return _ref(host, [*segments[:ends[0]], segments[ends[0]][:-4]], None)
    if kind == "sourceforge":
        return _sourceforge(segments)
    if kind == "launchpad":
        return _launchpad(host, segments)
    if kind is None:
        return None
    depth = FORGES.get(host, None if kind == "gitlab" else 2)
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
            subpath = _tree_subpath(segments[i + 1:])
            segments = segments[:i]
        if len(segments) < 2:
            return None
        repo_segments = segments
    else:
        if len(segments) < depth:
            return None
        if host == "github.com" and segments[0].lower() in GITHUB_RESERVED:
            return None
        repo_segments = segments[:depth]
        subpath = _tree_subpath(segments[depth:])
    return _ref(host, repo_segments, subpath)


def github_pages_repository(url: str | None) -> RepositoryRef | None:
    """``https://OWNER.github.io/REPO/...`` -> ``https://github.com/owner/repo``, else None.

    A GitHub Pages project site is served from the repository of the same
    name (GitHub docs, "About GitHub Pages": project sites live at
    ``<owner>.github.io/<repositoryname>``); the user site ``OWNER.github.io``
    itself names no source repository and gives None.
    """
    split = _split(url) if isinstance(url, str) else None
    if split is None:
        return None
    host, segments = split
    if not host.endswith(".github.io") or host.count(".") != 2 or not segments:
        return None
    owner = host.split(".", 1)[0]
    return _ref("github.com", [owner, segments[0]], None)
