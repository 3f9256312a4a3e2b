"""``auditor audit --format cyclonedx-json|cyclonedx-xml``: the audit as a CycloneDX 1.6 SBOM.

Built with cyclonedx-python-lib (imported only when this format is chosen)
and serialized by its ``JsonV1Dot6`` / ``XmlV1Dot6`` outputters, so the
document is the library's, not hand-written; the tests validate every
output with the library's own JSON and XML schema validators.

What goes where (docs/formats-audit.md, "CycloneDX"):

* ``metadata.component``: the audited input (type ``application``);
  ``metadata.tools``: auditor and its version; ``metadata.timestamp``:
  :attr:`AuditResult.generated_at` (``SOURCE_DATE_EPOCH``); the root's
  summary figures (people reach) as ``auditor:summary:*`` properties.
* one ``library`` component per distribution, ``bom-ref`` = its purl
  (``pkg:pypi/<name>@<version>``; ``repository_url`` qualifier for another
  index, ``download_url`` / ``vcs_url`` for a direct reference; a local
  path has no purl and the ref ``auditor:<name>==<version>``); the
  interpreter is a ``platform`` component;
* ``hashes``: the ``sha256:`` pins of the input (``Distribution.hashes``);
* ``licenses``: the declared licence (``signals["license"]``,
  :mod:`auditor.signals.license`): its canonical SPDX expression; else the
  SPDX ids of several licence classifiers; else the declaration's text as a
  licence name; each with ``acknowledgement: declared``;
* ``authors``: the PyPI accounts that can publish it (``ownership.roles`` of
  the PyPI JSON API); ``supplier``: the owning PyPI organization;
* ``externalReferences``: the mapped repository as ``vcs`` (the mapping's
  evidence as its comment); the mapping's confidence and rule are
  properties;
* ``properties`` in the ``auditor:`` namespace (below, :data:`PROPERTIES`);
* ``dependencies``: root -> direct requirements, and each distribution ->
  what it requires in the set;
* ``vulnerabilities``: each OSV/PyPI advisory, ``affects`` the component;
* Hub models, datasets and Spaces as ``machine-learning-model``, ``data`` and
  ``application`` components the root depends on, and bundled native
  libraries as ``library`` components nested in their distribution
  (:mod:`auditor.report.cyclonedx_layers`).

Every string from outside passes :func:`auditor.report.safe.xml` (characters
XML 1.0 forbids become U+FFFD) in both serializations, so the JSON and XML
carry the same text.  The serial number is a UUID-5 of the input's name, the time and
the ``name==version`` of every component, so identical input gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TextIO

from auditor.models import CondaPackage, DeclaredLicense, Unknown, VulnerabilityReport
from auditor.report import safe
from auditor.report.cyclonedx_layers import PROPERTIES as LAYER_PROPERTIES
from auditor.report.totals import people_properties, people_reach_note

#: Every ``auditor:`` property name and what it holds (docs/formats-audit.md lists the same table).
PROPERTIES: dict[str, str] = {
    "auditor:exposure": "exposure score 0-100 (docs/scoring.md), or 'unknown: <reason>'",
    "auditor:coverage": "factors known / factors that apply, e.g. '15/17'",
    "auditor:factor:<name>": "points of one score factor ('?' suffix when its value is unknown)",
    "auditor:direct": "'true' when the input names the package directly",
    "auditor:dependents": "distributions in the audit that depend on it, transitively",
    "auditor:maintainers": "count of PyPI accounts that can publish it, or 'unknown: <reason>'",
    "auditor:contributors": "distinct git contributors of its repository, or 'unknown: <reason>'",
    "auditor:repository:confidence": "confidence of the repository mapping (high, medium, low, none)",
    "auditor:repository:rule": "the mapping rule that chose the repository (docs/mapping.md)",
    "auditor:repository:subpath": "the package's directory inside the repository, when known",
    "auditor:input-kind": "on metadata.component: the input's kind (requirements, lockfile, environment, pyproject)",
    "auditor:resolver": "on metadata.component: what produced the pins (uv pip compile, lockfile, installed, ...)",
    "auditor:summary:<figure>": "the root summary figures every format shares (packages, maintainers, contributors, ...)",
    "auditor:people-reach": "whether the people reach counts CPython's contributors",
    "auditor:installed-by": "a conda package: 'conda', or 'conda+pip' when pip (or uv) installed the same "
                            "distribution over it (the component is then pip's copy, a pkg:pypi purl)",
    "auditor:conda:purl": "with 'conda+pip': the conda record's package URL (pkg:conda/...), the other copy",
    "auditor:summary:people": "people reach: distinct people who can change what the root runs ('at least N' when a "
                              "part is unknown; docs/history.md#people-reach)",
    "auditor:summary:people:<origin>": "one origin's part of people reach (git, hub, conda, native), its ':unknown' "
                                       "sources and its ':not-counted' ones, and the ':overlap' between origins",
    "auditor:complete": "'false' when some facts could not be collected (the exit code is then 3)",
    "auditor:missing": "how many facts could not be collected",
}

PROPERTIES.update(LAYER_PROPERTIES)  # models, datasets, native libraries (auditor/report/cyclonedx_layers.py)

_SEVERITY = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}


def _s(value: object) -> str:
    return safe.xml(value)


def _unknown(value: Unknown) -> str:
    return _s(f"unknown: {value.reason}")


def purl(dist) -> str | None:
    """The package URL of *dist* (packageurl-python), or None for a local path or the interpreter."""
    from packageurl import PackageURL

    origin = dist.origin
    if origin.kind in ("path", "interpreter"):
        return None
    if origin.kind == "conda":
        return conda_purl(dist)
    qualifiers: dict[str, str] = {}
    if origin.kind == "url" and origin.url:
        qualifiers["download_url"] = origin.url
    elif origin.kind == "vcs" and origin.url:
        qualifiers["vcs_url"] = origin.url
    elif origin.index_url and "://pypi.org/" not in origin.index_url:
        qualifiers["repository_url"] = origin.index_url
    return PackageURL(type="pypi", name=dist.name, version=dist.version, qualifiers=qualifiers or None).to_string()


def conda_purl(dist) -> str:
    """``pkg:conda/NAME@VERSION?build=...&channel=...&subdir=...`` of a conda distribution (purl spec, type conda).

    Name, version, build and subdir come from the archive file name in
    ``origin.url`` (``.../conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda``)
    when recorded, else the node's name and version; the channel from ``origin.index_url``.
    """
    from packageurl import PackageURL

    origin = dist.origin
    name, version, qualifiers = dist.name, dist.version, {}
    if origin.url:
        parts = origin.url.rstrip("/").split("/")
        stem = parts[-1]
        for ext in (".conda", ".tar.bz2"):
            if stem.endswith(ext):
                pieces = stem[: -len(ext)].rsplit("-", 2)
                if len(pieces) == 3:
                    name, version, qualifiers["build"] = pieces
                if len(parts) >= 2:
                    qualifiers["subdir"] = parts[-2]
                break
    if origin.index_url:
        channel = origin.index_url.rstrip("/")
        for host in ("https://conda.anaconda.org/", "https://repo.anaconda.com/pkgs/"):
            channel = channel.removeprefix(host)
        qualifiers["channel"] = channel
    return PackageURL(type="conda", name=name, version=version, qualifiers=qualifiers or None).to_string()


def bom_ref(dist) -> str:
    """The ``bom-ref`` of *dist*: its purl, else ``auditor:<name>==<version>``."""
    return _s(purl(dist) or f"auditor:{dist.key}")


def _props(pairs) -> list:
    from cyclonedx.model import Property

    return [Property(name=k, value=_s(v)) for k, v in pairs if v is not None and v != ""]


def _hashes(dist) -> list:
    from cyclonedx.model import HashAlgorithm, HashType

    algs = {"sha256": HashAlgorithm.SHA_256, "sha384": HashAlgorithm.SHA_384, "sha512": HashAlgorithm.SHA_512}
    out = []
    for h in dist.hashes:
        alg, _, digest = h.partition(":")
        if alg in algs and digest and all(c in "0123456789abcdefABCDEF" for c in digest):
            out.append(HashType(alg=algs[alg], content=digest.lower()))
    return out


def _licenses(node) -> list:
    """The declared licence (``signals["license"]``): the SPDX expression; else each SPDX id of several
    classifiers; else the declaration's text as a licence name; all ``acknowledgement: declared``.
    Without the signal (``--disable license``), the metadata's licence as cyclonedx-python-lib reads it."""
    from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement, LicenseExpression

    declared = LicenseAcknowledgement.DECLARED
    lic = node.signals.get("license")
    if isinstance(lic, DeclaredLicense):
        if lic.expression:
            return [LicenseExpression(_s(lic.expression), acknowledgement=declared)]
        if lic.ids:
            return [DisjunctiveLicense(id=_s(i), acknowledgement=declared) for i in lic.ids]
        if lic.declared:
            return [DisjunctiveLicense(name=_s(lic.declared), acknowledgement=declared)]
        return []
    from cyclonedx.contrib.license.factories import LicenseFactory

    meta = node.distribution.metadata
    if isinstance(meta, Unknown) or meta is None or not meta.license:
        return []
    text = _s(meta.license.strip().splitlines()[0][:200])
    return [LicenseFactory().make_from_string(text)] if text else []


