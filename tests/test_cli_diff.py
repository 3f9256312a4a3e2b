"""`auditor diff` end to end: real uv.lock files, the fake PyPI on 127.0.0.1, every format and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.live import live_pypi
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()
SCHEMA = json.loads((Path(__file__).resolve().parent / "fixtures" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_failure_points_at_the_lockfile_line(sides, tmp_path):
    base, head, args = sides
    out = tmp_path / "out.sarif"
    res = runner.invoke(app, ["diff", base, head, *args, "--format", "sarif", "-o", str(out)])
    assert res.exit_code == 1, res.output
    log = json.loads(out.read_text())
    jsonschema.validate(log, SCHEMA)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert {"POL003", "POL004", "POL006"} <= set(results)
    region = results["POL004"]["locations"][0]["physicalLocation"]
    lines = Path(head).read_text().splitlines()
    assert lines[region["region"]["startLine"] - 1] == 'name = "newpkg"'


def test_markdown_and_json(sides):
    base, head, args = sides
    res = runner.invoke(app, ["diff", base, head, *args])
    assert res.exit_code == 1
    assert res.stdout.startswith("❌ **auditor: policy failed**")
    assert "| newpkg | added 0.1 | mallory | none |" in res.stdout
    res = runner.invoke(app, ["diff", base, head, *args, "-f", "json"])
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == "1.0" and doc["exit_code"] == 1
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("lib-a", "upgraded"), ("newpkg", "added")]


def test_policy_file_and_warm_run_makes_no_requests(sides, tmp_path, fake_pypi):
    base, head, args = sides
    policy = tmp_path / "auditor-policy.yml"
    policy.write_text("rules:\n  forbid_single_maintainer: false\n  require_source_repository: false\n"
                      "  min_release_age_days: null\n")
    res = runner.invoke(app, ["diff", base, head, *args, "--policy", str(policy)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("✅")
    before = fake_pypi.network_requests
    res = runner.invoke(app, ["diff", base, head, *args, "--policy", str(policy)])
    assert res.exit_code == 0
    assert fake_pypi.network_requests == before  # everything from the cache


def test_missing_data_is_exit_3_or_1_with_fail_on_unknown(sides, tmp_path, fake_pypi):
    base, head, args = sides
    del fake_pypi.projects["newpkg"]
    policy = tmp_path / "p.yml"
    policy.write_text("rules: {forbid_single_maintainer: true}\n")
    res = runner.invoke(app, ["diff", base, head, *args, "--policy", str(policy), "-f", "json"])
    assert res.exit_code == 3, res.output
    assert json.loads(res.stdout)["verdict"] == "incomplete"
    res = runner.invoke(app, ["diff", base, head, *args, "--policy", str(policy), "--fail-on-unknown"])
    assert res.exit_code == 1


def test_usage_and_input_errors(sides, tmp_path):
    base, head, args = sides
    assert runner.invoke(app, ["diff", head, *args]).exit_code == 2
    bad = tmp_path / "bad.yml"
    bad.write_text("rulez: {}\n")
    res = runner.invoke(app, ["diff", base, head, *args, "--policy", str(bad)])
    assert res.exit_code == 2 and "unknown key 'rulez'" in res.output
    broken = Path(__file__).resolve().parent / "fixtures" / "lockfiles" / "broken" / "truncated.uv.lock"
    res = runner.invoke(app, ["diff", base, str(broken), *args])
    assert res.exit_code == 2 and "truncated.uv.lock:56: invalid TOML" in res.output


def test_git_base_in_a_real_repository(sides, tmp_path, monkeypatch):
    import shutil

    from tests.gitrepo import project_repo

    base, head, args = sides
    repo = project_repo(tmp_path / "repo", {"uv.lock": Path(base)})
    shutil.copy(head, repo / "uv.lock")
    (repo / "tools").mkdir()
    shutil.copy(base, repo / "tools" / "uv.lock")  # a lockfile the change adds
    monkeypatch.chdir(repo)
    res = runner.invoke(app, ["diff", "--git-base", "HEAD", "uv.lock", "tools/uv.lock", *args])
    assert res.exit_code == 1, res.output
    assert "<sub>uv.lock&#64;HEAD → uv.lock" in res.stdout  # labels are escaped like any string
    assert "<sub>tools/uv.lock&#64;HEAD \\(absent\\) → tools/uv.lock" in res.stdout
    res = runner.invoke(app, ["diff", "--git-base", "HEAD", "uv.lock", "tools/uv.lock", *args, "-f", "sarif"])
    assert res.exit_code == 2  # one SARIF document per run: several PATHs only for markdown


@pytest.mark.network
@live_pypi
def test_live_pypi_diff_of_real_locks(tmp_path):
    locks = Path(__file__).resolve().parent / "fixtures" / "lockfiles"
    res = runner.invoke(app, ["diff", str(locks / "small-uv" / "uv.lock"), str(locks / "small-uv-head" / "uv.lock"),
                              "--cache-dir", str(tmp_path / "cache"), "-f", "json"])
    assert res.exit_code in (1, 3), res.output
    doc = json.loads(res.stdout)
    assert {p["name"] for p in doc["packages"]} == {"python-slugify", "text-unidecode", "tomli"}
    slugify = next(p for p in doc["packages"] if p["name"] == "python-slugify")
    assert slugify["repository"] == "https://github.com/un33k/python-slugify"


def test_a_repeated_diff_is_answered_from_the_result_cache(sides, fake_pypi):
    base, head, args = sides
    first = runner.invoke(app, ["diff", base, head, *args, "-f", "json", "--verbose"])
    asked = len(fake_pypi.log)
    again = runner.invoke(app, ["diff", base, head, *args, "-f", "json", "--verbose"])
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert "answered from the result cache" in again.stderr and len(fake_pypi.log) == asked
    Path(head).write_text(Path(head).read_text() + "\n")  # any change to either side: audited again
    third = runner.invoke(app, ["diff", base, head, *args, "-f", "json", "--verbose"])
    assert "answered from the result cache" not in third.stderr
