"""PEP 770 SBOMs: the ``.dist-info/sboms/`` files a wheel ships, read as data.

PEP 770 reserves ``*.dist-info/sboms/`` for Software Bill of Materials
documents describing what a wheel bundles that its core metadata cannot
(OpenBLAS and the GCC runtime in numpy's wheel, a statically linked zlib).
A build tool writes them (auditwheel >= 6.2 records the libraries it copies in);
they are listed in ``RECORD`` like any file.

Read here: **CycloneDX JSON**, parsed by cyclonedx-python-lib (``Bom.from_json``)
after the bounded JSON reader (:func:`auditor.dist.bounded.loads_json`: size and
nesting depth).  **SPDX** documents are recognized and reported as
``unsupported format (SPDX)``: the maintained parser, spdx-tools, needs rdflib,
beartype and six more packages for a format no wheel on PyPI is known to ship yet.
Nothing is executed; URLs are kept as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from auditor.dist.bounded import loads_json

#: Bytes of one SBOM read at most.
MAX_SBOM_BYTES = 4 << 20
#: Components kept at most per SBOM (nested ones included).
MAX_COMPONENTS = 10_000
#: The directory PEP 770 reserves, inside ``*.dist-info``.
SBOM_DIR = "sboms"


class SbomUnreadable(ValueError):
    """An SBOM that cannot be read; the message is the reason shown as ``unknown (...)``."""


@dataclass(frozen=True)
class RawComponent:
    """One component as the SBOM states it (untrusted text).

    Attributes:
        name: ``component.name``.
        version: ``component.version``, else None.
        purl: the package URL, else None.
        vcs: the first ``externalReferences`` entry of type ``vcs``, else None.
        purl_type: the purl's type (``github``, ``generic``, ``pypi``), else None.
    """

    name: str
    version: str | None = None
    purl: str | None = None
    vcs: str | None = None
    purl_type: str | None = None


def is_sbom_path(path: str) -> bool:
    """Whether a RECORD or archive path is a PEP 770 SBOM (``NAME-VER.dist-info/sboms/FILE``)."""
    parts = path.replace("\\", "/").split("/")
    return len(parts) == 3 and parts[0].endswith(".dist-info") and parts[1] == SBOM_DIR and bool(parts[2])


def _walk(components: Any, depth: int = 0) -> Iterator[Any]:
    for c in components or ():
        yield c
        if depth < 16:
            yield from _walk(getattr(c, "components", None), depth + 1)


def _clean(text: Any, limit: int = 255) -> str | None:
    if text is None:
        return None
    value = "".join(ch if ch.isprintable() else "?" for ch in str(text))[:limit].strip()
    return value or None


def _components(doc: dict) -> Any:
    """The document's top-level components, parsed by cyclonedx-python-lib, in ``Bom.components`` order.

    ``Bom.from_json`` would build a ``SortedSet`` of every component by sorting
    them on their comparison tuples, then sort each again as the set is built
    (0.1-0.2 s per Rust SBOM, issue 14).  Here each component is parsed alone
    (``Component.from_json``, the library's own parser, nested components
    included) and put in the order ``Bom.components`` gives (:func:`_bom_order`),
    so which component's facts win is unchanged.  The rest of the document (metadata, dependencies,
    ...) is still parsed by ``Bom.from_json``, so a document the library rejects
    is rejected as before; on any error the whole document is parsed the old
    way, so the reason named is the library's own.

    Raises:
        SbomUnreadable: ``malformed CycloneDX (<exception type>)``.
    """
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component

    raw = doc.get("components")
    if isinstance(raw, list) and all(isinstance(c, dict) for c in raw):
        try:
            Bom.from_json({**doc, "components": []})  # type: ignore[attr-defined]
            return _bom_order([Component.from_json(c) for c in raw])  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - parsed again below, for the library's own error
            pass
    try:
        return Bom.from_json(doc).components  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - the library raises many types for bad documents
        raise SbomUnreadable(f"malformed CycloneDX ({type(exc).__name__})") from None


def _none_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


def _bom_order(components: list) -> list:
    """*components* deduplicated and sorted as ``SortedSet(components)`` does (``Bom.components``).

    The library orders components by ``Component.__lt__``: a comparison, element
    by element, of a tuple that begins ``(type, group, name, version,
    bom_ref.value)``, None after any value (``cyclonedx._internal.compare``).
    When those five are distinct for every component (bom-refs are unique in a
    valid document), the first difference always falls within them, so sorting
    on them alone gives the same order, and no two components are equal, so
    nothing is deduplicated.  Otherwise the library's own comparison sorts
    (``sorted(set(...))``, what ``SortedSet`` does).  Building that tuple costs a
    dozen nested sets per component and a sort compares ~2 n log n of them: 0.1 s
    for a 232-crate Rust SBOM, against a millisecond here.
    """
    keys = [tuple(_none_last(v) for v in (c.type, c.group, c.name, c.version, c.bom_ref.value)) for c in components]
    if len(set(keys)) != len(keys):
        return sorted(set(components))
    return [c for _, c in sorted(zip(keys, components), key=lambda kc: kc[0])]


def read_sbom(data: bytes) -> tuple[str, tuple[RawComponent, ...]]:
    """``(format, components)`` of one SBOM file's bytes.

    Returns:
        ``("CycloneDX <specVersion>", components)``; the document's own
        ``metadata.component`` (the wheel itself) is not a component.

    Raises:
        SbomUnreadable: over :data:`MAX_SBOM_BYTES`, not JSON, SPDX
            (``unsupported format (SPDX)``), another format, or a CycloneDX
            document the library rejects.
    """
    if len(data) > MAX_SBOM_BYTES:
        raise SbomUnreadable(f"over the {MAX_SBOM_BYTES}-byte SBOM limit")
    try:
        doc = loads_json(data, max_bytes=MAX_SBOM_BYTES)
    except ValueError as exc:
        text = data[:200].lstrip()
        if text.startswith(b"SPDXVersion:") or b"<rdf:RDF" in text:
            raise SbomUnreadable("unsupported format (SPDX)") from None
        raise SbomUnreadable(f"not JSON ({str(exc)[:120]})") from None
    if not isinstance(doc, dict):
        raise SbomUnreadable("not a JSON object")
    if "spdxVersion" in doc:
        raise SbomUnreadable("unsupported format (SPDX)")
    if doc.get("bomFormat") != "CycloneDX":
        raise SbomUnreadable("unsupported format (neither CycloneDX nor SPDX)")
    out = []
    for c in _walk(_components(doc)):
        if len(out) >= MAX_COMPONENTS:
            break
        name = _clean(getattr(c, "name", None))
        if not name:
            continue
        vcs = next((_clean(r.url, 2000) for r in (c.external_references or ())
                    if getattr(r.type, "value", "") == "vcs"), None)
        purl = c.purl
        out.append(RawComponent(name=name, version=_clean(c.version), purl=_clean(purl, 2000) if purl else None,
                                vcs=vcs, purl_type=_clean(purl.type) if purl is not None else None))
    return f"CycloneDX {_clean(doc.get('specVersion')) or '?'}", tuple(out)
