"""Factor ``contributors``: how many people wrote the code (git history).

Source: the ``history`` collector (git history of the mapped repository).
Every author counts: the forge-comparable ``contributors`` plus the
``unlinkable_authors`` whose addresses no forge account can hold (they wrote
code all the same).
Until that collector has run, the value is ``unknown`` (never 0).
"""

from auditor.models import RepositoryHistory
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor, log_scale

NAME = "contributors"


def judge(node, history: RepositoryHistory, spec):
    """Points for one node's ``RepositoryHistory`` (the module docstring says how)."""
    n = history.contributors + history.unlinkable_authors
    return factor(NAME, n, log_scale(n, spec["saturation"]), spec, f"{n} people committed")


score = from_signal(NAME, RepositoryHistory, judge)
