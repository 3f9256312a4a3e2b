"""The shipped CI integrations: valid YAML, hook file patterns, and commands the CLI accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_matches_lockfiles_only():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "auditor-diff")
    pattern = re.compile(hook["files"])
    for name in ("uv.lock", "sub/poetry.lock", "Pipfile.lock", "pylock.toml", "pylock.dev.toml"):
        assert pattern.search(name), name
    for name in ("README.md", "uv.lock.bak", "pyproject.toml", "lock.toml"):
        assert not pattern.search(name), name
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["auditor", "diff"] and "--git-base" in argv


def test_workflow_uses_existing_options():
    wf = yaml.safe_load((ROOT / "examples" / "ci" / "auditor-diff.yml").read_text())
    steps = wf["jobs"]["diff"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    help_text = CliRunner().invoke(app, ["diff", "--help"], terminal_width=200).output
    used = set(re.findall(r"auditor diff[^\n]*(?:\\\n[^\n]*)*", runs))
    assert used
    for option in ("--policy", "--format", "--output", "--git-base"):
        assert option in runs and option in help_text, option
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)


def test_snapshot_workflow_submits_what_the_cli_writes():
    wf = yaml.safe_load((ROOT / "examples" / "ci" / "auditor-snapshot.yml").read_text())
    assert wf["permissions"] == {"contents": "write"}
    steps = wf["jobs"]["snapshot"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    help_text = CliRunner().invoke(app, ["audit", "--help"], terminal_width=200).output
    assert "--format github-snapshot" in runs and "github-snapshot" in help_text
    assert "--output snapshot.json" in runs and "dependency-graph/snapshots" in runs
    assert "pip install auditor" not in runs  # the PyPI name belongs to another project
