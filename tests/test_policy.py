"""Policy loading/validation and evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.errors import ConfigError, ExitCode
from auditor.gate import RULES, Verdict, diff_audits, evaluate, load_policy, parse_policy
from auditor.models import Unknown
from tests.builders import diff_node as node, view
from tests.test_diff import NOW, base, head

TODAY = NOW.date()


def test_default_policy_loads_and_fails_the_risky_change():
    result = evaluate(load_policy(), diff_audits(base(), head(), now=NOW), today=TODAY)
    rules = {(v.rule, v.package) for v in result.failing}
    assert ("POL003", "fresh") in rules  # no source repository
    assert ("POL004", "fresh") in rules  # single maintainer
    assert ("POL006", "fresh") in rules  # published 1 day ago
    assert result.verdict is Verdict.FAIL and result.exit_code() == ExitCode.POLICY_FAILURE
    v = next(v for v in result.failing if v.rule == "POL004")
    assert v.line == 42 and v.file == "uv.lock"


def test_pass_when_nothing_risky():
    b = view("b", node("a", "1.0", maintainers=("x", "y")))
    h = view("h", node("a", "1.1", maintainers=("x", "y")))
    result = evaluate(load_policy(), diff_audits(b, h, now=NOW), today=TODAY)
    assert result.verdict is Verdict.PASS and result.exit_code() == ExitCode.OK


def test_unknown_data_is_incomplete_and_fail_on_unknown_makes_it_a_failure():
    h = view("h", node("a", "1.0", maintainers=None, uploaded=None))
    result = evaluate(parse_policy("rules: {forbid_single_maintainer: true, min_release_age_days: 2}"),
                      diff_audits(view("b"), h, now=NOW), today=TODAY)
    assert result.verdict is Verdict.INCOMPLETE
    assert {u.rule for u in result.undecided} == {"POL004", "POL006"}
    assert result.exit_code() == ExitCode.INCOMPLETE
    assert result.exit_code(fail_on_unknown=True) == ExitCode.POLICY_FAILURE


def test_exceptions_waive_until_they_expire():
    text = """
rules: {forbid_single_maintainer: true}
exceptions:
  - package: Fresh
    rules: [POL004]
    reason: reviewed in SEC-1
    expires: 2025-12-31
