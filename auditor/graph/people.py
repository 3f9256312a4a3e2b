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

from auditor.models import PeopleReach


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
    """
    result: dict[Hashable, PeopleReach] = {}
    for node, (ids, nodes) in reach_sets(graph, people).items():
        known = [n for n in nodes if n in people]
        naive = sum(len(people[n]) for n in known)
        result[node] = PeopleReach(people=len(ids), naive_sum=naive, overcount=naive - len(ids), nodes=len(known))
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
