"""``auditor audit --scan``: the Hub API's facts, findings AUD141-AUD147, Hub people (docs/models.md)."""

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.fakes.hub import fixture_world

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent / "fixtures" / "hub-project"


@pytest.fixture
def project(tmp_path, fake_pypi):
    fixture_world(fake_pypi.hub)
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(PROJECT / "train.py", root / "train.py")
    return root


def audit(env_args, project, *extra):
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "--scan", str(project), *extra])
    return res, (json.loads(res.stdout) if res.stdout.startswith("{") else None)


def test_facts_findings_and_people(env_args, project):
    res, doc = audit(env_args, project)
    assert res.exit_code == 0, res.output
    repos = doc["hub"]["repositories"]
    llama = repos["model:meta-llama/Llama-2-7b-hf"]
    assert llama["owner"] == "meta-llama" and llama["owner_type"] == "organization" and llama["gated"] == "manual"
    assert llama["sha"] == "0123456789abcdef0123456789abcdef01234567" and llama["head_sha"] != llama["sha"]
    assert llama["license"] == "llama2" and "hamel" in llama["members"] and "system" not in llama["authors"]
    squad = repos["dataset:squad"]
    assert squad["canonical_id"] == "rajpurkar/squad" and squad["owner_type"] == "user"
    assert squad["loading_script"] == "squad.py"
    assert repos["model:nreimers/MiniLM-L6-H384-uncased"]["license"] == "mit"  # a base model, reached from the card
    assert doc["hub"]["derived_from"] == [{"model": "model:sentence-transformers/all-MiniLM-L6-v2",
                                           "base": "model:nreimers/MiniLM-L6-H384-uncased"}]
    assert "hf:rwightman" in doc["hub"]["people"]["accounts"] and doc["hub"]["people"]["count"] >= 15
    found = {(f["id"], f["evidence"].rsplit("(", 1)[1].rstrip(")")) for f in doc["findings"]
             if "AUD140" < f["id"] < "AUD150"}  # the Hub's rules (AUD151+ are licences)
    assert {
        ("AUD141", "model:laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
        ("AUD142", "model:tiiuae/falcon-7b"),
        ("AUD143", "dataset:squad"),
        ("AUD144", "dataset:squad"),
        ("AUD145", "model:meta-llama/Llama-2-7b-hf"),
        ("AUD146", "model:timm/vit_base_patch16_224.augreg_in21k"),
        ("AUD147", "model:laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
    } <= found
    assert not any(i == "AUD146" and n == "dataset:squad" for i, n in found)
    for f in doc["findings"]:  # one plain sentence naming the repository, the fact and its source
        if "AUD140" <= f["id"] <= "AUD147":
            repo = f["evidence"].rsplit("(", 1)[1].rstrip(")").split(":", 1)[1]
            assert f["message"].startswith(("model " + repo, "dataset " + repo)), f
            assert ", according to the " in f["message"] or "by the Hub's security scan" in f["message"], f
            assert "\n" not in f["message"] and not f["message"].endswith(".")
    scores = doc["hub"]["scores"]
    assert scores["model:tiiuae/falcon-7b"]["total"] > scores["model:openai/whisper-small"]["total"]
    assert scores["model:openai/whisper-small"]["coverage"] == "5/5"


def test_findings_in_sarif_table_and_markdown(env_args, project):
    sarif = json.loads(runner.invoke(app, ["audit", *env_args, "-f", "sarif", "--scan", str(project)]).stdout)
    run = sarif["runs"][0]
    assert {"AUD141", "AUD147"} <= {r["ruleId"] for r in run["results"]}
    assert {"AUD141", "AUD147"} <= {r["id"] for r in run["tool"]["driver"]["rules"]}
    for fmt in ("table", "markdown"):
        out = " ".join(runner.invoke(app, ["audit", *env_args, "-f", fmt, "--scan", str(project)]).stdout.split())
        assert "AUD141" in out and "12 repositories" in out and "12 known, 0 unknown" in out and "highest Hub exposure:" in out, out


def test_graph_has_people_and_derived_from(env_args, project, tmp_path):
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["audit", *env_args, "-f", "graphml", "-o", str(out), "--scan", str(project)])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    assert g.edges["model:sentence-transformers/all-MiniLM-L6-v2", "model:nreimers/MiniLM-L6-H384-uncased"]["kind"] == "derived_from"
    assert g.nodes["hf:hamel"]["kind"] == "person" and g.edges["hf:hamel", "model:meta-llama/Llama-2-7b-hf"]["kind"] == "member_of_owner"
    assert json.loads(g.nodes["model:tiiuae/falcon-7b"]["hub"])["code_files"] == ["configuration_falcon.py", "modeling_falcon.py"]
    assert g.nodes["<root>"]["people_reach"] >= 15  # Hub accounts count in people reach (graph/reach.py)


def test_warm_run_makes_no_hub_request(env_args, project, fake_pypi):
    res, _ = audit(env_args, project)
    assert res.exit_code == 0
    before = sum(1 for s in fake_pypi.log if s.path.startswith(("/api/models", "/api/datasets", "/api/organizations", "/api/users")))
    res, doc = audit(env_args, project, "-v")
    assert res.exit_code == 0
    after = sum(1 for s in fake_pypi.log if s.path.startswith(("/api/models", "/api/datasets", "/api/organizations", "/api/users")))
    assert before > 0 and after == before


def test_unreachable_hub_is_unknown_and_exit_3(env_args, project, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    res, doc = audit(env_args, project)
    assert res.exit_code == 3, res.output
    hub_missing = [m for m in doc["missing"] if m["what"] == "hub"]
    assert len(hub_missing) == 11 and {m["kind"] for m in hub_missing} == {"unreachable"}
    assert {p["name"] for p in doc["packages"]} == {"app", "lib", "python"}  # the audit went on
    assert any(f["id"] == "AUD140" for f in doc["findings"])  # the scan's own finding does not need the Hub


def test_offline_is_unknown_offline(env_args, project):
    res, doc = audit(env_args, project, "--offline")
    assert res.exit_code == 3
    assert {r["kind"] for r in doc["hub"]["repositories"].values()} == {"offline"}
    assert all(r["unknown"] == "offline" for r in doc["hub"]["repositories"].values())


def test_disable_hub_skips_the_api(env_args, project, fake_pypi):
    res, doc = audit(env_args, project, "--disable", "hub")
    assert res.exit_code == 0 and "repositories" not in doc["hub"]
    assert not any(s.path.startswith("/api/models") for s in fake_pypi.log)


def test_weights_file_sets_the_hub_scores(env_args, project, tmp_path):
    _, before = audit(env_args, project)
    weights = tmp_path / "w.yml"
    weights.write_text("hub_license: {weight: 0}\nhub_code_on_load: {weight: 60}\n")
    res, doc = audit(env_args, project, "--weights", str(weights))
    assert res.exit_code == 0, res.output
    for nid, score in doc["hub"]["scores"].items():
        got = {f["name"]: f["weight"] for f in score["factors"]}
        assert got["hub_license"] == 0 and got["hub_code_on_load"] == 60, nid
    assert doc["hub"]["scores"] != before["hub"]["scores"]
    weights.write_text("hub_licence: {weight: 0}\n")
    res = runner.invoke(app, ["audit", *env_args, "--scan", str(project), "--weights", str(weights)])
    assert res.exit_code == 2 and "unknown factor 'hub_licence'" in res.output
    assert len([line for line in res.output.splitlines() if line.strip()]) == 1
