"""The result cache (auditor/net/results.py): an identical audit is answered with the first run's bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from auditor.net import results as R

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def audit(req, fake_pypi, tmp_path, *extra):
    return runner.invoke(app, ["audit", str(req), "--resolver", "none", "-f", "json", "--no-history",
                               "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                               "--cache-dir", str(tmp_path / "cache"), *extra])


def test_a_repeated_audit_is_answered_from_the_result_cache(tmp_path, fake_pypi):
    fake_pypi.add("app", "1.0")
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\n")
    first = audit(req, fake_pypi, tmp_path)
    asked = len(fake_pypi.log)
    second = audit(req, fake_pypi, tmp_path)
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert len(fake_pypi.log) == asked  # nothing asked again
    assert len(list((tmp_path / "cache" / R.RESULTS_DIR).glob("*.json"))) == 1
    # --verbose changes the report (the JSON's request counts), so it is a run of its own
    verbose = audit(req, fake_pypi, tmp_path, "--verbose")
    assert "answered from the result cache" not in verbose.stderr
    again = audit(req, fake_pypi, tmp_path, "--verbose")
    assert "answered from the result cache" in again.stderr and again.stdout == verbose.stdout


def test_a_changed_input_or_option_is_audited_again(tmp_path, fake_pypi):
    fake_pypi.add("app", "1.0")
    fake_pypi.add("lib", "2.0")
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\n")
    audit(req, fake_pypi, tmp_path)
    req.write_text("app==1.0\nlib==2.0\n")
    doc = json.loads(audit(req, fake_pypi, tmp_path).stdout)
    assert {p["name"] for p in doc["packages"]} >= {"app", "lib"}
    other = audit(req, fake_pypi, tmp_path, "--limit", "3")  # a render option is part of the key
    assert "answered from the result cache" not in other.stderr
    assert len(list((tmp_path / "cache" / R.RESULTS_DIR).glob("*.json"))) == 3


def test_no_cache_and_expired_results_are_not_used(tmp_path):
    cache = R.ResultCache(tmp_path, now=lambda: 1000.0)
    cache.put("k", "report", 3, ["line"])
    assert cache.get("k") == R.CachedResult("report", 3, ("line",), 1000.0)
    assert R.ResultCache(tmp_path, now=lambda: 1000.0 + R.RESULT_TTL + 1).get("k") is None
    assert R.result_key(["x"], None) is None  # environments are never cached


def test_a_cached_answer_imports_no_pipeline(tmp_path, fake_pypi):
    fake_pypi.add("app", "1.0")
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\n")
    argv = ["audit", str(req), "--resolver", "none", "-f", "json", "--no-history", "--pypi-url", fake_pypi.url,
            "--index-url", fake_pypi.url + "/simple", "--cache-dir", str(tmp_path / "cache"), "-o",
            str(tmp_path / "out.json")]
    code = ("import sys; from auditor.cli.commands import main; sys.argv = ['auditor'] + " + repr(argv) + "\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(m for m in ('networkx', 'requests', 'auditor.pipeline') if m in sys.modules))")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True)
    assert "networkx" in first.stdout.split()
    written = (tmp_path / "out.json").read_text()
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True)
    assert again.stdout.split() == [], again.stderr
    assert (tmp_path / "out.json").read_text() == written
