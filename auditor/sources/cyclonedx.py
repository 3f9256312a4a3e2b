"""A CycloneDX SBOM (JSON) that another tool wrote: syft, cyclonedx-py, pip-audit.

Format: the CycloneDX JSON specification (https://cyclonedx.org/docs/1.6/json/;
1.2 to 1.6 share the fields read here): ``bomFormat`` ``"CycloneDX"``,
``components[]`` (nested ``components`` too) with ``bom-ref``, ``purl``,
``hashes[]`` (``alg``, ``content``), and ``dependencies[]`` of
``{"ref", "dependsOn": [...]}``; ``metadata.component`` is the subject.

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
    """A CycloneDX JSON SBOM.  Interface: :class:`~auditor.sources.interface.Source`.

    Args: as :class:`~auditor.sources.lockfile.LockfileSource`.
    """

    name = "cyclonedx"

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.

        Raises:
            InputError: not JSON, not a CycloneDX document, or a malformed
                ``components``/``dependencies`` section (naming the file).
        """
        p = self.path
        text = self.read()
        try:
            doc: Any = loads_json(text)
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
