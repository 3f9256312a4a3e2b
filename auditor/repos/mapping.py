"""Map a distribution to its source repository, with evidence and confidence.

Evidence is tried strongest first; the first forge URL found wins and the
others are kept as ``candidates``:

1. Core metadata of the pinned version: ``Project-URL`` with a source label
   (PEP 753: ``Source``, ``Repository``, ``Source Code``, ...) -> ``high``;
   ``Homepage``/``Issues`` labels and ``Home-page`` on a forge -> ``medium``;
   other labels and ``Download-URL`` on a forge -> ``low``.
2. The PyPI JSON API's ``info.project_urls``/``home_page`` (latest release),
   with the same rules, when the pinned version's metadata names nothing.
3. The built-in table ``known.yaml`` (each entry with its reason) -> ``medium``,
   or an explicit "no public source repository".
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from auditor.models import (
    Confidence,
    CoreMetadata,
    Distribution,
    PyPIProject,
    RepoMapping,
    RepositoryRef,
    Unknown,
)
from auditor.repos.urls import canonical_repository, label_kind

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


@lru_cache(maxsize=1)
def known_table() -> tuple[dict, ...]:
    """Entries of the built-in table (``auditor/repos/known.yaml``)."""
    text = resources.files("auditor.repos").joinpath("known.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text) or ())


def lookup_known(name: str) -> dict | None:
    """The built-in table entry for *name* (exact name first, then globs)."""
    table = known_table()
    for entry in table:
        if entry["name"] == name:
            return entry
    for entry in table:
        if any(c in entry["name"] for c in "*?[") and fnmatch.fnmatchcase(name, entry["name"]):
            return entry
    return None


def _candidates(
    urls: Iterable[tuple[str, str]], home_page: str | None, download_url: str | None, where: str
) -> list[tuple[RepositoryRef, Confidence, str]]:
    found = []
    for label, url in urls:
        ref = canonical_repository(url)
        if ref:
            found.append((ref, LABEL_CONFIDENCE[label_kind(label)], f"{where} Project-URL '{label}'"))
    for field, url, conf in (("Home-page", home_page, Confidence.MEDIUM), ("Download-URL", download_url, Confidence.LOW)):
        ref = canonical_repository(url)
        if ref:
            found.append((ref, conf, f"{where} {field}"))
    found.sort(key=lambda c: c[1].rank)  # stable: keeps metadata order within a level
    return found


def _pick(found: list[tuple[RepositoryRef, Confidence, str]]) -> RepoMapping:
    best, conf, evidence = found[0]
    others = tuple(dict.fromkeys((r.url, ev) for r, _c, ev in found[1:] if r.url != best.url))
    note = None
    if any(c == Confidence.HIGH for r, c, _ev in found[1:] if r.url != best.url) and conf == Confidence.HIGH:
        note = "metadata names more than one source repository"
    return RepoMapping(repo=best, evidence=evidence, confidence=conf, note=note, candidates=others)


def map_repository(dist: Distribution, project: PyPIProject | Unknown) -> RepoMapping:
    """The source repository of *dist*.

    Args:
        dist: the distribution; its core metadata is the first evidence.
        project: PyPI JSON facts, the second evidence (may be Unknown).

    Returns:
        A :class:`RepoMapping`; ``repo`` is ``None`` with confidence ``none``
        when nothing names a repository, with ``note`` saying whether the
        package has no public source (built-in table) or we simply found none.
    """
    if dist.origin.kind == "vcs" and dist.origin.url:
        ref = canonical_repository(dist.origin.url)
        if ref:
            return RepoMapping(ref, "direct VCS requirement URL", Confidence.HIGH)
    meta = dist.metadata
    if isinstance(meta, CoreMetadata):
        found = _candidates(meta.project_urls, meta.home_page, meta.download_url, "core metadata")
        if found:
            return _pick(found)
    if isinstance(project, PyPIProject):
        found = _candidates(project.project_urls, project.home_page, project.download_url, "PyPI JSON info")
        if found:
            return _pick(found)
    entry = lookup_known(dist.name)
    if entry is not None:
        reason = entry.get("reason", "")
        if entry.get("repo"):
            ref = canonical_repository(entry["repo"])
            if ref:
                return RepoMapping(ref, f"built-in table ({reason})", Confidence.MEDIUM)
        return RepoMapping(None, f"built-in table ({reason})", Confidence.NONE, note="no public source repository")
    if isinstance(meta, Unknown) and isinstance(project, Unknown):
        return RepoMapping(None, "no metadata available", Confidence.NONE, note=f"metadata {meta.reason}")
    return RepoMapping(None, "no forge URL in metadata", Confidence.NONE, note="no repository URL found")
