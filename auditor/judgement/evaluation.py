"""Small pure judgements over facts, shared by findings, scoring, the policy and the diff flags.

Each function answers one yes/no question about collected facts with the
threshold of the judgement catalogue (``auditor/judgement/rules.yaml``), so
that the audit's findings, the exposure score, the ``auditor diff`` policy
and the Markdown flags cannot disagree about what "stale", "new" or "weak"
means.  An input that is :class:`~auditor.models.Unknown` gives the Unknown
back: judgement never turns missing data into a yes or a no.
"""

from __future__ import annotations

from typing import Sized

from auditor.judgement.catalogue import catalogue
from auditor.models import Confidence, Severity, Unknown


def is_stale(days_since_last_release: float) -> bool:
    """No release for more than ``stale_after_days`` (AUD111)."""
    return days_since_last_release > catalogue().threshold("stale_after_days")


def is_new_project(project_age_days: float) -> bool:
    """First upload less than ``new_project_days`` ago (AUD112, the diff's "new project" flag)."""
    return project_age_days < catalogue().threshold("new_project_days")


def is_new_account(account_age_days: float) -> bool:
    """A forge account created less than ``new_account_days`` ago (AUD113); a
    creation date in the future (clock skew, bad data) is not new."""
    return 0 <= account_age_days < catalogue().threshold("new_account_days")


def is_weak_mapping(confidence: Confidence) -> bool:
    """The repository is unmapped or mapped at ``weak_repository_confidence`` or below."""
    limit = Confidence(catalogue().threshold("weak_repository_confidence"))
    return confidence.rank >= limit.rank  # none is the weakest rank


def single_maintainer(maintainers: Sized | Unknown, organization: str | None | Unknown) -> bool | Unknown:
    """Exactly one publish-capable account and no owning organization (POL004,
    the diff's "single maintainer" flag).

    Args:
        maintainers: the publish-capable accounts (PyPI JSON ``ownership.roles``), or Unknown.
        organization: the owning PyPI organization, ``None`` when none, or Unknown.

    Returns:
        True or False; the Unknown that prevents deciding otherwise (an unknown
        organization matters only when there is exactly one account).
    """
    if isinstance(maintainers, Unknown):
        return maintainers
    if isinstance(organization, Unknown):
        return organization if len(maintainers) == 1 else False
    return len(maintainers) == 1 and organization is None


def advisory_severity(severity: Severity | None) -> Severity:
    """An advisory's severity, or ``unrated_vulnerability_severity`` when it has none
    (AUD101 and the vulnerabilities factor; POL005 refuses unrated advisories instead)."""
    return severity or Severity(catalogue().threshold("unrated_vulnerability_severity"))
