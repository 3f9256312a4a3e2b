"""Factor ``single_maintainer``: one account alone can publish.

Source: PyPI JSON API ``ownership``.  A project with one publishing account
and no organization has no second pair of eyes on releases and no recovery
if that account is lost or taken over.  Full points for exactly one account,
none otherwise.
"""

from auditor.models import Unknown
from auditor.scoring.base import factor, unknown_factor

NAME = "single_maintainer"


def score(node, node_id, view, spec):
    ms = node.maintainers
    if isinstance(ms, Unknown):
        return unknown_factor(NAME, ms, spec)
    single = len(ms) == 1
    return factor(NAME, single, 1.0 if single else 0.0, spec, "one account controls releases" if single else f"{len(ms)} accounts")
