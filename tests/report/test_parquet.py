"""``-f parquet``: nodes.parquet and edges.parquet, read back with DuckDB; deterministic bytes."""

import dataclasses

import duckdb
import pytest

from auditor.graph import attrs as A
from auditor.pipeline import run_audit
from auditor.report.registry import get
from tests.builders import StaticSource, dist, inventory


@pytest.fixture
def result(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "1.0", roles=(("Owner", "bob"),))
    app = dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),))
    inv = dataclasses.replace(inventory(["app"], app, dist("lib")), root_name="requirements.txt")
    return run_audit(config, StaticSource(inv))


def test_tables_match_the_graph(result, tmp_path):
    get("audit", "parquet").write_folder(result, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [".auditor-output", "edges.parquet", "nodes.parquet"]
    db = duckdb.connect()
    nodes, edges = str(out / "nodes.parquet"), str(out / "edges.parquet")
    assert db.execute(f"SELECT count(*) FROM '{nodes}'").fetchone()[0] == result.graph.number_of_nodes()
    assert db.execute(f"SELECT count(*) FROM '{edges}'").fetchone()[0] == result.graph.number_of_edges()
    kinds = dict(db.execute(f"SELECT kind, count(*) FROM '{nodes}' GROUP BY kind").fetchall())
    assert kinds[A.DISTRIBUTION] == 2 and kinds[A.ROOT] == 1
    name, score, factors = db.execute(
        f"SELECT name, exposure, factors FROM '{nodes}' WHERE kind = 'distribution' AND name = 'app'").fetchone()
    assert score == pytest.approx(result.scores["app"].total)
    assert [f["name"] for f in factors] == [f.name for f in result.scores["app"].factors]
    # the JSON attrs column is queryable with DuckDB's JSON functions
    assert db.execute(f"SELECT count(*) FROM '{edges}' WHERE kind = 'requires'").fetchone()[0] >= 2
    maint = db.execute(f"SELECT count(*) FROM '{edges}' e JOIN '{nodes}' n ON e.source = n.id "
                       "WHERE e.kind = 'maintains' AND n.kind = 'maintainer'").fetchone()[0]
    assert maint == 2


def test_same_result_same_bytes(result, tmp_path):
    fmt = get("audit", "parquet")
    fmt.write_folder(result, tmp_path / "a")
    fmt.write_folder(result, tmp_path / "b")
    for name in ("nodes.parquet", "edges.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_cli_needs_an_output_folder(result):
    fmt = get("audit", "parquet")
    assert fmt.folder
    with pytest.raises(TypeError):
        fmt.render(result)


def test_the_documented_queries_run(result, tmp_path):
    """The DuckDB queries of docs/formats-audit.md, on a real report."""
    get("audit", "parquet").write_folder(result, tmp_path / "audit")
    db = duckdb.connect()
    nodes, edges = tmp_path / "audit" / "nodes.parquet", tmp_path / "audit" / "edges.parquet"
    top = db.execute(f"SELECT name, exposure FROM '{nodes}' WHERE kind = 'distribution' "
                     "ORDER BY exposure DESC NULLS LAST LIMIT 10").fetchall()
    assert {n for n, _ in top} == {"app", "lib"}
    accounts = db.execute(f"SELECT n.name, count(*) FROM '{edges}' e JOIN '{nodes}' n ON n.id = e.source "
                          "WHERE e.kind = 'maintains' GROUP BY 1 ORDER BY 1").fetchall()
    assert accounts == [("alice", 1), ("bob", 1)]
    points = db.execute(f"SELECT name, f.points FROM '{nodes}', unnest(factors) AS t(f) "
                        "WHERE f.name = 'maintainers' ORDER BY name").fetchall()
    assert [n for n, _ in points] == ["app", "lib"]
    prov = db.execute(f"SELECT name, json_extract_string(attrs, '$.provenance') FROM '{nodes}' "
                      "WHERE kind = 'distribution' ORDER BY name").fetchall()
    assert [n for n, _ in prov] == ["app", "lib"]
