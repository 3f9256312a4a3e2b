"""Who can change each node of the audit graph, by origin: the inputs of people reach (docs/history.md#people-reach).

Pure: reads facts already collected and never fetches.  Four origins, each a set of person ids per node:

* ``git``: the people of a distribution's repository history (:meth:`RepositoryHistory.person_ids`,
  identities resolved across every repository of the audit: :mod:`auditor.people.identity`);
* ``hub``: the commit authors and owner-organization members of a Hugging Face Hub model or dataset
  (:class:`~auditor.models.hub_facts.HubRepoFacts`), ids ``"hf:<username>"``.  A Hub account is never
  merged with a git identity: the Hub API gives no verified e-mail and auditor knows no explicit link;
* ``conda``: a conda-forge package's ``extra.recipe-maintainers`` (GitHub logins:
  :class:`~auditor.models.CondaPackage`), the person of a history whose GitHub login is the same
  (:meth:`RepositoryHistory.login_ids`), else ``"github:<login>"``.  A team
  (``conda-forge/pytorch-cpu``) lists no members: a note, not a person;
* ``native``: the people of a bundled library's upstream repository history
  (:class:`~auditor.models.NativeHistories`), on its ``native_library`` node.

A source whose people are not known is listed with its reason (the figures are then lower bounds);
a source that has no people to know by design (a closed-source library, a conda package of a channel
with no recipe repository) is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable, Mapping

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.queries import Condensed
from auditor.models import (CondaPackage, NativeHistories, PackageNode, ReachBreakdown, ReachPart,
                            RepositoryHistory, Unknown)
from auditor.models.hub_facts import HubFacts, HubRepoFacts

#: Origins, in the order reports list them.
ORIGINS = ("git", "hub", "conda", "native")
#: Node kinds people reach walks: what the root runs or loads.
REACH_NODES = (A.ROOT, A.DISTRIBUTION, A.INTERPRETER, A.HUB_MODEL, A.HUB_DATASET, A.HUB_SPACE, A.NATIVE_LIBRARY)
#: Edge kinds people reach follows.  Not ``derived_from``: a base model's writers cannot change the files of
#: a model fine-tuned from it (they change the base, which the project loads only if it references it).
#: Not ``build``: build requirements are resolved at install time (``--build-deps`` shows them).
REACH_EDGES = (A.REQUIRES, A.LOADS, A.BUNDLES, A.LINKS)


@dataclass
class Sources:
    """Per node: person ids by origin, the sources not known and the notes (what :func:`gather` finds).

    Attributes:
        ids: ``{node: {origin: person ids}}``.
        unknown: ``{node: [(origin, "what: reason")]}``.
        notes: ``{node: [(origin, note)]}``.
        collected: origins whose facts were gathered at all (``git`` is absent when no history was read).
    """

    ids: dict[Hashable, dict[str, frozenset[str]]] = field(default_factory=dict)
    unknown: dict[Hashable, list[tuple[str, str]]] = field(default_factory=dict)
    notes: dict[Hashable, list[tuple[str, str]]] = field(default_factory=dict)
    collected: set[str] = field(default_factory=set)

    def add(self, node: Hashable, origin: str, ids) -> None:
        """Add person *ids* of *origin* to *node*."""
        cur = self.ids.get(node)
        if cur is None:
            cur = self.ids[node] = {}
        ids = ids if isinstance(ids, frozenset) else frozenset(ids)
        had = cur.get(origin)
        cur[origin] = ids if had is None else had | ids

    def people(self) -> dict[Hashable, frozenset[str]]:
        """``{node: person ids over every origin}`` (the input of :func:`auditor.graph.people.reach_of`)."""
        return {n: next(iter(by.values())) if len(by) == 1 else frozenset().union(*by.values())
                for n, by in self.ids.items()}


def _label(graph: nx.DiGraph, nid: Hashable) -> str:
    return str(graph.nodes[nid].get(A.LABEL, nid))


def gather(graph: nx.DiGraph, histories: Mapping[Hashable, RepositoryHistory | Unknown],
           nodes: Mapping[str, PackageNode] | None = None, hub_facts: HubFacts | None = None) -> Sources:
    """The people of every node of *graph*, by origin.

    Args:
        graph: the audit graph, with its Hub and native nodes.
        histories: ``{distribution node id: RepositoryHistory or Unknown}`` (the ``history`` signal).
        nodes: package nodes by name (their ``conda`` and ``native_history`` signals), or None.
        hub_facts: the Hub's facts, or None (not collected).
    """
    out = Sources()
    logins: dict[str, str] = {}
    kinds = dict(graph.nodes(data=A.KIND))
    if histories:
        out.collected.add("git")
    for nid, h in histories.items():
        if nid not in kinds:
            continue
        if isinstance(h, RepositoryHistory):
            out.add(nid, "git", h.person_ids())
            _logins(logins, h)
        elif isinstance(h, Unknown) and kinds.get(nid) != A.INTERPRETER:
            out.unknown.setdefault(nid, []).append(("git", f"{_label(graph, nid)}: {h.reason}"))
    ids = {n.name: n.distribution.key for n in (nodes or {}).values()}
    natives: dict[str, list[Hashable]] = {}
    for nid, kind in kinds.items():
        if kind == A.NATIVE_LIBRARY:
            url = graph.nodes[nid].get(A.REPO_URL)
            if url:
                natives.setdefault(url, []).append(nid)
            elif graph.nodes[nid].get(A.CLOSED_SOURCE):
                out.notes.setdefault(nid, []).append(("native", f"{_label(graph, nid)}: closed source, no public repository"))
            else:
                out.notes.setdefault(nid, []).append(("native", f"{_label(graph, nid)}: upstream not known"))
    seen: set[str] = set()
    for name, node in sorted((nodes or {}).items()):
        found = node.signals.get("native_history")
        if isinstance(found, NativeHistories):
            out.collected.add("native")
            for url, h in found.repos:
                if url in seen:
                    continue
                seen.add(url)
                for nid in natives.get(url, ()):
                    if isinstance(h, RepositoryHistory):
                        out.add(nid, "native", h.person_ids())
                        _logins(logins, h)
                    else:
                        out.unknown.setdefault(nid, []).append(("native", f"{url}: {h.reason}"))
        elif isinstance(found, Unknown):
            for url, nids in natives.items():
                for nid in nids:
                    if graph.has_edge(ids.get(name), nid) and url not in seen:
                        seen.add(url)
                        out.unknown.setdefault(nid, []).append(("native", f"{url}: {found.reason}"))
    for url, nids in natives.items():
        if url not in seen:
            for nid in nids:
                out.unknown.setdefault(nid, []).append(("native", f"{url}: git history not collected"))
    for name, node in sorted((nodes or {}).items()):
        conda = node.signals.get("conda")
        nid = ids.get(name)
        if not isinstance(conda, CondaPackage) or nid not in graph:
            continue
        out.collected.add("conda")
        if conda.feedstock is None:
            out.notes.setdefault(nid, []).append(
                ("conda", f"{name}: channel {conda.record.channel_name or '?'} has no recipe repository"))
        elif isinstance(conda.recipe_maintainers, Unknown):
            out.unknown.setdefault(nid, []).append(("conda", f"{name} recipe: {conda.recipe_maintainers.reason}"))
        else:
            people = [m for m in conda.recipe_maintainers if "/" not in m]
            teams = [m for m in conda.recipe_maintainers if "/" in m]
            out.add(nid, "conda", (logins.get(m.lower(), f"github:{m.lower()}") for m in people))
            for team in teams:
                out.notes.setdefault(nid, []).append(("conda", f"{name}: team {team} (members not listed)"))
    _hub(graph, kinds, hub_facts, out)
    return out


def _logins(logins: dict[str, str], h: RepositoryHistory) -> None:
    for login, pid in h.login_ids().items():
        if pid < logins.get(login, "\uffff"):
            logins[login] = pid


def _hub(graph: nx.DiGraph, kinds: Mapping[Hashable, Any], facts: HubFacts | None, out: Sources) -> None:
    hub_nodes = [n for n, k in kinds.items() if k in (A.HUB_MODEL, A.HUB_DATASET, A.HUB_SPACE)]
    if not hub_nodes:
        return
    out.collected.add("hub")
    for nid in hub_nodes:
        f = facts.repos.get(nid) if facts is not None else Unknown("Hub facts not collected", fault=False)
        if f is None:
            f = Unknown("no Hub facts for it", fault=False)
        if isinstance(f, Unknown):
            out.unknown.setdefault(nid, []).append(("hub", f"{nid}: {f.reason}"))
            continue
        if not isinstance(f, HubRepoFacts):
            continue
        out.add(nid, "hub", ())
        for what, names in (("commit authors", f.authors), ("organization members", f.members)):
            if isinstance(names, Unknown):
                out.unknown.setdefault(nid, []).append(("hub", f"{nid} {what}: {names.reason}"))
            elif names:
                out.add(nid, "hub", (f"hf:{n}" for n in names))


def reached(cond: Condensed, root: Hashable = A.ROOT_ID) -> set[Hashable]:
    """*root* and every node it reaches in *cond* (people reach's condensed graph: :data:`REACH_NODES` over
    :data:`REACH_EDGES`), in one linear walk of the components."""
    start = next((c for c, ms in cond.members.items() if root in ms), None)
    if start is None:
        return set()
    seen, todo = {start}, [start]
    while todo:
        for d in cond.succ[todo.pop()]:
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return {n for c in seen for n in cond.members[c]}


def breakdown(cond: Condensed, sources: Sources, root: Hashable = A.ROOT_ID) -> ReachBreakdown | Unknown:
    """The root's people reach in total and by origin; Unknown when no origin was collected at all."""
    nodes = reached(cond, root)
    ids: dict[str, set[str]] = {o: set() for o in ORIGINS}
    naive = dict.fromkeys(ORIGINS, 0)
    count = dict.fromkeys(ORIGINS, 0)
    unknown: dict[str, list[str]] = {o: [] for o in ORIGINS}
    notes: dict[str, list[str]] = {o: [] for o in ORIGINS}
    for n in sorted((n for n in nodes if n in sources.ids or n in sources.unknown or n in sources.notes), key=str):
        for origin, got in sources.ids.get(n, {}).items():
            ids[origin] |= got
            naive[origin] += len(got)
            count[origin] += 1
        for origin, what in sources.unknown.get(n, ()):
            unknown[origin].append(what)
        for origin, what in sources.notes.get(n, ()):
            notes[origin].append(what)
    if "git" not in sources.collected:
        unknown["git"] = ["git history not collected"]
    parts = []
    for origin in ORIGINS:
        if not (count[origin] or unknown[origin] or notes[origin]):
            continue
        parts.append(ReachPart(origin, len(ids[origin]), naive[origin], count[origin],
                               tuple(dict.fromkeys(unknown[origin])), tuple(dict.fromkeys(notes[origin]))))
    if not any(p.sources for p in parts):
        return Unknown("; ".join(_why(p) for p in parts if p.unknown) or "git history not collected", fault=False)
    everyone = set().union(*ids.values())
    return ReachBreakdown(people=len(everyone), parts=tuple(parts), overlap=sum(p.people for p in parts) - len(everyone),
                          at_least=any(p.unknown for p in parts))


def _why(part: ReachPart) -> str:
    """``"native: 2 sources unknown (git clone failed: …)"``: one part's unknown sources and their most frequent reason."""
    reasons: dict[str, int] = {}
    for entry in part.unknown:
        reason = entry.split(": ", 1)[-1]
        reasons[reason] = reasons.get(reason, 0) + 1
    top = min(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if part.unknown == ("git history not collected",):
        return f"{part.origin}: {top}"
    return f"{part.origin}: {len(part.unknown)} source{'s' if len(part.unknown) != 1 else ''} unknown ({top})"