def _component(result, node):
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity

    d = node.distribution
    score = result.scores.get(node.name)
    interpreter = d.origin.kind == "interpreter"
    maint = node.maintainers
    history = node.signals.get("history")
    pairs: list[tuple[str, object]] = []
    if score is not None:
        pairs.append(("auditor:exposure", _unknown(score.total) if isinstance(score.total, Unknown)
                      else f"{score.total:g}"))
        pairs.append(("auditor:coverage", score.coverage))
        for f in score.factors:
            pairs.append((f"auditor:factor:{f.name}", f"{f.points:g}" + ("?" if isinstance(f.value, Unknown) else "")))
    pairs.append(("auditor:direct", "true" if d.direct else "false"))
    from auditor.graph import attrs as A
    from auditor.graph.build import node_id

    pairs.append(("auditor:dependents", str(result.graph.nodes[node_id(node)].get(A.DEPENDENTS, 0))))
    pairs.append(("auditor:maintainers", _unknown(maint) if isinstance(maint, Unknown) else str(len(maint))))
    if isinstance(history, Unknown):
        pairs.append(("auditor:contributors", _unknown(history)))
    elif history is not None and hasattr(history, "contributors"):
        pairs.append(("auditor:contributors", str(history.contributors)))
    refs = []
    m = node.mapping
    if m.repo:
        refs.append(ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(_s(m.repo.url)),
                                      comment=_s(m.evidence) or None))
        pairs.append(("auditor:repository:subpath", m.repo.subpath))
    conda = node.signals.get("conda")
    if isinstance(conda, CondaPackage):
        pairs.append(("auditor:installed-by", "+".join(conda.origins)))
        if "pip" in conda.origins:
            pairs.append(("auditor:conda:purl", conda.record.purl))
    pairs.append(("auditor:repository:confidence", m.confidence.value))
    pairs.append(("auditor:repository:rule", m.rule))
    authors = [] if isinstance(maint, Unknown) else [
        OrganizationalContact(name=_s(f"{x.username} (PyPI {x.role})")) for x in sorted(maint, key=lambda x: x.username)]
    meta = d.metadata
    from auditor.report.cyclonedx_layers import native_components

    return Component(
        components=native_components(result.graph, node_id(node), d.key),
        type=ComponentType.PLATFORM if interpreter else ComponentType.LIBRARY,
        name=_s(d.name), version=_s(d.version) if d.version else None, bom_ref=bom_ref(d),
        purl=_purl_object(d),
        description=None if isinstance(meta, Unknown) or not meta.summary else _s(meta.summary[:500]),
        hashes=_hashes(d), licenses=_licenses(node), external_references=refs,
        authors=authors,
        supplier=OrganizationalEntity(name=_s(f"PyPI organization {node.organization}")) if node.organization else None,
        properties=_props(pairs),
    )


