"""Folder reports (``-f neo4j``, ``-f parquet``): replaced whole or not at all, never over someone else's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.errors import OutputError
from auditor.report.registry import Format
from auditor.report.write import TREE_MARKER, write_tree


def _fill(names):
    def fill(directory: Path) -> None:
        for name in names:
            (directory / name).write_text(name)
    return fill


def test_new_folder_holds_the_files_and_the_marker(tmp_path):
    out = tmp_path / "report"
    write_tree(out, _fill(["nodes.csv", "edges.csv"]))
    assert sorted(os.listdir(out)) == sorted([TREE_MARKER, "nodes.csv", "edges.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folder left


def test_a_previous_report_is_replaced_whole(tmp_path):
    out = tmp_path / "report"
    write_tree(out, _fill(["a.csv", "b.csv"]))
    write_tree(out, _fill(["c.csv"]))
    assert sorted(os.listdir(out)) == sorted([TREE_MARKER, "c.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_an_empty_folder_is_used(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    write_tree(out, _fill(["a.csv"]))
    assert (out / "a.csv").read_text() == "a.csv"


@pytest.mark.parametrize("kind", ["foreign", "file", "symlink", "fifo"])
def test_what_auditor_did_not_write_is_refused_and_kept(tmp_path, kind):
    out = tmp_path / "report"
    if kind == "foreign":
        out.mkdir()
        (out / "thesis.tex").write_text("years of work")
    elif kind == "file":
        out.write_text("keep me")
    elif kind == "symlink":
        target = tmp_path / "elsewhere"
        target.mkdir()
        out.symlink_to(target)
    else:
        os.mkfifo(out)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(OutputError, match="report: cannot write a folder report"):
        write_tree(out, _fill(["a.csv"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if kind == "foreign":
        assert (out / "thesis.tex").read_text() == "years of work"


def test_a_failing_writer_leaves_the_previous_report(tmp_path):
    out = tmp_path / "report"
    write_tree(out, _fill(["old.csv"]))

    def boom(directory: Path) -> None:
        (directory / "half.csv").write_text("x")
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_tree(out, boom)
    assert sorted(os.listdir(out)) == sorted([TREE_MARKER, "old.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_missing_parent_is_one_line_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        write_tree(tmp_path / "no" / "such", _fill(["a.csv"]))


def test_folder_format_writes_through_write_tree_and_has_no_text(tmp_path, monkeypatch):
    seen = {}

    def writer(subject, directory, limit=None):
        seen["limit"] = limit
        (directory / "nodes.csv").write_text(subject)

    fmt = Format("audit", "csvs", "unused:unused", ("limit",), folder=True)
    monkeypatch.setattr(Format, "load", lambda self: writer)
    fmt.write_folder("id\n", tmp_path / "out", limit=3, color=False)
    assert (tmp_path / "out" / "nodes.csv").read_text() == "id\n" and seen == {"limit": 3}
    with pytest.raises(TypeError, match="folder format"):
        fmt.render("id\n")
