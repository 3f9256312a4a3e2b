"""``auditor audit --scan/--model/--dataset``: Hub references as graph nodes and in the JSON (docs/models.md)."""

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent / "fixtures" / "hub-project"
#: These tests are about the static scan; the Hub API's facts are tested in tests/test_cli_hub_facts.py.
NO_HUB_API = ("--disable", "hub")




@pytest.fixture
def clean_project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(PROJECT / "train.py", root / "train.py")
    return root


def test_scan_and_options_appear_in_the_json(env_args, clean_project):
    plain = json.loads(runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "json"]).stdout)
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "json", "--scan", str(clean_project),
                              "--model", "org/extra@v1", "--dataset", "org/data"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    hub = doc["hub"]
    assert hub["files_scanned"] == 1 and hub["skipped"] == []
    refs = {(r["kind"], r["repo_id"]) for r in hub["references"]}
    assert ("model", "org/extra") in refs and ("dataset", "org/data") in refs and ("model", "tiiuae/falcon-7b") in refs
    assert len(hub["references"]) == 13
    extra = next(r for r in hub["references"] if r["repo_id"] == "org/extra")
    assert extra["location"] == "<cli>" and extra["revision"] == "v1" and extra["pinned"] is False
    falcon = next(r for r in hub["references"] if r["repo_id"] == "tiiuae/falcon-7b")
    assert falcon["trust_remote_code"] is True and falcon["location"] == "train.py:18"
    assert [u["location"] for u in hub["unresolved"]] == ["train.py:29"]
    def figures(summary):  # package figures are unchanged by the Hub nodes; people reach now counts the Hub part
        return {k: v for k, v in summary.items() if k != "people"}

    assert figures(doc["summary"]) == figures(plain["summary"])
    assert "Hub facts not collected" in doc["summary"]["people"]["unknown"]  # --disable hub: never a silent zero
    assert "hub" not in plain


def test_hub_nodes_and_loads_edges_in_graphml(env_args, clean_project, tmp_path):
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "graphml", "-o", str(out), "--scan", str(clean_project)])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    node = g.nodes["model:meta-llama/Llama-2-7b-hf"]
    assert node["kind"] == "model" and node["pinned"] is True and node["trust_remote_code"] is False
    assert g.nodes["dataset:squad"]["kind"] == "dataset"
    assert g.edges["<root>", "dataset:squad"]["kind"] == "loads"
    assert json.loads(g.nodes["model:tiiuae/falcon-7b"]["locations"]) == ["train.py:18"]


def test_unparsable_scanned_file_is_missing_data_exit_3(env_args):
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "json", "--scan", str(PROJECT)])
    assert res.exit_code == 3, res.output
    doc = json.loads(res.stdout)
    assert [m for m in doc["missing"] if m["what"] == "hub-scan"] == [
        {"package": None, "what": "hub-scan", "reason": "src/broken.py: does not parse: SyntaxError", "kind": "malformed"}]
    assert len(doc["hub"]["references"]) == 13 and len(doc["hub"]["unresolved"]) == 2


@pytest.mark.parametrize("args, words", [
    (["--model", "./local-dir"], "--model './local-dir'"),
    (["--dataset", "a/b/c"], "--dataset 'a/b/c'"),
    (["--scan", "/no/such/dir"], "--scan /no/such/dir"),
])
def test_bad_hub_options_are_exit_2(env_args, args, words):
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, *args])
    assert res.exit_code == 2, res.output
    assert words in res.output


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_give_the_count(env_args, clean_project, fmt):
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", fmt, "--scan", str(clean_project), "--model", "gpt2"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.replace("\\", "").split())  # Markdown escapes punctuation
    assert ("Hugging Face Hub: 3 datasets, 9 models loaded (12 references, 1 pinned to a commit; "
            "1 file scanned, 1 call not resolvable statically, 0 files not parsed; details: --format json)") in text


def test_mutable_revisions_are_findings_in_json_and_sarif(env_args, clean_project):
    doc = json.loads(runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "json", "--scan", str(clean_project)]).stdout)
    hub = [f for f in doc["findings"] if f["id"] == "AUD140"]
    assert len(hub) == 10  # 11 repositories, one pinned (meta-llama/Llama-2-7b-hf)
    assert not any("Llama-2" in f["message"] for f in hub)
    falcon = next(f for f in hub if "tiiuae/falcon-7b" in f["message"])
    assert falcon["severity"] == "high" and falcon["package"] is None
    res = runner.invoke(app, ["audit", *env_args, *NO_HUB_API, "-f", "sarif", "--scan", str(clean_project)])
    assert res.exit_code == 0, res.output
    sarif = json.loads(res.stdout)
    assert "AUD140" in {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
