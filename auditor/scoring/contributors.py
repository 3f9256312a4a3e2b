"""Factor ``contributors``: how many people wrote the code (git history).

Source: the ``history`` collector (git history of the mapped repository).
Until that collector has run, the value is ``unknown`` (never 0).
"""

from auditor.models import Unknown
from auditor.scoring.base import factor, log_scale, unknown_factor

NAME = "contributors"


def score(node, node_id, view, spec):
    history = node.signals.get("history")
    if history is None:
        return unknown_factor(NAME, Unknown("git history not collected", fault=False), spec)
    if isinstance(history, Unknown):
        return unknown_factor(NAME, history, spec)
    n = getattr(history, "contributors", None)
    if not isinstance(n, int):
        return unknown_factor(NAME, Unknown("no contributor count"), spec)
    return factor(NAME, n, log_scale(n, spec.get("saturation", 1000)), spec, f"{n} people committed")
