"""Deprecated location: moved to :mod:`auditor.gate.diff` and :mod:`auditor.gate.views`.

LEAD: remove once tests/diff_builders.py, tests/people/test_pipeline_history.py
and benchmarks/bench_diff.py import from ``auditor.gate``.
"""

from auditor.gate.diff import ROOT, AuditDiff, PackageDelta, Totals, VersionChange, diff_audits  # noqa: F401
from auditor.gate.views import AuditView, Vulnerability, audit_view, people_of, vulnerabilities_of  # noqa: F401
