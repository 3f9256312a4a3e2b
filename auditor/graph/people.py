"""Transitive people reach: distinct people over a node and everything it depends on.

Pure functions over a networkx ``DiGraph`` whose edges point from a
dependent to its dependency (``root -> requests -> urllib3``), so that
"everything a node depends on" is :func:`networkx.descendants`.  Dependency
cycles are allowed (nodes of a strongly connected component reach each
other).  Nothing here fetches or scores.

The per-node input is a set of person ids (``RepositoryHistory.person_ids()``,
resolved across repositories by :mod:`auditor.people.identity`), so a person
who contributes to several dependencies counts once: the *naive sum* of the
per-node counts overcounts exactly those people, and
:class:`~auditor.models.PeopleReach` reports by how much.
"""

from __future__ import annotations

from typing import AbstractSet, Hashable, Mapping

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.bulk import bulk
from auditor.graph.queries import Condensed, bitset
from auditor.graph.reach import REACH_EDGES, REACH_NODES, breakdown, gather
from auditor.models import NativeHistories, PackageNode, PeopleReach, ReachBreakdown, RepositoryHistory, Unknown
from auditor.models.hub_facts import HubFacts


def reach_sets(graph: nx.DiGraph, people: Mapping[Hashable, AbstractSet[str]]
               ) -> dict[Hashable, tuple[frozenset[str], frozenset[Hashable]]]:
    """For each node: (distinct people over it and its descendants, those descendants + itself).

    Args:
        graph: dependency graph, edges dependent -> dependency.
        people: ``{node: person ids}``; nodes missing here (unknown history,
            the root) contribute nobody.

    Returns:
        ``{node: (person ids, reached nodes including the node)}``.  Computed
        once per strongly connected component in reverse topological order,
        so the cost is one set union per edge of the condensation.
    """
    cond = nx.condensation(graph)
    members = nx.get_node_attributes(cond, "members")
    out_people: dict[int, frozenset[str]] = {}
    out_nodes: dict[int, frozenset[Hashable]] = {}
    for comp in reversed(list(nx.topological_sort(cond))):
        ids: set[str] = set()
        nodes: set[Hashable] = set(members[comp])
        for n in members[comp]:
            ids.update(people.get(n, ()))
        for succ in cond.successors(comp):
            ids |= out_people[succ]
            nodes |= out_nodes[succ]
        out_people[comp] = frozenset(ids)
        out_nodes[comp] = frozenset(nodes)
    mapping = cond.graph["mapping"]
    return {n: (out_people[mapping[n]], out_nodes[mapping[n]]) for n in graph.nodes}


def people_reach(graph: nx.DiGraph, people: Mapping[Hashable, AbstractSet[str]]) -> dict[Hashable, PeopleReach]:
    """:class:`~auditor.models.PeopleReach` for every node of *graph*.

    ``people`` is the distinct count over the node and its descendants;
    ``naive_sum`` adds the per-node counts of the same nodes; ``overcount``
    is the difference; ``nodes`` counts the reached nodes present in *people*.

    Linear in nodes + edges (times bitset width / 64): one walk of the
    condensation in reverse topological order (:func:`reach_of`) carries
    two bitsets per component, the reached nodes present in *people* and
    the reached person ids; ``naive_sum`` is a weighted popcount (one
    popcount per bit of the largest per-node count).  :func:`reach_sets` gives the same figures as
    sets, for small graphs and tests.
    """
    return reach_of(Condensed.of(graph), people)


