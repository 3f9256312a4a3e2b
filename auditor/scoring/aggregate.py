"""Aggregate factors into exposure scores; the factor table lives here.

Gather facts, then judge: this module never fetches.  Each factor module
exposes ``NAME`` and ``score(node, node_id, view, spec) -> Factor``; the
table :data:`FACTORS` lists them in report order.  Default weights and
parameters come from the judgement catalogue (``factors:`` in
``auditor/judgement/rules.yaml``), overridable by a user file.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Mapping

import networkx as nx
import yaml

from auditor.errors import ConfigError
from auditor.graph import queries
from auditor.graph.build import node_id
from auditor.graph.bulk import bulk
from auditor.judgement.catalogue import catalogue
from auditor.models import PackageNode, Score, Unknown, UnknownKind
from auditor.scoring import (
    active_contributors,
    blast_radius,
    bus_factor,
    contributors,
    install_time,
    maintainers,
    name_confusion,
    organization,
    project_age,
    provenance,
    release_staleness,
    repo_confidence,
    scorecard,
    single_maintainer,
    vendor_binary,
    vendored_native,
    vulnerabilities,
    yanked,
)
from auditor.scoring.base import DEFAULT_UNKNOWN_FRACTION, ScoringView, applicable

#: The factors, in the order reports list them.
FACTORS: tuple[ModuleType, ...] = (
    maintainers,
    single_maintainer,
    organization,
    repo_confidence,
    blast_radius,
    contributors,
    active_contributors,
    bus_factor,
    scorecard,
    vulnerabilities,
    provenance,
    name_confusion,
    install_time,
    project_age,
    release_staleness,
    yanked,
    vendored_native,
    vendor_binary,
)


def load_weights(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The default weights, updated with the user's file *path* if given.

    Returns ``{factor name: {"weight": N, "unknown": fraction, parameter: value, ...}}`` for
    every factor of ``factors:`` (packages) and ``hub_factors:`` (Hugging Face Hub
    repositories, ``scoring/hub.py``) of ``judgement/rules.yaml``; the two sets of names
    are disjoint (checked by the catalogue's tests).

    Raises:
        ConfigError: the file is unreadable, not a mapping, names an unknown
            factor or key, or gives a non-numeric or negative value.
    """
    cat = catalogue()
    # one namespace: the packages' factors and the Hub repositories' (hub_factors:, scoring/hub.py)
    weights: dict[str, dict[str, Any]] = {
        name: {"unknown": DEFAULT_UNKNOWN_FRACTION, **f.defaults}
        for name, f in [*cat.factors.items(), *cat.hub_factors.items()]
    }
    if path is None:
        return weights
    try:
        user = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read weights: {str(exc).splitlines()[0]}") from exc
    if not isinstance(user, dict):
        raise ConfigError(f"{path}: weights must be a mapping of factor -> {{weight: N}}")
    for name, spec in user.items():
        if name not in weights:
            raise ConfigError(f"{path}: unknown factor {name!r} (known: {', '.join(sorted(weights))})")
        if not isinstance(spec, dict):
            raise ConfigError(f"{path}: {name}: expected a mapping like {{weight: 10}}")
        for key, value in spec.items():
            if key not in weights[name]:
                raise ConfigError(f"{path}: {name}: unknown key {key!r}")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{path}: {name}.{key}: expected a non-negative number, got {value!r}")
        weights[name] = {**weights[name], **spec}
    return weights


def score_node(node: PackageNode, nid: str, view: ScoringView, weights: Mapping[str, Mapping[str, Any]]) -> Score:
    """Score one package node with every factor of :data:`FACTORS`.

    ``total = 100 × Σ points / Σ weight`` over the applicable factors
    (:func:`auditor.scoring.base.applicable`); an unknown factor's points are
    its documented unknown fraction of the weight, so the least-known package
    never ranks as the safest.  The interpreter is not scored (its facts are
    not PyPI facts): reports show it in its own section.
    """
    if node.distribution.origin.kind == "interpreter":
        return Score(Unknown("not scored: the interpreter is reported in its own section", fault=False,
                             kind=UnknownKind.NOT_APPLICABLE), ())
    factors = []
    for module in FACTORS:
        spec = weights.get(module.NAME)
        if spec is None:
            continue
        factors.append(module.score(node, nid, view, spec))
    weights_, points, unknown = [], [], []  # of the applicable factors (one pass); names of the unknown ones
    known = 0
    for f in factors:
        is_unknown = isinstance(f.value, Unknown)
        if is_unknown:
            unknown.append(f.name)
        if applicable(f):
            weights_.append(f.weight)
            points.append(f.points)
            known += not is_unknown
    total_weight = sum(weights_)
    if total_weight <= 0:
        return Score(Unknown("no factor applies"), tuple(factors), tuple(unknown), known, len(weights_))
    total = round(100.0 * sum(points) / total_weight, 1)
    return Score(total, tuple(factors), tuple(unknown), known, len(weights_))


@bulk()
def score_all(graph: nx.DiGraph, nodes: Mapping[str, PackageNode], weights: Mapping[str, Mapping[str, Any]],
              dependents: Mapping[str, int] | None = None) -> dict[str, Score]:
    """Scores of every package node, keyed by normalized name.

    *dependents* is :func:`auditor.graph.queries.dependents_counts` of *graph*
    when the caller already has it (computed here otherwise).
    """
    packages = [n for n in queries.package_ids(graph)]
    view = ScoringView(
        graph=graph,
        dependents=queries.dependents_counts(graph) if dependents is None else dependents,
        package_count=sum(1 for n in packages if graph.nodes[n].get("kind") == "distribution"),
    )
    return {name: score_node(node, node_id(node), view, weights) for name, node in nodes.items()}


def factor_dicts(scores: Mapping[str, Score]) -> dict[str, list[dict[str, Any]]]:
    """``{name: [{"name", "value", "points", "weight", "detail"} per factor]}``: the graph's ``factors`` attribute
    (``pipeline.annotate``; an unknown value as its text).

    The scores that share a Factor instance (an unknown, or equal arguments: :func:`auditor.scoring.base.factor`)
    share its dict, so the dicts are read-only (the GraphML writer encodes a shared one once).
    """
    made: dict[int, tuple[Any, dict[str, Any]]] = {}  # id -> (the Factor, held so its id is not reused; its dict)

    def one(f) -> dict[str, Any]:
        hit = made.get(id(f))
        if hit is None:
            hit = made[id(f)] = (f, {"name": f.name, "value": str(f.value) if isinstance(f.value, Unknown) else f.value,
                                     "points": f.points, "weight": f.weight, "detail": f.detail})
        return hit[1]

    return {name: [one(f) for f in score.factors] for name, score in scores.items()}
