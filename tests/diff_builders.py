"""Builders for small audits used by the diff, policy and report tests."""

from __future__ import annotations

from auditor.diff import AuditView
from auditor.models import (
    Confidence,
    Contact,
    DependencyEdge,
    Distribution,
    Maintainer,
    Origin,
    Ownership,
    PackageNode,
    PyPIProject,
    RepoMapping,
    RepositoryRef,
    Unknown,
)


def node(name, version, *, maintainers=("alice",), org=None, repo="auto", confidence=Confidence.HIGH,
         requires=(), uploaded="2025-01-01T00:00:00Z", signals=None, line=None, file="uv.lock", contacts=(),
         project="ok", direct=False):
    """A PackageNode with PyPI facts; ``maintainers=None`` or ``project=None`` make them Unknown."""
    if repo == "auto":
        repo = f"https://github.com/{name}/{name}"
    ref = None
    if repo:
        path = repo.split("github.com/", 1)[-1]
        ref = RepositoryRef(url=repo, host="github.com", path=path)
    mapping = RepoMapping(ref, "core metadata Project-URL 'Source'", confidence if ref else Confidence.NONE)
    if project is None:
        proj = Unknown("HTTP 503 after 3 retries from pypi.org")
    else:
        own = Unknown("PyPI JSON API returned no 'ownership' object") if maintainers is None else Ownership(
            org, tuple(Maintainer(m, "Owner") for m in maintainers))
        proj = PyPIProject(name=name, ownership=own, version_uploads={version: uploaded} if uploaded else {},
                           first_upload=uploaded)
    dist = Distribution(
        name=name, version=version, metadata=Unknown("not needed", fault=False),
        requires=tuple(DependencyEdge(target=t, requirement=t) for t in requires),
        origin=Origin(kind="registry", file=file, line=line), direct=direct,
    )
    return PackageNode(distribution=dist, mapping=mapping, project=proj,
                       contacts=tuple(Contact(c, None, "Author") for c in contacts), signals=signals or {})


def view(name, *nodes, root=()):
    return AuditView(name, {n.name: n for n in nodes},
                     tuple(DependencyEdge(target=t, requirement=t) for t in root))
