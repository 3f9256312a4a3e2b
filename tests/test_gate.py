"""auditor diff end to end without the network: real git repos, real lockfiles, edges-only audits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.errors import InputError
from auditor.gate import git_show, open_sides, run_gate
from auditor.report.registry import render
from auditor.gate import parse_policy
from tests.gitrepo import project_git as git, project_repo

LOCKS = Path(__file__).resolve().parent / "fixtures" / "lockfiles"


@pytest.fixture
def repo(tmp_path):
    r = project_repo(tmp_path / "proj", {"sub/uv.lock": LOCKS / "large-base" / "uv.lock"})
    shutil.copy(LOCKS / "large-head" / "uv.lock", r / "sub" / "uv.lock")
    return r


def test_git_show_reads_the_file_at_a_revision(repo):
    text = git_show("HEAD", repo / "sub" / "uv.lock")
    assert text == (LOCKS / "large-base" / "uv.lock").read_text()


def test_git_show_errors_are_input_errors(repo, tmp_path):
    with pytest.raises(InputError, match="git (show|cat-file)"):
        git_show("no-such-rev", repo / "sub" / "uv.lock")
    with pytest.raises(InputError, match="invalid git revision"):
        git_show("--output=/tmp/x", repo / "sub" / "uv.lock")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "uv.lock").write_text("")
    with pytest.raises(InputError):
        git_show("HEAD", outside / "uv.lock")


def test_git_base_diff_offline(repo, monkeypatch):
    monkeypatch.chdir(repo)
    base, head = open_sides(None, "sub/uv.lock", git_base="HEAD", fetch_metadata=False)
    assert base.label == "sub/uv.lock@HEAD"
    cfg = Config(offline=True)
    # the pipeline may not be in this build: fall back to inventories (edges only)
    monkeypatch.setitem(__import__("sys").modules, "auditor.pipeline", None)
    outcome = run_gate(cfg, base, head, policy=parse_policy("rules: {}"))
    assert [c.name for c in outcome.diff.of_kind("added")] == ["hf-xet", "tenacity", "typing-inspection"]
    assert int(outcome.exit_code) == 0
    assert json.loads(render("diff", "json", outcome))["verdict"] == "pass"


def test_requirements_at_a_revision_uses_git_archive(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "requirements.txt").write_text("requests==2.32.3\n")
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-q", "-m", "reqs")
    (repo / "requirements.txt").write_text("requests==2.32.5\n")
    base, head = open_sides(None, "requirements.txt", git_base="HEAD", input_format="requirements")
    assert base.tmp is not None and (Path(base.tmp.name) / "requirements.txt").read_text() == "requests==2.32.3\n"
    base.tmp.cleanup()


def test_git_base_reads_within_the_input_size_limit(repo, monkeypatch):
    """--max-input-bytes bounds the base side too: the blob (git show) and the tree (git archive)."""
    monkeypatch.chdir(repo)
    size = (LOCKS / "large-base" / "uv.lock").stat().st_size
    with pytest.raises(InputError, match="over the 1000-byte input size limit"):
        git_show("HEAD", repo / "sub" / "uv.lock", max_bytes=1000)
    assert git_show("HEAD", repo / "sub" / "uv.lock", max_bytes=size)
    with pytest.raises(InputError, match="over the 1000-byte input size limit"):
        open_sides(None, "sub/uv.lock", git_base="HEAD", fetch_metadata=False, max_input_bytes=1000)
    (repo / "requirements.txt").write_text("requests==2.32.3\n")
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-q", "-m", "reqs")
    with pytest.raises(InputError, match=r"tree at HEAD holds \d+ bytes, over 4 x the 1000-byte"):
        open_sides(None, "requirements.txt", git_base="HEAD", input_format="requirements", max_input_bytes=1000)


def test_missing_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_sides(str(tmp_path / "a.lock"), str(LOCKS / "small-uv" / "uv.lock"))
    with pytest.raises(InputError, match="BASE and HEAD"):
        open_sides(None, str(LOCKS / "small-uv" / "uv.lock"))


def test_file_added_by_the_change_has_an_empty_base(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "new").mkdir()
    shutil.copy(LOCKS / "small-uv" / "uv.lock", repo / "new" / "uv.lock")
    base, head = open_sides(None, "new/uv.lock", git_base="HEAD", fetch_metadata=False)
    assert base.label.endswith("(absent)")
    monkeypatch.setitem(__import__("sys").modules, "auditor.pipeline", None)
    outcome = run_gate(Config(offline=True), base, head, policy=parse_policy("rules: {}"))
    assert len(outcome.diff.of_kind("added")) == 15 and outcome.diff.totals_before.packages == 0
