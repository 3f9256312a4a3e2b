"""``auditor audit --format markdown`` and ``--format sarif``: escaping, schema validity, stable order."""

import dataclasses
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from auditor.models import Finding, Origin, Severity
from auditor.pipeline import MissingData, run_audit
from auditor.report import audit_markdown, audit_sarif
from auditor.report.registry import FORMATS, renderer
from auditor.report.table import group_causes
from auditor.judgement.findings import catalogue
from tests.builders import StaticSource, dist, inventory

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "sarif-schema-2.1.0.json").read_text())

EVIL = "x|y <script>alert(1)</script> `code` [link](javascript:alert(1)) ![img](http://e/x.png) @admin\n# heading"


@pytest.fixture
def result(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "1.0")
    app = dataclasses.replace(
        dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),),
             author=EVIL, summary=EVIL),
        origin=Origin(file="requirements.txt", line=3))
    inv = inventory(["app", "ghost"], app, dist("lib"), dist("ghost"))
    inv = dataclasses.replace(inv, root_name="requirements.txt")
    res = run_audit(config, StaticSource(inv))
    # Findings carrying hostile text (messages are built from metadata in real probes).
    # (AuditResult is frozen: the fixture makes a changed copy.)
    return dataclasses.replace(res, findings=[
        Finding("AUD999", Severity.LOW, f"uncatalogued: {EVIL}", "lib"),
        Finding("AUD101", Severity.HIGH, f"known vulnerability {EVIL}", "app"),
        Finding("AUD101", Severity.HIGH, "known vulnerability B", "app"),
        Finding("AUD112", Severity.MEDIUM, "root-level note", None),
    ], missing=[*res.missing, MissingData("lib", "history", EVIL), MissingData("app", "history", EVIL)])


def render(mod, result) -> str:
    out = io.StringIO()
    mod.render(result, out)
    return out.getvalue()


def test_registered_and_imported_lazily():
    assert FORMATS["markdown"] == "auditor.report.audit_markdown"
    assert FORMATS["sarif"] == "auditor.report.audit_sarif"
    assert renderer("markdown") is audit_markdown.render and renderer("sarif") is audit_sarif.render


def test_markdown_layout(result):
    text = render(audit_markdown, result)
    assert text.startswith("## auditor ")
    r = result.root
    assert f"{r.packages} packages \\({r.direct} direct\\)" in text  # report/totals.py wording, escaped
    assert "publishers: " in text and "PyPI account" in text and "people reach: " in text
    assert "| Package | Version | Exposure | Coverage | Maintainers | Contributors | Repository (confidence) | Top factors |" in text
    assert "people reach excludes CPython" in text
    assert "| app | 1.0 |" in text and "https://github.com/o/app (high)" in text
    assert "python" not in [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
    assert "### Findings (4: 2 high, 1 medium, 1 low)" in text
    assert "<details>" in text and "</details>" in text
    # missing data grouped by (what, reason): both packages on one line
    group = [line for line in text.splitlines() if line.startswith("- **history**")]
    assert len(group) == 1 and "(2): app, lib" in group[0]
    assert "- **pypi**: not found on PyPI (1): ghost" in text


def test_markdown_escapes_every_untrusted_string(result):
    text = render(audit_markdown, result)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "](javascript:" not in text and "](http" not in text
    assert "`code`" not in text and "\\`code\\`" in text
    assert "@admin" not in text
    for line in text.splitlines():
        if line.startswith("| "):
            # every row keeps its column count: no unescaped | from metadata
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (6, 10), line
    # no heading injected from a newline
    assert "\n# heading" not in text


def test_markdown_is_deterministic(result):
    first = render(audit_markdown, result)
    result = dataclasses.replace(result, findings=list(reversed(result.findings)), missing=list(reversed(result.missing)))
    assert render(audit_markdown, result) == first
    rows = [line for line in first.splitlines() if line.startswith("| AUD")]
    assert [r.split("|")[1].strip() for r in rows] == ["AUD101", "AUD101", "AUD112", "AUD999"]


def test_sarif_valid_and_located(result):
    doc = json.loads(render(audit_sarif, result))
    jsonschema.validate(doc, SCHEMA)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and set(catalogue()) <= set(ids) and "AUD999" in ids
    aud101 = rules[ids.index("AUD101")]
    assert aud101["shortDescription"]["text"] == catalogue()["AUD101"].title
    assert aud101["fullDescription"]["text"] == catalogue()["AUD101"].motivation
    assert aud101["help"]["text"] == catalogue()["AUD101"].remediation
    results = run["results"]
    gaps = {what for what, *_ in group_causes(result.missing)}
    assert [r["ruleId"] for r in results] == ["AUD101", "AUD101", "AUD112", "AUD999"] + ["AUD000"] * len(gaps)  # one per gap cause
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == len(gaps) and all(n["level"] == "warning" for n in notes)
    assert run["properties"]["summary"]["packages"] == result.root.packages
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    app = results[0]["locations"][0]["physicalLocation"]
    assert app == {"artifactLocation": {"uri": "requirements.txt"}, "region": {"startLine": 3}}
    # transitive package and root finding: the input file, no line
    lib = results[3]["locations"][0]["physicalLocation"]
    assert lib == {"artifactLocation": {"uri": "requirements.txt"}}
    assert results[2]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "requirements.txt"}}
    assert results[0]["level"] == "error" and results[2]["level"] == "warning" and results[3]["level"] == "note"


def test_sarif_hostile_text_is_plain_json(result):
    text = render(audit_sarif, result)
    doc = json.loads(text)
    messages = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    assert all("\n" not in m for m in messages)
    assert any("<script>" in m for m in messages)  # JSON-encoded text; viewers render SARIF messages as text


def test_sarif_is_deterministic(result):
    first = render(audit_sarif, result)
    result = dataclasses.replace(result, findings=list(reversed(result.findings)))
    assert render(audit_sarif, result) == first


def test_sarif_environment_has_no_file(result):
    nodes = dict(result.nodes)
    nodes["app"] = dataclasses.replace(
        result.nodes["app"], distribution=dataclasses.replace(
            result.nodes["app"].distribution, origin=Origin(kind="installed", file="/site-packages/app-1.0.dist-info")))
    result = dataclasses.replace(result, nodes=nodes, inventory=dataclasses.replace(
        result.inventory, root_name="env:/usr/bin/python", root_kind="environment"))
    doc = json.loads(render(audit_sarif, result))
    jsonschema.validate(doc, SCHEMA)
    located = {r["properties"]["package"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in doc["runs"][0]["results"] if "locations" in r and "properties" in r}
    assert located == {"app": "file:///site-packages/app-1.0.dist-info/METADATA"}  # --env: the METADATA file


def test_sarif_fingerprint_ignores_growing_ages(result):
    def fingerprint(days):
        changed = dataclasses.replace(result, findings=[
            Finding("AUD111", Severity.LOW, f"lib: last release 1.0 was {days} days ago", "lib")])
        doc = json.loads(render(audit_sarif, changed))
        return doc["runs"][0]["results"][0]["partialFingerprints"]

    assert fingerprint(1055) == fingerprint(1056)
    other = dataclasses.replace(result, findings=[Finding("AUD111", Severity.LOW, "other package", "app")])
    assert json.loads(render(audit_sarif, other))["runs"][0]["results"][0]["partialFingerprints"] != fingerprint(1)
