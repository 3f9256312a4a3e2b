"""Factor ``scorecard``: how weak the repository's published OpenSSF Scorecard is.

Source: ``node.signal(ScorecardResult)`` (OpenSSF Scorecard API aggregate ``score``,
0..10; see auditor/signals/scorecard.py).  Points: ``(10 - score) / 10`` of
the weight, so a 10/10 project adds nothing and a 0/10 one the full weight.
Unknown (never 0) when Scorecard was not collected or publishes nothing for
the repository.  The detail names the weakest of :data:`KEY_CHECKS`.
"""

from auditor.models import ScorecardResult, Unknown, UnknownKind
from auditor.scoring.base import factor, unknown_factor

NAME = "scorecard"

#: Checks named in the detail when they score at most :data:`WEAK_CHECK`:
#: the ones about who can change the code and how (Scorecard docs, checks.md).
KEY_CHECKS = ("Code-Review", "Maintained", "Branch-Protection", "Dangerous-Workflow", "Token-Permissions", "Signed-Releases")
#: A check score at or below this is called weak in the detail (Scorecard's own "low risk" band starts above 3).
WEAK_CHECK = 3


def score(node, node_id, view, spec):
    card = node.signal(ScorecardResult)
    if isinstance(card, Unknown) and card.kind is UnknownKind.NOT_COLLECTED:
        return unknown_factor(NAME, Unknown("Scorecard not collected", fault=False), spec)
    if isinstance(card, Unknown):
        return unknown_factor(NAME, card, spec)
    if isinstance(card.score, Unknown):
        return unknown_factor(NAME, card.score, spec)
    value = round(float(card.score), 1)
    weak = [
        f"{c.name} {c.score}"
        for c in (card.check(n) for n in KEY_CHECKS)
        if c is not None and not isinstance(c.score, Unknown) and c.score <= WEAK_CHECK
    ]
    detail = f"OpenSSF Scorecard {value}/10" + (f"; weak: {', '.join(weak)}" if weak else "")
    return factor(NAME, value, (10.0 - value) / 10.0, spec, detail)