def reach_of(cond: Condensed, people: Mapping[Hashable, AbstractSet[str]]) -> dict[Hashable, PeopleReach]:
    """:func:`people_reach` over an already condensed graph (every node of *cond*).

    One walk of the condensation, dependencies first.  Each component
    carries to its dependents two bitsets over what it reaches *including
    itself*, the nodes present in *people* and their person ids, and
    computes its own figures from its dependencies' sets plus its own
    members, so a set is never widened by the component's own bits before
    its figures are read.  Bits go to nodes (and to person ids, by the first
    node naming them) in order of how many components depend on them
    directly, most first: the packages most of the graph reaches hold the
    low bits, and a typical package's sets stay narrow instead of as wide
    as its position in the graph (that made the walk quadratic: 17 s at
    100,000 packages, issue 14).
    """
    members = cond.members
    rank = sorted(cond.order, key=lambda c: -len(cond.pred[c]))  # stable: ties in topological order
    node_bit: dict[Hashable, int] = {}
    person_bit: dict[str, int] = {}
    sizes: list[int] = []  # len(people[n]) by node bit
    own_bits: dict[Hashable, list[int]] = {}  # each node's person bits (distinct: people[n] is a set)
    for c in rank:
        for n in members[c]:
            if n in people:
                node_bit[n] = len(node_bit)
                sizes.append(len(people[n]))
                bits = own_bits[n] = []
                for pid in sorted(people[n]):
                    b = person_bit.get(pid)
                    if b is None:
                        b = person_bit[pid] = len(person_bit)
                    bits.append(b)
    del person_bit
    # plane b: the nodes whose count of people has bit b set (naive_sum is a weighted popcount over them)
    plane_bytes = [bytearray((len(sizes) >> 3) + 1) for _ in range(max(sizes, default=0).bit_length())]
    for i, size in enumerate(sizes):
        b = 0
        while size:
            if size & 1:
                plane_bytes[b][i >> 3] |= 1 << (i & 7)
            size >>= 1
            b += 1
    planes = [int.from_bytes(buf, "little") for buf in plane_bytes]
    del plane_bytes, sizes

    result: dict[Hashable, PeopleReach] = {}
    live: dict[Hashable, tuple[int, int]] = {}
    left: dict[Hashable, int] = {}
    for c in cond.order:
        known = ids = 0  # over the dependencies' closures: everything c reaches but its own members
        for d in cond.succ[c]:
            k, i = live[d]
            known |= k
            ids |= i
            left[d] -= 1
            if not left[d]:
                del live[d], left[d]
        mine = [n for n in members[c] if n in node_bit]
        own_people = own_bits.pop(mine[0]) if len(mine) == 1 else list({b for n in mine for b in own_bits.pop(n)})
        # distinct people: ids plus the own bits not in ids (bits past ids' width are new; the others are
        # tested with one OR of ids' width, not one shift of ids per person)
        width = ids.bit_length()
        low = [b for b in own_people if b < width]
        distinct = (ids | bitset(low)).bit_count() + len(own_people) - len(low)
        naive = (sum((known & plane).bit_count() << b for b, plane in enumerate(planes))
                 + sum(len(people[n]) for n in mine))
        reach = PeopleReach(people=distinct, naive_sum=naive, overcount=naive - distinct,
                            nodes=known.bit_count() + len(mine))
        for n in members[c]:
            result[n] = reach
        if cond.pred[c]:
            live[c] = (known | bitset(node_bit[n] for n in mine), ids | bitset(own_people))
            left[c] = len(cond.pred[c])
    return result


def who_reaches(graph: nx.DiGraph, people: Mapping[Hashable, AbstractSet[str]], root: Hashable,
                node: Hashable) -> tuple[list[Hashable] | None, dict[str, list[Hashable]]]:
    """How the people behind *node* reach *root*.

    Returns:
        ``(path, via)``: a shortest dependency path ``[root, ..., node]``
        (None when *node* is not reachable from *root*), and for each person
        id of *node* the other nodes on that path they also contribute to
        (empty list: only through *node*).
    """
    try:
        path = nx.shortest_path(graph, root, node)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        path = None
    via: dict[str, list[Hashable]] = {}
    for pid in sorted(people.get(node, ())):
        via[pid] = [n for n in (path or []) if n != node and pid in people.get(n, ())]
    return path, via


def history_attrs(attrs: dict, h: RepositoryHistory | Unknown) -> None:
    """Write one repository's git-history figures (or the reason they are unknown) into node *attrs*."""
    if isinstance(h, RepositoryHistory):
        attrs.update({
            A.CONTRIBUTORS: h.contributors, A.ACTIVE_CONTRIBUTORS: h.active_contributors,
            A.COMMITTERS: h.committers, A.BUS_FACTOR: h.bus_factor, A.COMMITS: h.commits,
            A.EXCLUDED_BOTS: h.excluded_bots,
        })
        if h.first_commit:
            attrs[A.FIRST_COMMIT], attrs[A.LAST_COMMIT] = h.first_commit, h.last_commit
        if h.as_of:
            attrs[A.HISTORY_AS_OF] = h.as_of
    elif isinstance(h, Unknown):
        attrs.setdefault(A.UNKNOWN, {})[A.CONTRIBUTORS] = h.reason


