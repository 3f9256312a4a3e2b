"""``auditor diff --format json``: the diff and the policy result as versioned JSON.

Schema (``schema_version`` "1.0"; additive changes bump the minor number,
breaking ones the major; documented in ``docs/diff.md``)::

    {
      "schema_version": "1.0",
      "kind": "auditor-diff",
      "tool": {"name": "auditor", "version": str},
      "base": str, "head": str, "reference_time": ISO-8601,
      "verdict": "pass" | "fail" | "incomplete" | null,   # null without a policy
      "exit_code": int | null,
      "changes": [{"name", "kind", "before", "after"}],
      "edges_added": [{"source", "target", "requirement", "marker"}],
      "edges_removed": [...],
      "packages": [{"name", "change", "before", "after", "direct", "file", "line",
                    "maintainers", "maintainers_added", "maintainers_removed",
                    "new_to_project", "organization", "single_maintainer",
                    "repository", "repository_before", "confidence", "weak_mapping",
                    "new_repository", "contacts_added", "people_added",
                    "vulnerabilities_added": [{"id", "severity", "summary"}],
                    "uploaded", "age_days", "project_age_days"}],
      "new_maintainers": [str], "new_people": [str] | {"unknown": reason},
      "new_repositories": [str],
      "totals": {"before": {...}, "after": {...}}: each {"packages", "repositories", "maintainers"
                (a count, or {"unknown": ...} when no account is known while some package's are unknown),
                "people", "unknown_maintainers", "organizations", "maintainers_not_public",
                "publishers": the same words as the audit summary (report/totals.py)},
      "unknowns": [{"package", "what", "reason"}],
      "policy": {"source", "violations": [{"rule", "package", "message", "file", "line",
                 "waived": {"reason", "expires"} | null}],
                 "undecided": [{"rule", "package", "reason"}], "notes": [str]} | null
    }

A value that could not be collected is ``{"unknown": "<reason>"}``, never
``null`` or ``0``.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict
from typing import IO, Any

from auditor import __version__
from auditor.gate.diff import AuditDiff, PackageDelta, Totals, Vulnerability
from auditor.models import Unknown
from auditor.report.totals import publishers_text

SCHEMA_VERSION = "1.0"


def _v(value: Any) -> Any:
    if isinstance(value, Unknown):
        return {"unknown": value.reason}
    if isinstance(value, Vulnerability):
        return {"id": value.id, "severity": _v(value.severity), "summary": value.summary}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_v(x) for x in value]
    return value


def _totals(t: Totals) -> dict:
    return {
        "packages": t.packages,
        "repositories": t.repositories,
        "maintainers": _v(t.maintainers),
        "people": _v(t.people),
        "unknown_maintainers": t.unknown_maintainers,
        "organizations": t.organizations,
        "maintainers_not_public": t.maintainers_not_public,
        "publishers": publishers_text(t.maintainers, t.organizations, t.unknown_maintainers, t.maintainers_not_public),
    }


def _package(d: PackageDelta) -> dict:
    return {
        "name": d.name,
        "change": d.change.kind,
        "before": d.change.before,
        "after": d.change.after,
        "direct": d.direct,
        "file": d.file,
        "line": d.line,
        "maintainers": _v(d.maintainers),
        "maintainers_added": _v(d.maintainers_added),
        "maintainers_removed": _v(d.maintainers_removed),
        "new_to_project": _v(d.new_to_project),
        "organization": _v(d.organization),
        "single_maintainer": _v(d.single_maintainer),
        "repository": d.repository if d.repository or d.mapping_gap is None else _v(d.mapping_gap),
        "repository_before": d.repository_before,
        "confidence": d.confidence.value,
        "weak_mapping": d.weak_mapping,
        "new_repository": d.new_repository,
        "contacts_added": list(d.contacts_added),
        "people_added": _v(d.people_added),
        "vulnerabilities_added": _v(d.vulnerabilities_added),
        "uploaded": _v(d.uploaded),
        "age_days": _v(d.age_days),
        "project_age_days": _v(d.project_age_days),
    }


def diff_document(diff: AuditDiff, result=None, exit_code: int | None = None) -> dict:
    """The JSON document (a dict) for *diff* and the optional policy *result*."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "auditor-diff",
        "tool": {"name": "auditor", "version": __version__},
        "base": diff.base,
        "head": diff.head,
        "reference_time": diff.reference_time,
        "verdict": result.verdict.value if result is not None else None,
        "exit_code": int(exit_code) if exit_code is not None else None,
        "changes": [{"name": c.name, "kind": c.kind, "before": c.before, "after": c.after} for c in diff.changes],
        "edges_added": [asdict(e) for e in diff.edges_added],
        "edges_removed": [asdict(e) for e in diff.edges_removed],
        "packages": [_package(d) for d in diff.deltas],
        "new_maintainers": list(diff.new_maintainers),
        "new_people": _v(diff.new_people),
        "new_repositories": list(diff.new_repositories),
        "totals": {"before": _totals(diff.totals_before), "after": _totals(diff.totals_after)},
        "unknowns": [{"package": p, "what": w, "reason": r} for p, w, r in diff.unknowns],
        "policy": None,
    }
    if diff.hub_added or diff.hub_changed or diff.hub_new_people:  # only with Hub references (docs/models.md)
        doc["hub"] = {"added": [asdict(c) for c in diff.hub_added], "changed": [asdict(c) for c in diff.hub_changed],
                      "new_people": list(diff.hub_new_people)}
    if result is not None:
        doc["policy"] = {
            "source": result.policy.source,
            "violations": [
                {
                    "rule": v.rule,
                    "package": v.package,
                    "message": v.message,
                    "file": v.file,
                    "line": v.line,
                    "waived": {"reason": v.waived_by.reason, "expires": v.waived_by.expires.isoformat()}
                    if v.waived_by else None,
                }
                for v in result.violations
            ],
            "undecided": [{"rule": u.rule, "package": u.package, "reason": u.reason} for u in result.undecided],
            "notes": list(result.notes),
        }
    return doc


def write_diff_json(stream: IO[str], diff: AuditDiff, result=None, exit_code: int | None = None) -> None:
    """Write the JSON document to *stream* (UTF-8 text, sorted where order is not meaningful)."""
    json.dump(diff_document(diff, result, exit_code), stream, indent=2, ensure_ascii=False)
    stream.write("\n")



def render(outcome, out: IO[str]) -> None:
    """``auditor diff --format json``: write *outcome* (a :class:`~auditor.gate.GateOutcome`) to *out*."""
    write_diff_json(out, outcome.diff, outcome.result, int(outcome.exit_code))
