"""conda inputs through the real CLI: a prefix written in conda's record format, pixi.lock, against the fake servers."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conda_fixtures import record, write_prefix
from tests.fakes.forges import FakeForges, FakeRepo
from tests.signals.test_conda import META_YAML

runner = CliRunner()
SP = "lib/python3.12/site-packages"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "conda"


@pytest.fixture
def world(monkeypatch, fake_pypi):
    fake_pypi.add("requests", "2.31.0", requires_dist=["idna>=2.5"],
                  project_urls=(("Source", "https://github.com/psf/requests"),))
    fake_pypi.add("idna", "3.10", project_urls=(("Source", "https://github.com/kjd/idna"),))
    zlib = FakeRepo("github.com", "conda-forge/zlib-feedstock", "zlib", files=("recipe/meta.yaml",),
                    texts={"recipe/meta.yaml": META_YAML})
    with FakeForges([zlib], generic=True) as f:
        monkeypatch.setenv("AUDITOR_GITHUB_API_URL", f.github.url + "/api/v3")
        monkeypatch.setenv("AUDITOR_GITLAB_URL", f.gitlab.url)
        monkeypatch.setenv("AUDITOR_SCORECARD_URL", f.scorecard.url)
        monkeypatch.setenv("AUDITOR_DEPSDEV_URL", f.depsdev.url)
        yield fake_pypi, f


def args(fake_pypi, tmp_path):
    return ["--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple", "--osv-url", fake_pypi.url,
            "--cache-dir", str(tmp_path / "cache"), "--no-history"]


def prefix(root: Path) -> Path:
    recs = [record("python", "3.12.7", "hc5c86c4_0_cpython", depends=["zlib"], requested="python=3.12"),
            record("zlib", "1.3.1", "hb9d3cd8_2"),
            record("requests", "2.32.3", "pyhd8ed1ab_0", "noarch", depends=["python >=3.8"],
                   files=[f"{SP}/requests-2.32.3.dist-info/METADATA"], requested="requests")]
    return write_prefix(root, recs, pip=(("requests", "2.31.0", ("idna>=2.5",)), ("idna", "3.10", ())))


def test_conda_prefix_audits_with_exit_0_or_3(world, tmp_path):
    fake_pypi, forges = world
    out = tmp_path / "audit.json"
    res = runner.invoke(app, ["audit", "--conda-prefix", str(prefix(tmp_path / "env")), *args(fake_pypi, tmp_path),
                              "-f", "json", "-o", str(out)])
    assert res.exit_code in (0, 3), res.output
    doc = json.loads(out.read_text())
    by = {p["name"]: p for p in doc["packages"]}
    assert set(by) == {"zlib", "requests", "idna", "python"}
    assert by["requests"]["signals"]["conda"]["origins"] == ["conda", "pip"]
    zlib = by["zlib"]["signals"]["conda"]
    assert zlib["recipe_maintainers"] == ["groutr", "msarahan", "ocefpaf"]
    assert zlib["feedstock"] == "https://github.com/conda-forge/zlib-feedstock"
    assert {f["id"] for f in doc["findings"]} >= {"AUD132", "AUD133"}
    # people reach (docs/history.md#people-reach): zlib is not reached from the root here (the conda python record is
    # the interpreter node, whose depends edge to zlib is not in the graph), so the root's figure has only unknown
    # parts, and says which: --no-history, and the recipes of requests and python that the fake forge lacks
    reach = doc["summary"]["people"]["unknown"]
    assert reach.startswith("git: git history not collected; conda: 2 sources unknown (")
    assert not [m for m in doc["missing"] if m["package"] == "zlib" and m["what"] in ("pypi", "vulnerabilities")]
    # zlib is not a Python distribution: PyPI is never asked about it
    assert not fake_pypi.count("/pypi/zlib") and not fake_pypi.count("/simple/zlib")


def test_conda_prefix_graph_attributes(world, tmp_path):
    fake_pypi, _ = world
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["audit", "--conda-prefix", str(prefix(tmp_path / "env")), *args(fake_pypi, tmp_path),
                              "-f", "graphml", "-o", str(out)])
    assert res.exit_code in (0, 3), res.output
    g = nx.read_graphml(out)
    zlib = next(d for n, d in g.nodes(data=True) if n.startswith("zlib=="))
    assert zlib["origin"] == "conda" and zlib["conda_channel"] == "conda-forge" and zlib["conda_build"] == "hb9d3cd8_2"
    assert zlib["purl"] == "pkg:conda/zlib@1.3.1?build=hb9d3cd8_2&channel=conda-forge&subdir=linux-64"
    assert zlib["recipe_maintainers"] == 3 and zlib["repo_url"] == "https://github.com/madler/zlib"
    assert zlib["people_reach"] == 3  # its recipe maintainers (github:<login>: no history read to merge with)
    req = next(d for n, d in g.nodes(data=True) if n.startswith("requests=="))
    assert req["installed_by"] == "conda+pip"


def test_pixi_lock_audits_offline_with_exit_3(tmp_path):
    res = runner.invoke(app, ["audit", str(FIXTURES / "pixi.lock"), "--offline", "--cache-dir", str(tmp_path / "c"),
                              "-f", "json"])
    assert res.exit_code == 3, res.output
    doc = json.loads(res.stdout)
    assert doc["input"]["kind"] == "lockfile" and len(doc["packages"]) == 67  # 66 + the interpreter


def test_conda_prefix_and_a_file_together_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["audit", str(FIXTURES / "pixi.lock"), "--conda-prefix", str(tmp_path)])
    assert res.exit_code == 2 and "--conda-prefix" in res.output


def test_conda_nodes_get_conda_purls_in_cyclonedx(world, tmp_path):
    fake_pypi, _ = world
    out = tmp_path / "bom.json"
    res = runner.invoke(app, ["audit", "--conda-prefix", str(prefix(tmp_path / "env")), *args(fake_pypi, tmp_path),
                              "-f", "cyclonedx-json", "-o", str(out)])
    assert res.exit_code in (0, 3), res.output
    purls = {c["name"]: c.get("purl") for c in json.loads(out.read_text())["components"]}
    assert purls["zlib"] == "pkg:conda/zlib@1.3.1?build=hb9d3cd8_2&channel=conda-forge&subdir=linux-64"
    assert purls["idna"] == "pkg:pypi/idna@3.10"  # pip-installed: a PyPI package