@bulk()
def annotate_history(graph: nx.DiGraph, histories: Mapping[str, RepositoryHistory | Unknown], *,
                     add_people: bool = False, nodes: Mapping[str, PackageNode] | None = None,
                     hub_facts: HubFacts | None = None) -> ReachBreakdown | Unknown:
    """Write git-history figures and people reach onto *graph* (in place); return the root's breakdown.

    Args:
        graph: the audit graph from :func:`auditor.graph.build.build_graph`, with its Hub nodes
            (:mod:`auditor.graph.hub`) when the project loads models or datasets.
        histories: ``{package node id: RepositoryHistory or Unknown}`` (the
            ``"history"`` signal of each node).
        add_people: also add ``person`` nodes (id: the person id) and
            ``contributed_to`` edges person -> repository node
            (``--people``); needs :attr:`RepositoryHistory.people`.
        nodes: the package nodes (their ``conda`` recipe maintainers and ``native_history``), or None.
        hub_facts: the Hub's facts on the models and datasets loaded, or None.

    Package nodes get :data:`~auditor.graph.attrs.CONTRIBUTORS`,
    ``ACTIVE_CONTRIBUTORS``, ``COMMITTERS``, ``BUS_FACTOR``, ``COMMITS``,
    ``FIRST_COMMIT``, ``LAST_COMMIT``, ``EXCLUDED_BOTS`` (or an entry in
    ``UNKNOWN`` with the reason), and so do ``native_library`` nodes from their upstream's history.
    Every node people reach walks (:data:`~auditor.graph.reach.REACH_NODES` over
    :data:`~auditor.graph.reach.REACH_EDGES`: ``requires``, ``loads``, ``bundles``, ``links``) that
    reaches someone gets ``PEOPLE_REACH``, ``PEOPLE_NAIVE_SUM`` and ``PEOPLE_OVERCOUNT``: distinct people
    over git histories, Hub accounts, conda-forge recipe maintainers and native upstream histories
    (:mod:`auditor.graph.reach`; docs/history.md#people-reach).

    Returns:
        The root's :class:`~auditor.models.ReachBreakdown`, or Unknown when no origin was collected.
    """
    for nid, h in histories.items():
        if nid in graph:
            history_attrs(graph.nodes[nid], h)
    native = {}
    for node in (nodes or {}).values():
        found = node.signals.get("native_history")
        for url, h in (found.repos if isinstance(found, NativeHistories) else ()):
            native.setdefault(url, h)
    for nid, url in (graph.nodes(data=A.REPO_URL) if native else ()):
        if url in native and graph.nodes[nid].get(A.KIND) == A.NATIVE_LIBRARY:
            history_attrs(graph.nodes[nid], native[url])
    sources = gather(graph, histories, nodes, hub_facts)
    cond = Condensed.of_audit_graph(graph, REACH_NODES, REACH_EDGES)
    for nid, r in sorted(reach_of(cond, sources.people()).items(), key=lambda kv: str(kv[0])):
        attrs = graph.nodes[nid]
        if r.nodes == 0:
            continue  # nobody known below: leave it absent rather than claim 0
        attrs[A.PEOPLE_REACH], attrs[A.PEOPLE_NAIVE_SUM], attrs[A.PEOPLE_OVERCOUNT] = r.people, r.naive_sum, r.overcount
    if add_people:
        _add_people(graph, histories)
    return breakdown(cond, sources)


def _add_people(graph: nx.DiGraph, histories: Mapping[str, RepositoryHistory | Unknown]) -> None:
    for nid, h in histories.items():
        if not isinstance(h, RepositoryHistory) or nid not in graph:
            continue
        rid = f"repo:{h.url}"
        if rid not in graph:
            continue
        by_id = {p.id: p for p in h.people}
        for c in h.contributions:
            p = by_id.get(c.person)
            if p is None:
                continue
            if c.person not in graph:
                graph.add_node(c.person, **{A.KIND: A.PERSON, A.NAME: p.display_name, A.LABEL: p.display_name,
                                            A.NAMES: list(p.names), A.EMAILS: list(p.emails),
                                            A.LOGINS: list(p.logins)})
            graph.add_edge(c.person, rid, **{A.KIND: A.CONTRIBUTED_TO, A.COMMITS: c.authored,
                                             A.CO_AUTHORED: c.co_authored, A.LANDED: c.landed,
                                             A.ACTIVE: c.active, A.FIRST_COMMIT: c.first, A.LAST_COMMIT: c.last})

