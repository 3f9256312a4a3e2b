"""Formatters: JSON schema fields, GraphML round trip, table escaping, atomic writes."""

import io
import json

import networkx as nx
import pytest

from auditor.pipeline import run_audit
from auditor.report import graphml, json_report, table
from auditor.report.write import write_atomic
from tests.builders import StaticSource, dist, inventory


@pytest.fixture
def result(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    inv = inventory(
        ["app", "ghost"],
        dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),),
             author="[bold red]Mallory[/] <script>alert(1)</script>"),
        dist("lib"),
        dist("ghost"),
    )
    fake_pypi.add("lib", "1.0")
    return run_audit(config, StaticSource(inv))


def test_json_document(result):
    out = io.StringIO()
    json_report.render(result, out)
    doc = json.loads(out.getvalue())
    assert doc["schema_version"] == json_report.SCHEMA_VERSION
    assert doc["summary"]["complete"] is False
    assert doc["missing"] == [{"package": "ghost", "what": "pypi", "reason": "not found on PyPI", "kind": "not_found"}]
    pkgs = {p["name"]: p for p in doc["packages"]}
    assert pkgs["ghost"]["maintainers"] == {"unknown": "not found on PyPI"}
    assert pkgs["app"]["maintainers"] == [{"username": "alice", "role": "Owner"}]
    assert pkgs["app"]["contributors"] == {"unknown": "git history not collected"}
    assert pkgs["app"]["repository"]["confidence"] == "high"
    assert pkgs["app"]["dependencies"][0]["name"] == "lib"
    assert {f["name"] for f in pkgs["app"]["score"]["factors"]} >= {"maintainers", "blast_radius"}
    assert pkgs["python"]["kind"] == "interpreter"


def test_graphml_loads_back_with_types(result, tmp_path):
    path = tmp_path / "g.graphml"
    write_atomic(path, lambda out: graphml.render(result, out))
    g = nx.read_graphml(path)
    app = g.nodes["app==1.0"]
    assert isinstance(app["exposure"], float)
    assert isinstance(app["maintainers"], int) and app["maintainers"] == 1
    assert isinstance(app["direct"], bool)
    assert json.loads(app["maintainer_names"]) == ["alice"]
    assert json.loads(app["factors"])[0]["name"] == "maintainers"
    ghost = g.nodes["ghost==1.0"]
    assert "maintainers" not in ghost  # unknown: absent, never None or 0
    assert json.loads(ghost["unknown"])["maintainers"] == "not found on PyPI"
    assert g.edges["app==1.0", "lib==1.0"]["requirement"] == "lib"


def test_table_shows_untrusted_text_literally(result):
    out = io.StringIO()
    table.render(result, out, limit=0, color=False)
    text = out.getvalue()
    assert "Incomplete: 1 fact(s)" in text and "pypi: 1 × not_found — e.g. not found on PyPI" in text
    out = io.StringIO()
    table.render(result, out, limit=0, color=False, verbose=True)  # -v: every gap, with its packages
    assert "pypi: not found on PyPI — 1 package(s): ghost" in out.getvalue()
    assert "unknown" in text


def test_table_does_not_interpret_markup_in_metadata():
    from rich.text import Text

    assert table._fmt("[bold]x[/]").plain == "[bold]x[/]"


def test_atomic_write_keeps_old_file_when_rendering_fails(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old")

    def broken(out):
        out.write("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(path, broken)
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]


def test_atomic_write_to_missing_directory_is_an_output_error(tmp_path):
    from auditor.errors import OutputError

    with pytest.raises(OutputError):
        write_atomic(tmp_path / "no" / "such" / "dir.json", lambda out: out.write("x"))


def test_missing_data_is_grouped_by_cause():
    from auditor.pipeline import MissingData

    missing = [MissingData(p, "github", "api.github.com unreachable") for p in "abcdefgh"] + [
        MissingData("x", "pypi", "not found on PyPI")
    ]
    groups = table.group_missing(missing)
    assert groups[0] == ("github", "api.github.com unreachable", list("abcdefgh"))
    assert groups[1] == ("pypi", "not found on PyPI", ["x"])
