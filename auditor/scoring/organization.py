"""Factor ``organization``: the project is not owned by a PyPI organization.

Source: PyPI JSON API ``ownership.organization``.  Organization ownership
means account management (membership, roles, removal) is done by a team
rather than by individuals.  Full points when there is no organization.
"""

from auditor.models import Unknown
from auditor.scoring.base import factor, unknown_factor

NAME = "organization"


def score(node, node_id, view, spec):
    project = node.project
    if isinstance(project, Unknown):
        return unknown_factor(NAME, project, spec)
    own = project.ownership
    if isinstance(own, Unknown):
        return unknown_factor(NAME, own, spec)
    org = own.organization
    return factor(NAME, org or "", 0.0 if org else 1.0, spec, f"owned by organization {org}" if org else "no PyPI organization")
