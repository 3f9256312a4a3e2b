"""Factor ``repo_confidence``: how sure we are where the code comes from.

Source: the repository mapping (:mod:`auditor.repos.mapping`).  Code whose
source cannot be found cannot be reviewed: the weaker the evidence, the
higher the exposure.  A closed vendor binary with no repository is scored by
``vendor_binary`` instead (this factor does not apply to it).
"""

from auditor.judgement.catalogue import catalogue
from auditor.models import Confidence, Unknown, UnknownKind, VendorBinary
from auditor.scoring.base import factor, unknown_factor

NAME = "repo_confidence"

#: Fraction of the weight given per confidence level (``thresholds.confidence_fraction``).
FRACTION = {Confidence(k): v for k, v in catalogue().threshold("confidence_fraction").items()}


def score(node, node_id, view, spec):
    vendor = node.signal(VendorBinary)
    if isinstance(vendor, VendorBinary) and vendor.vendor and node.mapping.repo is None:
        return unknown_factor(NAME, Unknown(f"closed {vendor.vendor} binary: no public source by design "
                                            "(factor vendor_binary)", fault=False, kind=UnknownKind.NOT_APPLICABLE), spec)
    conf = node.mapping.confidence
    return factor(NAME, conf.value, FRACTION[conf], spec, f"{conf.value}: {node.mapping.evidence}")
