"""SARIF 2.1.0 writer, for ``auditor diff`` policy results and for audit findings.

The output validates against the OASIS SARIF 2.1.0 JSON schema (the tests
check it with :mod:`jsonschema`) and follows what GitHub code scanning
reads: one run, ``tool.driver.rules`` with stable ids, one result per
violation with a ``physicalLocation`` pointing at the lockfile line that
declares the package, ``partialFingerprints`` so that alerts stay the same
across runs, and ``suppressions`` for violations waived by a policy exception.

Every string comes from our own rules or from package metadata; JSON
encoding escapes it, and control characters are removed so that no
viewer can be tricked by terminal escapes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Iterable, Mapping, Sequence

from auditor import __version__
from auditor.models import Finding, Severity

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/auditor-dev/auditor"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: :class:`~auditor.models.Severity` -> SARIF ``level``.
LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


@dataclass(frozen=True)
class SarifRule:
    """A ``reportingDescriptor``.

    Attributes:
        id: stable rule id (``POL003``, ``AUD001``).
        name: kebab-case name.
        summary: ``shortDescription``.
        help: ``help.text`` (remediation).
        level: default level (``error``, ``warning``, ``note``).
        description: ``fullDescription`` (default: *summary*).
        properties: rule ``properties`` (e.g. ``tags`` and GitHub's ``security-severity``).
    """

    id: str
    name: str
    summary: str
    help: str = ""
    level: str = "warning"
    description: str = ""
    properties: Mapping[str, object] | None = None


@dataclass(frozen=True)
class SarifResult:
    """One ``result``.

    Attributes:
        rule_id: a :class:`SarifRule` id.
        message: plain text, one line.
        level: ``error``/``warning``/``note``.
        file: artifact path (relative paths are kept; absolute ones are made
            relative to the working directory when inside it).
        line: 1-based start line, if known.
        package: PEP 503 name (used in the fingerprint and properties).
        suppressed: justification when waived (becomes a SARIF suppression).
        key: text fingerprinted instead of *message* (default: the message),
            for messages that carry figures changing from run to run.
    """

    rule_id: str
    message: str
    level: str = "warning"
    file: str | None = None
    line: int | None = None
    package: str | None = None
    suppressed: str | None = None
    key: str | None = None


def clean(text: str | None) -> str:
    """Remove control characters (terminal escapes) and collapse newlines."""
    return _CONTROL.sub("", " ".join(str(text or "").splitlines())).strip()


def artifact_uri(path: str, base: str | None = None) -> str:
    """A relative POSIX URI for *path* when it lies under *base* (default: cwd)."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path(base or os.getcwd()).resolve())
        except ValueError:
            return p.as_uri()
    return str(PurePosixPath(*p.parts)) if p.parts else "."


def sarif_log(rules: Sequence[SarifRule], results: Iterable[SarifResult], base: str | None = None,
              properties: Mapping[str, object] | None = None,
              notifications: Sequence[tuple[str, str, str]] = ()) -> dict:
    """Build a SARIF 2.1.0 log (one run) as a JSON-ready dict.

    Args:
        rules: every rule the run can report (all are listed, so that rule
            ids and indices are stable whatever fails).
        results: the results, in the order given.
        base: directory artifact paths are made relative to.
        properties: extra run ``properties`` (e.g. the verdict).
        notifications: ``(id, level, text)`` run-level tool notifications
            (``invocations[0].toolExecutionNotifications``): what could not be checked.
    """
    index = {r.id: i for i, r in enumerate(rules)}
    out_results = []
    for r in results:
        result: dict = {
            "ruleId": r.rule_id,
            "level": r.level,
            "message": {"text": clean(r.message) or r.rule_id},
        }
        if r.rule_id in index:
            result["ruleIndex"] = index[r.rule_id]
        if r.file:
            region = {"startLine": int(r.line)} if r.line and r.line > 0 else None
            loc: dict = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.file, base)}}}
            if region:
                loc["physicalLocation"]["region"] = region
            if r.package:
                loc["logicalLocations"] = [{"name": clean(r.package), "kind": "package"}]
            result["locations"] = [loc]
        fp = hashlib.sha256(f"{r.rule_id}|{r.package or ''}|{clean(r.message if r.key is None else r.key)}".encode()).hexdigest()[:32]
        result["partialFingerprints"] = {"auditorRulePackage/v1": fp}
        if r.package:
            result["properties"] = {"package": clean(r.package)}
        if r.suppressed:
            result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": clean(r.suppressed)}]
        out_results.append(result)
    run: dict = {
        "tool": {
            "driver": {
                "name": "auditor",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "shortDescription": {"text": clean(r.summary)},
                        "fullDescription": {"text": clean(r.description or r.summary)},
                        "help": {"text": clean(r.help or r.summary)},
                        "defaultConfiguration": {"level": r.level},
                        **({"properties": dict(r.properties)} if r.properties else {}),
                    }
                    for r in rules
                ],
            }
        },
        "results": out_results,
        "columnKind": "unicodeCodePoints",
    }
    run["invocations"] = [{
        "executionSuccessful": True,
        "toolExecutionNotifications": [
            {"descriptor": {"id": clean(nid)}, "level": level, "message": {"text": clean(text) or nid}}
            for nid, level, text in notifications
        ],
    }]
    if properties:
        run["properties"] = dict(properties)
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def write_sarif(stream: IO[str], log: dict) -> None:
    """Write a SARIF log (from :func:`sarif_log`) to *stream*, deterministic key order."""
    json.dump(log, stream, indent=2, sort_keys=False, ensure_ascii=False)
    stream.write("\n")


