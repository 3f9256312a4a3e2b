"""The judgement catalogue (rules.yaml) and the small judgements built on it."""

import pytest

from auditor.judgement import evaluation as ev
from auditor.judgement.catalogue import catalogue, parse_catalogue
from auditor.models import Confidence, Severity, Unknown


def test_catalogue_defines_every_rule_once():
    cat = catalogue()
    # AUD118-AUD120, AUD122: issue 13; AUD121: issue 11; AUD130-AUD133: issue 16; AUD140-AUD147: issue 15;
    # AUD150-AUD153: issue 17
    assert list(cat.findings) == [f"AUD{i}" for i in (*range(101, 123), *range(130, 134), *range(140, 148),
                                                      150, 151, 152, 153)]
    # POL010-POL011: Hub (issue 15); POL016-POL017: licences (issue 17)
    assert list(cat.policy) == [f"POL{i:03d}" for i in (*range(1, 12), 16, 17)]
    assert not set(cat.findings) & set(cat.policy)
    for rule in [*cat.findings.values(), *cat.policy.values()]:
        assert rule.title and rule.remediation and rule.anchor.startswith("docs/")
        assert "\n" not in rule.title + rule.remediation + rule.motivation
    assert all(r.severity in Severity for r in cat.findings.values())
    assert {r.level for r in cat.policy.values()} <= {"error", "warning"}
    assert {r.key for r in cat.policy.values()} >= {"max_people_increase", "min_project_age_days", "deny"}
    assert all("weight" in f.defaults for f in cat.factors.values())


def test_findings_name_their_thresholds():
    cat = catalogue()
    assert cat.findings["AUD111"].thresholds == ("stale_after_days",)
    assert cat.threshold("unrated_vulnerability_severity") == "medium"
    assert cat.threshold("stale_after_days") == 730
    assert cat.threshold("new_project_days") == cat.threshold("new_account_days") == 90


def test_unknown_threshold_is_an_error():
    text = "thresholds: {}\nfindings:\n  AUD1:\n    name: x\n    title: t\n    severity: low\n" \
           "    motivation: m\n    remediation: r\n    anchor: docs/x.md\n    thresholds: [nope]\npolicy: {}\nfactors: {}\n"
    with pytest.raises(ValueError, match="nope"):
        parse_catalogue(text)


@pytest.mark.parametrize("days, stale", [(730, False), (731, True), (10, False)])
def test_is_stale(days, stale):
    assert ev.is_stale(days) is stale


@pytest.mark.parametrize("days, new", [(0, True), (89.9, True), (90, False)])
def test_is_new_project(days, new):
    assert ev.is_new_project(days) is new


@pytest.mark.parametrize("days, new", [(-1, False), (0, True), (89, True), (90, False)])
def test_is_new_account(days, new):
    assert ev.is_new_account(days) is new


@pytest.mark.parametrize("conf, weak", [(Confidence.VERIFIED, False), (Confidence.HIGH, False),
                                        (Confidence.MEDIUM, False), (Confidence.LOW, True), (Confidence.NONE, True)])
def test_is_weak_mapping(conf, weak):
    assert ev.is_weak_mapping(conf) is weak


def test_single_maintainer():
    gone = Unknown("PyPI unreachable")
    assert ev.single_maintainer(["a"], None) is True
    assert ev.single_maintainer(["a"], "org") is False
    assert ev.single_maintainer(["a", "b"], None) is False
    assert ev.single_maintainer(gone, None) is gone
    assert ev.single_maintainer(["a"], gone) is gone
    assert ev.single_maintainer(["a", "b"], gone) is False
