"""What every factor sees, and the normalizations factors share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import networkx as nx

from auditor.models import Factor, Unknown, UnknownKind


@dataclass(frozen=True)
class ScoringView:
    """Read-only inputs for scoring one graph.

    Attributes:
        graph: the audit graph (see :mod:`auditor.graph.attrs`).
        dependents: ``{package id: transitive dependents in this graph}``.
        package_count: number of distributions in the graph (interpreter excluded).
    """

    graph: nx.DiGraph
    dependents: Mapping[str, int]
    package_count: int


def log_scale(value: float, saturation: float) -> float:
    """``log(1 + value) / log(1 + saturation)``, clipped to [0, 1].

    The normalization OpenSSF's criticality score uses for unbounded counts:
    the first few units matter most, and everything past *saturation* counts as 1.
    """
    if value <= 0:
        return 0.0
    return min(1.0, math.log1p(value) / math.log1p(saturation))


#: Fraction of its weight an unknown factor adds when the catalogue gives no ``unknown:`` (docs/scoring.md).
DEFAULT_UNKNOWN_FRACTION = 0.5


def unknown_factor(name: str, value: Unknown, spec: Mapping[str, Any]) -> Factor:
    """A factor whose input could not be collected: its ``unknown`` fraction of the weight, listed as unknown.

    An unknown must not look safe (issue 13): it adds ``spec["unknown"]``
    (default :data:`DEFAULT_UNKNOWN_FRACTION`) of the weight.  A fact that
    does not exist for the package (kind ``not_applicable``) adds nothing and
    leaves the denominator (see :func:`auditor.scoring.aggregate.score_node`).

    Factors are immutable, so equal inputs share one instance (most packages
    of a large graph have the same unknowns: one Factor each, not one per
    package).
    """
    return _unknown_factor(name, value.reason, value.fault, value.kind, float(spec["weight"]),
                           float(spec.get("unknown", DEFAULT_UNKNOWN_FRACTION)))


@lru_cache(maxsize=4096)
def _unknown_factor(name: str, reason: str, fault: bool, kind: UnknownKind, weight: float, fraction: float) -> Factor:
    value = Unknown(reason, fault, kind)
    if value.kind is UnknownKind.NOT_APPLICABLE:
        return Factor(name=name, value=value, points=0.0, weight=weight, detail=f"{value} — not applicable")
    points = round(weight * max(0.0, min(1.0, fraction)), 2)
    return Factor(name=name, value=value, points=points, weight=weight, detail=f"{value} — {points:g} unknown points")


def applicable(f: Factor) -> bool:
    """True when *f* counts in the score: a non-zero weight and a fact that exists for the package."""
    if f.weight <= 0:
        return False
    return not (isinstance(f.value, Unknown) and f.value.kind is UnknownKind.NOT_APPLICABLE)


def factor(name: str, value: Any, fraction: float, spec: Mapping[str, Any], detail: str) -> Factor:
    """A factor giving ``fraction * weight`` points (fraction clipped to [0, 1]).

    Factors are immutable, so equal arguments share one instance when *value*
    is a ``str``, ``int``, ``bool`` or None (most packages of a large graph
    have the same few maintainers, contributors or confidence: one Factor
    each, not one per package; arguments are told apart by type, so ``True``
    is never ``1``).
    """
    weight = float(spec["weight"])
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return _shared_factor(name, value, fraction, weight, detail)
    return _factor(name, value, fraction, weight, detail)


def _factor(name: str, value: Any, fraction: float, weight: float, detail: str) -> Factor:
    return Factor(name=name, value=value, points=round(weight * max(0.0, min(1.0, fraction)), 2), weight=weight, detail=detail)


_shared_factor = lru_cache(maxsize=8192, typed=True)(_factor)

