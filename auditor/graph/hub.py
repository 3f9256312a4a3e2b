"""Hugging Face Hub repositories in the audit graph: ``model``/``dataset``/``space`` nodes and ``loads`` edges.

Each repository referenced (by the static scan or ``--model``/``--dataset``,
``auditor/sources/hub_scan.py``) is one node ``"<kind>:<repo id>"`` with a
``loads`` edge from the root; several references to one repository are one
node whose attributes sum them up.  The package queries (dependents, people
reach, scoring) read only ``requires`` edges between distributions, so these
nodes change none of their figures.  docs/models.md, docs/graph.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from auditor.graph import attrs as A
from auditor.models.hub import HubReference
from auditor.models.unknown import Unknown

_KINDS = {"model": A.HUB_MODEL, "dataset": A.HUB_DATASET, "space": A.HUB_SPACE}


def _revision(ref: HubReference) -> str:
    if isinstance(ref.revision, Unknown):
        return "unknown"
    return ref.revision or ""


def add_hub_nodes(graph: nx.DiGraph, references: Iterable[HubReference]) -> None:
    """Add one node per referenced Hub repository and a ``loads`` edge from the root (mutates *graph*).

    Node attributes: kind, name/label (the repo id), ``repo_id``,
    ``revisions`` (sorted, ``""`` for the default branch), ``pinned`` (every
    reference pins a commit sha), ``trust_remote_code`` (any reference passes a
    literal ``True``), ``locations`` (sorted ``file:line``).  Edge attribute:
    ``references`` (how many calls or options name it).
    """
    grouped: dict[str, list[HubReference]] = {}
    for ref in references:
        grouped.setdefault(ref.node_id, []).append(ref)
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
        graph.add_edge(A.ROOT_ID, nid, **{A.KIND: A.LOADS, A.HUB_REFERENCES: len(refs)})
