"""Builders for the tests: the one PackageNode builder, small inventories, diff views, a Source
and :func:`collect` (a source read on a context of its own), and uv.lock files of registry
packages published on the fake PyPI (:func:`uv_lock`, :func:`publish`; the ``sides`` fixture).

:func:`package_node` is the only place the tests construct a
:class:`~auditor.models.PackageNode`; :func:`diff_node` is its preset for the
diff, policy and diff-report tests (a lockfile package with PyPI facts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from auditor.config import Config
from auditor.models import (
    Confidence,
    Contact,
    CoreMetadata,
    DependencyEdge,
    Distribution,
    Inventory,
    Maintainer,
    Origin,
    Ownership,
    PackageNode,
    PyPIProject,
    RepoMapping,
    RepositoryRef,
    TargetEnvironment,
    Unknown,
)
from auditor.net.context import RunContext
from auditor.sources.edges import link
from auditor.sources.interface import Source
from tests.fakes.server import metadata_text, project_doc


def dist(name: str, version: str = "1.0", requires=(), project_urls=(), requires_python=None, **meta) -> Distribution:
    return Distribution(
        name, version,
        CoreMetadata(name, version, requires_dist=tuple(requires), project_urls=tuple(project_urls),
                     requires_python=requires_python, **meta),
    )


def inventory(root_requirements, *dists, target=None) -> Inventory:
    target = target or TargetEnvironment("3.11", "linux", "x86_64")
    root, linked = link(root_requirements, list(dists), target)
    direct = {e.target for e in root}
    linked = tuple(d.__class__(**{**d.__dict__, "direct": d.name in direct}) for d in linked)
    return Inventory("test-input", "requirements", root, linked, target, "3.11.7", "test")


class StaticSource(Source):
    """A Source that returns a prepared Inventory."""

    name = "static"

    def __init__(self, inv: Inventory):
        self.inv = inv

    def collect(self, ctx):
        return self.inv


def collect(source: Source, config: Config) -> Inventory:
    """``source.collect(ctx)`` on a :class:`RunContext` built for *config* and closed afterwards."""
    with RunContext(config) as ctx:
        return source.collect(ctx)


#: The mapping evidence most tests use.
SOURCE_EVIDENCE = "core metadata Project-URL 'Source'"


def repo_ref(url: str, subpath: str | None = None) -> RepositoryRef:
    """A RepositoryRef from ``https://host/owner/name``."""
    host, path = url.split("://", 1)[1].split("/", 1)
    return RepositoryRef(url=url, host=host, path=path, subpath=subpath)


def package_node(
    name: str,
    version: str | None = "1.0",
    *,
    repo: str | RepositoryRef | None = None,
    confidence: Confidence = Confidence.HIGH,
    evidence: str | None = None,
    metadata: CoreMetadata | Unknown | None = None,
    project: PyPIProject | Unknown | None = None,
    maintainers: Sequence[str] | None = None,
    org: str | None = None,
    uploaded: str | None = None,
    requires: Sequence[str] = (),
    origin: Origin | None = None,
    direct: bool = False,
    contacts: Sequence[str] = (),
    signals: Mapping[str, Any] | None = None,
) -> PackageNode:
    """A PackageNode; every argument has a plain default.

    Args:
        repo: repository URL (or ref); ``None`` leaves the package unmapped
            (confidence ``none``, evidence "no repository URL in metadata").
        metadata: core metadata (default: ``CoreMetadata(name, version)``).
        project: PyPI facts; default built from *maintainers* (``Owner`` roles),
            *org* and *uploaded* when *maintainers* is given, else
            ``Unknown("not fetched", fault=False)``.
        requires: names of the dependency edges.
        contacts: e-mail addresses named as ``Author``.
    """
    if isinstance(repo, str):
        repo = repo_ref(repo)
    if repo is None:
        mapping = RepoMapping(None, evidence or "no repository URL in metadata", Confidence.NONE)
    else:
        mapping = RepoMapping(repo, evidence or SOURCE_EVIDENCE, confidence)
    if project is None and maintainers is not None:
        project = PyPIProject(name=name, ownership=Ownership(org, tuple(Maintainer(m, "Owner") for m in maintainers)),
                              version_uploads={version: uploaded} if uploaded else {}, first_upload=uploaded)
    dist = Distribution(
        name=name, version=version,
        metadata=metadata if metadata is not None else CoreMetadata(name=name, version=version or "0"),
        requires=tuple(DependencyEdge(target=t, requirement=t) for t in requires),
        origin=origin or Origin(), direct=direct,
    )
    return PackageNode(distribution=dist, mapping=mapping,
                       project=project if project is not None else Unknown("not fetched", fault=False),
                       contacts=tuple(Contact(c, None, "Author") for c in contacts), signals=signals or {})


