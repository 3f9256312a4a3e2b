"""Hugging Face Hub repositories in the audit graph: ``model``/``dataset``/``space`` nodes and ``loads`` edges.

Each repository referenced (by the static scan or ``--model``/``--dataset``,
``auditor/sources/hub_scan.py``) is one node ``"<kind>:<repo id>"`` with a
``loads`` edge from the root; several references to one repository are one
node whose attributes sum them up.  The package queries (dependents, scoring)
read only ``requires`` edges between distributions, so these nodes change none
of their figures; people reach follows ``loads`` edges (``graph/reach.py``).  docs/models.md, docs/graph.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from auditor.graph import attrs as A
from auditor.models.hub import HubReference
from auditor.models.hub_facts import HubFacts, HubRepoFacts
from auditor.models.unknown import Unknown

_KINDS = {"model": A.HUB_MODEL, "dataset": A.HUB_DATASET, "space": A.HUB_SPACE}


def _revision(ref: HubReference) -> str:
    if isinstance(ref.revision, Unknown):
        return "unknown"
    return ref.revision or ""


def add_hub_nodes(graph: nx.DiGraph, references: Iterable[HubReference]) -> None:
    """Add one node per referenced Hub repository and ``loads`` edges to it (mutates *graph*): from the
    root, and from an installed distribution's node for the references found in its code
    (``HubReference.package``; the root when that package is not in the graph).

    Node attributes: kind, name/label (the repo id), ``repo_id``,
    ``revisions`` (sorted, ``""`` for the default branch), ``pinned`` (every
    reference pins a commit sha), ``trust_remote_code`` (any reference passes a
    literal ``True``), ``locations`` (sorted ``file:line``).  Edge attribute:
    ``references`` (how many calls or options name it).
    """
    grouped: dict[str, list[HubReference]] = {}
    for ref in references:
        grouped.setdefault(ref.node_id, []).append(ref)
    # a reference in an installed distribution's code: the loads edge starts at that package's node
    by_name = {d.get(A.NAME): n for n, d in graph.nodes(data=True) if d.get(A.KIND) == A.DISTRIBUTION}
    for nid in sorted(grouped):
        refs = grouped[nid]
        first = refs[0]
        graph.add_node(nid, **{
            A.KIND: _KINDS[first.kind], A.NAME: first.repo_id, A.LABEL: first.repo_id, A.HUB_REPO_ID: first.repo_id,
            A.HUB_REVISIONS: sorted({_revision(r) for r in refs}),
            A.HUB_PINNED: all(r.pinned for r in refs),
            A.HUB_TRUST_REMOTE_CODE: any(r.trust_remote_code is True for r in refs),
            A.HUB_LOCATIONS: sorted({str(r.location) for r in refs}),
        })
        sources: dict[str, int] = {}
        for r in refs:
            src = by_name.get(r.package, A.ROOT_ID) if r.package else A.ROOT_ID
            sources[src] = sources.get(src, 0) + 1
        for src, count in sorted(sources.items()):
            graph.add_edge(src, nid, **{A.KIND: A.LOADS, A.HUB_REFERENCES: count})


def facts_record(f: HubRepoFacts | Unknown) -> dict:
    """One repository's Hub facts as plain JSON-ready values (graph attribute ``hub``, JSON ``hub.repositories``);
    ``{"unknown": reason, "kind": kind}`` when nothing could be learnt; an unknown field is ``"unknown (reason)"``."""
    if isinstance(f, Unknown):
        return {"unknown": f.reason, "kind": f.kind.value}

    def val(v):
        return str(v) if isinstance(v, Unknown) else v

    return {
        "canonical_id": f.canonical_id, "owner": f.owner, "owner_type": val(f.owner_type), "gated": f.gated,
        "private": f.private, "disabled": f.disabled, "sha": val(f.sha), "head_sha": val(f.head_sha),
        "last_modified": f.last_modified, "created": f.created, "downloads": f.downloads, "likes": f.likes,
        "library": f.library, "pipeline_tag": f.pipeline_tag, "license": f.license,
        "base_models": list(f.base_models), "files": f.files.count, "safetensors_files": len(f.files.safetensors),
        "pickle_files": list(f.files.pickle), "code_files": list(f.files.code),
        "loading_script": f.files.loading_script,
        "security_scan": (None if f.security is None else
                          {"done": f.security.done, "flagged": [list(x) for x in f.security.flagged]}),
        "authors": val(f.authors) if isinstance(f.authors, Unknown) else list(f.authors),
        "members": val(f.members) if isinstance(f.members, Unknown) else (None if f.members is None else list(f.members)),
    }


def add_hub_facts(graph: nx.DiGraph, facts: HubFacts | None, scores: Mapping[str, Any] | None = None) -> None:
    """Write the Hub's facts onto the Hub nodes, add base models, ``derived_from`` edges and Hub people (mutates *graph*).

    Each Hub node gets ``hub`` (a dict: :func:`facts_record`).
    A base model that is not referenced becomes a ``model`` node with no ``loads`` edge.
    Each commit author or owner-organization member is a ``person`` node ``"hf:<username>"``
    (namespace ``hf``: a Hub account, never merged with a git or GitHub identity) with a
    ``contributed_to`` or ``member_of_owner`` edge to the repository.  They count in people reach
    (``people_reach`` on the root and every node that loads a repository: :mod:`auditor.graph.reach`).
    With *scores* (``scoring/hub.py``), each referenced node gets ``score`` and ``coverage``.
    """
    for nid, score in (scores or {}).items():  # scoring/hub.py: the same 0-100 scale as a package's
        if nid in graph:
            if isinstance(score.total, Unknown):
                graph.nodes[nid].setdefault(A.UNKNOWN, {})[A.SCORE] = score.total.reason
            else:
                graph.nodes[nid][A.SCORE] = score.total
            graph.nodes[nid][A.COVERAGE] = score.coverage
    if facts is None:
        return
    for nid, f in facts.repos.items():
        if nid not in graph:
            kind, _, repo_id = nid.partition(":")
            graph.add_node(nid, **{A.KIND: _KINDS.get(kind, A.HUB_MODEL), A.NAME: repo_id, A.LABEL: repo_id,
                                   A.HUB_REPO_ID: repo_id})
        graph.nodes[nid][A.HUB_FACTS] = facts_record(f)
    for child, base in facts.derived:
        graph.add_edge(child, base, **{A.KIND: A.DERIVED_FROM})
    for nid, f in facts.repos.items():
        if not isinstance(f, HubRepoFacts):
            continue
        for names, edge in ((f.authors, A.CONTRIBUTED_TO), (f.members, A.HUB_MEMBER)):
            for name in names if isinstance(names, tuple) else ():
                pid = f"hf:{name}"
                if pid not in graph:
                    graph.add_node(pid, **{A.KIND: A.PERSON, A.NAME: name, A.LABEL: name, "namespace": "hf"})
                graph.add_edge(pid, nid, **{A.KIND: edge})
