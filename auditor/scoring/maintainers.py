"""Factor ``maintainers``: how many PyPI accounts can publish a release.

Source: PyPI JSON API ``ownership.roles`` (Owner and Maintainer roles both
can upload).  Each account is a credential that, if taken over, ships code
to every user.  Log-scaled with saturation ``saturation`` (catalogue ``factors:``).
"""

from auditor.models import Unknown
from auditor.scoring.base import factor, log_scale, unknown_factor

NAME = "maintainers"


def score(node, node_id, view, spec):
    ms = node.maintainers
    if isinstance(ms, Unknown):
        return unknown_factor(NAME, ms, spec)
    n = len(ms)
    return factor(NAME, n, log_scale(n, spec["saturation"]), spec, f"{n} account(s) can publish to PyPI")
