"""Factor ``repo_confidence``: how sure we are where the code comes from.

Source: the repository mapping (:mod:`auditor.repos.mapping`).  Code whose
source cannot be found cannot be reviewed: the weaker the evidence, the
higher the exposure.
"""

from auditor.models import Confidence
from auditor.scoring.base import factor

NAME = "repo_confidence"

#: Fraction of the weight given per confidence level.
FRACTION = {
    Confidence.VERIFIED: 0.0,
    Confidence.HIGH: 0.1,
    Confidence.MEDIUM: 0.4,
    Confidence.LOW: 0.7,
    Confidence.NONE: 1.0,
}


def score(node, node_id, view, spec):
    conf = node.mapping.confidence
    return factor(NAME, conf.value, FRACTION[conf], spec, f"{conf.value}: {node.mapping.evidence}")
