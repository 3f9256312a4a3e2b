"""Pure queries over the audit graph (nothing here mutates a graph)."""

from __future__ import annotations

import graphlib
from typing import Callable, Hashable, Iterable, Iterator

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.bulk import bulk


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


@bulk()
def dependents_counts(g: nx.DiGraph) -> dict[str, int]:
    """``{package id: number of distributions depending on it transitively}`` (root excluded).

    One pass over a topological order of the dependency graph's condensation
    (:class:`Condensed`: strongly connected components, so cycles are
    allowed), carrying each component's ancestors as a bitset (a Python
    ``int``, one bit per node) that is dropped as soon as its last dependency
    has read it: ``O(nodes + edges)`` steps of ``O(nodes / 64)``
    machine words each, memory bounded by the frontier of the walk, not by
    the transitive closure.  Same answer as ``len(nx.ancestors(view, n) -
    {root})`` per node (tests/graph/test_closure.py).
    """
    cond = Condensed.of_audit_graph(g)
    # bit i = i-th node with dependents first: a node's ancestors all have lower bits, so its set stays short
    index = {m: i for i, m in enumerate(m for c in reversed(cond.order) for m in cond.members[c])}
    root_bit = 1 << index[A.ROOT_ID] if A.ROOT_ID in index else 0
    counts: dict[str, int] = {}
    wanted = set(package_ids(g))

    def own(c: Hashable) -> tuple[int]:
        return (bitset(index[m] for m in cond.members[c]),)

    for c, (bits,) in closure_fold(cond, own, upward=True):
        # the set holds the node itself (and its component); the root is not a dependent.  No mask is
        # built: a full-width mask per node made this quadratic in its constant.
        base = bits.bit_count() - (1 if bits & root_bit else 0)
        for m in cond.members[c]:
            if m in wanted:
                counts[m] = base - 1
    return {n: counts.get(n, 0) for n in sorted(wanted)}


class Condensed:
    """A dependency graph as a DAG of strongly connected components, in plain dicts.

    Attributes:
        members: ``{component: tuple of nodes}`` (a node alone when it is in no cycle).
        succ / pred: ``{component: [dependency components]}`` / ``[dependent components]``.
        order: components with every dependency before its dependents.

    Built with the standard library's :class:`graphlib.TopologicalSorter`
    when the graph has no cycle (the common case: no networkx graph is
    copied), else with :func:`networkx.condensation`.
    """

    def __init__(self, nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]):
        deps: dict[Hashable, list[Hashable]] = {n: [] for n in nodes}
        for u, v in edges:
            if u != v:
                deps[u].append(v)
        try:
            self.order = list(graphlib.TopologicalSorter(deps).static_order())
            self.members = {n: (n,) for n in deps}
            self.succ = deps
        except graphlib.CycleError:
            dg = nx.DiGraph()
            dg.add_nodes_from(deps)
            dg.add_edges_from((u, v) for u, vs in deps.items() for v in vs)
            cond = nx.condensation(dg)
            self.members = {c: tuple(sorted(m, key=str)) for c, m in cond.nodes(data="members")}
            self.succ = {c: list(cond.successors(c)) for c in cond.nodes}
            self.order = list(reversed(list(nx.topological_sort(cond))))
        self.pred: dict[Hashable, list[Hashable]] = {c: [] for c in self.succ}
        for c, ds in self.succ.items():
            for d in ds:
                self.pred[d].append(c)

    @classmethod
    def of_audit_graph(cls, g: nx.DiGraph, kinds: Iterable[str] = (A.ROOT, A.DISTRIBUTION, A.INTERPRETER),
                       edges: Iterable[str] = (A.REQUIRES,)) -> "Condensed":
        """The edges of kinds *edges* between nodes of kinds *kinds* of an audit graph (default: the
        ``requires`` edges between root, distributions and interpreter; people reach also walks the Hub
        and native nodes: :data:`auditor.graph.reach.REACH_NODES`)."""
        kinds, edges = frozenset(kinds), frozenset(edges)
        keep = {n for n, k in g.nodes(data=A.KIND) if k in kinds}
        return cls((n for n in g.nodes if n in keep),
                   ((u, v) for u, v, k in g.edges(data=A.KIND) if k in edges and u in keep and v in keep))

    @classmethod
    def of(cls, g: nx.DiGraph) -> "Condensed":
        """Every node and edge of *g* (edges dependent -> dependency)."""
        return cls(g.nodes, g.edges)


