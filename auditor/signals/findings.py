"""Deprecated location: the finding probes moved to :mod:`auditor.judgement.findings`
and the rule text to the judgement catalogue (``auditor/judgement/rules.yaml``).

LEAD: remove once auditor/signals/registry.py, auditor/report/audit_sarif.py,
auditor/report/explain.py and the tests under tests/signals/ and tests/report/
import from ``auditor.judgement.findings`` (this shim is an upward import,
signals -> judgement).
"""

from auditor.judgement.findings import (  # noqa: F401
    NEW_ACCOUNT_DAYS,
    NEW_PROJECT_DAYS,
    PROBES,
    STALE_AFTER_DAYS,
    Rule,
    all_findings,
    catalogue,
    findings_for,
    rules_by_id,
)
