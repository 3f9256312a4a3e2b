"""Facts from the Hugging Face Hub about the repositories a project loads (docs/models.md).

:func:`collect_hub_facts` asks :class:`~auditor.net.hub.HubClient` (one
``model_info``/``dataset_info`` at the referenced revision, the default
branch's sha when a revision is given, the owner's kind, the commit authors
and the owner organization's members) for every repository the static scan
or ``--model``/``--dataset`` named, then follows ``cardData.base_model`` to
the base models (at most :data:`BASE_DEPTH` steps, each repository once, so a
cycle ends).  Every fact that could not be learnt is an ``Unknown`` inside
the result; nothing raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.models.hub import HubReference
from auditor.models.hub_facts import HubFacts, HubRepoFacts, SecurityScan, classify_files
from auditor.models.unknown import Unknown, UnknownKind
from auditor.net.context import RunContext
from auditor.net.hub import hub_client
from auditor.sources.hub_scan import is_hub_id

#: ``base_model`` steps followed from a referenced model.
BASE_DEPTH = 3
#: Repositories asked about at most in one audit (referenced and bases).
MAX_REPOS = 2000
#: Hub authors that are not people: the Hub's own initial commit.
NOT_PEOPLE = frozenset({"system"})


def _revision(refs: list[HubReference]) -> str | None:
    """The revision to ask about: a pinned sha if any reference pins one, else a literal branch/tag, else None."""
    pinned = sorted(r.revision for r in refs if r.pinned)
    if pinned:
        return pinned[0]  # type: ignore[return-value]
    named = sorted(r.revision for r in refs if isinstance(r.revision, str))
    return named[0] if named else None


def repo_facts(ctx: RunContext, kind: str, repo_id: str, revision: str | None,
               people: bool = True) -> HubRepoFacts | Unknown:
    """Everything auditor learns about one repository (see the module doc); without *people* (a base
    model reached through a card: its writers cannot change what the project loads) no history or members."""
    client = hub_client(ctx)
    info = client.info(kind, repo_id, revision)
    if isinstance(info, Unknown):
        return info
    canonical = info.get("id") or repo_id
    owner = info.get("author") or (canonical.split("/")[0] if "/" in canonical else "")
    owner_type = client.owner_type(owner) if owner else Unknown.of(UnknownKind.NOT_APPLICABLE, "no namespace")
    head = client.head_sha(kind, canonical) if revision is not None else None
    not_asked = Unknown.of(UnknownKind.NOT_APPLICABLE, "a base model: its writers do not change what is loaded")
    history = client.authors(kind, canonical) if people else not_asked
    authors = (tuple(a for a in history["authors"] if a not in NOT_PEOPLE)
               if isinstance(history, dict) else history)
    members = None
    if not people:
        members = not_asked
    elif owner_type == "organization":
        got = client.members(owner)
        members = tuple(got["members"]) if isinstance(got, dict) else got
    sec = info.get("security")
    security = (SecurityScan(bool(sec["done"]), tuple((p, lvl) for p, lvl in sec["flagged"]))
                if isinstance(sec, dict) else None)
    return HubRepoFacts(
        kind=kind, repo_id=repo_id, canonical_id=canonical, revision=revision, owner=owner, owner_type=owner_type,
        gated=info["gated"], private=info["private"], disabled=info["disabled"],
        sha=info["sha"] if isinstance(info.get("sha"), str) else Unknown.of(UnknownKind.MALFORMED, "no sha"),
        head_sha=head, last_modified=info.get("last_modified"), created=info.get("created"),
        downloads=info.get("downloads"), likes=info.get("likes"), library=info.get("library"),
        pipeline_tag=info.get("pipeline_tag"), license=info.get("license"),
        base_models=tuple(info.get("base_models") or ()),
        files=classify_files(info.get("files") or [], kind, canonical), security=security,
        authors=authors, members=members,
    )


def collect_hub_facts(ctx: RunContext, references: Iterable[HubReference]) -> HubFacts:
    """Hub facts for every referenced repository and its base models; spaces included, nothing raises."""
    grouped: dict[str, list[HubReference]] = {}
    for ref in references:
        grouped.setdefault(ref.node_id, []).append(ref)
    todo = [(nid, refs[0].kind, refs[0].repo_id, _revision(refs)) for nid, refs in sorted(grouped.items())]
    repos: dict[str, HubRepoFacts | Unknown] = {}
    derived: set[tuple[str, str]] = set()
    with ctx.timed("hub"):
        for _depth in range(BASE_DEPTH + 1):
            todo = [t for t in todo if t[0] not in repos][: max(0, MAX_REPOS - len(repos))]
            if not todo:
                break
            got = ctx.map(lambda t: repo_facts(ctx, t[1], t[2], t[3], people=t[0] in grouped), todo, task="hub")
            nxt = []
            for (nid, *_), facts in zip(todo, got):
                repos[nid] = facts
                if isinstance(facts, HubRepoFacts) and facts.kind == "model":
                    for base in facts.base_models:
                        base_id = f"model:{base}"
                        if base_id != nid and is_hub_id(base):  # a card is outside input: only Hub-shaped ids
                            derived.add((nid, base_id))
                            nxt.append((base_id, "model", base, None))
            todo = sorted(set(nxt))
    return HubFacts(repos=dict(sorted(repos.items())), derived=tuple(sorted(derived)),
                    referenced=frozenset(grouped))
