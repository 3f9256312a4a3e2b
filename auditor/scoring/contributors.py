"""Factor ``contributors``: how many people wrote the code (git history).

Source: the ``history`` collector (git history of the mapped repository).
Until that collector has run, the value is ``unknown`` (never 0).
"""

from auditor.models import Factor, RepositoryHistory
from auditor.scoring._signal import signal_or_unknown
from auditor.scoring.base import factor, log_scale

NAME = "contributors"


def score(node, node_id, view, spec):
    history = signal_or_unknown(node, RepositoryHistory, NAME, spec)
    if isinstance(history, Factor):
        return history
    n = history.contributors
    return factor(NAME, n, log_scale(n, spec.get("saturation", 1000)), spec, f"{n} people committed")
