"""Map a distribution to its source repository, with evidence, confidence and the rule used.

Rules, strongest first; the first that names a repository wins, the other
repositories seen are kept as ``candidates`` (docs/mapping.md has the table):

1. ``vcs-url``: a direct VCS requirement URL -> ``high``.
2. ``project-url-<meaning>`` / ``home-page`` / ``download-url``: a forge URL
   in the pinned version's core metadata, then in the PyPI JSON API's
   ``info`` (latest release).  ``Project-URL`` labelled as source (PEP 753)
   -> ``high``; homepage/issues labels and ``Home-page`` -> ``medium``;
   other labels and ``Download-URL`` -> ``low``.
3. ``curated``: the curated table ``auditor/data/repo-mapping.yaml`` (each
   entry names the file that declares the distribution) -> ``medium``, or an
   explicit "no public source repository".
4. ``description-link``: a forge link in the project description (parsed
   Markdown/reST, :mod:`auditor.dist.description`) whose repository name
   matches the distribution name -> ``medium`` (exact) or ``low`` (prefix).
5. ``github-pages``: an ``OWNER.github.io/REPO`` link in the metadata ->
   ``low``.

The subdirectory comes from the winning URL, else from any other URL of the
same repository (``/tree/<branch>/<dir>``), else from the monorepo layout
table ``auditor/data/repo-layouts.yaml`` (rule suffix ``+layout``; not
confirmed against the repository's file list).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Iterable


from auditor.dist.description import is_directory_link
from auditor.models import (
    Confidence,
    CoreMetadata,
    Distribution,
    PyPIProject,
    RepoMapping,
    RepositoryRef,
    Unknown,
)
from auditor.repos.urls import canonical_repository, github_pages_repository, label_kind
from auditor.data import load_yaml

#: Confidence given to a forge URL by the PEP 753 meaning of its label.
LABEL_CONFIDENCE = {
    "source": Confidence.HIGH,
    "homepage": Confidence.MEDIUM,
    "issues": Confidence.MEDIUM,
    "changelog": Confidence.LOW,
    "documentation": Confidence.LOW,
    "download": Confidence.LOW,
    "other": Confidence.LOW,
}

#: The note of an unmapped distribution: what is known is that none was found.
NOT_FOUND = "no repository found"
#: The note of a curated entry with ``repo: null``.
NO_PUBLIC_SOURCE = "no public source repository"

_Found = tuple[RepositoryRef, Confidence, str, str]  # ref, confidence, evidence, rule


def _load(resource: str) -> tuple[dict, ...]:
    text = resources.files("auditor.data").joinpath(resource).read_text(encoding="utf-8")
    return tuple(load_yaml(text) or ())


@lru_cache(maxsize=1)
def known_table() -> tuple[dict, ...]:
    """Entries of the curated table (``auditor/data/repo-mapping.yaml``; fields in its header)."""
    return _load("repo-mapping.yaml")


@lru_cache(maxsize=1)
def layout_table() -> tuple[dict, ...]:
    """Entries of the monorepo layout table (``auditor/data/repo-layouts.yaml``)."""
    return _load("repo-layouts.yaml")


def lookup_known(name: str) -> dict | None:
    """The curated table entry for *name* (exact name first, then globs)."""
    table = known_table()
    for entry in table:
        if entry["name"] == name:
            return entry
    for entry in table:
        if any(c in entry["name"] for c in "*?[") and fnmatch.fnmatchcase(name, entry["name"]):
            return entry
    return None


def layout_subdirectory(repo_url: str, name: str, display_name: str | None = None) -> tuple[str, str] | None:
    """``(subdirectory, source)`` for distribution *name* in monorepo *repo_url*, from the
    layout table, or None when the table has no matching entry.

    Args:
        repo_url: canonical repository URL.
        name: PEP 503 normalized distribution name.
        display_name: the name as the metadata writes it (case kept, for ``{Name}``/``{star}``).
    """
    shown = display_name if display_name and _norm(display_name) == name else name
    for entry in layout_table():
        if entry["repo"] != repo_url or not fnmatch.fnmatchcase(name, entry["match"]):
            continue
        pattern = entry["match"]
        star = ""
        if "*" in pattern:
            head, tail = pattern.split("*", 1)
            star = shown[len(head):len(shown) - len(tail) if tail else None]
        values = {"name": name, "Name": shown, "star": star, "word1": star.split("-", 1)[0],
                  "name_": name.replace("-", "_")}
        sub = entry["subdirectory"].format(**values).strip("/")
        return (sub or None), entry.get("source", "")
    return None


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def name_match(repo: RepositoryRef, dist_name: str) -> Confidence | None:
    """How well a repository's name matches a distribution name.

    ``medium``: equal after dropping case and punctuation, or equal up to a
    ``python-``/``py``/``-python``/``-py`` affix or a trailing major version
    (``beautifulsoup4`` in ``beautifulsoup``); ``low``: the repository name
    starts with the distribution name (``databricks-sdk-py``); else None.
    """
    repo_key = _key(repo.path.rsplit("/", 1)[-1])
    d = _key(dist_name)
    if not d or not repo_key:
        return None
    if repo_key == d or repo_key in {"python" + d, "py" + d, d + "python", d + "py", d.rstrip("0123456789")}:
        return Confidence.MEDIUM
    if len(d) >= 4 and repo_key.startswith(d):
        return Confidence.LOW
    return None


def _candidates(
    urls: Iterable[tuple[str, str]], home_page: str | None, download_url: str | None, where: str
) -> list[_Found]:
    found: list[_Found] = []
    for label, url in urls:
        ref = canonical_repository(url)
        if ref:
            kind = label_kind(label)
            found.append((ref, LABEL_CONFIDENCE[kind], f"{where} Project-URL '{label}'", f"project-url-{kind}"))
    for field, url, conf, rule in (("Home-page", home_page, Confidence.MEDIUM, "home-page"),
                                   ("Download-URL", download_url, Confidence.LOW, "download-url")):
        ref = canonical_repository(url)
        if ref:
            found.append((ref, conf, f"{where} {field}", rule))
    found.sort(key=lambda c: c[1].rank)  # stable: keeps metadata order within a level
    return found


def _pages(urls: Iterable[tuple[str, str]], home_page: str | None, where: str) -> list[_Found]:
    found: list[_Found] = []
    for label, url in [*urls, ("Home-page", home_page or "")]:
        ref = github_pages_repository(url)
        if ref:
            found.append((ref, Confidence.LOW, f"{where} GitHub Pages link '{label}' ({url})", "github-pages"))
    return found


def _description(project: PyPIProject | Unknown, name: str) -> list[_Found]:
    if not isinstance(project, PyPIProject):
        return []
    found: list[_Found] = []
    for url in project.description_links:
        ref = canonical_repository(url)
        if ref is None:
            continue
        conf = name_match(ref, name)
        if conf is not None:
            found.append((ref, conf, f"project description link {url}", "description-link"))
    found.sort(key=lambda c: c[1].rank)
    return found


def names_repository(project_urls: Iterable[tuple[str, str]], home_page: str | None, download_url: str | None) -> bool:
    """Whether these URLs (a PyPI JSON ``info``'s) name a repository by themselves (rule 2).

    Then :func:`map_repository` never reaches the description rule, and the
    description can only contribute a directory link to the chosen
    repository (:func:`_subpath_from_same_repo`): the PyPI client extracts
    only those (``RunContext.repository_named``, :mod:`auditor.dist.description`).
    """
    return bool(_candidates(project_urls, home_page, download_url, ""))


def _subpath_from_same_repo(best: RepositoryRef, labelled: Iterable[tuple[str, str]], name: str) -> str | None:
    """The subdirectory named by another directory link to the same repository.

    A link under a source or homepage label counts as it is; any other link
    (other labels, the description) only when it is ``python``/``py`` (a
    bindings directory) or a nested directory named like the distribution
    (``packages/<dist>``), so that ``.../tree/main/examples`` or an import
    package ``.../tree/main/<dist>`` never becomes the package's directory.
    """
    for kind, url in labelled:
        if not is_directory_link(url):
            continue
        ref = canonical_repository(url)
        if not ref or ref.url != best.url or not ref.subpath:
            continue
        segments = ref.subpath.split("/")
        last = _key(segments[-1])
        # a top-level directory named like the distribution is usually its import
        # package or a Rust crate (beartype/beartype, huggingface/tokenizers), not
        # the directory the distribution is built from: only deeper ones count.
        if (kind in ("source", "homepage") or last in ("python", "py")
                or (last == _key(name) and len(segments) >= 2)):
            return ref.subpath
    return None


def _pick(found: list[_Found]) -> RepoMapping:
    best, conf, evidence, rule = found[0]
    others = tuple(dict.fromkeys((r.url, ev) for r, _c, ev, _r in found[1:] if r.url != best.url))
    note = None
    if any(c == Confidence.HIGH for r, c, _ev, _r in found[1:] if r.url != best.url) and conf == Confidence.HIGH:
        note = "metadata names more than one source repository"
    return RepoMapping(repo=best, evidence=evidence, confidence=conf, note=note, candidates=others, rule=rule)


def _labelled_urls(dist: Distribution, project: PyPIProject | Unknown) -> list[tuple[str, str]]:
    """Every URL of the metadata and description as ``(PEP 753 meaning or "description", url)``."""
    out: list[tuple[str, str]] = []
    meta = dist.metadata
    for m in (meta, project):
        if isinstance(m, (CoreMetadata, PyPIProject)):
            out += [(label_kind(label), url) for label, url in m.project_urls]
            out += [("homepage", m.home_page or ""), ("download", m.download_url or "")]
    if isinstance(project, PyPIProject):
        out += [("description", url) for url in project.description_links]
    return [(k, u) for k, u in out if u]


def _refine(mapping: RepoMapping, dist: Distribution, project: PyPIProject | Unknown) -> RepoMapping:
    """Fill the subdirectory from another URL of the same repository, else from the layout table."""
    repo = mapping.repo
    if repo is None:
        return mapping
    display = dist.metadata.name if isinstance(dist.metadata, CoreMetadata) else None
    if repo.subpath:  # a parent folder (".../tree/main/sdk") is refined by the layout, nothing else
        inferred = layout_subdirectory(repo.url, dist.name, display)
        if inferred and inferred[0] and inferred[0].startswith(repo.subpath.rstrip("/") + "/"):
            return replace(mapping, repo=replace(repo, subpath=inferred[0]), rule=f"{mapping.rule}+layout",
                           evidence=f"{mapping.evidence}; the linked folder '{repo.subpath}' holds many "
                                    f"distributions; subdirectory inferred from the repository layout "
                                    f"({inferred[1]}), not confirmed against its file list")
        return mapping
    sub = _subpath_from_same_repo(repo, _labelled_urls(dist, project), dist.name)
    if sub:
        return replace(mapping, repo=replace(repo, subpath=sub),
                       evidence=f"{mapping.evidence}; subdirectory from another link to the same repository")
    inferred = layout_subdirectory(repo.url, dist.name, display)
    if inferred and inferred[0]:
        return replace(mapping, repo=replace(repo, subpath=inferred[0]), rule=f"{mapping.rule}+layout",
                       evidence=f"{mapping.evidence}; subdirectory inferred from the repository layout "
                                f"({inferred[1]}), not confirmed against its file list")
    return mapping


def map_repository(dist: Distribution, project: PyPIProject | Unknown) -> RepoMapping:
    """The source repository of *dist*.

    Args:
        dist: the distribution; its core metadata is the first evidence.
        project: PyPI JSON facts, the second evidence (may be Unknown).

    Returns:
        A :class:`RepoMapping` with its ``rule``; ``repo`` is ``None`` with
        confidence ``none`` when nothing names a repository, with ``note``
        :data:`NO_PUBLIC_SOURCE` (curated table) or :data:`NOT_FOUND`.
    """
    if dist.origin.kind == "vcs" and dist.origin.url:
        ref = canonical_repository(dist.origin.url)
        if ref:
            return RepoMapping(ref, "direct VCS requirement URL", Confidence.HIGH, rule="vcs-url")
    meta = dist.metadata
    sources = []
    if isinstance(meta, CoreMetadata):
        sources.append((meta.project_urls, meta.home_page, meta.download_url, "core metadata"))
    if isinstance(project, PyPIProject):
        sources.append((project.project_urls, project.home_page, project.download_url, "PyPI JSON info"))
    for urls, home, download, where in sources:
        found = _candidates(urls, home, download, where)
        if found:
            return _refine(_pick(found), dist, project)
    entry = lookup_known(dist.name)
    if entry is not None:
        reason = entry.get("reason", "")
        if entry.get("repo"):
            ref = canonical_repository(entry["repo"])
            if ref:
                ref = replace(ref, subpath=entry.get("subdirectory") or None)
                source = entry.get("source") or "?"
                return RepoMapping(ref, f"curated table ({reason}; declared in {source})", Confidence.MEDIUM,
                                   rule="curated")
        return RepoMapping(None, f"curated table ({reason})", Confidence.NONE, note=NO_PUBLIC_SOURCE, rule="curated")
    found = _description(project, dist.name)
    if found:
        return _refine(_pick(found), dist, project)
    for urls, home, _download, where in sources:
        found = _pages(urls, home, where)
        if found:
            return _refine(_pick(found), dist, project)
    if isinstance(meta, Unknown) and isinstance(project, Unknown):
        return RepoMapping(None, "no metadata available", Confidence.NONE, note=f"{NOT_FOUND}: metadata {meta.reason}")
    return RepoMapping(None, "no forge URL in metadata or description", Confidence.NONE, note=NOT_FOUND)
