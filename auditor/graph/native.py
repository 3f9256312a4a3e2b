"""``native_library`` nodes and ``bundles`` / ``links`` edges from the vendored signal.

Source: ``signals["vendored"]`` (:class:`~auditor.models.VendoredCode`:
RECORD, ELF SONAME/DT_NEEDED and ``auditor/data/native-libraries.yaml``),
the same fact the ``vendored_native`` factor and AUD107 read, so the graph,
the score and the finding cannot disagree.

* one node per bundled library's upstream project (id ``"native:<project>"``,
  or ``"native:<file name>"`` when no table entry matches), with its
  repository URL (``repo_url``) or ``closed_source: true``;
* a ``bundles`` edge from each distribution to each upstream it ships a copy
  of (``path``, and ``soname`` / ``library_version`` when the ELF was read);
* a ``links`` edge between two native nodes when a bundled library's
  DT_NEEDED names another library bundled in the same distribution (by
  SONAME or file name), i.e. what the loader will resolve inside the wheel.

``bundles`` and ``links`` are not ``requires`` edges: reach, dependents and
people reach ignore them (``queries.Condensed.of_audit_graph``).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Mapping

import networkx as nx

from auditor.graph import attrs as A
from auditor.models import PackageNode, VendoredCode, VendoredLibrary


def native_id(lib: VendoredLibrary) -> str:
    """Graph id of a library's upstream: ``"native:<project>"``, else ``"native:<file name>"``."""
    return f"native:{lib.upstream or PurePosixPath(lib.path).name}"


def add_native_nodes(g: nx.DiGraph, nodes: Mapping[str, PackageNode], ids: Mapping[str, str]) -> None:
    """Add ``native_library`` nodes and ``bundles`` / ``links`` edges to *g* (in place).

    Args:
        g: the audit graph being built.
        nodes: package nodes by normalized name.
        ids: graph id of each package node, by the same names.
    """
    for name, node in nodes.items():
        code = node.signals.get("vendored")
        if not isinstance(code, VendoredCode) or not code.bundled:
            continue
        by_name: dict[str, str] = {}
        for lib in code.bundled:
            nid = native_id(lib)
            if nid not in g:
                attrs = {A.KIND: A.NATIVE_LIBRARY, A.NAME: lib.upstream or PurePosixPath(lib.path).name,
                         A.LABEL: lib.upstream or PurePosixPath(lib.path).name}
                if lib.repository:
                    attrs[A.REPO_URL] = lib.repository
                elif lib.upstream:
                    attrs[A.CLOSED_SOURCE] = True
                g.add_node(nid, **attrs)
            edge = {A.KIND: A.BUNDLES, A.PATH: lib.path}
            if lib.soname:
                edge[A.SONAME] = lib.soname
            if lib.version:
                edge[A.LIBRARY_VERSION] = lib.version
            if not g.has_edge(ids[name], nid):
                g.add_edge(ids[name], nid, **edge)
            by_name[PurePosixPath(lib.path).name] = nid
            if lib.soname:
                by_name[lib.soname] = nid
        for lib in code.bundled:
            src = native_id(lib)
            for needed in lib.needed:
                dst = by_name.get(needed)
                if dst is not None and dst != src and not g.has_edge(src, dst):
                    g.add_edge(src, dst, **{A.KIND: A.LINKS})
