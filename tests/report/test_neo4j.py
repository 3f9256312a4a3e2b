"""``auditor audit -f neo4j -o DIR``: CSV files in the shape ``neo4j-admin database import full`` reads."""

import csv
import json
import re
from collections import Counter

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.graph import attrs as A
from auditor.report import neo4j
from auditor.report.registry import get
from auditor.report.safe import xml
from tests.report.test_cyclonedx import EVIL, result  # noqa: F401 - fixture (an audit with hostile text)

TYPED = re.compile(r"^[a-z_][a-z0-9_]*:(string|long|double|boolean|string\[\])$")


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(result, tmp_path):
    out = tmp_path / "neo"
    get("audit", "neo4j").write_folder(result, out)
    return out


def test_headers_counts_and_round_trip(result, tmp_path):  # noqa: F811
    out = write(result, tmp_path)
    graph = result.graph
    node_files, rel_files = neo4j.files(graph)
    assert sorted(p.name for p in out.iterdir()) == sorted([*node_files, *rel_files, neo4j.COMMAND_FILE,
                                                            ".auditor-output"])
    ids: set[str] = set()
    kinds = Counter(d.get(A.KIND) for _, d in graph.nodes(data=True))
    for name in node_files:
        header, rows = read(out / name)
        assert header[:2] == ["id:ID(Node)", ":LABEL"] and all(TYPED.match(h) for h in header[2:]), header
        kind = name[len("nodes-"):-len(".csv")]
        assert len(rows) == kinds[kind] and {r[1] for r in rows} == {neo4j.label(kind)}
        assert all(len(r) == len(header) for r in rows)
        ids |= {r[0] for r in rows}
    assert ids == {xml(n) for n in graph.nodes} and len(ids) == graph.number_of_nodes()
    types = Counter(d.get(A.KIND) for _, _, d in graph.edges(data=True))
    total = 0
    for name in rel_files:
        header, rows = read(out / name)
        assert header[:3] == [":START_ID(Node)", ":END_ID(Node)", ":TYPE"] and all(TYPED.match(h) for h in header[3:])
        kind = name[len("relationships-"):-len(".csv")]
        assert len(rows) == types[kind.lower()] and {r[2] for r in rows} == {kind}
        assert all(r[0] in ids and r[1] in ids for r in rows)  # every end is a node of the files
        total += len(rows)
    assert total == graph.number_of_edges()


def test_values_keep_their_types_and_hostile_text_stays_data(result, tmp_path):  # noqa: F811
    out = write(result, tmp_path)
    header, rows = read(out / "nodes-distribution.csv")
    col = {h.split(":")[0]: i for i, h in enumerate(header)}
    assert header[col["exposure"]] == "exposure:double" and header[col["direct"]] == "direct:boolean"
    by_id = {r[0]: r for r in rows}
    graph = result.graph
    for node_id, row in by_id.items():
        data = graph.nodes[node_id]
        assert row[col["direct"]] == ("true" if data.get(A.DIRECT) else "false")
        if header[col["maintainer_names"]] == "maintainer_names:string[]" and data.get(A.MAINTAINER_NAMES):
            assert row[col["maintainer_names"]].split(";") == [xml(x) for x in data[A.MAINTAINER_NAMES]]
        if data.get(A.FACTORS):
            assert json.loads(row[col["factors"]])[0]["name"] == data[A.FACTORS][0]["name"]
        if isinstance(data.get(A.SCORE), float):
            assert float(row[col["exposure"]]) == data[A.SCORE]
    _, maintainers = read(out / "nodes-maintainer.csv")
    assert f"pypi:{xml(EVIL)}" in {r[0] for r in maintainers}  # the hostile name, parsed back whole
    text = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
    assert "\x00" not in text and "\x1b" not in text


def test_a_list_element_with_the_delimiter_becomes_json(tmp_path):
    g = nx.DiGraph()
    g.add_node("a==1", kind="distribution", maintainer_names=["x;y", "z"], direct=True)
    g.add_node("b==1", kind="distribution", maintainer_names=["z"], direct=False, exposure=3)
    g.add_node("c==1", kind="distribution", exposure=2.5)
    g.add_edge("a==1", "b==1", kind="requires", requirement='b; python_version >= "3"', extras=[])

    class Result:
        graph = g

    neo4j.render(Result(), tmp_path)
    header, rows = read(tmp_path / "nodes-distribution.csv")
    assert header == ["id:ID(Node)", ":LABEL", "direct:boolean", "exposure:double", "maintainer_names:string"]
    assert json.loads(rows[0][4]) == ["x;y", "z"] and rows[2][2] == ""  # absent: empty field
    header, rows = read(tmp_path / "relationships-REQUIRES.csv")
    assert header == [":START_ID(Node)", ":END_ID(Node)", ":TYPE", "extras:string[]", "requirement:string"]
    assert rows == [["a==1", "b==1", "REQUIRES", "", 'b; python_version >= "3"']]
    assert "--nodes=import/nodes-distribution.csv" in (tmp_path / neo4j.COMMAND_FILE).read_text()


def test_cli_needs_a_folder_and_writes_it(env_args, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["audit", *env_args, "-f", "neo4j"])
    assert res.exit_code == 2 and "writes a folder" in res.output
    out = tmp_path / "graph"
    res = runner.invoke(app, ["audit", *env_args, "-f", "neo4j", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "nodes-distribution.csv").exists() and (out / "relationships-REQUIRES.csv").exists()
    assert "neo4j-admin database import full" in (out / "import.txt").read_text()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    res = runner.invoke(app, ["audit", *env_args, "-f", "neo4j", "-o", str(foreign)])
    assert res.exit_code == 2 and (foreign / "notes.txt").read_text() == "keep"


def test_ids_that_clean_to_the_same_text_stay_distinct(tmp_path):
    """Two hostile ids differing only in characters XML forbids would both become ``evil\\ufffd==1``:
    neo4j-admin refuses duplicate ids, so the second gets a digest suffix and its edge follows it."""
    g = nx.DiGraph()
    g.add_node("evil\x00==1", kind="distribution")
    g.add_node("evil\x01==1", kind="distribution")
    g.add_edge("evil\x00==1", "evil\x01==1", kind="requires")

    class Result:
        graph = g

    neo4j.render(Result(), tmp_path)
    _, rows = read(tmp_path / "nodes-distribution.csv")
    ids = [r[0] for r in rows]
    assert len(set(ids)) == 2 and ids[0] == "evil\ufffd==1" and ids[1].startswith("evil\ufffd==1~")
    _, rels = read(tmp_path / "relationships-REQUIRES.csv")
    assert rels[0][:2] == ids
