"""The result cache on audits with Hugging Face Hub references (auditor/net/results.py, issue 15):
an unchanged rerun is answered from it; a changed scanned file, a new --model, a changed --hf-cache
snapshot or an expired lifetime is audited again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli.commands import result_ttl
from auditor.config import Config
from auditor.net import hub as hubnet
from auditor.net import results as R
from auditor.sources.hub_scan import inputs_digest
from tests.fakes.hub import fixture_world, sha
from tests.sources.test_hub_cache import make_cache

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent / "fixtures" / "hub-project"
HIT = "answered from the result cache"


@pytest.fixture
def world(tmp_path, fake_pypi):
    fixture_world(fake_pypi.hub)
    fake_pypi.add("app", "1.0")
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\n")
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(PROJECT / "train.py", proj / "train.py")
    cache = make_cache(tmp_path / "hub", [("model", "openai/whisper-small", [("main", sha("new"), ["config.json"])])])
    return req, proj, cache


def audit(req, fake_pypi, tmp_path, *extra):
    return runner.invoke(app, ["audit", str(req), "--resolver", "none", "-f", "json", "--no-history", "-v",
                               "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                               "--osv-url", fake_pypi.url, "--cache-dir", str(tmp_path / "cache"), *extra])


def test_unchanged_hub_audit_hits_and_each_change_misses(world, fake_pypi, tmp_path):
    req, proj, cache = world
    hub_args = ["--scan", str(proj), "--hf-cache", str(cache), "--model", "bert-base-uncased"]
    first = audit(req, fake_pypi, tmp_path, *hub_args)
    assert first.exit_code in (0, 3) and HIT not in first.stderr, first.output
    asked = len(fake_pypi.log)
    again = audit(req, fake_pypi, tmp_path, *hub_args)
    assert HIT in again.stderr and again.stdout == first.stdout and again.exit_code == first.exit_code
    assert len(fake_pypi.log) == asked  # nothing asked, not even the Hub

    # a changed scanned file (same size, new bytes) misses
    text = (proj / "train.py").read_text()
    (proj / "train.py").write_text(text.replace("bert-base-uncased", "bert-base-uncaser"))
    changed = audit(req, fake_pypi, tmp_path, *hub_args)
    assert HIT not in changed.stderr and changed.stdout != first.stdout
    assert HIT in audit(req, fake_pypi, tmp_path, *hub_args).stderr
    # a new --model misses
    more = audit(req, fake_pypi, tmp_path, *hub_args, "--model", "openai/whisper-small")
    assert HIT not in more.stderr
    # a changed cache snapshot (a new revision) misses
    (cache / "models--openai--whisper-small" / "snapshots" / sha("newer")).mkdir()
    snap = audit(req, fake_pypi, tmp_path, *hub_args)
    assert HIT not in snap.stderr and sha("newer") in snap.stdout
    # a moved ref misses too
    (cache / "models--openai--whisper-small" / "refs" / "main").write_text(sha("newer"))
    assert HIT not in audit(req, fake_pypi, tmp_path, *hub_args).stderr
    assert HIT in audit(req, fake_pypi, tmp_path, *hub_args).stderr


def test_the_lifetime_is_at_most_a_hub_facts(monkeypatch, tmp_path):
    assert result_ttl(Config(cache_dir=tmp_path)) == R.RESULT_TTL
    monkeypatch.setattr(hubnet, "TTL", 60.0)
    assert result_ttl(Config(cache_dir=tmp_path)) == R.RESULT_TTL  # no Hub reference: the memo's TTL is not read
    assert result_ttl(Config(cache_dir=tmp_path, hub_models=("gpt2",))) == 60.0
    cache = R.ResultCache(tmp_path, now=lambda: 1000.0)
    cache.put("k", "report", 3, [])
    later = R.ResultCache(tmp_path, now=lambda: 1061.0)
    assert later.get("k") is not None and later.get("k", ttl=60.0) is None


def test_inputs_digest(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    first = inputs_digest([tmp_path])
    assert first == inputs_digest([tmp_path]) and first != inputs_digest()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.py").write_text("x = 2\n")  # not scanned: not in the key
    (tmp_path / "notes.txt").write_text("not Python")
    assert inputs_digest([tmp_path]) == first
    (tmp_path / "b.ipynb").write_text("{}")
    assert inputs_digest([tmp_path]) != first
    assert inputs_digest([tmp_path / "missing"]) is None  # the audit runs and says why, uncached
    assert inputs_digest((), tmp_path / "no-cache") is None


def test_inputs_digest_covers_the_records_of_a_scanned_site_packages(tmp_path):
    """A scanned installed package's references load from the distribution whose RECORD lists the file,
    so a RECORD changed alone (the file moved to another distribution) changes the key."""
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    (site / "app").mkdir(parents=True)
    (site / "app" / "m.py").write_text("x = 1\n")
    info = site / "app-1.0.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("app/m.py,,\n")
    first = inputs_digest([site / "app"])
    assert first is not None and first == inputs_digest([site / "app"])
    (info / "RECORD").write_text("app/other.py,,\n")
    assert inputs_digest([site / "app"]) != first


def test_an_expired_result_misses(world, fake_pypi, tmp_path):
    import json
    import time

    req, proj, _ = world
    audit(req, fake_pypi, tmp_path, "--scan", str(proj))
    assert HIT in audit(req, fake_pypi, tmp_path, "--scan", str(proj)).stderr
    for stored in (tmp_path / "cache" / R.RESULTS_DIR).glob("*.json"):  # as if written one lifetime ago
        body = json.loads(stored.read_text())
        body["written"] = time.time() - R.RESULT_TTL - 1
        stored.write_text(json.dumps(body))
    assert HIT not in audit(req, fake_pypi, tmp_path, "--scan", str(proj)).stderr


def test_diff_with_scan_hits_unchanged_and_misses_a_changed_file(world, fake_pypi, tmp_path):
    req, proj, _ = world
    head = tmp_path / "head.txt"
    head.write_text("app==1.0\n")
    args = ["diff", str(req), str(head), "--scan", str(proj), "-f", "json", "-v", "--pypi-url", fake_pypi.url,
            "--index-url", fake_pypi.url + "/simple", "--osv-url", fake_pypi.url, "--no-history",
            "--cache-dir", str(tmp_path / "cache")]
    first = runner.invoke(app, args)
    assert HIT not in first.stderr, first.output
    again = runner.invoke(app, args)
    assert HIT in again.stderr and again.stdout == first.stdout
    (proj / "train.py").write_text((proj / "train.py").read_text() + "\n# changed\n")
    assert HIT not in runner.invoke(app, args).stderr
