"""Hub references in an installed distribution's code load from that package, not the project (issue 15:
"a loads edge from the project, or from the package whose code loads them, when scanning an installed package")."""

from __future__ import annotations

import json

import networkx as nx
from typer.testing import CliRunner

from auditor.cli import app
from auditor.graph import attrs as A
from auditor.graph.hub import add_hub_nodes
from auditor.sources.hub_scan import scan_paths

LOADER = 'from transformers import AutoModel\nAutoModel.from_pretrained("org/in-app")\n'


def site_with_app(site):
    (site / "app").mkdir()
    (site / "app" / "loader.py").write_text(LOADER)
    (site / "app" / "unlisted.py").write_text('from datasets import load_dataset\nload_dataset("org/unlisted")\n')
    info = site / "app-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "RECORD").write_text("app/loader.py,sha256=x,10\napp-1.0.dist-info/RECORD,,\n")


def test_the_scan_names_the_distribution_whose_record_lists_the_file(tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    site_with_app(site)
    project = tmp_path / "project"
    project.mkdir()
    (project / "train.py").write_text('from transformers import AutoModel\nAutoModel.from_pretrained("org/own")\n')
    scan = scan_paths([site, project])
    by = {r.repo_id: r.package for r in scan.references}
    assert by == {"org/in-app": "app", "org/unlisted": None, "org/own": None}  # not in a RECORD: the project's


def test_loads_edges_start_at_the_package():
    g = nx.DiGraph()
    g.add_node(A.ROOT_ID, **{A.KIND: A.ROOT})
    g.add_node("app==1.0", **{A.KIND: A.DISTRIBUTION, A.NAME: "app"})
    from auditor.models.hub import HubReference, SourceLocation

    refs = [HubReference("model", "org/m", None, False, None, "from_pretrained", SourceLocation("a.py", 1), "app"),
            HubReference("model", "org/m", None, False, None, "from_pretrained", SourceLocation("b.py", 2)),
            HubReference("model", "org/x", None, False, None, "from_pretrained", SourceLocation("c.py", 3), "gone")]
    add_hub_nodes(g, refs)
    assert sorted((u, v) for u, v, d in g.edges(data=True) if d[A.KIND] == A.LOADS) == [
        (A.ROOT_ID, "model:org/m"), (A.ROOT_ID, "model:org/x"), ("app==1.0", "model:org/m")]


def test_an_environment_audit_scanning_site_packages(env_args, fake_env, tmp_path, monkeypatch):
    site_with_app(fake_env.site)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing there: the facts are unknown, exit 3
    out = tmp_path / "audit.graphml"
    res = CliRunner().invoke(app, ["audit", *env_args, "--scan", str(fake_env.site), "-f", "graphml", "-o", str(out)])
    assert res.exit_code == 3, res.output
    g = nx.read_graphml(out)
    loads = sorted((u, v) for u, v, d in g.edges(data=True) if d.get("kind") == "loads")
    assert loads == [(A.ROOT_ID, "dataset:org/unlisted"), ("app==1.0", "model:org/in-app")]
    res = CliRunner().invoke(app, ["audit", *env_args, "--scan", str(fake_env.site), "-f", "json",
                                   "-o", str(tmp_path / "a.json")])
    doc = json.loads((tmp_path / "a.json").read_text())
    assert {p["name"] for p in doc["packages"]} >= {"app", "lib"}  # the audit goes on, the packages judged
    assert {r["repo_id"] for r in doc["hub"]["references"]} == {"org/in-app", "org/unlisted"}
