"""The one-pass bitset closures agree with networkx's per-node traversals on random graphs (cycles included)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.graph import attrs as A
from auditor.graph.people import people_reach, reach_sets
from auditor.graph.queries import dependency_view, dependents_counts, package_ids

edges = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40)


def audit_graph(pairs) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node(A.ROOT_ID, **{A.KIND: A.ROOT})
    for i in range(12):
        g.add_node(f"p{i}", **{A.KIND: A.DISTRIBUTION})
    g.add_node("repo:x", **{A.KIND: "repository"})
    for u, v in pairs:
        if u != v:
            g.add_edge(f"p{u}", f"p{v}", **{A.KIND: A.REQUIRES})
    g.add_edge(A.ROOT_ID, "p0", **{A.KIND: A.REQUIRES})
    g.add_edge("p1", "repo:x", **{A.KIND: A.SOURCE})
    return g


@settings(max_examples=150, deadline=None)
@given(edges)
def test_dependents_counts_match_ancestors(pairs):
    g = audit_graph(pairs)
    view = nx.DiGraph(dependency_view(g))
    expected = {n: len(nx.ancestors(view, n) - {A.ROOT_ID}) for n in package_ids(g)}
    assert dependents_counts(g) == expected


@settings(max_examples=150, deadline=None)
@given(edges, st.dictionaries(st.integers(0, 11), st.frozensets(st.sampled_from("abcdefgh"), max_size=5)))
def test_people_reach_matches_the_set_version(pairs, who):
    g = nx.DiGraph(dependency_view(audit_graph(pairs)))
    people = {f"p{i}": ids for i, ids in who.items()}
    got = people_reach(g, people)
    for node, (ids, nodes) in reach_sets(g, people).items():
        known = [n for n in nodes if n in people]
        naive = sum(len(people[n]) for n in known)
        assert (got[node].people, got[node].naive_sum, got[node].nodes) == (len(ids), naive, len(known))
