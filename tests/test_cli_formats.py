"""CLI: ``audit --format markdown|sarif``, ``--disable NAME`` on audit and diff, diff's signal/history options."""

import json
import re

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.cli import app
from tests.test_cli_diff import SCHEMA

runner = CliRunner()


@pytest.fixture
def configs(monkeypatch):
    """Every Config the CLI builds (make_config wrapped)."""
    from auditor.cli import runconfig

    seen = []
    original = runconfig.make_config

    def spy(**kwargs):
        config = original(**kwargs)
        seen.append(config)
        return config

    monkeypatch.setattr(runconfig, "make_config", spy)
    return seen


def test_audit_markdown(env_args):
    res = runner.invoke(app, ["audit", *env_args, "-f", "markdown"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("## auditor ")
    assert "2 packages \\(1 direct\\)" in res.stdout and "| app | 1.0 |" in res.stdout


def test_audit_sarif_to_file(env_args, tmp_path):
    out = tmp_path / "audit.sarif"
    res = runner.invoke(app, ["audit", *env_args, "-f", "sarif", "-o", str(out)])
    assert res.exit_code == 0, res.output
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)


def test_audit_disable_adds_to_config(env_args, configs):
    res = runner.invoke(app, ["audit", *env_args, "--disable", "vulnerabilities", "--disable", "names",
                              "--no-github", "-f", "json"])
    assert res.exit_code == 0, res.output
    assert {"vulnerabilities", "names", "github", "history"} <= configs[-1].disabled
    assert not configs[-1].collector_enabled("vulnerabilities")


def test_unknown_collector_is_usage_error_listing_names(env_args):
    res = runner.invoke(app, ["audit", *env_args, "--disable", "nope"])
    assert res.exit_code == 2
    assert "nope" in res.output
    words = " ".join(re.sub(r"[│╭╮╰╯─]", " ", res.output).split())  # rich's error box wraps lines
    assert "known: " + ", ".join(cli.collector_names()) in words  # auditor.pipeline.COLLECTORS (conftest trims it)


def test_diff_disable_and_shared_options(sides, configs, tmp_path):
    base, head, args = sides
    res = runner.invoke(app, ["diff", base, head, *args, "--disable", "release", "--no-history",
                              "--as-of", "2025-01-01", "--osv-url", "http://127.0.0.1:9", "--vulnerability-service", "pypi",
                              "--osv-db", str(tmp_path / "missing.zip")])
    config = configs[-1]
    assert {"release", "history"} <= config.disabled
    assert config.as_of == "2025-01-01"
    assert config.osv_url == "http://127.0.0.1:9" and config.vulnerability_service == "pypi"
    assert str(config.osv_db).endswith("missing.zip")
    assert res.exit_code != 4, res.output  # no internal error; the options reached the Config above


def test_diff_rejects_unknown_collector_and_bad_date(sides):
    base, head, args = sides
    res = runner.invoke(app, ["diff", base, head, *args, "--disable", "bogus"])
    assert res.exit_code == 2 and "bogus" in res.output
    res = runner.invoke(app, ["diff", base, head, *args, "--as-of", "yesterday"])
    assert res.exit_code == 2


def test_audit_markdown_limit(env_args):
    res = runner.invoke(app, ["audit", *env_args, "-f", "markdown", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "| … | 1 more (see `--format json`) |" in res.stdout


def test_explain_and_people_share_the_collector_options(env_args, configs):
    res = runner.invoke(app, ["explain", "lib", *env_args, "--disable", "vulnerabilities", "--no-github", "--concurrency", "3"])
    assert res.exit_code == 0, res.output
    assert {"vulnerabilities", "github", "history"} <= configs[-1].disabled and configs[-1].concurrency == 3
    res = runner.invoke(app, ["people", "lib", *env_args, "--disable", "vulnerabilities", "--no-depsdev", "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    assert {"vulnerabilities", "depsdev"} <= configs[-1].disabled and configs[-1].people


def probe_writer(subject, out, limit=None):
    """A registry writer for the test below."""
    out.write(f"{subject} limit={limit}")


def test_registry_renders_text_and_rejects_unknown_formats():
    from auditor.errors import OutputError
    from auditor.report import registry

    assert registry.names("audit")[0] == "table" and registry.names("diff")[0] == "markdown"
    assert registry.FORMATS["json"] == "auditor.report.json_report"
    fmt = registry.Format("audit", "probe", f"{__name__}:probe_writer", ("limit",))
    assert fmt.render("r", limit=3, color=True) == "r limit=3"  # options it does not take are dropped
    with pytest.raises(OutputError, match="choose from: markdown, sarif, json"):
        registry.get("diff", "graphml")


def test_emit_writes_stdout_or_atomically(tmp_path, capsys):
    from auditor.report.write import emit

    emit("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    target = tmp_path / "report.md"
    target.write_text("old")
    emit("new é\n", target)
    assert target.read_bytes() == "new é\n".encode() and [p.name for p in tmp_path.iterdir()] == ["report.md"]
    emit(b"\x00bytes", target)
    assert target.read_bytes() == b"\x00bytes"
