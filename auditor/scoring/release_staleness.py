"""Factor ``release_staleness``: time since the project's last release.

Source: the ``release`` signal (PyPI JSON API upload times).  The first
``grace`` days (weights.yaml; 365) count nothing; beyond them points grow on
a log scale to the full weight at ``grace + saturation`` days (1095: four
years in all).  OpenSSF Scorecard's Maintained check looks at the last 90
days of activity; a release a year is a gentler bar for finished libraries.
"""

from auditor.models import Factor
from auditor.scoring._signal import release_days
from auditor.scoring.base import factor, log_scale

NAME = "release_staleness"


def score(node, node_id, view, spec):
    found = release_days(node, "days_since_last_release", "no release upload time on PyPI", NAME, spec)
    if isinstance(found, Factor):
        return found
    facts, days = found
    grace = spec.get("grace", 365)
    return factor(NAME, round(days), log_scale(days - grace, spec.get("saturation", 1095)), spec,
                  f"last release {facts.last_release} {days:.0f} days before {facts.reference_date}")
