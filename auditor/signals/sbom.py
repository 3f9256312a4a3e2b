"""PEP 770 SBOM components applied to a distribution's shared libraries (docs/native.md, "PEP 770 SBOMs").

Source: the ``*.dist-info/sboms/`` files the ``RECORD`` lists, read by
:func:`auditor.dist.sbom.read_sbom` (CycloneDX JSON through
cyclonedx-python-lib).  A component states what the wheel's builder says it
bundled, so it wins over the guesses from file names and SONAMEs: a library
matched by a component takes its name (unless the curated table names the
same project), version and repository, with the SBOM as evidence.  A
component that matches no library file (a statically linked zlib) is listed
as a library of its own, so it is a ``native_library`` node too.
PyPI components (``pkg:pypi/...``) are Python dependencies, not native code,
and are skipped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Sequence

from auditor.dist.archives import ArchiveTooLarge
from auditor.dist.sbom import RawComponent, SbomUnreadable, read_sbom
from auditor.models import VendoredLibrary
from auditor.repos.urls import canonical_repository

#: ``path -> bytes`` of one file (bounded by the caller); may raise OSError / ArchiveTooLarge.
ByteReader = Callable[[str], bytes]


def _repository(comp: RawComponent, entry: dict | None) -> str | None:
    """The component's repository: its ``vcs`` reference, a ``pkg:github`` purl, else the table's."""
    for url in (comp.vcs,):
        ref = canonical_repository(url) if url else None
        if ref is not None:
            return ref.url
    if comp.purl_type == "github" and comp.purl:
        try:
            from packageurl import PackageURL

            p = PackageURL.from_string(comp.purl)
            ref = canonical_repository(f"https://github.com/{p.namespace}/{p.name}")
            if ref is not None:
                return ref.url
        except ValueError:
            pass
    return entry.get("repository") if entry else None


def _matches(names: tuple[str, str], comp_entry: dict | None, base: str, lib_entry: dict | None) -> bool:
    """Whether a component (lower-case name and ``lib``-prefixed name, table entry) names a library
    (lower-case file name, table entry): the same table project, else a file name starting with its name."""
    if comp_entry is not None and lib_entry is not None:
        return comp_entry["project"] == lib_entry["project"]
    return base.startswith(names[0]) or base.startswith(names[1])


def apply_sboms(libs: Sequence[VendoredLibrary], paths: Iterable[str], read: ByteReader,
                native_entry: Callable[..., dict | None]) -> tuple[list[VendoredLibrary], list[str], list[str]]:
    """``(libraries, SBOMs read, SBOM unknowns)``: *libs* with the SBOMs at *paths* applied.

    Args:
        libs: the libraries found in RECORD (file name, SONAME and table guesses).
        paths: RECORD paths of the ``.dist-info/sboms/`` files.
        read: ``path -> bytes`` of one of them.
        native_entry: :func:`auditor.signals.vendored.native_entry`.
    """
    out = list(libs)
    described, unknown = [], []
    entries: dict[tuple[str, str | None], dict | None] = {}

    bases: dict[str, str] = {}

    def entry_of(lib: VendoredLibrary) -> dict | None:  # once per library, not once per (component, library)
        key = (lib.path, lib.soname)
        if key not in entries:
            entries[key] = native_entry(lib.path, lib.soname)
        return entries[key]

    def base_of(lib: VendoredLibrary) -> str:  # the same: a Rust SBOM's 200 components meet 200 libraries
        base = bases.get(lib.path)
        if base is None:
            base = bases[lib.path] = lib.path.rsplit("/", 1)[-1].lower()
        return base

    for path in sorted(paths):
        try:
            fmt, components = read_sbom(read(path))
        except SbomUnreadable as exc:
            unknown.append(f"{path}: {exc}")
            continue
        except ArchiveTooLarge as exc:
            unknown.append(f"{path}: {exc}")
            continue
        except OSError as exc:
            unknown.append(f"{path}: not readable ({exc.strerror or type(exc).__name__})")
            continue
        evidence = f"PEP 770 SBOM {path} ({fmt})"
        native = [c for c in components if c.purl_type != "pypi"]
        described.append(f"{path} ({fmt}, {len(native)} components)")
        for comp in native:
            comp_entry = native_entry(comp.name)
            name = comp.name.lower()
            names = (name, "lib" + name.removeprefix("lib"))
            hits = [i for i, lib in enumerate(out) if lib.evidence is None or lib.evidence == evidence
                    if _matches(names, comp_entry, base_of(lib), entry_of(lib))]
            upstream = comp_entry["project"] if comp_entry else comp.name
            repository = _repository(comp, comp_entry)
            for i in hits:
                out[i] = replace(out[i], upstream=upstream, bundled=True, repository=repository or out[i].repository,
                                 version=comp.version or out[i].version, evidence=evidence)
            if not hits:
                out.append(VendoredLibrary(
                    path=f"{path}#{comp.name}", size=None, upstream=upstream, bundled=True, repository=repository,
                    version=comp.version, evidence=evidence,
                    linking_unknown="named by the SBOM only: no shared library file matched (statically linked?)"))
    return sorted(out, key=lambda lib: lib.path), described, unknown
