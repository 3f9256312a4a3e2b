"""Factor ``release_staleness``: time since the project's last release.

Source: the ``release`` signal (PyPI JSON API upload times).  The first
``grace`` days (catalogue ``factors:``; 365) count nothing; beyond them points grow on
a log scale to the full weight at ``grace + saturation`` days (1095: four
years in all).  OpenSSF Scorecard's Maintained check looks at the last 90
days of activity; a release a year is a gentler bar for finished libraries.
"""

from auditor.models import ReleaseFacts, Unknown
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor, log_scale, unknown_factor

NAME = "release_staleness"


def judge(node, facts: ReleaseFacts, spec):
    """Points for one node's ``ReleaseFacts`` (the module docstring says how)."""
    days = facts.days_since_last_release
    if days is None:
        return unknown_factor(NAME, Unknown("no release upload time on PyPI"), spec)
    grace = spec["grace"]
    return factor(NAME, round(days), log_scale(days - grace, spec["saturation"]), spec,
                  f"last release {facts.last_release} {days:.0f} days before {facts.reference_date}")


score = from_signal(NAME, ReleaseFacts, judge)
