"""The pre-merge lane (``auditor diff``): diff two audits, evaluate a policy, report.

Modules:

* :mod:`auditor.gate.views`: the facts of one audit a diff reads;
* :mod:`auditor.gate.diff`: the pure :func:`diff_audits` and its models;
* :mod:`auditor.gate.policy`: load and validate a policy file;
* :mod:`auditor.gate.evaluate`: evaluate a policy on a diff, one ``check_*``
  function per rule (rule text from the judgement catalogue);
* :mod:`auditor.gate.flags`: the risk flags of the Markdown report;
* :mod:`auditor.gate.run`: open the two sides, run the pipeline, write the report.

Git access (``--git-base``) is :func:`auditor.net.revision.git_show` /
:func:`~auditor.net.revision.git_archive`.  The names below are re-exported so that ``from auditor.gate import X``
(the CLI, the tests, the benchmarks) keeps working.
"""

from auditor.gate.diff import ROOT, AuditDiff, EdgeChange, PackageDelta, Totals, VersionChange, diff_audits
from auditor.gate.evaluate import PolicyResult, Undecided, Verdict, Violation, evaluate
from auditor.gate.policy import RULES, Policy, PolicyException, load_policy, parse_policy
from auditor.gate.run import EmptySource, GateOutcome, Side, audit, open_sides, run_gate, scan_at_revision, worst
from auditor.gate.views import AuditView, Vulnerability, audit_view
from auditor.net.revision import NotAtRevision, git_archive, git_show

__all__ = [
    "ROOT", "RULES", "AuditDiff", "AuditView", "EdgeChange", "EmptySource", "GateOutcome",
    "NotAtRevision", "PackageDelta", "Policy", "PolicyException", "PolicyResult", "Side", "Totals", "Undecided",
    "Verdict", "VersionChange", "Violation", "Vulnerability", "audit", "audit_view", "diff_audits", "evaluate",
    "git_archive", "git_show", "load_policy", "open_sides", "parse_policy", "run_gate", "scan_at_revision", "worst",
]