def findings_sarif(findings: Sequence[Finding], locations: Mapping[str, tuple[str | None, int | None]],
                   rules: Sequence[SarifRule] | None = None, base: str | None = None) -> dict:
    """SARIF for audit findings (``auditor audit --format sarif``).

    Args:
        findings: :class:`~auditor.models.Finding` values.
        locations: ``{package: (file, line)}`` where each package is declared
            (``Distribution.origin.file`` / ``.line``).
        rules: rule documentation; when omitted one rule per distinct
            finding id is derived (name = id, summary = first message).
        base: directory artifact paths are made relative to.
    """
    if rules is None:
        seen: dict[str, SarifRule] = {}
        for f in findings:
            seen.setdefault(f.id, SarifRule(f.id, f.id.lower(), f.message, level=LEVELS[f.severity]))
        rules = [seen[k] for k in sorted(seen)]
    return sarif_log(rules, finding_results(findings, locations), base)


def finding_results(findings: Sequence[Finding], locations: Mapping[str, tuple[str | None, int | None]]) -> list[SarifResult]:
    """One :class:`SarifResult` per finding, at its package's ``(file, line)``."""
    results = []
    for f in findings:
        file, line = locations.get(f.package or "", (None, None))
        results.append(SarifResult(f.id, f.message, LEVELS[f.severity], file, line, f.package,
                                   key=_AGE.sub("N days", f.message)))
    return results


#: Ages in finding messages ("last release 3.7 was 1055 days ago", AUD111/AUD112)
#: grow every day; they are left out of the fingerprint so alerts stay the same.
_AGE = re.compile(r"\d+(?:\.\d+)? days")


def policy_sarif(result, base: str | None = None, file: str | None = None) -> dict:
    """SARIF for a :class:`~auditor.gate.evaluate.PolicyResult` (``auditor diff --format sarif``).

    One rule per policy rule of the judgement catalogue
    (:attr:`auditor.judgement.catalogue.Catalogue.policy`: title ->
    ``shortDescription``, remediation -> ``help``); one result per
    violation at the head lockfile's line for the package; waived violations
    are reported with a suppression carrying the exception's reason and expiry.
    One ``POL000`` result always states the decision (located at *file*, the
    head input, when known), and each undecided rule is a run notification.
    """
    from auditor.judgement.catalogue import catalogue

    RULES = catalogue().policy
    rules = [SarifRule(r.id, r.name, r.title, r.remediation, r.level) for r in RULES.values()]
    rules.append(DECISION_RULE)  # last, so the policy rules keep their indices
    results = []
    for v in result.violations:
        suppressed = None
        if v.waived_by is not None:
            suppressed = f"{v.waived_by.reason} (until {v.waived_by.expires.isoformat()})"
        results.append(SarifResult(v.rule, v.message, RULES[v.rule].level, v.file, v.line, v.package, suppressed))
    results.append(decision_result(result, file))
    notes = [(f"undecided/{u.rule}", "warning", f"{u.rule} could not decide for {u.package or 'the change'}: {u.reason}")
             for u in result.undecided]
    return sarif_log(rules, results, base, {"verdict": result.verdict.value, "policy": result.policy.source}, notes)


#: The gate's decision, always one result (so an undecided gate is never an empty log).
DECISION_RULE = SarifRule("POL000", "gate-decision", "The policy gate's decision for this change",
                          "Read the other results; an incomplete decision names the rules that lacked data.",
                          "note")

#: Verdict -> level of the decision result.
_DECISION_LEVELS = {"pass": "note", "fail": "error", "incomplete": "warning"}


def decision_result(result, file: str | None = None) -> SarifResult:
    """The POL000 result stating the verdict, its failing and undecided counts."""
    verdict = result.verdict.value
    text = (f"gate decision: {verdict} ({len(result.failing)} failing, {len(result.undecided)} undecided"
            f"{': ' + '; '.join(sorted({u.rule + ' ' + u.reason for u in result.undecided})[:5]) if result.undecided else ''})")
    return SarifResult("POL000", text, _DECISION_LEVELS.get(verdict, "warning"), file, key=f"decision {verdict}")


def render_policy(outcome, out: IO[str], base_dir: str | None = None) -> None:
    """``auditor diff --format sarif``: write *outcome*'s policy result (a
    :class:`~auditor.gate.GateOutcome`) to *out*; paths relative to *base_dir*."""
    head = next((f for _n, _v, f, _l in outcome.diff.head_packages if f), None)
    write_sarif(out, policy_sarif(outcome.result, base_dir, head))
