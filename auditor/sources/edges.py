"""Dependency edges from core metadata: markers evaluated, extras propagated.

This is not a resolver: the versions are already pinned (by uv, pip, a
lockfile or an installed environment).  Given the root's requirement
strings and each pinned distribution's ``Requires-Dist``, it decides which
requirements apply to the target environment and which extras are active,
the way pipdeptree links an installed environment.
"""

from __future__ import annotations

import functools

from collections import defaultdict, deque
from dataclasses import replace
from typing import Iterable, Mapping, Sequence

from packaging.requirements import InvalidRequirement, Requirement

from auditor.dist.markers import marker_holds
from auditor.models import DependencyEdge, Distribution, TargetEnvironment, Unknown, normalize_name


def _environment(target: TargetEnvironment | Mapping[str, str]) -> dict[str, str]:
    if isinstance(target, TargetEnvironment):
        return target.marker_environment()
    return dict(target)


def marker_applies(req: Requirement, env: Mapping[str, str], extra: str = "") -> bool:
    """Whether *req*'s marker holds in *env* with ``extra`` set to *extra*.

    A marker that cannot be evaluated (unknown variable, invalid comparison)
    is treated as applying, so that nothing is silently dropped.
    """
    return marker_holds(req.marker, env, [extra])


@functools.lru_cache(maxsize=2**16)
def _parse(text: str) -> Requirement | None:
    """The parsed requirement (None when invalid); memoized: ``auditor survey`` links the same
    Requires-Dist strings for every input that shares a package (read only, never changed)."""
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _edge(req: Requirement, text: str, via_extra: str | None) -> DependencyEdge:
    return DependencyEdge(
        target=normalize_name(req.name),
        requirement=text,
        marker=str(req.marker) if req.marker is not None else None,
        extras=tuple(sorted(normalize_name(e) for e in req.extras)),
        via_extra=via_extra,
    )


def link(
    root_requirements: Iterable[str],
    distributions: Sequence[Distribution],
    target: TargetEnvironment | Mapping[str, str],
) -> tuple[tuple[DependencyEdge, ...], tuple[Distribution, ...]]:
    """Compute the dependency edges of a pinned set.

    Args:
        root_requirements: PEP 508 strings the audited input requires
            directly (invalid strings are skipped: sources validate their
            own input and raise ``InputError`` before this).
        distributions: the pinned set; their ``requires`` are ignored and
            recomputed.  Distributions whose metadata is Unknown get no
            outgoing edges.
        target: the target environment, or a full PEP 508 marker
            environment dict (an installed interpreter's own).

    Returns:
        ``(root_edges, distributions)``: the root's edges and the same
        distributions (same order) with ``requires`` filled in.  Only edges
        whose target is in the set are kept; extras requested anywhere are
        propagated until nothing changes.
    """
    env = _environment(target)
    present = {d.name: d for d in distributions}
    active: dict[str, set[str]] = defaultdict(set)
    queue: deque[str] = deque()

    def request(name: str, extras: Iterable[str]) -> None:
        new = set(extras) - active[name]
        first = name not in seen
        if new or first:
            active[name] |= new
            seen.add(name)
            queue.append(name)

    seen: set[str] = set()
    root_edges: list[DependencyEdge] = []
    for text in root_requirements:
        req = _parse(text)
        if req is None or not marker_applies(req, env):
            continue
        edge = _edge(req, text, None)
        if edge.target in present:
            root_edges.append(edge)
            request(edge.target, edge.extras)

    # Every distribution is linked, even one nothing requires (an installed
    # environment holds such roots), so start from all of them.
    for name in present:
        request(name, ())

    edges: dict[str, dict[tuple, DependencyEdge]] = defaultdict(dict)
    while queue:
        name = queue.popleft()
        dist = present[name]
        if isinstance(dist.metadata, Unknown):
            continue
        for text in dist.metadata.requires_dist:
            req = _parse(text)
            if req is None:
                continue
            target_name = normalize_name(req.name)
            contexts: list[str | None] = []
            if marker_applies(req, env, ""):
                contexts.append(None)
            elif req.marker is not None and "extra" in str(req.marker):
                contexts.extend(e for e in sorted(active[name]) if marker_applies(req, env, e))
            for via in contexts:
                edge = _edge(req, text, via)
                if target_name == name:  # pkg[all] -> pkg[a,b]: extras only
                    request(name, edge.extras)
                    continue
                if target_name not in present:
                    continue
                key = (edge.target, edge.requirement, via)
                edges[name].setdefault(key, edge)
                request(target_name, edge.extras)

    linked = tuple(
        replace(d, requires=tuple(sorted(edges[d.name].values(), key=lambda e: (e.target, e.via_extra or ""))))
        for d in distributions
    )
    return tuple(root_edges), linked