"""
    result = evaluate(parse_policy(text), diff_audits(base(), head(), now=NOW), today=TODAY)
    assert result.verdict is Verdict.PASS
    waived = [v for v in result.violations if v.waived_by]
    assert waived and waived[0].waived_by.reason == "reviewed in SEC-1"
    later = evaluate(parse_policy(text), diff_audits(base(), head(), now=NOW), today=dt.date(2026, 1, 1))
    assert later.verdict is Verdict.FAIL
    assert any(v.rule == "POL008" for v in later.violations) and later.notes


def test_allow_and_deny():
    d = diff_audits(base(), head(), now=NOW)
    allowed = evaluate(parse_policy("rules: {forbid_single_maintainer: true}\nallow: [fresh]"), d, today=TODAY)
    assert allowed.verdict is Verdict.PASS
    denied = evaluate(parse_policy("deny: ['tiny<2', 'app_lib']"), d, today=TODAY)
    assert {v.package for v in denied.failing} == {"tiny", "app-lib"}
    assert evaluate(parse_policy("deny: ['tiny>=2']"), d, today=TODAY).verdict is Verdict.PASS


def test_people_and_maintainer_growth():
    d = diff_audits(base(), head(), now=NOW)  # 4 -> 5 accounts, 2 new
    assert evaluate(parse_policy("rules: {max_people_increase: 0}"), d, today=TODAY).failing[0].rule == "POL001"
    assert evaluate(parse_policy("rules: {max_new_maintainers: 1}"), d, today=TODAY).failing[0].rule == "POL002"
    assert evaluate(parse_policy("rules: {max_new_maintainers: 2, max_people_increase: 1}"), d,
                    today=TODAY).verdict is Verdict.PASS


def test_project_age():
    h = view("h", node("typo", "0.1", maintainers=("x", "y"), uploaded="2025-05-30T00:00:00Z"))
    result = evaluate(parse_policy("rules: {min_project_age_days: 14}"), diff_audits(view("b"), h, now=NOW), today=TODAY)
    assert [v.rule for v in result.failing] == ["POL009"] and "2 day(s) ago" in result.failing[0].message


def test_vulnerability_severity_threshold():
    from auditor.models import Advisory, Severity
    from tests.test_diff import report

    h = view("h", node("a", "2.0", maintainers=("x", "y"), signals={"vulnerabilities": report(
        "2.0", Advisory("GHSA-low", severity=Severity.LOW), Advisory("GHSA-crit", severity=Severity.CRITICAL),
        Advisory("PYSEC-norating"))}))
    b = view("b", node("a", "1.0", maintainers=("x", "y"), signals={"vulnerabilities": report("1.0")}))
    result = evaluate(parse_policy("rules: {max_vulnerability_severity: medium}"), diff_audits(b, h, now=NOW), today=TODAY)
    assert sorted(v.message.split(": ")[1] for v in result.failing) == ["GHSA-crit (critical)", "PYSEC-norating (unrated)"]


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("rules:\n  max_people_increse: 3\n", "unknown rule key 'rules.max_people_increse'", 2),
        ("version: 1\nrulez: {}\n", "unknown key 'rulez'", 2),
        ("rules:\n  forbid_single_maintainer: 'yes'\n", "'rules.forbid_single_maintainer' must be true or false", 2),
        ("rules:\n  max_people_increase: -1\n", "must be a non-negative integer", 2),
        ("rules:\n  max_people_increase: true\n", "must be a non-negative integer", 2),
        ("rules:\n  max_vulnerability_severity: urgent\n", "one of critical, high, medium, low", 2),
        ("exceptions:\n  - package: a\n    reason: r\n    expires: soon\n", "must be a date", 4),
        ("exceptions:\n  - package: a\n    expires: 2025-01-01\n", "needs 'reason'", 2),
        ("exceptions:\n  - package: a\n    reason: r\n    expires: 2025-01-01\n    rules: [POL999]\n", "unknown rule id 'POL999'", 5),
        ("allow: ['a>1']\n", "package names only", 1),
        ("rules: [\n", "invalid YAML", 2),
        ("- a\n", "must be a mapping", None),
    ],
)
def test_validation_errors_name_file_line_and_key(tmp_path, text, message, line):
    p = tmp_path / "auditor-policy.yml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_policy(p)
    msg = str(info.value)
    assert message in msg and "\n" not in msg
    assert msg.startswith(f"{p}:{line}:" if line else f"{p}:")
    assert info.value.exit_code == ExitCode.USAGE


def test_rule_ids_are_stable():
    assert list(RULES) == [f"POL{i:03d}" for i in (*range(1, 12), 16, 17)]  # POL010-011: Hub (15); POL016-017: licences (17)


def test_missing_repository_because_data_is_missing_is_undecided_not_a_violation():
    h = view("h", node("x", "1.0", repo=None, project=None))
    result = evaluate(parse_policy("rules: {require_source_repository: true}"), diff_audits(view("b"), h, now=NOW),
                      today=TODAY)
    assert result.verdict is Verdict.INCOMPLETE
    assert [(u.rule, u.package) for u in result.undecided] == [("POL003", "x")]


def test_checks_are_small_functions_over_a_delta():
    from auditor.gate.diff import PackageDelta, VersionChange
    from auditor.gate.evaluate import check_project_age, check_release_age, check_single_maintainer

    policy = parse_policy("rules: {min_release_age_days: 3, min_project_age_days: 14, forbid_single_maintainer: true}")
    new = PackageDelta("a", VersionChange("a", "added", None, "1.0"), maintainers=("x",), age_days=1.5,
                       project_age_days=20.0)
    assert check_release_age(policy, new) == ["a 1.0 was published 1.5 day(s) ago (policy: at least 3)"]
    assert check_project_age(policy, new) == []
    assert check_single_maintainer(policy, new) == ["a 1.0: single publish-capable maintainer (x) and no organization"]
    upgraded = PackageDelta("a", VersionChange("a", "upgraded", "0.9", "1.0"), maintainers=("x",), age_days=10.0,
                            project_age_days=1.0)
    assert check_release_age(policy, upgraded) == check_project_age(policy, upgraded) == []
    assert check_single_maintainer(policy, upgraded) == []
    gap = Unknown("HTTP 503")
    assert check_release_age(policy, PackageDelta("b", VersionChange("b", "added", None, "1"), age_days=gap)) == [gap]


def test_malicious_package_fails_the_default_policy_whatever_its_rating():
    """Issue 17 item 8: an OSV MAL- report fails POL005 of the default policy, even rated low."""
    from auditor.models import Advisory, Severity
    from tests.test_diff import report

    h = view("h", node("a", "2.0", maintainers=("x", "y"), signals={"vulnerabilities": report(
        "2.0", Advisory("MAL-2024-1234", severity=Severity.LOW), Advisory("GHSA-x", aliases=("MAL-2024-9",),
                                                                           severity=Severity.INFO))}))
    b = view("b", node("a", "1.0", maintainers=("x", "y"), signals={"vulnerabilities": report("1.0")}))
    result = evaluate(load_policy(), diff_audits(b, h, now=NOW), today=TODAY)
    assert sorted(v.message.split(": ")[1] for v in result.failing if v.rule == "POL005") == [
        "GHSA-x (malicious)", "MAL-2024-1234 (malicious)"]
    assert result.verdict.value == "fail"


def test_malicious_advisory_is_a_critical_aud150_finding_not_aud101():
    from auditor.judgement.findings import probe_vulnerabilities
    from auditor.models import Advisory, Severity, VulnerabilityReport
    from tests.builders import package_node

    n = package_node("evil", "1.0", signals={"vulnerabilities": VulnerabilityReport("1.0", (
        Advisory("MAL-2024-1", summary="steals tokens"), Advisory("GHSA-ok", severity=Severity.LOW)), "osv")})
    found = {(f.id, f.severity.value) for f in probe_vulnerabilities(n)}
    assert found == {("AUD150", "critical"), ("AUD101", "low")}
    assert Advisory("GHSA-a", aliases=("MAL-1",)).malicious and not Advisory("PYSEC-1").malicious
