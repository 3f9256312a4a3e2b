"""Factor ``repo_confidence``: how sure we are where the code comes from.

Source: the repository mapping (:mod:`auditor.repos.mapping`).  Code whose
source cannot be found cannot be reviewed: the weaker the evidence, the
higher the exposure.
"""

from auditor.judgement.catalogue import catalogue
from auditor.models import Confidence
from auditor.scoring.base import factor

NAME = "repo_confidence"

#: Fraction of the weight given per confidence level (``thresholds.confidence_fraction``).
FRACTION = {Confidence(k): v for k, v in catalogue().threshold("confidence_fraction").items()}


def score(node, node_id, view, spec):
    conf = node.mapping.confidence
    return factor(NAME, conf.value, FRACTION[conf], spec, f"{conf.value}: {node.mapping.evidence}")
