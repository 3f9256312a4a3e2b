"""Check a mapped subdirectory against the repository's file list, inside an audit.

A subdirectory inferred from the layout table (rule suffix ``+layout``) or
taken from a link is a claim until the repository's tree shows it, and a
mapping to the root may miss the directory a distribution is built from.
:class:`SubdirectoryCollector` (``signals["subdirectory"]``) reads, per
repository, once (answers go through the run's HTTP cache):

* GitHub REST v2022-11-28: ``GET /repos/{o}/{r}/git/trees/HEAD?recursive=1``
  (``sha``, ``tree[]`` of ``{path, type}``, ``truncated``); a root mapping
  first reads the root listing (``git/trees/HEAD``, small) and the recursive
  one only when the root holds no packaging file.  A truncated tree (over
  100,000 entries or 7 MB) confirms what it lists; a directory it does not
  list is asked for with ``GET /repos/{o}/{r}/contents/{dir}``.  Packaging
  files of candidate directories are read with the contents API (base64,
  at most :data:`auditor.repos.tree.MAX_CANDIDATES` per package).
* GitLab v4: ``GET /api/v4/projects/{path}/repository/tree?path={dir}&per_page=1``
  (404 ``Tree Not Found`` when the directory is absent).
* Otherwise (forge unreachable, another forge) the clone in the auditor
  cache (:class:`~auditor.net.git.GitCache`; made here only when the
  history collector, which clones every mapped repository anyway, is on):
  ``git cat-file -t <rev>:<dir>`` at HEAD and at the release tags.

:func:`apply_subdirectory` (the ``"subdirectory"`` refiner of
:mod:`auditor.signals.registry`) turns the check into the mapping's
``subdirectory_state``: a refuted subdirectory falls back to the root with
one confidence level less, an inferred one is set (rule suffix ``+tree``).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from auditor.collectors import Collector, RunContext
from auditor.models import Confidence, PackageNode, RepoMapping, RepositoryRef, SubdirectoryCheck, Unknown, UnknownKind
from auditor.net.git import GitCache, GitError, run_git
from auditor.repos.tree import MAX_FILE_BYTES, PACKAGING_FILES, declared_name, infer_subdirectory, normalize

#: Seconds allowed for one git lookup in a clone (it may fetch a few trees from the forge).
CONFIRM_TIMEOUT = 60.0
#: Bytes accepted for one recursive tree (GitHub truncates at 7 MB; entries are ~150 bytes).
MAX_TREE_BYTES = 16 * 1024 * 1024
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def subdirectory_state(git_dir: Path, subdirectory: str, timeout: float = CONFIRM_TIMEOUT,
                       rev: str = "HEAD") -> str | Unknown:
    """``"confirmed"`` when ``<rev>:<subdirectory>`` is a directory, ``"missing"`` when *rev* has
    no such path (or it is a file, or *rev* does not exist), else ``Unknown`` (git failed, e.g. the lazy fetch).

    Args:
        git_dir: a bare or non-bare git repository.
        subdirectory: ``"a/b"`` relative to the repository root; ``..`` is refused (``missing``).
        rev: the commit, branch or tag to look in (``"v1.2.3"``).
    """
    parts = [p for p in subdirectory.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return "missing"
    try:
        kind = run_git(["cat-file", "-t", f"{rev}:{'/'.join(parts)}"], cwd=git_dir, timeout=timeout)
    except GitError as exc:
        text = str(exc)
        if "does not exist" in text or "ot a valid object name" in text or "invalid object name" in text:
            return "missing"
        return Unknown(f"subdirectory not checked: {text}", kind=UnknownKind.ERROR)
    return "confirmed" if kind.strip() == b"tree" else "missing"


def release_tags(version: str | None) -> tuple[str, ...]:
    """The tag names a release of *version* usually has (``v1.2.3``, ``1.2.3``); none without a version."""
    v = (version or "").strip()
    if not v or not all(c.isalnum() or c in ".-+_!" for c in v):
        return ()
    return (f"v{v}", v)


def _safe(sub: str) -> str | None:
    parts = [p for p in sub.split("/") if p]
    return None if not parts or any(p in (".", "..") for p in parts) else "/".join(parts)


class GitHubTree:
    """The file list of one GitHub repository, fetched on first use (see the module docstring)."""

    source = "GitHub tree API"

    def __init__(self, ctx: RunContext, repo: RepositoryRef):
        self.http = ctx.http("github")
        owner, name = repo.path.split("/", 1)
        self.base = f"{ctx.config.github_api_url.rstrip('/')}/repos/{quote(owner)}/{quote(name)}"
        self._full: tuple[list[str], set[str], bool] | Unknown | None = None
        self._root: tuple[list[str], set[str], bool] | Unknown | None = None
        self._texts: dict[str, str | None] = {}

    def _tree(self, recursive: bool) -> tuple[list[str], set[str], bool] | Unknown:
        url = f"{self.base}/git/trees/HEAD" + ("?recursive=1" if recursive else "")
        resp = self.http.get(url, GITHUB_HEADERS, max_bytes=MAX_TREE_BYTES)
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code in (404, 409):  # 409: empty repository
            return Unknown(f"GitHub has no tree for {self.base.split('/repos/', 1)[1]} (HTTP {resp.status_code})",
                           fault=False, kind=UnknownKind.NOT_FOUND)
        if resp.status_code != 200:
            return Unknown(f"GitHub tree API: HTTP {resp.status_code}", kind=UnknownKind.UNREACHABLE)
        try:
            doc = resp.json()
            items = doc["tree"]
            files = [str(i["path"]) for i in items if i.get("type") == "blob"]
            dirs = {str(i["path"]) for i in items if i.get("type") == "tree"}
            truncated = bool(doc.get("truncated", False))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return Unknown(f"malformed answer from GitHub (git tree: {type(exc).__name__})", kind=UnknownKind.MALFORMED)
        return files, dirs, truncated

    def full(self) -> tuple[list[str], set[str], bool] | Unknown:
        if self._full is None:
            self._full = self._tree(True)
        return self._full

    def root(self) -> tuple[list[str], set[str], bool] | Unknown:
        if self._root is None:
            self._root = self._full if self._full is not None else self._tree(False)
        return self._root

    def contents(self, path: str) -> Any | Unknown:
        return self.http.get_json(f"{self.base}/contents/{quote(path)}", GITHUB_HEADERS)

    def read(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def _read(self, path: str) -> str | None:
        doc = self.contents(path)
        if not isinstance(doc, Mapping) or doc.get("encoding") != "base64" or int(doc.get("size") or 0) > MAX_FILE_BYTES:
            return None
        try:
            return base64.b64decode(str(doc.get("content") or ""), validate=False)[:MAX_FILE_BYTES].decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None

    def _not_at_head(self, sub: str, version: str | None) -> SubdirectoryCheck | Unknown:
        """*sub* is not a directory at HEAD: look at the release's tag, then at the path's history."""
        for tag in release_tags(version):
            doc = self.http.get_json(f"{self.base}/contents/{quote(sub)}?ref={quote(tag, safe='')}", GITHUB_HEADERS)
            if isinstance(doc, list):
                return SubdirectoryCheck("confirmed", sub, "GitHub contents API",
                                         f"'{sub}' is a directory at tag {tag} (not at HEAD)")
            if isinstance(doc, Unknown) and not doc.not_found:
                return doc
        doc = self.http.get_json(f"{self.base}/commits?path={quote(sub, safe='')}&per_page=1", GITHUB_HEADERS)
        if isinstance(doc, Unknown):
            return doc
        if isinstance(doc, list) and doc:
            return SubdirectoryCheck("removed", sub, "GitHub commits API",
                                     f"'{sub}' is not at HEAD nor at a release tag, but has commits in the history")
        return SubdirectoryCheck("refuted", sub, self.source, f"'{sub}' is not a directory at HEAD, at a release tag "
                                                              f"{'/'.join(release_tags(version)) or '(no version)'}, "
                                                              "or in the history")

    def check(self, name: str, sub: str | None, version: str | None = None) -> SubdirectoryCheck | Unknown:
        if sub is not None:
            got = self.full()
            if isinstance(got, Unknown):
                return got
            files, dirs, truncated = got
            if sub in dirs:
                return SubdirectoryCheck("confirmed", sub, self.source, f"'{sub}' is a directory at HEAD")
            if truncated:
                doc = self.contents(sub)  # the truncated tree does not list it: ask for that path
                if isinstance(doc, Unknown) and not doc.not_found:
                    return doc
                if isinstance(doc, list):
                    return SubdirectoryCheck("confirmed", sub, "GitHub contents API", f"'{sub}' is a directory at HEAD")
            return self._not_at_head(sub, version)
        got = self.root()
        if isinstance(got, Unknown):
            return got
        at_root = sorted(set(got[0]) & set(PACKAGING_FILES))
        if {"setup.py", "setup.cfg"} & set(at_root):
            return SubdirectoryCheck("root", None, self.source, f"the root holds {', '.join(at_root)}")
        if at_root:  # pyproject.toml alone: a project, or a workspace / tool settings
            text = self.read("pyproject.toml")
            if text is None or declared_name("pyproject.toml", text) == normalize(name):
                return SubdirectoryCheck("root", None, self.source, "the root holds pyproject.toml"
                                         + (" (not read)" if text is None else f" declaring {normalize(name)}"))
        got = self.full()
        if isinstance(got, Unknown):
            return got
        files, _dirs, truncated = got
        found, detail = infer_subdirectory(files, name, self.read)
        if found:
            return SubdirectoryCheck("inferred", found, self.source, detail)
        return SubdirectoryCheck("root", None, self.source, detail + (" (file list truncated)" if truncated else ""))


class GitLabTree:
    """Directory checks against one GitLab project (``repository/tree?path=``); no inference."""

    source = "GitLab tree API"

    def __init__(self, ctx: RunContext, repo: RepositoryRef, base_url: str):
        self.http = ctx.http("gitlab")
        self.base = f"{base_url.rstrip('/')}/api/v4/projects/{quote(repo.path, safe='')}/repository/tree"

    def check(self, name: str, sub: str | None, version: str | None = None) -> SubdirectoryCheck | Unknown:
        if sub is None:
            return Unknown("root mappings are not checked on GitLab", fault=False, kind=UnknownKind.NOT_APPLICABLE)
        doc = self.http.get_json(f"{self.base}?path={quote(sub, safe='')}&per_page=1")
        if isinstance(doc, Unknown):
            if not doc.not_found:
                return doc
        if isinstance(doc, list) and doc:
            return SubdirectoryCheck("confirmed", sub, self.source, f"'{sub}' is a directory at HEAD")
        for tag in release_tags(version):
            got = self.http.get_json(f"{self.base}?path={quote(sub, safe='')}&ref={quote(tag, safe='')}&per_page=1")
            if isinstance(got, list) and got:
                return SubdirectoryCheck("confirmed", sub, self.source, f"'{sub}' is a directory at tag {tag} (not at HEAD)")
        return SubdirectoryCheck("refuted", sub, self.source, f"'{sub}' is not a directory at HEAD or at a release tag")


def _gitlab_base(ctx: RunContext, host: str) -> str | None:
    cfg = ctx.config
    if host == "gitlab.com":
        return cfg.gitlab_url
    for h, url in cfg.gitlab_instances:
        if h.lower() == host:
            return url
    return None


def _from_clone(ctx: RunContext, cache: GitCache, repo: RepositoryRef, sub: str | None, why: Unknown,
                version: str | None = None) -> SubdirectoryCheck | Unknown:
    """The check in the clone of the auditor cache; *why* (the forge's failure) when there is none.

    When the history collector will run (it clones every mapped repository
    into the same cache), the clone is made or updated here, earlier; the
    history collector then finds it fresh.  Otherwise only an existing clone is read.
    """
    if sub is None:
        return why
    cfg = ctx.config
    git_dir = cache.path_for(repo.clone_url)
    if cfg.collector_enabled("history") and repo.clone_url.startswith("https://"):
        got = cache.update(repo)
        if isinstance(got, Unknown):  # the clone's failure is the one that counts (history reports it too)
            return Unknown(f"{why.reason}; clone: {got.reason}", fault=got.fault, kind=got.kind)
        git_dir = got
    if not git_dir.is_dir():
        return why
    return clone_check(git_dir, sub, version, why)


def clone_check(git_dir: Path, sub: str, version: str | None, why: Unknown | None = None,
                history: bool = False) -> SubdirectoryCheck | Unknown:
    """*sub* checked in a clone or mirror: at HEAD, then at the release tags (:func:`release_tags`),
    then, with *history* (a full mirror), in the path's history (``git log -1 HEAD -- sub``: ``removed``).

    A treeless clone fetches the few trees on the path lazily; its history is
    not read there (that would fetch every tree), so absence is ``refuted``.
    """
    for rev in ("HEAD", *release_tags(version)):
        state = subdirectory_state(git_dir, sub, rev=rev)
        if isinstance(state, Unknown):
            return Unknown(f"{why.reason}; clone: {state.reason}" if why else state.reason,
                           kind=why.kind if why else state.kind)
        if state == "confirmed":
            where = "HEAD" if rev == "HEAD" else f"tag {rev} (not at HEAD)"
            return SubdirectoryCheck("confirmed", sub, "clone", f"'{sub}' is a directory at {where}")
    if history:
        try:
            last = run_git(["log", "-1", "--format=%h %cs", "HEAD", "--", sub], cwd=git_dir, timeout=CONFIRM_TIMEOUT)
        except GitError as exc:
            return Unknown(f"history not read: {exc}", kind=UnknownKind.ERROR)
        if last.strip():
            return SubdirectoryCheck("removed", sub, "clone", f"'{sub}' is not at HEAD nor at a release tag; last "
                                                              f"changed in {last.decode('ascii', 'replace').strip()}")
    return SubdirectoryCheck("refuted", sub, "clone", f"'{sub}' is not a directory at HEAD or at a release tag")


def clone_inference(git_dir: Path, name: str, timeout: float = CONFIRM_TIMEOUT) -> SubdirectoryCheck | Unknown:
    """The ``inferred``/``root`` check of a root mapping in a full clone or mirror
    (``git ls-tree -r HEAD``, packaging files read with ``git show``; see
    :func:`auditor.repos.tree.infer_subdirectory`).  Not used on the
    audit's treeless clones, where listing every path would fetch every tree."""
    try:
        raw = run_git(["ls-tree", "-r", "-z", "--name-only", "HEAD"], cwd=git_dir, timeout=timeout)
    except GitError as exc:
        return Unknown(f"file list not read: {exc}", kind=UnknownKind.ERROR)
    files = [p.decode("utf-8", "replace") for p in raw.split(b"\0") if p]

    def read(path: str) -> str | None:
        try:
            return run_git(["show", f"HEAD:{path}"], cwd=git_dir, timeout=timeout)[:MAX_FILE_BYTES].decode("utf-8", "replace")
        except GitError:
            return None

    found, detail = infer_subdirectory(files, name, read)
    if found:
        return SubdirectoryCheck("inferred", found, "clone", detail)
    return SubdirectoryCheck("root", None, "clone", detail)


class SubdirectoryCollector(Collector):
    """The mapped subdirectory checked per node (see the module docstring).

    Results: :class:`SubdirectoryCheck`, or Unknown (forge unreachable and no
    clone; ``fault=False`` for a forge without a file-list API or an
    unchecked GitLab root mapping).  Nodes without a repository, and the
    interpreter, get no entry.
    """

    key = "subdirectory"
    description = "the mapped subdirectory checked against the repository's file list (GitHub/GitLab, else a clone)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, SubdirectoryCheck | Unknown]:
        cfg = ctx.config
        cache = GitCache(cfg.cache_dir, offline=cfg.offline, deadline=ctx.deadline,
                         hosts=ctx.hosts() if hasattr(ctx, "hosts") else None)  # shared: one "host down" memo
        by_repo: dict[str, list[PackageNode]] = {}
        refs: dict[str, RepositoryRef] = {}
        for node in nodes:
            repo = node.mapping.repo
            if repo is None or node.distribution.origin.kind == "interpreter":
                continue
            by_repo.setdefault(repo.url, []).append(node)
            refs[repo.url] = repo

        def one_repo(url: str) -> list[tuple[str, SubdirectoryCheck | Unknown]]:
            repo = refs[url]
            lister: Any = None
            off = None
            if repo.host == cfg.github_host and repo.path.count("/") == 1:
                if cfg.collector_enabled("github"):
                    lister = GitHubTree(ctx, repo)
                else:
                    off = "GitHub"
            elif (base := _gitlab_base(ctx, repo.host)) is not None:
                if cfg.collector_enabled("gitlab"):
                    lister = GitLabTree(ctx, repo, base)
                else:
                    off = "GitLab"
            out = []
            for node in by_repo[url]:
                raw = node.mapping.repo.subpath if node.mapping.repo else None
                sub = _safe(raw) if raw else None
                if raw and sub is None:
                    out.append((node.name, SubdirectoryCheck("refuted", raw, "mapping", "not a relative path")))
                    continue
                if lister is None:
                    why = (Unknown(f"{off} turned off (--no-{off.lower()})", fault=False, kind=UnknownKind.DISABLED)
                           if off else Unknown(f"no file-list API for {repo.host}", fault=False,
                                               kind=UnknownKind.NOT_APPLICABLE))
                    out.append((node.name, _from_clone(ctx, cache, repo, sub, why, node.distribution.version)))
                    continue
                got = lister.check(node.name, sub, node.distribution.version)
                if isinstance(got, Unknown) and got.fault:
                    got = _from_clone(ctx, cache, repo, sub, got, node.distribution.version)
                out.append((node.name, got))
            return out

        urls = sorted(by_repo)
        results: dict[str, SubdirectoryCheck | Unknown] = {}
        for pairs in ctx.map(one_repo, urls, task="repository file lists"):
            results.update(pairs)
        return results


_LOWER = {Confidence.VERIFIED: Confidence.HIGH, Confidence.HIGH: Confidence.MEDIUM,
          Confidence.MEDIUM: Confidence.LOW, Confidence.LOW: Confidence.LOW}


def apply_subdirectory(mapping: RepoMapping, check: SubdirectoryCheck | Unknown | None) -> RepoMapping:
    """The mapping after the file-list check (see :class:`SubdirectoryCheck` for the states).

    * ``confirmed``: state set, "not confirmed" in the evidence replaced;
    * ``refuted``: subdirectory dropped (the root), confidence one level lower, the evidence says why;
    * ``inferred`` (root mapping only): the subdirectory set, rule suffix ``+tree``;
    * ``root``: state set, nothing else;
    * Unknown with a subdirectory: ``not-confirmed`` and the reason in the evidence;
      Unknown without one, or None: unchanged.
    """
    repo = mapping.repo
    if repo is None or check is None:
        return mapping
    sub = repo.subpath
    if isinstance(check, Unknown):
        if not sub:
            return mapping
        return replace(mapping, subdirectory_state="not-confirmed",
                       evidence=_evidence(mapping.evidence, f"subdirectory not confirmed ({check.reason})"))
    if check.state == "confirmed" and sub:
        return replace(mapping, subdirectory_state="confirmed",
                       evidence=_evidence(mapping.evidence, f"subdirectory confirmed ({check.source}: {check.detail})"))
    if check.state == "refuted" and sub:
        return replace(mapping, repo=replace(repo, subpath=None), subdirectory_state="refuted",
                       confidence=_LOWER.get(mapping.confidence, mapping.confidence),
                       evidence=_evidence(mapping.evidence, f"subdirectory '{sub}' refuted ({check.source}: "
                                                            f"{check.detail}); mapped to the repository root"))
    if check.state == "removed" and sub:
        return replace(mapping, subdirectory_state="removed", confidence=_LOWER.get(mapping.confidence, mapping.confidence),
                       evidence=_evidence(mapping.evidence, f"subdirectory '{sub}' no longer at HEAD ({check.source}: "
                                                            f"{check.detail}); kept, the release predates its removal"))
    if check.state == "inferred" and not sub and check.subdirectory:
        return replace(mapping, repo=replace(repo, subpath=check.subdirectory), subdirectory_state="inferred",
                       rule=f"{mapping.rule}+tree",
                       evidence=f"{mapping.evidence}; subdirectory from the repository's file list ({check.source}: "
                                f"{check.detail})")
    if check.state == "root" and not sub:
        return replace(mapping, subdirectory_state="root")
    return mapping


def _evidence(evidence: str, addition: str) -> str:
    base = evidence.replace(", not confirmed against its file list", "")
    return f"{base}; {addition}"


__all__ = ["GitHubTree", "GitLabTree", "SubdirectoryCollector", "apply_subdirectory", "clone_check", "clone_inference",
           "release_tags",
           "subdirectory_state"]

