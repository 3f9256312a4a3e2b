"""Deprecated location: moved to :mod:`auditor.gate.policy` and :mod:`auditor.gate.evaluate`.

LEAD: remove once auditor/cli.py and benchmarks/bench_diff.py import from ``auditor.gate``.
"""

from auditor.gate.evaluate import PolicyResult, Undecided, Verdict, Violation, evaluate  # noqa: F401
from auditor.gate.policy import RULES, Policy, PolicyException, Rule, load_policy, parse_policy  # noqa: F401
