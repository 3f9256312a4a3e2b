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


def release_days(node: PackageNode, attr: str, missing: str, name: str, spec: Mapping[str, Any]) -> Any | Factor:
    """``(ReleaseFacts, days)`` for the factors that score a number of days of
    the ``release`` signal (*attr*: ``project_age_days``, ``days_since_last_release``),
    else the unknown Factor to return (*missing*: the reason when PyPI gives no time).
    """
    from auditor.models import ReleaseFacts

    facts = signal_or_unknown(node, ReleaseFacts, name, spec)
    if not isinstance(facts, ReleaseFacts):
        return facts
    days = getattr(facts, attr)
    if days is None:
        return unknown_factor(name, Unknown(missing), spec)
    return facts, days