def bitset(positions: Iterable[int]) -> int:
    """The int with exactly the bits at *positions* set (non-negative ints; repeats allowed).

    Built in one buffer: adding ``1 << p`` one at a time copies the whole
    growing int each time (``O(k * width)`` for *k* bits).
    """
    positions = list(positions)
    if len(positions) <= 2:
        out = 0
        for p in positions:
            out |= 1 << p
        return out
    buf = bytearray((max(positions) >> 3) + 1)
    for p in positions:
        buf[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buf, "little")


def closure_fold(cond: Condensed, own: Callable[[Hashable], tuple[int, ...]], *, upward: bool
                 ) -> Iterator[tuple[Hashable, tuple[int, ...]]]:
    """Bitset closure over a condensed dependency graph in one pass of a topological order.

    Args:
        cond: the :class:`Condensed` graph.
        own: a component's own bitsets, a tuple of ints (several sets are
            carried side by side; called once per component, when the walk reaches it).
        upward: True: each component gets the union over itself and all its
            ancestors (dependents); False: over itself and all its descendants.

    Yields:
        ``(component, bitsets)`` for every component, each exactly once.  A
        component's bits are kept only until its last consumer has read them,
        so memory follows the frontier of the walk.
    """
    order = reversed(cond.order) if upward else cond.order
    inputs = cond.pred if upward else cond.succ
    consumers = cond.succ if upward else cond.pred
    live: dict[Hashable, tuple[int, ...]] = {}
    left: dict[Hashable, int] = {}
    for c in order:
        bits = own(c)
        for p in inputs[c]:
            bits = tuple(a | b for a, b in zip(bits, live[p]))
            left[p] -= 1
            if not left[p]:
                del live[p], left[p]
        yield c, bits
        n = len(consumers[c])
        if n:
            live[c], left[c] = bits, n


def reach(g: nx.DiGraph, node: str = A.ROOT_ID) -> set[str]:
    """Distributions (and the interpreter) *node* depends on, transitively.

    ``nx.descendants(dependency_view(g), node)``, walked over *g*'s own
    adjacency (the view's filters, called for every edge it looks at, cost
    more than the walk); networkx's error when *node* is not in the view.
    """
    kinds = (A.ROOT, A.DISTRIBUTION, A.INTERPRETER)
    if node not in g or g.nodes[node].get(A.KIND) not in kinds:
        return set(nx.descendants(dependency_view(g), node))
    succ, attrs = g.succ, g.nodes
    seen: set[str] = set()
    stack = [node]
    while stack:
        for v, data in succ[stack.pop()].items():
            if v not in seen and data.get(A.KIND) == A.REQUIRES and attrs[v].get(A.KIND) in kinds:
                seen.add(v)
                stack.append(v)
    seen.discard(node)
    return seen


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
    adj = g.succ if outgoing else g.pred
    for n in nodes:
        if n in g:  # its neighbours by adjacency (no edge view per node)
            out.update(m for m, data in adj[n].items() if data.get(A.KIND) == kind)
            continue
        edges = g.out_edges(n, data=A.KIND) if outgoing else g.in_edges(n, data=A.KIND)
        out.update(v if outgoing else u for u, v, k in edges if k == kind)
    return out


def repositories_of(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Repository node ids that the given package nodes are built from."""
    return _linked(g, nodes, A.SOURCE, outgoing=True)


def maintainers_of(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Maintainer node ids (``pypi:<user>``) that can publish any of the given package nodes."""
    return _linked(g, nodes, A.MAINTAINS, outgoing=False)
