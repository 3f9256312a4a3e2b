"""What every factor sees, and the normalizations factors share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

from auditor.models import Factor, Unknown


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


def unknown_factor(name: str, value: Unknown, spec: Mapping[str, Any]) -> Factor:
    """A factor whose input could not be collected: 0 points, listed as unknown."""
    return Factor(name=name, value=value, points=0.0, weight=float(spec["weight"]), detail=str(value))


def factor(name: str, value: Any, fraction: float, spec: Mapping[str, Any], detail: str) -> Factor:
    """A factor giving ``fraction * weight`` points (fraction clipped to [0, 1])."""
    weight = float(spec["weight"])
    return Factor(name=name, value=value, points=round(weight * max(0.0, min(1.0, fraction)), 2), weight=weight, detail=detail)

