"""Factor ``single_maintainer``: one account alone can publish.

Source: PyPI JSON API ``ownership`` (roles and organization).  A project
with one publishing account and no organization has no second pair of eyes
on releases and no recovery if that account is lost or taken over.  Full
points for exactly one account and no owning organization, none otherwise;
judged by :func:`auditor.judgement.evaluation.single_maintainer`, the same
judgement as the policy's POL004 and the diff's "single maintainer" flag.
"""

from auditor.judgement.evaluation import single_maintainer
from auditor.models import Unknown
from auditor.scoring.base import factor, unknown_factor

NAME = "single_maintainer"


def score(node, node_id, view, spec):
    ms = node.maintainers
    if isinstance(ms, Unknown):
        return unknown_factor(NAME, ms, spec)
    org = node.project.ownership.organization  # known: the maintainers are
    single = single_maintainer(ms, org)
    if isinstance(single, Unknown):
        return unknown_factor(NAME, single, spec)
    if single:
        return factor(NAME, True, 1.0, spec, "one account controls releases")
    detail = f"one account, within organization {org}" if len(ms) == 1 else f"{len(ms)} accounts"
    return factor(NAME, False, 0.0, spec, detail)
