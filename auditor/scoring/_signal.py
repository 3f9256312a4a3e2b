"""Helpers for factors that read a signal collector's result (``node.signal(Kind)``)."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from auditor.models import Factor, PackageNode, Unknown
from auditor.scoring.base import unknown_factor


def signal_or_unknown(node: PackageNode, kind: type, name: str, spec: Mapping[str, Any]) -> Any | Factor:
    """``node.signal(kind)`` when it is a *kind*, else the unknown Factor to return.

    A collector that did not run gives ``unknown (<KEY> not collected)``
    (``fault=False``); a collector's own Unknown is passed through.
    """
    value = node.signal(kind)
    if isinstance(value, kind):
        return value
    if isinstance(value, Unknown):
        return unknown_factor(name, value, spec)
    return unknown_factor(name, Unknown(f"{kind.KEY} not collected", fault=False), spec)


def from_signal(name: str, kind: type, judge: Callable[[PackageNode, Any, Mapping[str, Any]], Factor]):
    """The ``score(node, node_id, view, spec)`` of a factor that judges one signal.

    The returned function reads ``node.signal(kind)`` (:func:`signal_or_unknown`)
    and hands a collected value to ``judge(node, value, spec) -> Factor``; a
    signal that was not collected, or the collector's Unknown, gives the
    unknown factor without calling *judge*.
    """

    def score(node: PackageNode, node_id: str, view: Any, spec: Mapping[str, Any]) -> Factor:
        value = signal_or_unknown(node, kind, name, spec)
        if not isinstance(value, kind):
            return value
        return judge(node, value, spec)

    score.__doc__ = f"Factor ``{name}`` from ``node.signal({kind.__name__})`` (see :func:`from_signal`)."
    return score
