"""A CycloneDX SBOM (JSON or XML) that another tool wrote: syft, cyclonedx-py, pip-audit.

Format: the CycloneDX JSON specification (https://cyclonedx.org/docs/1.6/json/;
1.2 to 1.6 share the fields read here): ``bomFormat`` ``"CycloneDX"``,
``components[]`` (nested ``components`` too) with ``bom-ref``, ``purl``,
``hashes[]`` (``alg``, ``content``), and ``dependencies[]`` of
``{"ref", "dependsOn": [...]}``; ``metadata.component`` is the subject.
The XML form (https://cyclonedx.org/docs/1.6/xml/, namespace
``http://cyclonedx.org/schema/bom/1.x``, 1.2 to 1.6) carries the same fields
as ``<component type= bom-ref=>`` with ``<purl>``, ``<hashes><hash alg=>``,
nested ``<components>``, and ``<dependencies><dependency ref=><dependency
ref=/></dependency></dependencies>``; :func:`xml_document` reads it (with
defusedxml: no entities, no DTD, no external references) into the JSON
shape, so both forms are audited by the same code.

What is audited: the components whose purl is ``pkg:pypi/<name>@<version>``
(parsed with packageurl-python), with their ``SHA-256``/``SHA-384``/``SHA-512``
hashes and the purl's ``repository_url`` as their index.  Edges come from
``dependencies`` between PyPI components; the root requires what
``metadata.component``'s entry depends on, else every PyPI component no
other one requires.  An SBOM without a ``dependencies`` section gets its
edges from core metadata, as a lock that records none.  Every other
package component (type ``library``, ``framework`` or ``application``:
another ecosystem, no purl, an unparsable purl) is not audited and is listed
as an input gap per kind (every output shows it; the exit code is 3).
Components that are not packages (``file``, ``platform``, ``operating-system``,
``container``, ...) are passed over: syft lists every file it hashed, and the
interpreter is a node of every audit anyway.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from packaging.utils import canonicalize_name

from auditor.dist.bounded import loads_json
from auditor.errors import InputError
from auditor.models import Distribution, Inventory, Origin, UnknownKind
from auditor.net.context import RunContext
from auditor.sources.lockfile import NOT_FETCHED, Dep, LockedPackage, LockfileSource, fetch_metadata, inventory
from auditor.sources.lockfile import link_computed, link_recorded, require, safe_origin

#: CycloneDX hash algorithm -> the ``alg:`` prefix auditor's hashes use.
HASHES = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}

#: Component types that are software packages; the others (``file``, ``platform``, ``operating-system``,
#: ``container``, ``device``, ``firmware``, ``data``, ...) are not packages and are passed over (the
#: interpreter is a node of every audit anyway).
PACKAGE_TYPES = frozenset({"library", "framework", "application"})

#: How many example purls an input gap names per kind of component not audited.
EXAMPLES = 3


#: Deepest nesting of XML components read (a real SBOM nests two or three levels).
MAX_XML_DEPTH = 64


def _local(tag: str) -> str:
    """An XML tag without its namespace (``{http://cyclonedx.org/schema/bom/1.6}component`` -> ``component``)."""
    return tag.rsplit("}", 1)[-1]


def xml_document(text: str, path: Path) -> dict:
    """A CycloneDX XML document as the JSON shape the source reads (the fields listed in the module docstring).

    Raises:
        InputError: not well-formed XML, entities or a DTD (refused by defusedxml), not a CycloneDX
            ``<bom>``, or components nested deeper than :data:`MAX_XML_DEPTH`; naming the file (and line).
    """
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(text)
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"invalid XML: {str(exc).split(':')[0]}", str(path), line) from None
    except DefusedXmlException as exc:
        raise InputError(f"XML with a DTD or entities is not read ({type(exc).__name__})", str(path)) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    require(_local(root.tag) == "bom" and namespace.startswith("http://cyclonedx.org/schema/bom/"),
            "not a CycloneDX XML document (no <bom> in the http://cyclonedx.org/schema/bom/ namespace)", path)

    def child(element, name: str):
        return next((c for c in element if _local(c.tag) == name), None)

    def text_of(element, name: str) -> str | None:
        found = child(element, name)
        return (found.text or "").strip() if found is not None else None

    def component(element, depth: int) -> dict:
        require(depth <= MAX_XML_DEPTH, f"components nested deeper than {MAX_XML_DEPTH} levels", path)
        out: dict[str, Any] = {"type": element.get("type", "library")}
        if element.get("bom-ref") is not None:
            out["bom-ref"] = element.get("bom-ref")
        for field in ("name", "version", "purl"):
            value = text_of(element, field)
            if value is not None:
                out[field] = value
        hashes = child(element, "hashes")
        if hashes is not None:
            out["hashes"] = [{"alg": h.get("alg"), "content": (h.text or "").strip()}
                             for h in hashes if _local(h.tag) == "hash"]
        nested = child(element, "components")
        if nested is not None:
            out["components"] = [component(c, depth + 1) for c in nested if _local(c.tag) == "component"]
        return out

    doc: dict[str, Any] = {"bomFormat": "CycloneDX"}
    meta = child(root, "metadata")
    subject = child(meta, "component") if meta is not None else None
    if subject is not None:
        doc["metadata"] = {"component": component(subject, 0)}
    comps = child(root, "components")
    doc["components"] = [component(c, 0) for c in comps if _local(c.tag) == "component"] if comps is not None else []
    deps = child(root, "dependencies")
    if deps is not None:
        doc["dependencies"] = [{"ref": d.get("ref"), "dependsOn": [t.get("ref") for t in d if _local(t.tag) == "dependency"]}
                               for d in deps if _local(d.tag) == "dependency"]
    return doc


def _components(doc: dict) -> Iterator[dict]:
    """Every component object, nested ones included (depth-first, document order)."""
    stack = list(reversed([c for c in doc.get("components") or [] if isinstance(c, dict)]))
    while stack:
        comp = stack.pop()
        yield comp
        stack.extend(reversed([c for c in comp.get("components") or [] if isinstance(c, dict)]))


def _pypi(comp: dict) -> tuple[str, str | None, str | None] | str:
    """``(name, version, repository_url)`` of a PyPI component, else the kind it is (for the gap)."""
    from packageurl import PackageURL

    text = comp.get("purl")
    if not isinstance(text, str) or not text:
        return "components without a purl"
    try:
        purl = PackageURL.from_string(text)
    except ValueError:
        return "components with an unparsable purl"
    if purl.type != "pypi":
        return f"pkg:{purl.type} components (auditor audits PyPI packages only)"
    quals = purl.qualifiers if isinstance(purl.qualifiers, dict) else {}
    return str(canonicalize_name(purl.name)), purl.version, quals.get("repository_url")


class CycloneDXSource(LockfileSource):
    """A CycloneDX SBOM, JSON or XML.  Interface: :class:`~auditor.sources.interface.Source`.

    Args: as :class:`~auditor.sources.lockfile.LockfileSource`.
    """

    name = "cyclonedx"

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.

        Raises:
            InputError: not JSON or XML, not a CycloneDX document, or a malformed
                ``components``/``dependencies`` section (naming the file).
        """
        p = self.path
        text = self.read()
        try:
            doc: Any = xml_document(text, p) if text.lstrip().startswith("<") else loads_json(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", str(p), exc.lineno) from exc
        except ValueError as exc:  # too deep, too large
            raise InputError(f"invalid JSON: {str(exc)[:200]}", str(p)) from exc
        require(isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX",
                "not a CycloneDX JSON document (no \"bomFormat\": \"CycloneDX\")", p)
        require(isinstance(doc.get("components", []), list), "'components' must be an array", p)
        require(isinstance(doc.get("dependencies", []), list), "'dependencies' must be an array", p)
        packages: dict[str, LockedPackage] = {}
        by_ref: dict[str, str] = {}
        skipped: Counter[str] = Counter()
        examples: dict[str, list[str]] = {}
        for comp in _components(doc):
            if comp.get("type", "library") not in PACKAGE_TYPES:
                continue
            found = _pypi(comp)
            if isinstance(found, str):
                skipped[found] += 1
                examples.setdefault(found, []).append(str(comp.get("purl") or comp.get("name") or "?")[:120])
                continue
            name, version, index = found
            ref = comp.get("bom-ref")
            if isinstance(ref, str):
                by_ref[ref] = name
            if name in packages:
                continue
            hashes = tuple(f"{HASHES[h['alg']]}:{str(h.get('content', '')).lower()}"
                           for h in comp.get("hashes") or [] if isinstance(h, dict) and h.get("alg") in HASHES)
            origin = safe_origin(Origin(kind="registry", index_url=index, file=str(p)))
            packages[name] = LockedPackage(Distribution(name=name, version=version, metadata=NOT_FETCHED,
                                                        origin=origin, hashes=hashes))
        gaps = tuple((f"sbom: {count} {kind}", "not audited: " + ", ".join(examples[kind][:EXAMPLES])
                      + (", ..." if count > EXAMPLES else ""), UnknownKind.UNSUPPORTED.value)
                     for kind, count in sorted(skipped.items()))
        recorded = self._recorded(doc, by_ref, p)
        config = ctx.config
        items = [pkg.dist for pkg in packages.values()]
        if self.fetch_metadata:
            items = fetch_metadata(items, ctx, self.metadata_client)
        if recorded is None:
            root_edges, linked = link_computed(None, items, config, self.all_platforms)
        else:
            deps, roots = recorded
            fetched = {d.name: d for d in items}
            locked = {n: LockedPackage(fetched[n], [Dep(t, t) for t in sorted(deps.get(n, ()))]) for n in fetched}
            root_edges, by_name, _ = link_recorded([Dep(t, t) for t in sorted(roots)], locked, config.target,
                                                 self.all_platforms)
            linked = list(by_name.values())
        inv = inventory(p, "sbom", root_edges, linked, config, resolver="CycloneDX SBOM")
        return replace(inv, gaps=gaps)

    def _recorded(self, doc: dict, by_ref: dict[str, str], p: Path) -> tuple[dict[str, set[str]], set[str]] | None:
        """``({name: {required names}}, root names)`` from ``dependencies``, or None when the SBOM has none."""
        entries = doc.get("dependencies")
        if not entries:
            return None
        subject = ((doc.get("metadata") or {}).get("component") or {}).get("bom-ref")
        deps: dict[str, set[str]] = {}
        roots: set[str] | None = None
        for entry in entries:
            require(isinstance(entry, dict) and isinstance(entry.get("ref"), str),
                    "each 'dependencies' entry needs a 'ref' string", p)
            targets = {by_ref[t] for t in entry.get("dependsOn") or [] if isinstance(t, str) and t in by_ref}
            if entry["ref"] == subject:
                roots = targets
            elif entry["ref"] in by_ref:
                deps.setdefault(by_ref[entry["ref"]], set()).update(targets - {by_ref[entry["ref"]]})
        if roots is None:  # no subject entry: the root requires whatever nothing else requires
            required = set().union(*deps.values()) if deps else set()
            roots = set(by_ref.values()) - required
        return deps, roots