def _purl_object(dist):
    from packageurl import PackageURL

    text = purl(dist)
    return PackageURL.from_string(text) if text else None


def _vulnerabilities(result, refs: dict[str, str]) -> list:
    from cyclonedx.model import XsUri
    from cyclonedx.model.vulnerability import (BomTarget, Vulnerability, VulnerabilityRating,
                                               VulnerabilityReference, VulnerabilitySeverity, VulnerabilitySource)

    out = []
    for name in sorted(result.nodes):
        report = result.nodes[name].signal(VulnerabilityReport)
        if isinstance(report, Unknown):
            continue
        for adv in report.advisories:
            source = VulnerabilitySource(name=_s(report.service), url=XsUri(_s(adv.url)) if adv.url else None)
            ratings = [VulnerabilityRating(severity=VulnerabilitySeverity(_SEVERITY[adv.severity.value].lower()),
                                           justification=_s(adv.severity_source) if adv.severity_source else None)
                       ] if adv.severity is not None else []
            published = _datetime(adv.published) if adv.published else None
            fixed = ", ".join(adv.fixed_versions)
            out.append(Vulnerability(
                bom_ref=_s(f"{adv.id}/{refs[name]}"), id=_s(adv.id), source=source,
                references=[VulnerabilityReference(id=_s(a), source=VulnerabilitySource(name=_s(report.service)))
                            for a in adv.aliases],
                ratings=ratings, description=_s(adv.summary) or None, published=published,
                recommendation=_s(f"upgrade to {fixed}") if fixed else None,
                affects=[BomTarget(ref=refs[name])],
            ))
    return out


