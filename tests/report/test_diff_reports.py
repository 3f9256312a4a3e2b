"""Diff outputs: Markdown PR comment (escaping), SARIF 2.1.0 (schema-valid), versioned JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from auditor.gate import diff_audits
from auditor.models import Finding, Severity
from auditor.gate import evaluate, load_policy, parse_policy
from auditor.report.diff_json import SCHEMA_VERSION, write_diff_json
from auditor.report.diff_markdown import md, write_diff_markdown
from auditor.report.sarif import findings_sarif, policy_sarif, write_sarif
from tests.builders import diff_node as node, view
from tests.test_diff import NOW, base, head

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "sarif-schema-2.1.0.json").read_text())

EVIL = "<img src=x onerror=alert(1)>[click](javascript:alert(1))|@admins\n# heading `code`"


@pytest.fixture
def result_and_diff():
    d = diff_audits(base(), head(), now=NOW)
    return d, evaluate(load_policy(), d, today=NOW.date())


def evil_diff():
    h = view("h", node("evil-pkg", "1.0", maintainers=(EVIL,), repo=None, contacts=(EVIL,), line=3))
    return diff_audits(view("b"), h, now=NOW)


def test_markdown_verdict_table_and_details(result_and_diff):
    d, r = result_and_diff
    out = io.StringIO()
    write_diff_markdown(out, d, r)
    text = out.getvalue()
    first = text.splitlines()[0]
    assert first.startswith("❌ **auditor: policy failed**") and "4 violations" in first
    assert "| fresh | added 0.1 | mallory | none |" in text
    assert text.count("<details>") == text.count("</details>") >= 3
    assert "POL004" in text


def test_markdown_escapes_every_metadata_string():
    d = evil_diff()
    r = evaluate(parse_policy("rules: {forbid_single_maintainer: true}"), d, today=NOW.date())
    out = io.StringIO()
    write_diff_markdown(out, d, r)
    text = out.getvalue()
    assert "<img" not in text and "](javascript" not in text and "@admins" not in text
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text
    # one table row per package: the newline and pipe in the name did not break the table
    row = next(line for line in text.splitlines() if line.startswith("| evil-pkg"))
    assert row.count("|") - row.count("\\|") == 7


def test_md_helper():
    assert md("a|b") == "a\\|b"
    assert md("x\ny") == "x y"
    assert md("@team") == "&#64;team"
    assert md("[a](b)") == "\\[a\\]\\(b\\)"


def test_sarif_is_valid_and_points_at_the_lockfile_line(result_and_diff):
    _d, r = result_and_diff
    log = policy_sarif(r)
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    # POL000: the decision, always present; POL010-011: Hub (issue 15); POL016-017: licences (issue 17)
    assert ids == [f"POL{i:03d}" for i in (*range(1, 12), 16, 17)] + ["POL000"]
    decision = run["results"][-1]
    assert decision["ruleId"] == "POL000" and decision["message"]["text"].startswith(f"gate decision: {r.verdict.value}")
    res = next(x for x in run["results"] if x["ruleId"] == "POL004")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "uv.lock" and loc["region"]["startLine"] == 42
    assert res["ruleIndex"] == 3 and res["level"] == "error"
    out = io.StringIO()
    write_sarif(out, log)
    assert json.loads(out.getvalue()) == log


def test_sarif_fingerprints_are_stable_and_waivers_are_suppressions():
    text = "rules: {forbid_single_maintainer: true}\nexceptions:\n  - {package: fresh, reason: ok, expires: 2099-01-01}\n"
    d = diff_audits(base(), head(), now=NOW)
    r1 = policy_sarif(evaluate(parse_policy(text), d, today=NOW.date()))
    r2 = policy_sarif(evaluate(parse_policy(text), d, today=NOW.date()))
    jsonschema.validate(r1, SCHEMA)
    assert r1 == r2
    res = r1["runs"][0]["results"][0]
    assert res["suppressions"][0]["justification"] == "ok (until 2099-01-01)"


def test_sarif_with_evil_strings_is_valid():
    d = evil_diff()
    log = policy_sarif(evaluate(parse_policy("rules: {forbid_single_maintainer: true}"), d, today=NOW.date()))
    jsonschema.validate(log, SCHEMA)
    msg = log["runs"][0]["results"][0]["message"]["text"]
    assert "\n" not in msg


def test_findings_sarif_for_audit_findings():
    findings = [Finding("AUD001", Severity.HIGH, "single maintainer", "tiny"), Finding("AUD002", Severity.LOW, "x")]
    log = findings_sarif(findings, {"tiny": ("requirements.txt", 7)})
    jsonschema.validate(log, SCHEMA)
    results = log["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert "locations" not in results[1]


def test_json_is_versioned_and_unknowns_are_explicit(result_and_diff):
    d, r = result_and_diff
    out = io.StringIO()
    write_diff_json(out, d, r, exit_code=1)
    doc = json.loads(out.getvalue())
    assert doc["schema_version"] == SCHEMA_VERSION and doc["kind"] == "auditor-diff"
    assert doc["verdict"] == "fail" and doc["exit_code"] == 1
    fresh = next(p for p in doc["packages"] if p["name"] == "fresh")
    assert fresh["single_maintainer"] is True and fresh["line"] == 42
    assert doc["new_people"] == {"unknown": "history not collected"}
    assert doc["totals"]["after"]["maintainers"] == 5
    assert {v["rule"] for v in doc["policy"]["violations"]} == {"POL003", "POL004", "POL006", "POL009"}


def test_new_project_flag_uses_the_catalogue_threshold():
    """'new project' agrees with finding AUD112 (new_project_days, 90), with or without a policy."""
    from auditor.gate.diff import PackageDelta, VersionChange
    from auditor.gate.flags import flags

    def added(age):
        return PackageDelta("a", VersionChange("a", "added", None, "1.0"), maintainers=("x", "y"),
                            repository="https://github.com/a/a", project_age_days=age)

    assert "new project" in flags(added(30.0))
    assert "new project" not in flags(added(90.0))
