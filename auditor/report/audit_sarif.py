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
"""

from __future__ import annotations

from typing import TextIO

from auditor.report.sarif import LEVELS, SarifRule, findings_sarif, write_sarif


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
        else:
            out[name] = (default, None)
    return out


def rules(findings) -> list[SarifRule]:
    """The catalogue's rules, plus one derived rule per uncatalogued finding id, sorted by id."""
    from auditor.judgement.findings import catalogue

    out = {r.id: SarifRule(r.id, r.name, r.title, r.remediation, LEVELS[r.severity], r.motivation)
           for r in catalogue().values()}
    for f in findings:
        out.setdefault(f.id, SarifRule(f.id, f.id.lower(), f.message, level=LEVELS[f.severity]))
    return [out[k] for k in sorted(out)]


def document(result) -> dict:
    """The SARIF log as a JSON-ready dict."""
    findings = sorted(result.findings, key=lambda f: (f.severity.rank, f.id, f.package or "", f.message))
    return findings_sarif(findings, locations(result), rules(findings))


def render(result, out: TextIO) -> None:
    """Write the SARIF 2.1.0 log of *result*'s findings to *out*."""
    write_sarif(out, document(result))
