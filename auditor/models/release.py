"""Release signals: PEP 740 provenance, PEP 792 project status, release facts, install-time code, vendored libraries, name confusion.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from auditor.models.unknown import Unknown


@dataclass(frozen=True)
class TrustedPublisher:
    """The Trusted Publisher identity of a PEP 740 attestation bundle.

    Source: ``attestation_bundles[].publisher`` of the PyPI integrity API.

    Attributes:
        kind: ``"GitHub"``, ``"GitLab"``, ``"Google"`` or ``"CircleCI"``.
        repository: ``"owner/name"`` (GitHub, GitLab), else ``None``.
        workflow: workflow file (GitHub ``workflow``, GitLab ``workflow_filepath``), else ``None``.
        environment: CI environment name, if the publisher sets one.
        repository_url: ``https://github.com/owner/name`` style URL, if *repository* is known.
    """

    kind: str
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = None
    repository_url: str | None = None


@dataclass(frozen=True)
class ReleaseProvenance:
    """PEP 740 provenance of a pinned release (``signals["provenance"]``).

    Source: ``GET https://pypi.org/integrity/<project>/<version>/<filename>/provenance``,
    verified with ``pypi-attestations`` against the file's sha256 from the
    simple index.

    Attributes:
        status: ``"verified"`` (every attestation verified against its publisher),
            ``"unattested"`` (no provenance published: not a failure), or
            ``"invalid"`` (provenance present but verification failed).
        filename: the distribution file whose provenance was checked.
        publishers: Trusted Publishers named by the attestation bundles.
        predicate_types: in-toto predicate types seen (``https://docs.pypi.org/attestations/publish/v1``).
        detail: one line: why invalid, or what was verified.
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(ReleaseProvenance)``.
    KEY: ClassVar[str] = "provenance"

    status: str
    filename: str | None = None
    publishers: tuple[TrustedPublisher, ...] = ()
    predicate_types: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class VendorBinary:
    """Whether a distribution is a closed vendor binary or a vendor's accelerator build (``signals["vendor"]``).

    Source: ``auditor/data/vendor-binaries.yaml`` (matched on the normalized
    name) and the version's PEP 440 local label (``2.5.1+cu124``); no request.

    Attributes:
        vendor: the accountable vendor (``"NVIDIA"``) when the table lists the
            distribution, else ``None``.
        organization: the vendor's PyPI organization, when it has one.
        build: the accelerator build the local version names (``"cu124"``,
            ``"rocm6.2"``, ``"cpu"``), else ``None``.
        evidence: where the classification comes from (the table entry's
            ``source``, or the local version).
    """

    #: Slot in ``PackageNode.signals``; read with ``node.signal(VendorBinary)``.
    KEY: ClassVar[str] = "vendor"

    vendor: str | None = None
    organization: str | None = None
    build: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class ProjectStatus:
    """PEP 792 status of a project on its index (``signals["status"]``).

    Source: the simple index's project page (PEP 691 JSON ``project-status``,
    or the HTML ``pypi:project-status`` meta tags); see
    :class:`auditor.net.pypi.IndexPage`.

    Attributes:
        status: ``"active"``, ``"archived"`` (no more uploads expected),
            ``"quarantined"`` (considered unsafe, e.g. malware; nothing is
            offered for download) or ``"deprecated"`` (obsolete), or an
            unrecognized value exactly as the index gave it.
        reason: the index's free-text reason, if any.
        stated: ``True`` when the index gave a marker; ``False`` means the
            page states none, which the specification reads as ``active``
            (an index that predates PEP 792 also states none).
    """

    #: Slot in ``PackageNode.signals``; read with ``node.signal(ProjectStatus)``.
    KEY: ClassVar[str] = "status"

    status: str
    reason: str | None = None
    stated: bool = False


@dataclass(frozen=True)
class ReleaseFacts:
    """Release history facts for a pinned version (``signals["release"]``).

    Source: the PyPI JSON API project document (:class:`PyPIProject`),
    limited to uploads on or before ``Config.as_of``.

    Attributes:
        version: the pinned version.
        uploaded: ISO-8601 upload time of the pinned version, or ``None`` if unknown.
        version_age_days: days from *uploaded* to the reference date.
        project_age_days: days from the project's first upload to the reference date.
        release_count: number of releases with files.
        yanked: whether every file of the pinned version is yanked (PEP 592).
        last_release: version with the most recent upload.
        days_since_last_release: days from that upload to the reference date.
        reference_date: the date ages are measured to (``as_of`` or today), ISO-8601.
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(ReleaseFacts)``.
    KEY: ClassVar[str] = "release"

    version: str
    uploaded: str | None
    version_age_days: float | None
    project_age_days: float | None
    release_count: int
    yanked: bool
    last_release: str | None
    days_since_last_release: float | None
    reference_date: str


@dataclass(frozen=True)
class InstallFacts:
    """Whether installing a release runs its code (``signals["install"]``).

    Source: the simple index file list (PEP 691), matched against the target
    environment's tags (``packaging.tags``); the build system from the
    sdist's ``pyproject.toml`` (PEP 517/518), read as data, never executed.

    Attributes:
        version: the pinned version.
        wheel: the best wheel filename for the target, or ``None``.
        sdist: the sdist filename, or ``None``.
        builds_from_source: True when no wheel fits and the sdist's build
            backend runs at install time.
        build_backend: ``build-system.build-backend`` of the sdist (PEP 517
            default ``setuptools.build_meta:__legacy__`` when absent), ``None``
            when not looked at, or Unknown when the sdist could not be read
            (``too_large``: over a download or archive limit; ``malformed``).
        build_requires: ``build-system.requires`` PEP 508 strings.
        backend_path: ``build-system.backend-path`` (PEP 517 in-tree backend:
            the build backend is code shipped inside the sdist itself).
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(InstallFacts)``.
    KEY: ClassVar[str] = "install"

    version: str
    wheel: str | None
    sdist: str | None
    builds_from_source: bool
    build_backend: str | Unknown | None = None
    build_requires: tuple[str, ...] = ()
    backend_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class VendoredLibrary:
    """A shared library shipped inside an installed wheel.

    Attributes:
        path: path relative to site-packages, as in the RECORD file.
        size: bytes (RECORD size, else the file's size), or ``None``.
        upstream: recognizable upstream project (``"OpenBLAS"``, ``"libgfortran"``), else ``None``.
        bundled: True when it is third-party code: it sits in an
            auditwheel/delocate/delvewheel ``*.libs``/``.dylibs`` folder, or its
            upstream is recognized (``torch/lib/libgomp-*.so``).
        repository: the upstream's public source repository from
            ``auditor/data/native-libraries.yaml``, ``None`` when unrecognized
            or closed source.
        soname: the ELF ``DT_SONAME`` (``"libgfortran.so.5"``), ``None`` when
            absent or not read (``linking_unknown`` says why).
        needed: the ELF ``DT_NEEDED`` entries, in file order.
        version: the version the SONAME carries (``"5"``), else ``None``.
        linking_unknown: why ``soname``/``needed`` are not known
            (``"unsupported format (Mach-O)"``, ``"malformed ELF (...)"``,
            ``"over the 67108864-byte member limit"``), ``None`` when read.
        evidence: where ``upstream``/``version``/``repository`` come from when
            not the file name and the curated table: ``"PEP 770 SBOM
            numpy-2.4.6.dist-info/sboms/x.cdx.json (CycloneDX 1.6)"``; else ``None``.
    """

    path: str
    size: int | None
    upstream: str | None = None
    bundled: bool = False
    repository: str | None = None
    soname: str | None = None
    needed: tuple[str, ...] = ()
    version: str | None = None
    linking_unknown: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class VendoredCode:
    """Native code an installed distribution ships (``signals["vendored"]``).

    Source: the distribution's ``RECORD`` (wheel spec) in its ``.dist-info``.

    Attributes:
        libraries: bundled or own shared libraries, sorted by path; with
            PEP 770 SBOMs (``.dist-info/sboms/``), their components win over the
            file-name/SONAME guesses, and a component no file matches is a
            library of its own (path ``"<sbom path>#<name>"``).
        sboms: the SBOMs read: ``"<path> (CycloneDX 1.6, 3 components)"``.
        sbom_unknown: ``"<path>: <reason>"`` for each SBOM that could not be
            read (``unsupported format (SPDX)``, malformed, too large).
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(VendoredCode)``.
    KEY: ClassVar[str] = "vendored"

    libraries: tuple[VendoredLibrary, ...] = ()
    sboms: tuple[str, ...] = ()
    sbom_unknown: tuple[str, ...] = ()

    def faults(self) -> list[tuple[str, str]]:
        """``("sbom", reason)`` per unreadable SBOM: the audit lists them as missing data (exit 3)."""
        return [("sbom", reason) for reason in self.sbom_unknown]

    @property
    def bundled(self) -> tuple[VendoredLibrary, ...]:
        """Libraries copied in by auditwheel/delocate/delvewheel (third-party code)."""
        return tuple(lib for lib in self.libraries if lib.bundled)


@dataclass(frozen=True)
class NameSignals:
    """Name-confusion facts for a package (``signals["names"]``).

    Source: the bundled list of the most downloaded PyPI projects
    (``auditor/data/top-pypi-projects.txt``) and the run's repository mappings.

    Attributes:
        rank: 1-based download rank of the name itself, or ``None`` if not in the list.
        similar_to: ``(popular name, technique)`` pairs for more popular names
            this one imitates (``("requests", "edit distance 1")``).
        shares_repository_with: other packages in the audit mapped to the same
            repository whose names are unrelated to this one.
    """

    #: Slot in ``PackageNode.signals`` (the collector's key); read with ``node.signal(NameSignals)``.
    KEY: ClassVar[str] = "names"

    rank: int | None = None
    similar_to: tuple[tuple[str, str], ...] = ()
    shares_repository_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexCopy:
    """One other index's copy of a project name (part of :class:`SharedName`).

    Attributes:
        index: the index URL, credentials redacted.
        versions: the versions its project page lists (parsed from the file
            names), oldest first.
        mirror: every file it lists is also on the run's public index with
            the same name and sha256: a proxy of PyPI, not a name of its own.
    """

    index: str
    versions: tuple[str, ...]
    mirror: bool = False


@dataclass(frozen=True)
class SharedName:
    """A project name served by the run's public index and by other indexes (``signals["indexes"]``).

    Source: the simple-index project pages (PEP 691 JSON or PEP 503 HTML) of
    every index the run resolved from (``Distribution.origin.index_url`` of
    the registry distributions: uv's ``# from`` annotation, a lockfile's
    ``source``), and the PyPI JSON API's release list.  The judgement is
    finding AUD122 (:mod:`auditor.judgement.findings`).

    Attributes:
        pypi_versions: versions on the public index (PyPI JSON API ``releases``), oldest first.
        copies: the other indexes that serve the name (empty: none does).
        served_by: the index the resolved version came from, when known.
    """

    #: Slot in ``PackageNode.signals``; read with ``node.signal(SharedName)``.
    KEY: ClassVar[str] = "indexes"

    pypi_versions: tuple[str, ...]
    copies: tuple[IndexCopy, ...] = ()
    served_by: str | None = None
