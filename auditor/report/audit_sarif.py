"""``auditor audit --format sarif``: the audit's findings as SARIF 2.1.0.

One run; ``tool.driver.rules`` lists every rule of the findings catalogue
(``auditor/judgement/rules.yaml`` via :func:`auditor.judgement.findings.catalogue`:
title -> ``shortDescription``, motivation -> ``fullDescription``,
remediation -> ``help``), so rule indices are stable whatever is found;
a finding whose id is not in the catalogue gets a rule derived from it.
Each finding (:attr:`AuditResult.findings`) is one result located at the
input file and the line that declares the package
(``Distribution.origin.file`` / ``.line``), or at the input file alone
when the package is transitive or the line is unknown.  Results are in a
fixed order (severity, id, package, message).  Built with
:func:`auditor.report.sarif.findings_sarif`; nothing is fetched.

A package of an installed environment (``--env``/``--python``) is located at
its ``.dist-info/METADATA`` (``.egg-info/PKG-INFO``).  What could not be
checked is in the log too: one run notification and one ``AUD000`` result
per gap cause (fact × :class:`~auditor.models.UnknownKind`), and the run's
``properties`` carry the summary figures every format shares.  Rules carry
GitHub's ``security-severity`` (critical 9.5, high 7.5, medium 5.0, low 2.0;
none for info, which stays a ``note``).
"""

from __future__ import annotations

from typing import TextIO

from auditor.report.sarif import LEVELS, SarifResult, SarifRule, findings_sarif, write_sarif
from auditor.report.serialize import to_jsonable
from auditor.report.table import group_causes
from auditor.report.totals import people_reach_note

#: The rule of the "could not be checked" results (not a finding of the catalogue: a gap in the audit itself).
GAP_RULE = SarifRule("AUD000", "incomplete-audit", "Some facts could not be collected",
                     "Re-run with network access (or a warm cache); `auditor audit -v` lists every gap.",
                     "warning", "The audit finished without these facts; the scores count them as unknown "
                     "(docs/scoring.md).")

#: Finding severity -> GitHub code scanning ``security-severity`` (its bands: >= 9 critical, >= 7 high, >= 4 medium).
SECURITY_SEVERITY = {"critical": "9.5", "high": "7.5", "medium": "5.0", "low": "2.0"}


def input_file(result) -> str | None:
    """The audited input file, or None for an installed environment."""
    inv = result.inventory
    if inv.root_kind == "environment" or inv.root_name.startswith("env:"):
        return None
    return inv.root_name


def locations(result) -> dict[str, tuple[str | None, int | None]]:
    """``{package: (file, line)}`` for every node; ``""`` (root findings) -> the input file."""
    default = input_file(result)
    out: dict[str, tuple[str | None, int | None]] = {"": (default, None)}
    for name, node in result.nodes.items():
        origin = node.distribution.origin
        if origin.file and origin.kind != "installed":
            out[name] = (origin.file, origin.line)
        elif origin.file and origin.file.endswith((".dist-info", ".egg-info")):
            meta = "METADATA" if origin.file.endswith(".dist-info") else "PKG-INFO"
            out[name] = (f"{origin.file.rstrip('/')}/{meta}", None)
        else:
            out[name] = (default, None)
    return out


def rules(findings) -> list[SarifRule]:
    """The catalogue's rules, plus one derived rule per uncatalogued finding id, sorted by id."""
    from auditor.judgement.findings import catalogue

    out = {r.id: SarifRule(r.id, r.name, r.title, r.remediation, LEVELS[r.severity], r.motivation, _props(r.severity))
           for r in catalogue().values()}
    out[GAP_RULE.id] = GAP_RULE
    for f in findings:
        out.setdefault(f.id, SarifRule(f.id, f.id.lower(), f.message, level=LEVELS[f.severity]))
    return [out[k] for k in sorted(out)]


def _props(severity) -> dict:
    sev = SECURITY_SEVERITY.get(severity.value)
    return {"tags": ["security", "supply-chain"], **({"security-severity": sev} if sev else {})}


def gaps(result) -> tuple[list[SarifResult], list[tuple[str, str, str]]]:
    """One ``AUD000`` result and one run notification per gap cause (see :func:`~auditor.report.table.group_causes`)."""
    where = input_file(result)
    results, notes = [], []
    for what, kind, count, reason in group_causes(result.missing):
        text = f"{what}: {count} fact(s) not collected ({kind}), e.g. {reason}"
        results.append(SarifResult(GAP_RULE.id, text, "warning", where, key=f"{what} {kind}"))
        notes.append((f"gap/{what}/{kind}", "warning", text))
    return results, notes


def document(result) -> dict:
    """The SARIF log as a JSON-ready dict."""
    findings = sorted(result.findings, key=lambda f: (f.severity.rank, f.id, f.package or "", f.message))
    log = findings_sarif(findings, locations(result), rules(findings))
    extra, notes = gaps(result)
    if extra or notes:
        from auditor.report.sarif import sarif_log

        log = sarif_log(rules(findings), [*_results_of(findings, result), *extra], None, None, notes)
    run = log["runs"][0]
    run["properties"] = {"summary": {**to_jsonable(result.root), "complete": not result.incomplete,
                                     "people_reach": people_reach_note(result)}}
    return log


def _results_of(findings, result) -> list[SarifResult]:
    from auditor.report.sarif import finding_results

    return finding_results(findings, locations(result))


def render(result, out: TextIO) -> None:
    """Write the SARIF 2.1.0 log of *result*'s findings to *out*."""
    write_sarif(out, document(result))
