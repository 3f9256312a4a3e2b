"""Factor ``vulnerabilities``: known advisories affecting the pinned version.

Source: the ``vulnerabilities`` signal (OSV or PyPI through pip-audit, or an
offline OSV database).  Points: the weight times the fraction of the worst
advisory's severity (:data:`SEVERITY_FRACTION`); no advisory, no points.
"""

from auditor.judgement.catalogue import catalogue
from auditor.judgement.evaluation import advisory_severity
from auditor.models import Severity, VulnerabilityReport
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "vulnerabilities"

#: Fraction of the weight per severity (``thresholds.severity_fraction``: the
#: lower bound of the CVSS v3.1 qualitative band divided by 10).
SEVERITY_FRACTION = {Severity(k): v for k, v in catalogue().threshold("severity_fraction").items()}
#: An advisory without a severity counts as ``unrated_vulnerability_severity``
#: of the judgement catalogue (medium), as in finding AUD101.
UNRATED_FRACTION = SEVERITY_FRACTION[advisory_severity(None)]


def judge(node, report: VulnerabilityReport, spec):
    """Points for one node's ``VulnerabilityReport`` (the module docstring says how)."""
    if not report.advisories:
        return factor(NAME, 0, 0.0, spec, f"no known advisories ({report.service})")
    fractions = [SEVERITY_FRACTION[advisory_severity(a.severity)] for a in report.advisories]
    worst = report.worst.value if report.worst else "unrated"
    ids = ", ".join(a.id for a in report.advisories[:3]) + (" ..." if len(report.advisories) > 3 else "")
    return factor(NAME, len(report.advisories), max(fractions), spec, f"{len(report.advisories)} advisory(ies), worst {worst}: {ids}")


score = from_signal(NAME, VulnerabilityReport, judge)
