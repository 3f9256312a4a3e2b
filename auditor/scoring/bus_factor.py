"""Factor ``bus_factor``: how few people write most of the code.

Source: the ``history`` collector (:class:`~auditor.models.RepositoryHistory`
``bus_factor``: the fewest people who together authored at least half of
the non-merge, non-bot commits in the 365 days to ``--as-of``).  A bus
factor of 1 means one person's account, judgement or departure decides what
ships, with nobody else routinely reading the code (the ``xz-utils``
pattern).  Points: ``1 / bus_factor`` of the weight (full at 1, half at 2,
...).  A bus factor of 0 means no human commit in the window: a dormant
project, whose next release can come from whoever obtains the keys (the
``event-stream`` hand-over); it scores ``dormant`` (a fraction, from
the catalogue's ``factors:``) of the weight.  Unknown until the history is collected.
"""

from auditor.models import RepositoryHistory
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "bus_factor"


def judge(node, history: RepositoryHistory, spec):
    """Points for one node's ``RepositoryHistory`` (the module docstring says how)."""
    k = history.bus_factor
    if k == 0:
        return factor(NAME, 0, float(spec["dormant"]), spec,
                      f"no human commit in the {history.window_days} days to {history.as_of or 'the audit'} (dormant)")
    who = "one person authored" if k == 1 else f"{k} people authored"
    return factor(NAME, k, 1.0 / k, spec, f"{who} half of the last year's commits")


score = from_signal(NAME, RepositoryHistory, judge)
