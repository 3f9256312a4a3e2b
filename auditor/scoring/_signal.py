"""Helpers for factors that read a signal collector's result (``node.signal(Kind)``)."""

from __future__ import annotations

from typing import Any, Mapping

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