def diff_node(name, version, *, maintainers=("alice",), org=None, repo="auto", confidence=Confidence.HIGH,
              requires=(), uploaded="2025-01-01T00:00:00Z", signals=None, line=None, file="uv.lock", contacts=(),
              project="ok", direct=False) -> PackageNode:
    """A lockfile package with PyPI facts (diff, policy and diff-report tests).

    ``repo="auto"`` maps it to ``https://github.com/NAME/NAME``;
    ``maintainers=None`` makes the ownership Unknown and ``project=None`` the
    whole PyPI project.
    """
    if repo == "auto":
        repo = f"https://github.com/{name}/{name}"
    if project is None:
        proj = Unknown("HTTP 503 after 3 retries from pypi.org")
    elif maintainers is None:
        proj = PyPIProject(name=name, ownership=Unknown("PyPI JSON API returned no 'ownership' object"),
                           version_uploads={version: uploaded} if uploaded else {}, first_upload=uploaded)
    else:
        proj = None
    return package_node(name, version, repo=repo or None, confidence=confidence, project=proj,
                        maintainers=maintainers, org=org, uploaded=uploaded, requires=requires,
                        metadata=Unknown("not needed", fault=False), origin=Origin(kind="registry", file=file, line=line),
                        direct=direct, contacts=contacts, signals=signals,
                        evidence=SOURCE_EVIDENCE)


def view(name, *nodes, root=(), hub=None):
    """An :class:`auditor.gate.views.AuditView` of *nodes* whose root requires *root*, with the Hub
    repositories *hub* (``{node id: HubView}``)."""
    from auditor.gate.views import AuditView

    return AuditView(name, {n.name: n for n in nodes},
                     tuple(DependencyEdge(target=t, requirement=t) for t in root), hub=hub)


_UV_LOCK = """version = 1
revision = 3
requires-python = ">=3.11"

[[package]]
name = "demo"
version = "0.1.0"
source = {{ virtual = "." }}
dependencies = [
{deps}
]
{packages}"""

_UV_PACKAGE = """
[[package]]
name = "{name}"
version = "{version}"
source = {{ registry = "https://pypi.org/simple" }}
"""


def uv_lock(path: Path, packages: dict[str, str]) -> Path:
    """Write a uv.lock at *path* whose project requires each of *packages* (``{name: version}``,
    registry packages without dependencies of their own); return *path*."""
    deps = "\n".join(f'    {{ name = "{n}" }},' for n in packages)
    path.write_text(_UV_LOCK.format(deps=deps, packages="".join(_UV_PACKAGE.format(name=n, version=v)
                                                                for n, v in packages.items())))
    return path


def publish(pypi, name: str, versions: Sequence[str], roles, uploaded: str, source: str | None = None) -> None:
    """Put project *name* on the fake PyPI *pypi*: *versions* (the last is the latest) uploaded at
    *uploaded* (ISO 8601), PyPI roles *roles* (``(("Owner", "alice"), ...)``), a wheel with core
    metadata per version, and a ``Source`` project URL when *source* is given."""
    urls = {"Source": source} if source else None
    pypi.projects[name] = project_doc(name, versions[-1], roles=roles, project_urls=urls,
                                      uploads={v: uploaded for v in versions})
    for v in versions:
        pypi.files[name][f"{name}-{v}-py3-none-any.whl"] = metadata_text(
            name, v, project_urls=(("Source", source),) if source else ())
