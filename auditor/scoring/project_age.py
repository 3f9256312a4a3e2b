"""Factor ``project_age``: how young the project is.

Source: the ``release`` signal (first upload in the PyPI JSON API, measured
to ``--as-of`` or today).  Points fall on a log scale from the full weight
on the first day to 0 at ``saturation`` days (catalogue ``factors:``; 365): young
projects have no track record, and most malicious uploads are days old.
"""

from auditor.models import ReleaseFacts, Unknown
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor, log_scale, unknown_factor

NAME = "project_age"


def judge(node, facts: ReleaseFacts, spec):
    """Points for one node's ``ReleaseFacts`` (the module docstring says how)."""
    days = facts.project_age_days
    if days is None:
        return unknown_factor(NAME, Unknown("no upload time on PyPI"), spec)
    return factor(NAME, round(days), 1.0 - log_scale(days, spec["saturation"]), spec,
                  f"first upload {days:.0f} days before {facts.reference_date}")


score = from_signal(NAME, ReleaseFacts, judge)
