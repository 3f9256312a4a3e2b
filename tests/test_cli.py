"""The CLI: inputs, formats, exit codes (typer's CliRunner, fake PyPI)."""

import json
import re

import pytest
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()


def test_audit_environment_table(env_args):
    res = runner.invoke(app, ["audit", *env_args])
    assert res.exit_code == 0, res.output
    assert "app" in res.output and "2 packages (1 direct)" in res.output


def test_audit_json_to_file(env_args, tmp_path):
    out = tmp_path / "audit.json"
    res = runner.invoke(app, ["audit", *env_args, "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert {p["name"] for p in doc["packages"]} == {"app", "lib", "python"}


def test_missing_data_exit_code_3(env_args, fake_pypi):
    del fake_pypi.projects["lib"]
    res = runner.invoke(app, ["audit", *env_args, "-f", "json"])
    assert res.exit_code == 3
    assert json.loads(res.stdout)["missing"][0]["package"] == "lib"


def test_no_input_is_usage_error():
    res = runner.invoke(app, ["audit"])
    assert res.exit_code == 2 and "exactly one input" in res.output


def test_missing_file_is_input_error(tmp_path):
    res = runner.invoke(app, ["audit", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2 and "nope.txt: no such file" in res.output


def test_bad_python_version_option(env_args):
    res = runner.invoke(app, ["audit", *env_args, "--python-version", "three"])
    assert res.exit_code == 2


def test_bad_weights_file(env_args, tmp_path):
    w = tmp_path / "w.yml"
    w.write_text("bogus: {weight: 1}\n")
    res = runner.invoke(app, ["audit", *env_args, "--weights", str(w)])
    assert res.exit_code == 2 and "unknown factor" in res.output


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("auditor ")


def test_explain_command(env_args):
    res = runner.invoke(app, ["explain", "LIB", *env_args])
    assert res.exit_code == 0, res.output
    assert "lib==2.0: exposure" in res.output and "Paths from the root" in res.output
    assert "app==1.0 -> lib==2.0" in res.output
    res = runner.invoke(app, ["explain", "nope", *env_args])
    assert res.exit_code == 2 and "not in the audited set" in res.output


def test_explain_arithmetic_gives_the_exposure(env_args):
    """The printed sums recompute the printed exposure (docs/scoring.md: unknown factors add their unknown
    points and stay in the denominator); before, the trailer summed only the known factors."""
    res = runner.invoke(app, ["explain", "lib", *env_args, "--no-history"], terminal_width=200)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())  # the lines wrap at the console's width
    exposure = float(re.search(r"exposure ([\d.]+) / 100", text).group(1))
    points, weight = map(float, re.search(r"([\d.]+) points of ([\d.]+) possible", text).groups())
    assert round(100 * points / weight, 1) == exposure
    assert "of the applicable factors" in text and "of which" in text and "unknown points: " in text


def test_osv_db_option(env_args, tmp_path):
    import zipfile

    db = tmp_path / "all.zip"
    record = {"id": "PYSEC-2099-7", "summary": "lib is bad", "affected": [{"package": {"ecosystem": "PyPI", "name": "lib"},
              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.1"}]}]}]}
    with zipfile.ZipFile(db, "w") as zf:
        zf.writestr("PYSEC-2099-7.json", json.dumps(record))
    res = runner.invoke(app, ["audit", *env_args, "--osv-db", str(db), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [(f["id"], f["package"]) for f in doc["findings"] if f["id"] == "AUD101"] == [("AUD101", "lib")]
    res = runner.invoke(app, ["audit", *env_args, "--osv-db", str(tmp_path / "missing.zip")])
    assert res.exit_code == 2 and "missing.zip" in res.output


def test_resolver_none_takes_pins_as_they_are(tmp_path, fake_pypi):
    fake_pypi.add("app", "1.0", requires_dist=["lib"])
    fake_pypi.add("lib", "2.0")
    req = tmp_path / "requirements.txt"
    req.write_text("app==1.0\nlib==2.0\n")
    res = runner.invoke(app, ["audit", str(req), "--resolver", "none", "-f", "json", "--no-history",
                              "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                              "--cache-dir", str(tmp_path / "cache")])
    assert res.exit_code in (0, 3), res.output
    doc = json.loads(res.stdout)
    assert doc["input"]["resolver"] == "none (pinned input)"
    assert {p["name"] for p in doc["packages"]} >= {"app", "lib"}


def test_resolver_none_rejects_unpinned_lines(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("app>=1.0\n")
    res = runner.invoke(app, ["audit", str(req), "--resolver", "none"])
    assert res.exit_code == 2 and "requirements.txt:1" in res.output


def test_importing_the_cli_stays_light():
    """``import auditor.cli`` does not pull in the pipeline, HTTP or graph stacks (issue 10: <= 150 ms)."""
    import subprocess
    import sys

    heavy = ("requests", "requests_cache", "networkx", "auditor.pipeline", "auditor.net.http", "yaml", "rich")
    code = f"import sys, auditor.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.stdout.split() == []


def test_internal_error_is_one_line_exit_4(env_args, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("auditor.pipeline.run_audit", boom)
    monkeypatch.delenv("AUDITOR_DEBUG", raising=False)
    for argv in (["audit", *env_args], ["explain", "lib", *env_args], ["people", "lib", *env_args]):
        res = runner.invoke(app, argv)
        assert res.exit_code == 4, res.output
        assert res.stderr.strip() == "auditor: internal error: RuntimeError: boom second line"
    monkeypatch.setenv("AUDITOR_DEBUG", "1")
    res = runner.invoke(app, ["explain", "lib", *env_args])
    assert res.exit_code == 4 and "Traceback" in res.stderr


def test_format_choices_come_from_the_registry():
    from auditor.report import registry

    from auditor.cli import options

    for command, enum in (("audit", options.AuditFormat), ("diff", options.DiffFormat), ("people", options.PeopleFormat)):
        assert [m.value for m in enum] == registry.names(command), command


def test_main_turns_errors_outside_commands_into_exit_4(monkeypatch, capsys):
    from auditor.cli import main, options

    def boom():
        raise ValueError("broken table")

    monkeypatch.setattr(options, "collector_names", boom)  # runs in the --disable callback, before any command
    monkeypatch.setattr("sys.argv", ["auditor", "audit", "--disable", "x", "requirements.txt"])
    monkeypatch.delenv("AUDITOR_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 4
    assert capsys.readouterr().err.strip() == "auditor: internal error: ValueError: broken table"