def _datetime(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def bom(result):
    """The :class:`cyclonedx.model.bom.Bom` of *result* (nothing fetched; *result* is not changed)."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType

    inv = result.inventory
    components = {name: _component(result, node) for name, node in sorted(result.nodes.items())}
    refs = {name: str(c.bom_ref) for name, c in components.items()}
    root = Component(type=ComponentType.APPLICATION, name=_s(inv.root_name), bom_ref="auditor:root",
                     properties=_props([("auditor:input-kind", inv.root_kind), ("auditor:resolver", inv.resolver)]))
    keys = sorted(node.distribution.key for node in result.nodes.values())
    digest = hashlib.sha256("\n".join([inv.root_name, result.generated_at, *keys]).encode()).hexdigest()
    doc = Bom(serial_number=uuid.uuid5(uuid.NAMESPACE_URL, f"urn:auditor:{digest}"), components=components.values(),
              vulnerabilities=_vulnerabilities(result, refs))
    doc.metadata.component = root
    doc.metadata.timestamp = _datetime(result.generated_at) or doc.metadata.timestamp
    doc.metadata.tools.components.add(Component(type=ComponentType.APPLICATION, name="auditor",
                                                version=result.tool_version))
    summary = {k: (_unknown(v) if isinstance(v, Unknown) else str(v)) for k, v in vars(result.root).items()
               if k != "people"}
    doc.metadata.properties = _props([*((f"auditor:summary:{k}", v) for k, v in sorted(summary.items())),
                                      *people_properties(result.root.people),
                                      ("auditor:people-reach", people_reach_note(result)),
                                      ("auditor:complete", "false" if result.incomplete else "true"),
                                      ("auditor:missing", str(len(result.missing)))])
    from auditor.report.cyclonedx_layers import hub_components

    layers = hub_components(result.graph)  # models, datasets, Spaces the code loads (docs/models.md)
    for component in layers:
        doc.components.add(component)
    by_name = dict(components)
    doc.register_dependency(root, [by_name[e.target] for e in inv.root_requires if e.target in by_name] + layers)
    for name, node in sorted(result.nodes.items()):
        deps = sorted({e.target for e in node.distribution.requires if e.target in by_name})
        doc.register_dependency(by_name[name], [by_name[t] for t in deps])
    return doc


def render_json(result, out: TextIO) -> None:
    """Write the CycloneDX 1.6 JSON document of *result* to *out* (2-space indent, newline-terminated)."""
    from cyclonedx.output.json import JsonV1Dot6

    out.write(JsonV1Dot6(bom(result)).output_as_string(indent=2))
    out.write("\n")


def render_xml(result, out: TextIO) -> None:
    """Write the CycloneDX 1.6 XML document of *result* to *out* (2-space indent, newline-terminated)."""
    from cyclonedx.output.xml import XmlV1Dot6

    out.write(XmlV1Dot6(bom(result)).output_as_string(indent=2))
    out.write("\n")
