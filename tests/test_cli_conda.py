"""conda inputs through the real CLI: a prefix written in conda's record format, pixi.lock, against the fake servers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conda_fixtures import record, write_prefix
from tests.fakes.forges import FakeForges, FakeRepo
from tests.signals.test_conda import META_YAML, registry
from tests.sources.test_conda_names import parselmouth

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
    outputs = registry({"zlib": ["zlib", "zlib-ng"]})
    zlib_ng = FakeRepo("github.com", "conda-forge/zlib-ng-feedstock", "zlib-ng", files=("recipe/meta.yaml",),
                       texts={"recipe/meta.yaml": META_YAML.replace("groutr", "zlib-ng-dev")})
    names = parselmouth({"pyyaml": ["pyyaml"], "msgpack-python": ["msgpack", "msgpack-python"], "zlib": None,
                         "requests": ["requests"]})  # the real entries' shapes (compressed_mapping.json)
    with FakeForges([zlib, zlib_ng, outputs, names], generic=True) as f:
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
    # conda-forge/feedstock-outputs lets zlib-feedstock and zlib-ng-feedstock upload "zlib": both recipes' people
    assert zlib["recipe_maintainers"] == ["groutr", "msarahan", "ocefpaf", "zlib-ng-dev"]
    assert zlib["feedstock"] == "https://github.com/conda-forge/zlib-feedstock" and zlib["feedstock_confidence"] == "high"
    assert zlib["feedstocks"][1] == "https://github.com/conda-forge/zlib-ng-feedstock"
    assert {f["id"] for f in doc["findings"]} >= {"AUD132", "AUD133"}
    # people reach (docs/history.md#people-reach): zlib is reached from the root (only the python record depends on
    # it, and the interpreter node carries no edges, so it hangs off the root); its 4 recipe maintainers count, and
    # the figure says "at least": --no-history, and the recipes of requests and python that the fake forge lacks
    reach = doc["summary"]["people"]
    parts = {p["origin"]: p for p in reach["parts"]}
    assert reach["people"] == 4 and reach["at_least"] and parts["conda"]["people"] == 4
    assert parts["git"]["unknown"] == ["git history not collected"] and len(parts["conda"]["unknown"]) == 2
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
    assert zlib["recipe_maintainers"] == 4 and zlib["repo_url"] == "https://github.com/madler/zlib"
    assert zlib["feedstock_confidence"] == "high"
    assert zlib["people_reach"] == 4  # its recipe maintainers (github:<login>: no history read to merge with)
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


# -- one distribution installed by conda and by pip under another spelling: one node, both origins, AUD132 ---------

def mixed_prefix(root: Path) -> Path:
    """conda's ``pyyaml`` (its record lists ``PyYAML-6.0.2.dist-info``) replaced on disk by pip's ``PyYAML`` 6.0.1,
    and conda's ``msgpack-python`` (no dist-info in its files: the names table says ``msgpack``) next to pip's
    ``msgpack`` 1.1.0."""
    recs = [record("python", "3.12.7", "hc5c86c4_0_cpython", requested="python=3.12"),
            record("pyyaml", "6.0.2", "py312h66e93f0_1", depends=["python >=3.12,<3.13.0a0", "yaml >=0.2.5"],
                   files=[f"{SP}/PyYAML-6.0.2.dist-info/METADATA", f"{SP}/yaml/__init__.py"], requested="pyyaml"),
            record("yaml", "0.2.5", "h7f98852_2"),
            record("msgpack-python", "1.0.8", "py312h68727a3_1", depends=["python >=3.12,<3.13.0a0"],
                   files=[f"{SP}/msgpack/__init__.py"], requested="msgpack-python")]
    root = write_prefix(root, recs, pip=(("PyYAML", "6.0.1", ()), ("msgpack", "1.1.0", ())))
    site = root / SP
    for stale in ("pyyaml-6.0.2.dist-info",):  # pip uninstalled conda's copy before installing its own
        shutil.rmtree(site / stale)
    return root


AUDIT_FORMATS = ("table", "json", "graphml", "markdown", "sarif", "cyclonedx-json", "cyclonedx-xml",
                 "github-snapshot", "neo4j", "html", "parquet")


def test_every_audit_format_is_in_the_registry():
    from auditor.report.registry import TABLE

    assert {f.name for f in TABLE if f.command == "audit"} == set(AUDIT_FORMATS)


@pytest.fixture
def mixed(world, tmp_path, monkeypatch):
    fake_pypi, _ = world
    monkeypatch.setenv("GITHUB_SHA", "a" * 40)  # github-snapshot needs the job's commit and ref
    monkeypatch.setenv("GITHUB_REF", "refs/heads/main")
    fake_pypi.add("pyyaml", "6.0.1", project_urls=(("Source", "https://github.com/yaml/pyyaml"),))
    fake_pypi.add("msgpack", "1.1.0", project_urls=(("Source", "https://github.com/msgpack/msgpack-python"),))
    return fake_pypi, mixed_prefix(tmp_path / "env")


@pytest.mark.parametrize("fmt", AUDIT_FORMATS)
def test_conda_and_pip_copies_are_one_node_with_a_finding_in_every_format(mixed, tmp_path, fmt):
    fake_pypi, env = mixed
    out = tmp_path / ("out" if fmt in ("neo4j", "parquet") else f"out.{fmt}")
    res = runner.invoke(app, ["audit", "--conda-prefix", str(env), *args(fake_pypi, tmp_path), "-f", fmt,
                              "-o", str(out)])
    assert res.exit_code in (0, 3), res.output
    check = CHECKS[fmt]
    check(out)



def _json_check(out: Path) -> None:
    doc = json.loads(out.read_text())
    names = [p["name"] for p in doc["packages"]]
    assert sorted(names) == ["msgpack", "python", "pyyaml", "yaml"]  # one node each, under the PyPI name
    by = {p["name"]: p for p in doc["packages"]}
    assert by["pyyaml"]["version"] == "6.0.1" and by["pyyaml"]["signals"]["conda"]["origins"] == ["conda", "pip"]
    assert by["pyyaml"]["signals"]["conda"]["record"]["version"] == "6.0.2"
    assert by["msgpack"]["signals"]["conda"]["record"]["name"] == "msgpack-python"
    assert {(f["id"], f["package"]) for f in doc["findings"] if f["id"] == "AUD132"} == {("AUD132", "pyyaml"),
                                                                                      ("AUD132", "msgpack")}
    assert not [m for m in doc["missing"] if "conda-pypi-names" in m["what"]]  # the live mapping was read


def _text_check(out: Path) -> None:
    text = out.read_text().replace("\\", "")  # Markdown escapes punctuation
    assert "pyyaml is installed by conda (pyyaml 6.0.2" in text and "by pip (6.0.1)" in text
    assert "msgpack is installed by conda (msgpack-python 1.0.8" in text and "AUD132" in text


def _graphml_check(out: Path) -> None:
    g = nx.read_graphml(out)
    ids = [n for n in g if n.split("==")[0] in ("pyyaml", "msgpack", "msgpack-python")]
    assert sorted(ids) == ["msgpack==1.1.0", "pyyaml==6.0.1"]
    node = g.nodes["pyyaml==6.0.1"]
    assert node["installed_by"] == "conda+pip" and node["origin"] == "installed" and "purl" not in node
    assert node["conda_purl"] == "pkg:conda/pyyaml@6.0.2?build=py312h66e93f0_1&channel=conda-forge&subdir=linux-64"


def _sarif_check(out: Path) -> None:
    results = json.loads(out.read_text())["runs"][0]["results"]
    hits = [r for r in results if r["ruleId"] == "AUD132"]
    assert len(hits) == 2 and any("pyyaml" in r["message"]["text"] for r in hits)


def _cyclonedx_json_check(out: Path) -> None:
    comps = [c for c in json.loads(out.read_text())["components"] if c["name"] in ("pyyaml", "msgpack")]
    assert len(comps) == 2
    c = next(c for c in comps if c["name"] == "pyyaml")
    props = {p["name"]: p["value"] for p in c["properties"]}
    assert c["version"] == "6.0.1" and c["purl"] == "pkg:pypi/pyyaml@6.0.1"  # pip's copy is on disk
    assert props["auditor:installed-by"] == "conda+pip" and props["auditor:conda:purl"].startswith("pkg:conda/pyyaml@6.0.2")


def _cyclonedx_xml_check(out: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(out).getroot()
    ns = {"c": root.tag.split("}")[0].strip("{")}
    comps = [c for c in root.iterfind(".//c:components/c:component", ns) if c.findtext("c:name", "", ns) == "pyyaml"]
    assert len(comps) == 1 and comps[0].findtext("c:purl", "", ns) == "pkg:pypi/pyyaml@6.0.1"
    props = {p.get("name"): p.text for p in comps[0].iterfind("c:properties/c:property", ns)}
    assert props["auditor:installed-by"] == "conda+pip"


def _snapshot_check(out: Path) -> None:
    resolved = next(iter(json.loads(out.read_text())["manifests"].values()))["resolved"]
    assert "pkg:pypi/pyyaml@6.0.1" in resolved and "pkg:pypi/msgpack@1.1.0" in resolved
    assert not [p for p in resolved if "pyyaml" in p and p != "pkg:pypi/pyyaml@6.0.1"]


def _neo4j_check(out: Path) -> None:
    import csv

    with open(out / "nodes-distribution.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    key = next(k for k in rows[0] if k.split(":")[0] == "installed_by")
    ids = next(k for k in rows[0] if k.endswith(":ID") or k == "id:ID(Node)" or k.split(":")[0] == "id")
    mine = [r for r in rows if r[ids].split("==")[0] in ("pyyaml", "msgpack")]
    assert len(mine) == 2 and {r[key] for r in mine} == {"conda+pip"}


def _parquet_check(out: Path) -> None:
    import pyarrow.parquet as pq

    rows = pq.read_table(out / "nodes.parquet").to_pylist()
    mine = [r for r in rows if r.get("name") in ("pyyaml", "msgpack")]
    assert len(mine) == 2 and {json.loads(r["attrs"])["installed_by"] for r in mine} == {"conda+pip"}


def _html_check(out: Path) -> None:
    text = out.read_text()
    assert "AUD132" in text and "pyyaml is installed by conda" in text


CHECKS = {"json": _json_check, "table": _text_check, "markdown": _text_check, "graphml": _graphml_check,
          "sarif": _sarif_check, "cyclonedx-json": _cyclonedx_json_check, "cyclonedx-xml": _cyclonedx_xml_check,
          "github-snapshot": _snapshot_check, "neo4j": _neo4j_check, "parquet": _parquet_check, "html": _html_check}
