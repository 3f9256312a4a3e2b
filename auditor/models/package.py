"""Inputs (what every source hands the pipeline) and the enriched package node.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, TypeVar

from packaging.utils import canonicalize_name

from auditor.models.person import Contact, Maintainer, PyPIProject
from auditor.models.repository import RepoMapping
from auditor.models.unknown import Unknown, UnknownKind


class Signal(Protocol):
    """A signal model: a frozen dataclass with a ``KEY`` naming its slot in ``PackageNode.signals``."""

    KEY: str


S = TypeVar("S", bound=Signal)


def normalize_name(name: str) -> str:
    """PEP 503 normalized form of a distribution name (``Foo_Bar`` -> ``foo-bar``)."""
    return str(canonicalize_name(name))


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
        license_expression: ``License-Expression`` (PEP 639) as written, or ``None``.
        license_classifiers: the ``License ::`` Trove classifiers, in order.
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
    license_expression: str | None = None
    license_classifiers: tuple[str, ...] = ()
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
        requested: the direct reference as the input wrote it (credentials
            redacted), when the resolver pinned it to something else (a VCS
            branch resolved to a commit): what the next install follows.
    """

    kind: str = "registry"
    url: str | None = None
    file: str | None = None
    line: int | None = None
    index_url: str | None = None
    requested: str | None = None


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
        root_kind: ``"requirements"``, ``"environment"``, ``"lockfile"``, ``"pyproject"`` or ``"sbom"`` (a CycloneDX document).
        root_requires: edges from the root to the directly required distributions.
        distributions: every distribution in the set, unique by name.
        target: environment the markers were evaluated for.
        interpreter_version: full version of the Python interpreter the set
            runs on (``"3.11.7"``), used for the interpreter node.
        resolver: what produced the pins (``"uv pip compile"``, ``"pip --dry-run"``,
            ``"installed"``, ``"lockfile"``).
        gaps: ``(what, reason)`` for parts of the input the source could not
            read and went on without (an unreachable ``--extra-index-url``),
            or ``(what, reason, kind)`` with an :class:`UnknownKind` value
            (default ``unreachable``; an SBOM's other ecosystems are
            ``unsupported``); every output lists them, and the audit is
            incomplete (exit 3).
    """

    root_name: str
    root_kind: str
    root_requires: tuple[DependencyEdge, ...]
    distributions: tuple[Distribution, ...]
    target: TargetEnvironment
    interpreter_version: str
    resolver: str = ""
    gaps: tuple[tuple[str, ...], ...] = ()

    def by_name(self) -> dict[str, Distribution]:
        """Distributions keyed by normalized name."""
        return {d.name: d for d in self.distributions}


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
        """Publish-capable PyPI accounts, or Unknown when PyPI data is missing.

        A project owned by a PyPI organization whose roles the JSON API does
        not list (``ownership.roles`` empty) is Unknown ("members not
        public"), never zero accounts: the organization's members publish it.
        """
        if isinstance(self.project, Unknown):
            return self.project
        if isinstance(self.project.ownership, Unknown):
            return self.project.ownership
        own = self.project.ownership
        if own.organization and not own.maintainers:
            return Unknown(f"owned by PyPI organization {own.organization}; members not public", fault=False,
                           kind=UnknownKind.NOT_PUBLIC)
        return own.maintainers

    @property
    def organization(self) -> str | None:
        """The PyPI organization that owns the project (``ownership.organization``), or None."""
        if isinstance(self.project, Unknown) or isinstance(self.project.ownership, Unknown):
            return None
        return self.project.ownership.organization

    def signal(self, kind: type[S]) -> S | Unknown:
        """The fact of type *kind* collected for this node, or an Unknown.

        Args:
            kind: a signal model class (e.g. :class:`~auditor.models.ReleaseProvenance`);
                its ``KEY`` names the slot its collector filled.

        Returns:
            the collector's value, the collector's Unknown, or
            ``Unknown(kind=not_collected)`` when the collector did not run
            for this node (turned off, or not applicable).
        """
        value = self.signals.get(kind.KEY)
        if value is None:
            value = _NOT_COLLECTED.get(kind.KEY)
            if value is None:  # immutable: one per key, not one per call (scoring asks for every package)
                value = _NOT_COLLECTED[kind.KEY] = Unknown(f"{kind.KEY} not collected", fault=False,
                                                           kind=UnknownKind.NOT_COLLECTED)
        return value


#: The Unknown :meth:`PackageNode.signal` returns for a slot no collector filled, by key.
_NOT_COLLECTED: dict[str, Unknown] = {}
