"""Build the audit graph (a ``networkx.DiGraph``) from package nodes.

Nodes: one root for the audited input, one per distribution (id
``"name==version"``), the interpreter (``"python==X.Y.Z"``), one per
source repository (``"repo:<url>"``) and one per PyPI maintainer account
(``"pypi:<username>"``) and one per PyPI organization (``"pypi-org:<name>"``,
members ``"not public"``: the JSON API does not list them).  Edges: ``requires`` (root/distribution ->
distribution/interpreter, with the requirement string and marker),
``source`` (distribution -> repository), ``maintains`` (maintainer ->
distribution), ``owns`` (organization -> distribution); bundled native
libraries as ``native_library`` nodes with ``bundles``/``links`` edges
(:mod:`auditor.graph.native`).  Attribute names are the constants in :mod:`auditor.graph.attrs`.
Values may be lists, dicts or Unknown in memory; the GraphML formatter
serializes them (see ``docs/graph.md``).
"""

from __future__ import annotations

from typing import Mapping

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.bulk import bulk
from auditor.graph.native import add_native_nodes
from auditor.models import Inventory, PackageNode, Unknown


def node_id(node: PackageNode) -> str:
    """Graph id of a package node (``"name==version"``)."""
    return node.distribution.key


@bulk()
def build_graph(inventory: Inventory, nodes: Mapping[str, PackageNode]) -> nx.DiGraph:
    """The audit graph for *inventory* with the facts in *nodes*.

    Args:
        inventory: the resolved input (root edges, distributions).
        nodes: package nodes by normalized name, including the interpreter
            node ``"python"`` (kind ``interpreter``).

    Returns:
        A new DiGraph; nothing in *nodes* is mutated.
    """
    g = nx.DiGraph(name=inventory.root_name)
    g.add_node(
        A.ROOT_ID,
        **{
            A.KIND: A.ROOT,
            A.NAME: inventory.root_name,
            A.LABEL: inventory.root_name,
            A.INPUT_KIND: inventory.root_kind,
            A.RESOLVER: inventory.resolver,
        },
    )
    ids = {name: node_id(n) for name, n in nodes.items()}
    for name, node in nodes.items():
        g.add_node(ids[name], **_node_attrs(node))
        repo = node.mapping.repo
        if repo is not None:
            rid = f"repo:{repo.url}"
            if rid not in g:
                g.add_node(rid, **{A.KIND: A.REPOSITORY, A.NAME: repo.path, A.LABEL: repo.url, A.REPO_URL: repo.url})
            g.add_edge(ids[name], rid, **{A.KIND: A.SOURCE})
        org = node.organization
        if org:
            oid = f"pypi-org:{org}"
            if oid not in g:
                g.add_node(oid, **{A.KIND: A.ORGANIZATION_NODE, A.NAME: org, A.LABEL: org, A.MEMBERS: "not public"})
            g.add_edge(oid, ids[name], **{A.KIND: A.OWNS})
        maintainers = node.maintainers
        if not isinstance(maintainers, Unknown):
            for m in maintainers:
                mid = f"pypi:{m.username}"
                if mid not in g:
                    g.add_node(mid, **{A.KIND: A.MAINTAINER, A.NAME: m.username, A.LABEL: m.username})
                g.add_edge(mid, ids[name], **{A.KIND: A.MAINTAINS, A.ROLE: m.role})
    for edge in inventory.root_requires:
        if edge.target in ids:
            g.add_edge(A.ROOT_ID, ids[edge.target], **_edge_attrs(edge))
    for name, node in nodes.items():
        for edge in node.distribution.requires:
            if edge.target in ids:
                g.add_edge(ids[name], ids[edge.target], **_edge_attrs(edge))
    add_native_nodes(g, nodes, ids)
    return g


def _edge_attrs(edge) -> dict:
    out = {A.KIND: A.REQUIRES, A.REQUIREMENT: edge.requirement}
    if edge.marker:
        out[A.MARKER] = edge.marker
    if edge.extras:
        out[A.EXTRAS] = list(edge.extras)
    if edge.via_extra:
        out[A.VIA_EXTRA] = edge.via_extra
    return out


def _node_attrs(node: PackageNode) -> dict:
    d = node.distribution
    kind = A.INTERPRETER if d.origin.kind == "interpreter" else A.DISTRIBUTION
    out: dict = {
        A.KIND: kind,
        A.NAME: d.name,
        A.LABEL: d.key,
        A.VERSION: d.version or "",
        A.DIRECT: d.direct,
        A.ORIGIN: d.origin.kind,
        A.REPO_EVIDENCE: node.mapping.evidence,
        A.REPO_CONFIDENCE: node.mapping.confidence.value,
    }
    unknown: dict[str, str] = {}
    if d.origin.url:
        out[A.ORIGIN_URL] = d.origin.url
    if node.mapping.repo is not None:
        out[A.REPO_URL] = node.mapping.repo.url
        if node.mapping.repo.subpath:
            out[A.REPO_SUBPATH] = node.mapping.repo.subpath
    else:
        unknown[A.REPO_URL] = node.mapping.note or "no repository found"
    if node.mapping.note:
        out[A.REPO_NOTE] = node.mapping.note
    maintainers = node.maintainers
    if isinstance(maintainers, Unknown):
        unknown[A.MAINTAINERS] = maintainers.reason
    else:
        out[A.MAINTAINERS] = len(maintainers)
        out[A.MAINTAINER_NAMES] = [m.username for m in maintainers]
    if not isinstance(node.project, Unknown) and not isinstance(node.project.ownership, Unknown):
        if node.project.ownership.organization:
            out[A.ORGANIZATION] = node.project.ownership.organization
    _signal_attrs(node, out, unknown)
    if unknown:
        out[A.UNKNOWN] = unknown
    return out


