"""people_reach over small graphs (pure function)."""

from __future__ import annotations

import networkx as nx

from auditor.graph.people import people_reach, reach_sets, who_reaches
from auditor.models import PeopleReach


def graph(*edges):
    g = nx.DiGraph()
    g.add_edges_from(edges)
    return g


def test_diamond_counts_shared_people_once():
    g = graph(("root", "a"), ("root", "b"), ("a", "c"), ("b", "c"))
    people = {"a": {"p1", "p2"}, "b": {"p2", "p3"}, "c": {"p1", "p4"}}
    r = people_reach(g, people)
    assert r["root"] == PeopleReach(people=4, naive_sum=6, overcount=2, nodes=3)
    assert r["a"] == PeopleReach(people=3, naive_sum=4, overcount=1, nodes=2)
    assert r["c"] == PeopleReach(people=2, naive_sum=2, overcount=0, nodes=1)


def test_unknown_nodes_contribute_nobody_and_cycles_are_fine():
    g = graph(("root", "a"), ("a", "b"), ("b", "a"), ("b", "unknown"))
    people = {"a": {"p1"}, "b": {"p2", "p1"}}
    r = people_reach(g, people)
    assert r["a"] == r["b"] == PeopleReach(people=2, naive_sum=3, overcount=1, nodes=2)
    assert r["unknown"] == PeopleReach(0, 0, 0, 0)
    assert reach_sets(g, people)["root"][0] == {"p1", "p2"}


def test_who_reaches():
    g = graph(("root", "a"), ("a", "c"), ("root", "b"))
    people = {"a": {"p1"}, "c": {"p1", "p2"}}
    path, via = who_reaches(g, people, "root", "c")
    assert path == ["root", "a", "c"]
    assert via == {"p1": ["a"], "p2": []}
    assert who_reaches(g, people, "b", "c")[0] is None
