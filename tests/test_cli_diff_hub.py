"""``auditor diff`` and Hub references: added and changed repositories and their new people (docs/models.md)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app
from auditor.gate.diff import diff_audits
from auditor.gate.views import HubView
from tests import builders
from tests.gitrepo import project_repo

runner = CliRunner()


def view(**hub):
    """An audit with no package and the Hub repositories *hub*."""
    return builders.view("x", hub=hub)


def test_added_changed_and_new_people_are_pure():
    base = view(**{"model:org/a": HubView("model", "org/a", ("",), False, "1" * 40, frozenset({"hf:alice"}))})
    head = view(**{
        "model:org/a": HubView("model", "org/a", ("v2",), True, "2" * 40, frozenset({"hf:alice", "hf:mallory"})),
        "dataset:org/d": HubView("dataset", "org/d", ("",), False, None, frozenset({"hf:bob"})),
    })
    d = diff_audits(base, head)
    assert [(c.node, c.what, c.after, c.new_people) for c in d.hub_added] == [
        ("dataset:org/d", "added", "default branch", ("hf:bob",))]
    assert [(c.what, c.before, c.after) for c in d.hub_changed] == [
        ("revision", "default branch", "v2"), ("trust_remote_code", "False", "True")]
    assert d.hub_new_people == ("hf:bob", "hf:mallory")
    same = diff_audits(base, base)
    assert same.hub_added == same.hub_changed == () and same.hub_new_people == ()


def test_git_base_scans_the_code_at_the_revision(sides, tmp_path, monkeypatch, fake_pypi):
    base, head, args = sides
    hub = fake_pypi.hub
    hub.model("org/old")
    hub.model("evil/new", files=["config.json", "pytorch_model.bin"])
    hub.org("org", "alice")
    hub.user("evil")
    repo = project_repo(tmp_path / "repo", {
        "uv.lock": Path(base),
        "src/train.py": 'from transformers import AutoModel\nAutoModel.from_pretrained("org/old")\n'})
    (repo / "src" / "train.py").write_text('from transformers import AutoModel\nAutoModel.from_pretrained("org/old")\n'
                                           'AutoModel.from_pretrained("evil/new")\n')
    monkeypatch.chdir(repo)
    res = runner.invoke(app, ["diff", "--git-base", "HEAD", "uv.lock", "--scan", "src", *args, "-f", "json"])
    doc = json.loads(res.stdout)
    assert [c["node"] for c in doc["hub"]["added"]] == ["model:evil/new"], res.output
    assert doc["hub"]["changed"] == [] and "hf:evil" in doc["hub"]["new_people"]
    hub_violations = {(v["rule"], v["message"]) for v in doc["policy"]["violations"] if v["rule"] in ("POL010", "POL011")}
    assert hub_violations == {("POL010", "model:evil/new is loaded at its default branch, not at a pinned commit"),
                              ("POL011", "loading model:evil/new runs its code: pickle-only weights")}
    assert res.exit_code == 1
    md = runner.invoke(app, ["diff", "--git-base", "HEAD", "uv.lock", "--scan", "src", *args]).stdout
    assert "Hugging Face Hub (1 added, 0 changed)" in md and "model:evil/new" in md


def test_hub_policy_rules_are_pure():
    from auditor.gate.evaluate import evaluate
    from auditor.gate.policy import Policy

    base = view()
    pinned = HubView("model", "org/p", ("a" * 40,), False, None, frozenset(), ())
    loose = HubView("model", "org/l", ("",), False, None, frozenset(), ())
    unknown = HubView("dataset", "org/u", ("b" * 40,), False, None, frozenset(), None)
    d = diff_audits(base, view(**{"model:org/p": pinned, "model:org/l": loose, "dataset:org/u": unknown}))
    on = evaluate(Policy(pin_hub_repositories=True, forbid_hub_code_on_load=True), d)
    assert [(v.rule, v.message) for v in on.violations] == [("POL010", "model:org/l is loaded at its default branch, not at a pinned commit")]
    assert [(u.rule, u.reason) for u in on.undecided] == [("POL011", "dataset:org/u: Hub facts not collected")]
    off = evaluate(Policy(), d)
    assert off.violations == () and off.undecided == ()