def _signal_attrs(node: PackageNode, out: dict, unknown: dict) -> None:
    """Scalar summaries of the signal collectors' facts (docs/graph.md); Unknowns go to *unknown*."""
    from auditor.models import (CondaPackage, InstallFacts, NameSignals, ProjectStatus, ReleaseFacts, ReleaseProvenance, VendoredCode,
                                VulnerabilityReport)

    sig = node.signals
    for key, attr in (("vulnerabilities", A.ADVISORIES), ("provenance", A.PROVENANCE), ("release", A.YANKED),
                      ("install", A.BUILDS_FROM_SOURCE), ("vendored", A.BUNDLED_LIBRARIES), ("status", A.PROJECT_STATUS)):
        if isinstance(sig.get(key), Unknown) and sig[key].fault:
            unknown[attr] = sig[key].reason
    vulns = sig.get("vulnerabilities")
    if isinstance(vulns, VulnerabilityReport):
        out[A.ADVISORIES] = len(vulns.advisories)
        out[A.ADVISORY_IDS] = [a.id for a in vulns.advisories]
        if vulns.worst is not None:
            out[A.WORST_SEVERITY] = vulns.worst.value
    prov = sig.get("provenance")
    if isinstance(prov, ReleaseProvenance):
        out[A.PROVENANCE] = prov.status
        pubs = [p.repository_url or p.kind for p in prov.publishers]
        if pubs and prov.status == "verified":
            out[A.PUBLISHER] = pubs[0]
    release = sig.get("release")
    if isinstance(release, ReleaseFacts):
        out[A.YANKED] = release.yanked
    status = sig.get("status")
    if isinstance(status, ProjectStatus):
        out[A.PROJECT_STATUS] = status.status
    install = sig.get("install")
    if isinstance(install, InstallFacts):
        out[A.BUILDS_FROM_SOURCE] = install.builds_from_source
        if install.build_backend:
            out[A.BUILD_BACKEND] = install.build_backend
    vendored = sig.get("vendored")
    if isinstance(vendored, VendoredCode):
        out[A.BUNDLED_LIBRARIES] = len(vendored.bundled)
    names = sig.get("names")
    if isinstance(names, NameSignals) and names.similar_to:
        out[A.SIMILAR_TO] = names.similar_to[0][0]
    lic = sig.get("license")
    if getattr(lic, "expression", None):  # a DeclaredLicense with an SPDX expression (docs/signals.md#licence)
        out[A.LICENSE] = lic.expression
    conda = sig.get("conda")
    if isinstance(conda, CondaPackage):
        _conda_attrs(conda, out, unknown)


def _conda_attrs(conda, out: dict, unknown: dict) -> None:
    """The ``conda`` signal's attributes (docs/conda.md)."""
    rec = conda.record
    feedstock = conda.feedstock if isinstance(conda.feedstock, str) else None
    purl = A.CONDA_PURL if "pip" in conda.origins else A.PURL  # conda+pip: the files on disk are pip's copy
    for attr, value in ((A.CONDA_CHANNEL, rec.channel_name), (A.CONDA_BUILD, rec.build), (A.CONDA_SUBDIR, rec.subdir),
                        (purl, rec.purl), (A.INSTALLED_BY, "+".join(conda.origins)), (A.FEEDSTOCK, feedstock)):
        if value:
            out[attr] = value
    if isinstance(conda.feedstock, Unknown):
        if conda.feedstock.fault:
            unknown[A.FEEDSTOCK] = conda.feedstock.reason
    elif feedstock:
        if conda.feedstock_confidence is not None:
            out[A.FEEDSTOCK_CONFIDENCE] = conda.feedstock_confidence.value
        if isinstance(conda.recipe_maintainers, Unknown):
            if conda.recipe_maintainers.fault:
                unknown[A.RECIPE_MAINTAINERS] = conda.recipe_maintainers.reason
        else:
            out[A.RECIPE_MAINTAINERS] = len(conda.recipe_maintainers)


def add_build_edges(g: nx.DiGraph, nodes: Mapping[str, PackageNode]) -> None:
    """Add ``build`` edges from each distribution to its sdist build requirements (in place).

    Source: ``signals["install"]`` (:class:`~auditor.models.InstallFacts`:
    the sdist's ``[build-system] requires``).  A requirement already in the
    graph links to that distribution; otherwise to a ``build_requirement``
    node (id ``"build:<name>"``), since build environments are resolved at
    install time, not here.  ``build`` edges are not ``requires`` edges:
    reach and blast radius ignore them.
    """
    from auditor.models import InstallFacts
    from auditor.signals.install import build_edges

    ids = {name: node_id(n) for name, n in nodes.items()}
    for name, node in nodes.items():
        facts = node.signals.get("install")
        if not isinstance(facts, InstallFacts):
            continue
        for edge in build_edges(facts):
            target = ids.get(edge.target)
            if target is None:
                target = f"build:{edge.target}"
                if target not in g:
                    g.add_node(target, **{A.KIND: A.BUILD_REQUIREMENT, A.NAME: edge.target, A.LABEL: edge.target})
            attrs = _edge_attrs(edge)
            attrs[A.KIND] = A.BUILD
            g.add_edge(ids[name], target, **attrs)
