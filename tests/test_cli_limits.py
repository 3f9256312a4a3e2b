"""CLI: --deadline and the limit options reach the Config; past the deadline the report is still written."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from auditor.cli import app
from tests.test_cli_formats import configs  # noqa: F401 - fixture

runner = CliRunner()


def test_deadline_zero_writes_the_report_with_deadline_unknowns(env_args, tmp_path):
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "-o", str(out), "--deadline", "0"])
    assert res.exit_code == 3, res.output
    doc = json.loads(out.read_text())
    assert doc["missing"] and any("time budget" in m["reason"] for m in doc["missing"])


def test_limit_options_set_the_config(env_args, configs):
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "--deadline", "30", "--request-seconds", "9",
                              "--max-response-bytes", "2048", "--max-input-bytes", "100000",
                              "--max-archive-bytes", "4096", "--keyring-provider", "import"])
    c = configs[-1]
    assert (c.time_budget, c.request_seconds, c.max_response_bytes, c.max_input_bytes, c.max_archive_bytes,
            c.keyring_provider) == (30, 9, 2048, 100000, 4096, "import")
    assert res.exit_code in (0, 3)
    res = runner.invoke(app, ["audit", *env_args, "--keyring-provider", "bogus"])
    assert res.exit_code == 2 and "keyring-provider" in res.output


def test_diff_honours_the_input_size_limit(tmp_path):
    """`auditor diff` passes --max-input-bytes to both sides (it used the 64 MiB default)."""
    base, head = tmp_path / "base.txt", tmp_path / "head.txt"
    base.write_text("requests==2.32.3\n" * 20)
    head.write_text("requests==2.32.3\n")
    res = runner.invoke(app, ["diff", str(base), str(head), "--offline", "--max-input-bytes", "100"])
    assert res.exit_code == 2, res.output
    assert "input size limit" in res.output and "base.txt" in res.output
