"""Pure queries over the audit graph (nothing here mutates a graph)."""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from auditor.graph import attrs as A


def dependency_view(g: nx.DiGraph) -> nx.DiGraph:
    """A read-only view with only ``requires`` edges (root, distributions, interpreter)."""
    return nx.subgraph_view(
        g,
        filter_node=lambda n: g.nodes[n].get(A.KIND) in (A.ROOT, A.DISTRIBUTION, A.INTERPRETER),
        filter_edge=lambda u, v: g.edges[u, v].get(A.KIND) == A.REQUIRES,
    )


def package_ids(g: nx.DiGraph) -> list[str]:
    """Ids of distribution and interpreter nodes, sorted."""
    return sorted(n for n, k in g.nodes(data=A.KIND) if k in (A.DISTRIBUTION, A.INTERPRETER))


def dependents(g: nx.DiGraph, node: str) -> set[str]:
    """Distributions that depend on *node*, directly or transitively (root excluded)."""
    view = dependency_view(g)
    return {n for n in nx.ancestors(view, node) if n != A.ROOT_ID}


def dependents_counts(g: nx.DiGraph) -> dict[str, int]:
    """``{package id: number of distributions depending on it transitively}``.

    One reverse traversal per node; the graphs here have hundreds of nodes at most.
    The filtered view is copied into a plain graph first: traversing a
    ``subgraph_view`` re-runs its filters on every step (5x slower here).
    """
    view = nx.DiGraph(dependency_view(g))
    return {n: len(nx.ancestors(view, n) - {A.ROOT_ID}) for n in package_ids(g)}


def reach(g: nx.DiGraph, node: str = A.ROOT_ID) -> set[str]:
    """Distributions (and the interpreter) *node* depends on, transitively."""
    return set(nx.descendants(dependency_view(g), node))


def paths_to_root(g: nx.DiGraph, node: str, limit: int = 5) -> list[list[str]]:
    """Up to *limit* shortest dependency paths from the root to *node* (lists of ids)."""
    view = dependency_view(g)
    if node not in view or not nx.has_path(view, A.ROOT_ID, node):
        return []
    out = []
    for path in nx.shortest_simple_paths(view, A.ROOT_ID, node):
        out.append(path)
        if len(out) >= limit:
            break
    return out


def _linked(g: nx.DiGraph, nodes: Iterable[str], kind: str, *, outgoing: bool) -> set[str]:
    """The nodes at the other end of *kind* edges leaving (or entering) any of *nodes*."""
    out = set()
    for n in nodes:
        edges = g.out_edges(n, data=A.KIND) if outgoing else g.in_edges(n, data=A.KIND)
        out.update(v if outgoing else u for u, v, k in edges if k == kind)
    return out


def repositories_of(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Repository node ids that the given package nodes are built from."""
    return _linked(g, nodes, A.SOURCE, outgoing=True)


def maintainers_of(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Maintainer node ids (``pypi:<user>``) that can publish any of the given package nodes."""
    return _linked(g, nodes, A.MAINTAINS, outgoing=False)
