"""Build the audit graph (a ``networkx.DiGraph``) from package nodes.

Nodes: one root for the audited input, one per distribution (id
``"name==version"``), the interpreter (``"python==X.Y.Z"``), one per
source repository (``"repo:<url>"``) and one per PyPI maintainer account
(``"pypi:<username>"``).  Edges: ``requires`` (root/distribution ->
distribution/interpreter, with the requirement string and marker),
``source`` (distribution -> repository), ``maintains`` (maintainer ->
distribution).  Attribute names are the constants in :mod:`auditor.graph.attrs`.
Values may be lists, dicts or Unknown in memory; the GraphML formatter
serializes them (see ``docs/graph.md``).
"""

from __future__ import annotations

from typing import Mapping

import networkx as nx

from auditor.graph import attrs as A
from auditor.models import Inventory, PackageNode, Unknown


def node_id(node: PackageNode) -> str:
    """Graph id of a package node (``"name==version"``)."""
    return node.distribution.key


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
    if unknown:
        out[A.UNKNOWN] = unknown
    return out
