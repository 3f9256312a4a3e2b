"""The exposure score of a Hugging Face Hub repository the project loads (docs/models.md#exposure-score).

Pure: reads the references (``models/hub.py``) and the Hub's facts
(``models/hub_facts.py``) and never fetches.  Factors and weights are
``hub_factors:`` of ``judgement/rules.yaml``; like a package's score,
``total = 100 × Σ points / Σ applicable weight``, and an unknown factor adds
half its weight (it must not look safe) and is listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.judgement.catalogue import catalogue
from auditor.models import Factor, Score, Unknown, UnknownKind
from auditor.models.hub import HubReference
from auditor.models.hub_facts import HubRepoFacts
from auditor.scoring.base import DEFAULT_UNKNOWN_FRACTION, log_scale


def default_specs() -> dict[str, dict[str, Any]]:
    """``{factor: spec}`` of ``hub_factors:`` in ``judgement/rules.yaml``, each with ``unknown`` (the fraction an
    unknown factor adds: :data:`~auditor.scoring.base.DEFAULT_UNKNOWN_FRACTION`), as ``load_weights`` gives them."""
    return {name: {"unknown": DEFAULT_UNKNOWN_FRACTION, **f.defaults} for name, f in catalogue().hub_factors.items()}


def _factor(name: str, spec: Mapping[str, Any], value: Any, fraction: float | None, detail: str) -> Factor:
    weight = float(spec["weight"])
    if fraction is None:  # unknown
        return Factor(name, value, round(weight * float(spec.get("unknown", DEFAULT_UNKNOWN_FRACTION)), 2), weight,
                      detail)
    return Factor(name, value, round(weight * fraction, 2), weight, detail)


def score_hub_repo(refs: Iterable[HubReference], facts: HubRepoFacts | Unknown | None,
                   weights: Mapping[str, Mapping[str, Any]] | None = None) -> Score:
    """The exposure of one repository from its *refs* and the Hub's *facts* (None: not asked, ``--disable hub``).

    *weights*: :func:`auditor.scoring.aggregate.load_weights` (``--weights``); its ``hub_*`` entries
    are used, the defaults of :func:`default_specs` otherwise.
    """
    specs = {name: dict(weights.get(name, spec)) if weights is not None else spec
             for name, spec in default_specs().items()}
    refs = list(refs)
    why = facts if isinstance(facts, Unknown) else Unknown.of(UnknownKind.NOT_COLLECTED, "Hub facts not collected")
    known = facts if isinstance(facts, HubRepoFacts) else None
    out = []
    loose = [r for r in refs if not r.pinned]
    out.append(_factor("hub_revision", specs["hub_revision"], len(loose), 1.0 if loose else 0.0,
                       f"{len(loose)} of {len(refs)} references not pinned to a commit"))
    if known is None:
        out.append(_factor("hub_code_on_load", specs["hub_code_on_load"], str(why), None, "unknown: " + why.reason))
        out.append(_factor("hub_owner", specs["hub_owner"], str(why), None, "unknown: " + why.reason))
        out.append(_factor("hub_people", specs["hub_people"], str(why), None, "unknown: " + why.reason))
        out.append(_factor("hub_license", specs["hub_license"], str(why), None, "unknown: " + why.reason))
    else:
        reasons = []
        if known.files.code and any(r.trust_remote_code is True for r in refs):
            reasons.append("trust_remote_code with Python files")
        if known.files.loading_script:
            reasons.append("a loading script")
        if known.kind == "model" and known.files.pickle_only:
            reasons.append("pickle-only weights")
        if known.security is not None and known.security.flagged:
            reasons.append("files flagged by the Hub's scan")
        out.append(_factor("hub_code_on_load", specs["hub_code_on_load"], len(reasons), 1.0 if reasons else 0.0,
                           "; ".join(reasons) or "loading runs none of the repository's code"))
        owner = known.owner_type
        out.append(_factor("hub_owner", specs["hub_owner"], str(owner),
                           None if isinstance(owner, Unknown) else (1.0 if owner == "user" else 0.0),
                           f"owner {known.owner or '?'} is {owner}"))
        people = set(known.authors) if isinstance(known.authors, tuple) else None
        if people is not None and isinstance(known.members, tuple):
            people |= set(known.members)
        spec = specs["hub_people"]
        out.append(_factor("hub_people", spec, len(people) if people is not None else str(known.authors),
                           None if people is None else log_scale(len(people), float(spec["saturation"])),
                           f"{len(people)} Hub accounts can change it" if people is not None else "history unknown"))
        out.append(_factor("hub_license", specs["hub_license"], known.license or "none",
                           0.0 if known.license else 1.0, f"licence {known.license}" if known.license else "no licence"))
    weight = sum(f.weight for f in out)
    unknown = tuple(f.name for f in out if isinstance(f.value, str) and f.value.startswith("unknown ("))
    total = round(100.0 * sum(f.points for f in out) / weight, 1) if weight else Unknown("no factor applies", False)
    return Score(total, tuple(out), unknown, known=len(out) - len(unknown), applicable=len(out))


def score_hub(references: Iterable[HubReference], facts: Mapping[str, HubRepoFacts | Unknown] | None,
              weights: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Score]:
    """``{node id: Score}`` for every referenced repository (*weights* as :func:`score_hub_repo`)."""
    grouped: dict[str, list[HubReference]] = {}
    for ref in references:
        grouped.setdefault(ref.node_id, []).append(ref)
    return {nid: score_hub_repo(refs, (facts or {}).get(nid), weights) for nid, refs in sorted(grouped.items())}
