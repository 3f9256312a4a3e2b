"""Factor ``project_age``: how young the project is.

Source: the ``release`` signal (first upload in the PyPI JSON API, measured
to ``--as-of`` or today).  Points fall on a log scale from the full weight
on the first day to 0 at ``saturation`` days (weights.yaml; 365): young
projects have no track record, and most malicious uploads are days old.
"""

from auditor.models import ReleaseFacts
from auditor.scoring._signal import signal_or_unknown
from auditor.scoring.base import factor, log_scale, unknown_factor
from auditor.models import Unknown

NAME = "project_age"


def score(node, node_id, view, spec):
    facts = signal_or_unknown(node, ReleaseFacts, NAME, spec)
    if not isinstance(facts, ReleaseFacts):
        return facts
    if facts.project_age_days is None:
        return unknown_factor(NAME, Unknown("no upload time on PyPI"), spec)
    days = facts.project_age_days
    saturation = spec.get("saturation", 365)
    return factor(NAME, round(days), 1.0 - log_scale(days, saturation), spec,
                  f"first upload {days:.0f} days before {facts.reference_date}")
