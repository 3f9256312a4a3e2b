"""``auditor audit --format cyclonedx-json|cyclonedx-xml``: valid CycloneDX 1.6 by the library's own validators."""

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from cyclonedx.validation.xml import XmlValidator

from auditor.models import Advisory, Origin, Severity, VulnerabilityReport
from auditor.pipeline import run_audit
from auditor.report import cyclonedx
from auditor.report.registry import get
from tests.builders import StaticSource, dist, inventory

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "expected"

#: Markup, a bidi override, XML-forbidden control characters and a quote: every kind of hostile text.
EVIL = 'x <script>alert(1)</script> "q" & \u202e \x00\x01\x1b[31m ]]> end'


def validate(fmt: str, text: str) -> None:
    """Fail with the validator's message when *text* is not valid CycloneDX 1.6."""
    validator = JsonStrictValidator(SchemaVersion.V1_6) if fmt == "json" else XmlValidator(SchemaVersion.V1_6)
    error = validator.validate_str(text)
    assert error is None, f"invalid CycloneDX 1.6 {fmt}: {error}"


def render(result, fmt: str) -> str:
    out = io.StringIO()
    (cyclonedx.render_json if fmt == "json" else cyclonedx.render_xml)(result, out)
    return out.getvalue()


@pytest.fixture
def result(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"), ("Maintainer", EVIL)))
    fake_pypi.add("lib", "1.0")
    app = dataclasses.replace(
        dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),),
             author=EVIL, summary=EVIL, license="MIT OR Apache-2.0"),
        origin=Origin(file="requirements.txt", line=3),
        hashes=("sha256:" + "ab" * 32, "md5:notkept", "sha256:not-hex"))
    inv = inventory(["app", "ghost"], app, dist("lib", license=EVIL), dist("ghost"))
    res = run_audit(config, StaticSource(dataclasses.replace(inv, root_name="requirements.txt")))
    advisory = Advisory("GHSA-0001", aliases=("CVE-2024-1",), summary=EVIL, fixed_versions=("1.1",),
                        severity=Severity.HIGH, severity_source="CVSS:3.1/AV:N", published="2024-01-02T00:00:00Z",
                        url="https://osv.dev/vulnerability/GHSA-0001")
    lib = res.nodes["lib"]
    nodes = {**res.nodes, "lib": dataclasses.replace(
        lib, signals={**lib.signals, "vulnerabilities": VulnerabilityReport("1.0", (advisory,), "osv")})}
    return dataclasses.replace(res, nodes=nodes)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_valid_cyclonedx_1_6_with_hostile_text(result, fmt):
    text = render(result, fmt)
    validate(fmt, text)
    assert "\x00" not in text and "\x1b" not in text  # forbidden in XML 1.0: replaced by U+FFFD in both forms
    if fmt == "xml":
        ET.fromstring(text)  # well-formed; the markup of the hostile text is character data
        assert "<script>" not in text


def test_content_json(result):
    doc = json.loads(render(result, "json"))
    assert doc["specVersion"] == "1.6" and doc["serialNumber"].startswith("urn:uuid:")
    comps = {c["name"]: c for c in doc["components"]}
    app = comps["app"]
    assert app["purl"] == app["bom-ref"] == "pkg:pypi/app@1.0"
    assert app["hashes"] == [{"alg": "SHA-256", "content": "ab" * 32}]  # md5 and non-hex pins dropped
    assert app["licenses"] == [{"expression": "MIT OR Apache-2.0", "acknowledgement": "declared"}]
    assert {"type": "vcs", "url": "https://github.com/o/app", "comment": "core metadata Project-URL 'Source'"} \
        in app["externalReferences"]
    props = {p["name"]: p["value"] for p in app["properties"]}
    assert props["auditor:repository:confidence"] == "high" and props["auditor:repository:rule"]
    assert props["auditor:maintainers"] == "2" and props["auditor:direct"] == "true"
    assert float(props["auditor:exposure"]) == result.scores["app"].total
    assert set(props) <= {k for k in props if k.startswith("auditor:")}
    assert "alice (PyPI Owner)" in [a["name"] for a in app["authors"]]
    assert comps["lib"]["licenses"][0]["license"]["name"].startswith("x <script>")  # not an SPDX expression
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert "pkg:pypi/lib@1.0" in deps["pkg:pypi/app@1.0"]
    assert set(deps["auditor:root"]) == {"pkg:pypi/app@1.0", "pkg:pypi/ghost@1.0"}
    [vuln] = doc["vulnerabilities"]
    assert vuln["id"] == "GHSA-0001" and vuln["affects"] == [{"ref": "pkg:pypi/lib@1.0"}]
    assert vuln["ratings"][0]["severity"] == "high" and vuln["recommendation"] == "upgrade to 1.1"
    assert [r["id"] for r in vuln["references"]] == ["CVE-2024-1"]


def test_every_auditor_property_is_documented(result):
    doc = json.loads(render(result, "json"))
    names = {p["name"] for c in [*doc["components"], doc["metadata"]["component"]] for p in c.get("properties", [])}
    names |= {p["name"] for p in doc["metadata"]["properties"]}
    documented = set(cyclonedx.PROPERTIES)
    patterns = [k.split("<")[0] for k in documented if "<" in k]
    undocumented = {n for n in names if n not in documented and not any(n.startswith(p) for p in patterns)}
    assert not undocumented
    page = (Path(__file__).resolve().parents[2] / "docs" / "formats-audit.md").read_text()
    assert all(f"`{k}`" in page for k in documented)


def test_deterministic(result):
    assert render(result, "json") == render(result, "json")
    assert render(result, "xml") == render(result, "xml")


def test_registered():
    assert get("audit", "cyclonedx-json").load() is cyclonedx.render_json
    assert get("audit", "cyclonedx-xml").load() is cyclonedx.render_xml


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.cyclonedx-*")), ids=lambda p: p.name)
def test_golden_examples_validate(path):
    """Floor: every example audit validates as CycloneDX 1.6 JSON and XML."""
    body = path.read_text(encoding="utf-8").split("---\n", 1)[1]
    validate("json" if path.name.endswith("json") else "xml", body)


def test_golden_examples_exist_in_both_forms():
    assert {p.name for p in GOLDEN.glob("*.cyclonedx-*")} >= {
        f"audit-{x}.cyclonedx-{f}" for x in ("requirements", "uv-lock") for f in ("json", "xml")}
