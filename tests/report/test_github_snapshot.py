"""``auditor audit --format github-snapshot``: the request body of GitHub's dependency submission API."""

import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor.errors import OutputError
from auditor.models import Origin
from auditor.pipeline import run_audit
from auditor.report import github_snapshot
from tests.builders import StaticSource, dist, inventory

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "expected" / "audit-uv-lock.github-snapshot"

#: The ``snapshot`` schema of ``POST /repos/{owner}/{repo}/dependency-graph/snapshots``, written out from
#: GitHub's REST documentation (https://docs.github.com/en/rest/dependency-graph/dependency-submission) and
#: its OpenAPI description (github/rest-api-description, components/schemas: snapshot, manifest, dependency,
#: metadata). Required fields, enums, patterns and ``additionalProperties: false`` as documented there.
METADATA = {"type": "object", "maxProperties": 8,
            "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                                               {"type": "null"}]}}
DEPENDENCY = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "package_url": {"type": "string", "pattern": "^pkg"},
        "metadata": METADATA,
        "relationship": {"type": "string", "enum": ["direct", "indirect"]},
        "scope": {"type": "string", "enum": ["runtime", "development"]},
        "dependencies": {"type": "array", "items": {"type": "string"}},
    },
}
MANIFEST = {
    "type": "object", "required": ["name"], "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "file": {"type": "object", "additionalProperties": False,
                 "properties": {"source_location": {"type": "string"}}},
        "metadata": METADATA,
        "resolved": {"type": "object", "additionalProperties": DEPENDENCY},
    },
}
SNAPSHOT = {
    "type": "object", "required": ["detector", "version", "ref", "sha", "job", "scanned"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer"},
        "job": {"type": "object", "required": ["id", "correlator"], "additionalProperties": False,
                "properties": {"id": {"type": "string"}, "correlator": {"type": "string"},
                               "html_url": {"type": "string"}}},
        "sha": {"type": "string", "minLength": 40, "maxLength": 40},
        "ref": {"type": "string", "pattern": "^refs/"},
        "detector": {"type": "object", "required": ["name", "version", "url"], "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                    "url": {"type": "string"}}},
        "metadata": METADATA,
        "manifests": {"type": "object", "additionalProperties": MANIFEST},
        "scanned": {"type": "string", "format": "date-time"},
    },
}
JOB = {"sha": "0123456789abcdef0123456789abcdef01234567", "ref": "refs/heads/main", "run_id": "7",
       "workflow": "ci", "job": "deps"}
EVIL = 'x"}, "injected": {"a": 1}, <script>\x00\u202e'


def validate(doc: dict) -> None:
    jsonschema.validate(doc, SNAPSHOT, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def result(config, fake_pypi):
    fake_pypi.add("app", "1.0")
    app = dataclasses.replace(dist("app", requires=["lib"], summary=EVIL), origin=Origin(file="requirements.txt", line=1))
    local = dataclasses.replace(dist("mine"), origin=Origin(kind="path", url="file:///src/mine"))
    inv = inventory(["app", "mine"], app, dist("lib", requires=["deep"]), dist("deep"), local)
    return run_audit(config, StaticSource(dataclasses.replace(inv, root_name="requirements.txt")))


def render(result, github=JOB) -> str:
    out = io.StringIO()
    github_snapshot.render(result, out, github=github)
    return out.getvalue()


def test_matches_the_documented_schema(result):
    doc = json.loads(render(result))
    validate(doc)
    [manifest] = doc["manifests"].values()
    assert manifest["file"] == {"source_location": "requirements.txt"}
    resolved = manifest["resolved"]
    assert set(resolved) == {"pkg:pypi/app@1.0", "pkg:pypi/lib@1.0", "pkg:pypi/deep@1.0"}  # no purl: path, python
    assert resolved["pkg:pypi/app@1.0"]["relationship"] == "direct"
    assert resolved["pkg:pypi/lib@1.0"]["relationship"] == "indirect"
    assert resolved["pkg:pypi/app@1.0"]["dependencies"] == ["pkg:pypi/lib@1.0"]
    assert resolved["pkg:pypi/lib@1.0"]["dependencies"] == ["pkg:pypi/deep@1.0"]
    assert {r["scope"] for r in resolved.values()} == {"runtime"}
    assert manifest["metadata"]["auditor:without-purl"] == 2  # mine (a local path) and the interpreter
    assert doc["job"] == {"correlator": "ci deps requirements.txt", "id": "7"}
    assert doc["sha"] == JOB["sha"] and doc["ref"] == JOB["ref"]


def test_schema_rejects_what_the_api_rejects():
    """The schema above is strict enough to matter."""
    good = json.loads(GOLDEN.read_text().split("---\n", 1)[1])
    validate(good)
    for broken in ({**good, "sha": "abc"}, {**good, "ref": "main"}, {**good, "extra": 1},
                   {k: v for k, v in good.items() if k != "job"}):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


@pytest.mark.parametrize("github", [{}, {**JOB, "sha": "abc"}, {**JOB, "ref": "main"}])
def test_missing_or_bad_job_is_an_output_error(result, github):
    with pytest.raises(OutputError, match="GITHUB_"):
        render(result, github)


def test_cli_refuses_before_auditing_without_github_sha(tmp_path, monkeypatch):
    from auditor.cli import app

    for var in github_snapshot.ENVIRONMENT:
        monkeypatch.delenv(var, raising=False)
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\n")
    res = CliRunner().invoke(app, ["audit", str(req), "--offline", "--resolver", "none", "-f", "github-snapshot"])
    assert res.exit_code == 2 and "GITHUB_SHA" in res.output


def test_from_environment():
    env = {"GITHUB_SHA": JOB["sha"], "GITHUB_REF": "refs/heads/x", "GITHUB_JOB": "", "OTHER": "y"}
    assert github_snapshot.from_environment(env) == {"sha": JOB["sha"], "ref": "refs/heads/x"}
