"""The forge enrichers through the real CLI: options, tokens, offline, rate limits, verbose budget."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.pipeline import COLLECTORS

#: Only the forge enrichers (git history would clone from the internet).
FORGE_COLLECTORS = tuple(row for row in COLLECTORS if row[0] in ("github", "gitlab", "scorecard", "depsdev", "subdirectory"))
from tests.fakes.forges import FakeForges, FakeRepo
from tests.fakes.server import Reply

runner = CliRunner()
TOKEN = "ghp_CliTokenThatMustStayPrivate0000042"


@pytest.fixture
def forges(monkeypatch):
    monkeypatch.setattr("auditor.pipeline.COLLECTORS", FORGE_COLLECTORS)
    repo = FakeRepo("github.com", "o/app", "app", version="1.0", maintainers=("o-dev1",), verified=True)
    with FakeForges([repo]) as f:
        monkeypatch.setenv("AUDITOR_GITHUB_API_URL", f.github.url + "/api/v3")
        monkeypatch.setenv("AUDITOR_GITLAB_URL", f.gitlab.url)
        monkeypatch.setenv("AUDITOR_SCORECARD_URL", f.scorecard.url)
        monkeypatch.setenv("AUDITOR_DEPSDEV_URL", f.depsdev.url)
        yield f


@pytest.fixture
def args(fake_env, fake_pypi, tmp_path):
    fake_pypi.add("app", "1.0", requires_dist=["lib"], roles=(("Owner", "o-dev1"),))
    fake_pypi.add("lib", "2.0")
    fake_env.install("app", "1.0", requires_dist=["lib"], project_urls=(("Source", "https://github.com/o/app"),))
    fake_env.install("lib", "2.0")
    return ["--python", fake_env.python, "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
            "--cache-dir", str(tmp_path / "cache")]


def test_audit_with_forges_token_file_and_verbose(forges, args, tmp_path):
    tok = tmp_path / "token"
    tok.write_text(TOKEN + "\n")
    out = tmp_path / "audit.json"
    res = runner.invoke(app, ["audit", *args, "-f", "json", "-o", str(out), "--github-token-file", str(tok), "--verbose"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    app_rec = next(p for p in doc["packages"] if p["name"] == "app")
    gh = app_rec["signals"]["github"]
    assert gh["repo"]["full_name"] == "o/app" and gh["maintainer_logins"] == {"o-dev1": "o-dev1"}
    assert app_rec["signals"]["depsdev"]["mapping_agreement"] == "agrees"
    assert app_rec["signals"]["scorecard"]["score"] == 6.4
    assert any(f["name"] == "scorecard" and f["value"] == 6.4 for f in app_rec["score"]["factors"])
    assert "github: " in res.output and "rate limit: " in res.output  # the --verbose budget line
    assert all(s.headers.get("Authorization") == f"Bearer {TOKEN}" for s in forges.github.seen)
    assert all("Authorization" not in s.headers for s in forges.scorecard.seen + forges.depsdev.seen)
    cache = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert TOKEN.encode() not in cache
    assert TOKEN not in out.read_text() and TOKEN not in res.output


def test_every_enricher_can_be_turned_off(forges, args):
    res = runner.invoke(app, ["audit", *args, "-f", "json", "--no-github", "--no-gitlab", "--no-scorecard", "--no-depsdev"])
    assert res.exit_code == 0, res.output
    assert forges.total_requests() == 0
    res = runner.invoke(app, ["audit", *args, "-f", "json", "--no-github"])
    assert res.exit_code == 0 and forges.github.count() == 0 and forges.depsdev.count() > 0


def test_offline_with_cold_cache_reports_offline(forges, args, fake_pypi):
    runner.invoke(app, ["audit", *args, "-f", "json", "--no-github", "--no-scorecard", "--no-depsdev"])  # warm PyPI only
    res = runner.invoke(app, ["audit", *args, "-f", "json", "--offline"])
    assert res.exit_code == 3
    missing = json.loads(res.stdout)["missing"]
    assert {"package": "app", "what": "github", "reason": "offline", "kind": "offline"} in missing
    assert forges.total_requests() == 0


def test_rate_limit_finishes_the_audit_incomplete(forges, args):
    forges.github.add("/api/v3/repos/o/app", Reply(403, {"message": "API rate limit exceeded"}, {
        "X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "60", "X-RateLimit-Reset": "4102444800"}))
    res = runner.invoke(app, ["audit", *args, "-f", "json", "--verbose"])
    assert res.exit_code == 3
    doc = json.loads(res.stdout)
    assert {"package": "app", "what": "github", "reason": "rate limited", "kind": "rate_limited"} in doc["missing"]
    assert doc["requests"]["github"]["rate_limited"] == 1
    assert "rate limit: stopped (rate limited)" in res.stderr
    # the interpreter node maps to python/cpython; its lookup may already be in flight, nothing follows
    assert {s.path for s in forges.github.seen} <= {"/api/v3/repos/o/app", "/api/v3/repos/python/cpython"}


def test_bad_token_file_is_usage_error(forges, args, tmp_path):
    res = runner.invoke(app, ["audit", *args, "--github-token-file", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "nope" in res.output


def test_forge_and_history_switches_combine(forges, args):
    res = runner.invoke(app, ["audit", *args, "-f", "json", "--no-github", "--no-history", "--no-depsdev"])
    assert res.exit_code == 0, res.output
    assert forges.github.count() == 0 and forges.depsdev.count() == 0 and forges.scorecard.count() > 0


def test_monorepo_subdirectory_is_checked_end_to_end(monkeypatch, fake_env, fake_pypi, tmp_path):
    """A package linked to .../tree/main/packages/mono-a: confirmed in the JSON and in explain; a stale
    link to a removed directory falls back to the root with lower confidence."""
    monkeypatch.setattr("auditor.pipeline.COLLECTORS", FORGE_COLLECTORS)
    mono = FakeRepo("github.com", "o/mono", "mono-a", files=("README.md", "packages/mono-a/pyproject.toml"))
    urls_a = (("Source", "https://github.com/o/mono/tree/main/packages/mono-a"),)
    urls_b = (("Source", "https://github.com/o/mono/tree/main/packages/mono-b"),)
    fake_pypi.add("mono-a", "1.0", requires_dist=["mono-b"], project_urls=urls_a)
    fake_pypi.add("mono-b", "1.0", project_urls=urls_b)
    fake_env.install("mono-a", "1.0", requires_dist=["mono-b"], project_urls=urls_a)
    fake_env.install("mono-b", "1.0", project_urls=urls_b)
    with FakeForges([mono]) as f:
        monkeypatch.setenv("AUDITOR_GITHUB_API_URL", f.github.url + "/api/v3")
        monkeypatch.setenv("AUDITOR_GITLAB_URL", f.gitlab.url)
        monkeypatch.setenv("AUDITOR_SCORECARD_URL", f.scorecard.url)
        monkeypatch.setenv("AUDITOR_DEPSDEV_URL", f.depsdev.url)
        args = ["--python", fake_env.python, "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                "--cache-dir", str(tmp_path / "cache")]
        res = runner.invoke(app, ["audit", *args, "-f", "json"])
        doc = json.loads(res.stdout)
        explained = runner.invoke(app, ["explain", "mono-a", *args])
    repos = {p["name"]: p["repository"] for p in doc["packages"]}
    assert repos["mono-a"]["subpath"] == "packages/mono-a" and repos["mono-a"]["subdirectory_state"] == "confirmed"
    assert repos["mono-a"]["rule"] == "project-url-source" and repos["mono-a"]["confidence"] == "high"
    assert repos["mono-b"]["subpath"] is None and repos["mono-b"]["subdirectory_state"] == "refuted"
    assert repos["mono-b"]["confidence"] == "medium" and "refuted" in repos["mono-b"]["evidence"]
    text = " ".join(explained.output.split())  # rich wraps at the terminal's width
    assert "subdirectory packages/mono-a (confirmed)" in text and "rule project-url-source" in text
