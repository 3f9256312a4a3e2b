"""Pure queries over the audit graph (nothing here mutates a graph)."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Iterator

import networkx as nx

from auditor.graph import attrs as A


def dependency_view(g: nx.DiGraph) -> nx.DiGraph:
    """A read-only view with only ``requires`` edges (root, distributions, interpreter)."""
    return nx.subgraph_view(
        g,
        filter_node=lambda n: g.nodes[n].get(A.KIND) in (A.ROOT, A.DISTRIBUTION, A.INTERPRETER),
        filter_edge=lambda u, v: g.edges[u, v].get(A.KIND) == A.REQUIRES,
    )


def dependency_graph(g: nx.DiGraph) -> nx.DiGraph:
    """A plain copy of :func:`dependency_view` without attributes (fast to traverse and to condense).

    Traversing a ``subgraph_view`` re-runs its filters on every step, and
    ``nx.DiGraph(view)`` copies every attribute dict; this copies structure only.
    """
    keep = {n for n, k in g.nodes(data=A.KIND) if k in (A.ROOT, A.DISTRIBUTION, A.INTERPRETER)}
    out = nx.DiGraph()
    out.add_nodes_from(n for n in g.nodes if n in keep)
    out.add_edges_from((u, v) for u, v, k in g.edges(data=A.KIND) if k == A.REQUIRES and u in keep and v in keep)
    return out


def package_ids(g: nx.DiGraph) -> list[str]:
    """Ids of distribution and interpreter nodes, sorted."""
    return sorted(n for n, k in g.nodes(data=A.KIND) if k in (A.DISTRIBUTION, A.INTERPRETER))


def dependents(g: nx.DiGraph, node: str) -> set[str]:
    """Distributions that depend on *node*, directly or transitively (root excluded)."""
    view = dependency_view(g)
    return {n for n in nx.ancestors(view, node) if n != A.ROOT_ID}


def dependents_counts(g: nx.DiGraph) -> dict[str, int]:
    """``{package id: number of distributions depending on it transitively}`` (root excluded).

    One pass over a topological order of the dependency view's condensation
    (strongly connected components, so cycles are allowed), carrying each
    node's ancestors as a bitset (a Python ``int``, one bit per node) that is
    dropped as soon as its last dependency has read it: ``O((nodes + edges)
    * nodes / 64)`` machine-word operations, memory bounded by the widest
    frontier, not by the transitive closure.  Same answer as
    ``len(nx.ancestors(view, n) - {root})`` per node.
    """
    view = dependency_graph(g)
    cond = nx.condensation(view)
    members = nx.get_node_attributes(cond, "members")
    # bit i = i-th node in topological order: a node's ancestors all have lower bits, so its set stays short
    index = {m: i for i, m in enumerate(m for c in nx.topological_sort(cond) for m in sorted(members[c], key=str))}
    root_bit = 1 << index[A.ROOT_ID] if A.ROOT_ID in index else 0
    counts: dict[str, int] = {}
    wanted = set(package_ids(g))

    def own(c: Hashable) -> tuple[int]:
        return (sum(1 << index[m] for m in members[c]),)

    for c, (bits,) in closure_fold(cond, own, upward=True):
        for m in members[c]:
            if m in wanted:
                counts[m] = (bits & ~(root_bit | (1 << index[m]))).bit_count()
    return {n: counts.get(n, 0) for n in sorted(wanted)}


def closure_fold(cond: nx.DiGraph, own: Callable[[Hashable], tuple[int, ...]], *, upward: bool
                 ) -> Iterator[tuple[Hashable, tuple[int, ...]]]:
    """Bitset closure over a DAG in one pass of a topological order.

    Args:
        cond: a directed acyclic graph (e.g. ``nx.condensation``), edges dependent -> dependency.
        own: a node's own bitsets, a tuple of ints (several sets are carried
            side by side; called once per node, when the walk reaches it).
        upward: True: each node gets the union over itself and all its
            ancestors (dependents); False: over itself and all its descendants.

    Yields:
        ``(node, bitsets)`` for every node of *cond*, each exactly once.  A
        node's bits are kept only until its last consumer has read them, so
        memory follows the frontier of the walk.
    """
    order = list(nx.topological_sort(cond))
    if not upward:
        order.reverse()
    inputs = cond.predecessors if upward else cond.successors
    consumers = cond.out_degree if upward else cond.in_degree
    live: dict[Hashable, tuple[int, ...]] = {}
    left: dict[Hashable, int] = {}
    for c in order:
        bits = own(c)
        for p in inputs(c):
            bits = tuple(a | b for a, b in zip(bits, live[p]))
            left[p] -= 1
            if not left[p]:
                del live[p], left[p]
        yield c, bits
        n = consumers(c)
        if n:
            live[c], left[c] = bits, n


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
