"""report/safe.py: strings from outside are inert in every format."""

from __future__ import annotations

import io
import json
import xml.dom.minidom

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from auditor.report import graphml, safe
from auditor.report.write import emit

HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1m\u202etxt.exe\u2066 [bold]x[/] <script>"


def test_terminal_escapes_controls_escapes_and_bidi():
    out = safe.terminal(HOSTILE)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out and "\\u2066" in out
    assert safe.terminal("a\nb\tc") == "a\nb\tc" and safe.terminal("a\nb", single_line=True) == "a\\x0ab"
    assert safe.terminal("\ud800") == "\\ud800"


def test_rich_text_shows_markup_and_escapes_literally():
    buf = io.StringIO()
    Console(file=buf, force_terminal=False, no_color=True, width=200).print(safe.text(HOSTILE))
    shown = buf.getvalue()
    assert "\x1b" not in shown and "[bold]x[/]" in shown


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_terminal_output_has_no_control_or_bidi(text):
    out = safe.terminal(text, single_line=True)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in safe.BIDI or 0xD800 <= ord(c) <= 0xDFFF for c in out)


def test_markdown_has_no_html_no_links_no_javascript():
    out = safe.markdown("[click](javascript:alert(1)) <img src=x onerror=y> | @admin \u202e")
    assert "<" not in out and "](" not in out and "javascript:" not in out and "@" not in out and "\u202e" not in out


def test_graphml_is_valid_xml_with_replacements_recorded(tmp_path):
    g = nx.DiGraph()
    g.add_node("pkg\x01==1.0", summary="bad\x00\x0b\x1b text \ud800", ok="fine")
    g.add_node("other==1.0", summary="clean")
    g.add_edge("pkg\x01==1.0", "other==1.0", marker="x\x02")
    clean = graphml.graphml_graph(g)
    buf = io.BytesIO()
    nx.write_graphml(clean, buf, encoding="utf-8")
    xml.dom.minidom.parseString(buf.getvalue())  # valid XML 1.0
    node = clean.nodes["pkg\ufffd==1.0"]
    assert node["summary"] == "bad\ufffd\ufffd\ufffd text \ufffd" and json.loads(node["xml_replaced"]) == ["summary"]
    assert "xml_replaced" not in clean.nodes["other==1.0"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_graphml_any_text_is_valid_xml(text):
    g = nx.DiGraph()
    g.add_node("n", value=text)
    buf = io.BytesIO()
    nx.write_graphml(graphml.graphml_graph(g), buf, encoding="utf-8")
    xml.dom.minidom.parseString(buf.getvalue())


def test_json_with_a_lone_surrogate_is_valid_utf8(tmp_path, capsys):
    doc = json.dumps({"path": "direct_url \udcff \ud800"}, ensure_ascii=False)
    emit(doc, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_bytes().decode("utf-8"))["path"] == "direct_url \ufffd \ufffd"
    emit(doc)
    assert "\ufffd" in capsys.readouterr().out


def test_cli_table_and_explain_show_hostile_status_reason_inert(env_args, fake_pypi):
    """A PEP 792 status reason from the index (attacker-written) reaches table findings and explain escaped."""
    from typer.testing import CliRunner

    from auditor.cli import app

    fake_pypi.statuses["lib"] = ("quarantined", HOSTILE)
    runner = CliRunner()
    for args in (["audit", *env_args], ["explain", "lib", *env_args]):
        res = runner.invoke(app, args)
        assert res.exit_code in (0, 3), res.output
        assert "\x1b" not in res.output and "\u202e" not in res.output and "\x9b" not in res.output
    assert "\\x1b]0;pwned" in res.output
