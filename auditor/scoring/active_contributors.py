"""Factor ``active_contributors``: how many people changed the code in the last year.

Source: the ``history`` collector (:class:`~auditor.models.RepositoryHistory`
``active_contributors``: authors, co-authors and committers of commits in
the 365 days to ``--as-of``; bots excluded).  Each of them has working
access right now, so each is a live way in (a phished account, a
compromised laptop, a malicious newcomer); the log scale (saturation from
the catalogue's ``factors:``) reflects that the hundredth adds less than the second.
Unknown until the history is collected, never 0.
"""

from auditor.models import RepositoryHistory
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor, log_scale

NAME = "active_contributors"


def judge(node, history: RepositoryHistory, spec):
    """Points for one node's ``RepositoryHistory`` (the module docstring says how)."""
    n = history.active_contributors
    return factor(NAME, n, log_scale(n, spec["saturation"]), spec,
                  f"{n} people committed in the {history.window_days} days to {history.as_of or 'the audit'}")


score = from_signal(NAME, RepositoryHistory, judge)
