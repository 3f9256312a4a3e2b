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


@pytest.fixture
def layered(result):
    """The audit of :func:`result` with the other layers in its graph: Hub references and bundled native libraries."""
    import networkx as nx

    from auditor.graph import attrs as A
    from auditor.graph.build import node_id

    g = nx.DiGraph(result.graph)
    sha = "a" * 40
    g.add_node("model:org/bert", **{A.KIND: A.HUB_MODEL, A.NAME: "org/bert", A.HUB_REPO_ID: "org/bert",
                                    A.HUB_REVISIONS: [sha], A.HUB_PINNED: True, A.HUB_TRUST_REMOTE_CODE: False,
                                    A.HUB_LOCATIONS: ["train.py:3"]})
    g.add_node("model:gpt2", **{A.KIND: A.HUB_MODEL, A.NAME: "gpt2", A.HUB_REPO_ID: "gpt2", A.HUB_REVISIONS: [""],
                                A.HUB_PINNED: False, A.HUB_TRUST_REMOTE_CODE: True, A.HUB_LOCATIONS: [EVIL]})
    g.add_node("dataset:org/data", **{A.KIND: A.HUB_DATASET, A.NAME: "org/data", A.HUB_REPO_ID: "org/data",
                                      A.HUB_REVISIONS: ["main"], A.HUB_PINNED: False, A.HUB_LOCATIONS: ["<cli>"]})
    for nid in ("model:org/bert", "model:gpt2", "dataset:org/data"):
        g.add_edge(A.ROOT_ID, nid, **{A.KIND: A.LOADS, A.HUB_REFERENCES: 1})
    app = node_id(result.nodes["app"])
    g.add_node("native:OpenBLAS", **{A.KIND: A.NATIVE_LIBRARY, A.NAME: "OpenBLAS",
                                     A.REPO_URL: "https://github.com/OpenMathLib/OpenBLAS"})
    g.add_node("native:cuda", **{A.KIND: A.NATIVE_LIBRARY, A.NAME: "cuda", A.CLOSED_SOURCE: True})
    g.add_edge(app, "native:OpenBLAS", **{A.KIND: A.BUNDLES, A.PATH: "app.libs/libopenblas-ab12.so.0",
                                          A.SONAME: "libopenblas-ab12.so.0", A.LIBRARY_VERSION: "0"})
    g.add_edge(app, "native:cuda", **{A.KIND: A.BUNDLES, A.PATH: EVIL})
    return dataclasses.replace(result, graph=g)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_models_datasets_and_native_libraries_validate(layered, fmt):
    text = render(layered, fmt)
    validate(fmt, text)


def test_models_datasets_and_native_libraries_types(layered):
    doc = json.loads(render(layered, "json"))
    comps = {c["bom-ref"]: c for c in doc["components"]}
    bert, gpt2, data = comps["auditor:model:org/bert"], comps["auditor:model:gpt2"], comps["auditor:dataset:org/data"]
    assert bert["type"] == gpt2["type"] == "machine-learning-model" and data["type"] == "data"
    assert bert["version"] == "a" * 40 and bert["purl"] == "pkg:huggingface/org/bert@" + "a" * 40
    assert "version" not in gpt2 and "purl" not in gpt2  # the default branch is not a version
    assert {"type": "vcs", "url": "https://huggingface.co/datasets/org/data"} in data["externalReferences"]
    props = {p["name"]: p["value"] for p in gpt2["properties"]}
    assert props["auditor:hub:revisions"] == "(default branch)" and props["auditor:hub:trust-remote-code"] == "true"
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert {"auditor:model:org/bert", "auditor:model:gpt2", "auditor:dataset:org/data"} <= set(deps["auditor:root"])
    nested = {c["name"]: c for c in comps["pkg:pypi/app@1.0"]["components"]}
    assert nested["OpenBLAS"]["type"] == "library" and nested["OpenBLAS"]["version"] == "0"
    assert nested["OpenBLAS"]["bom-ref"] == "auditor:native:OpenBLAS@app==1.0"
    assert {p["name"]: p["value"] for p in nested["cuda"]["properties"]}["auditor:native:closed-source"] == "true"
    names = {p["name"] for c in [*doc["components"], *nested.values()] for p in c.get("properties", [])}
    assert names <= set(cyclonedx.PROPERTIES) | {n for n in names if n.startswith("auditor:factor:")}


def test_cli_hub_references_become_components(env_args, tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    sha = "0123456789abcdef0123456789abcdef01234567"
    for fmt in ("json", "xml"):
        out = tmp_path / f"sbom.{fmt}"
        res = CliRunner().invoke(app, ["audit", *env_args, "--model", f"org/m@{sha}", "--dataset", "org/d",
                                       "-f", f"cyclonedx-{fmt}", "-o", str(out)])
        assert res.exit_code == 3, res.output  # the fake Hub does not know org/m and org/d: their facts are unknown
        validate(fmt, out.read_text())
    doc = json.loads((tmp_path / "sbom.json").read_text())
    types = {c["bom-ref"]: c["type"] for c in doc["components"]}
    assert types["auditor:model:org/m"] == "machine-learning-model" and types["auditor:dataset:org/d"] == "data"
