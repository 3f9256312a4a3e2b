"""Factor ``project_age``: how young the project is.

Source: the ``release`` signal (first upload in the PyPI JSON API, measured
to ``--as-of`` or today).  Points fall on a log scale from the full weight
on the first day to 0 at ``saturation`` days (weights.yaml; 365): young
projects have no track record, and most malicious uploads are days old.
"""

from auditor.models import Factor
from auditor.scoring._signal import release_days
from auditor.scoring.base import factor, log_scale

NAME = "project_age"


def score(node, node_id, view, spec):
    found = release_days(node, "project_age_days", "no upload time on PyPI", NAME, spec)
    if isinstance(found, Factor):
        return found
    facts, days = found
    return factor(NAME, round(days), 1.0 - log_scale(days, spec.get("saturation", 365)), spec,
                  f"first upload {days:.0f} days before {facts.reference_date}")
