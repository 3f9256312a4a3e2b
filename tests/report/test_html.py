"""``auditor audit --format html`` without a browser: escaping, CSP, layout, determinism (issue 17).

The page in a real browser: tests/report/test_html_browser.py.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re

import networkx as nx
import pytest
from hypothesis import given, strategies as st

from auditor.graph import attrs as A
from auditor.models import Finding, Severity
from auditor.pipeline import MissingData, run_audit
from auditor.report import html
from auditor.report.registry import names, renderer
from tests.builders import StaticSource, dist, inventory

HOSTILE = "</script><img src=x onerror=alert(1)>&amp;\u2028\u2029\x1b[31m\u202egnp.exe"
#: With a lone surrogate (an undecodable file name read with surrogateescape), in messages only: a
#: distribution name with one makes the fact memo's SQLite key fail (auditor/net/memo.py; reported).
SURROGATE = HOSTILE + "\ud800"


def render(result) -> str:
    out = io.StringIO()
    html.render(result, out)
    return out.getvalue()


def audit(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    inv = inventory(["app", HOSTILE], dist("app", requires=["lib"], summary=HOSTILE), dist("lib"), dist(HOSTILE))
    res = run_audit(config, StaticSource(inv))
    return dataclasses.replace(res, findings=[*res.findings, Finding("AUD101", Severity.HIGH, SURROGATE, "app")],
                               missing=[*res.missing, MissingData("app", "history", SURROGATE, "timeout")])


def test_registered():
    assert "html" in names("audit")
    assert renderer("html") is html.render


def test_page_is_self_contained_and_its_csp_hashes_its_own_blocks(config, fake_pypi):
    page = render(audit(config, fake_pypi))
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert csp.startswith("default-src 'none'; ") and "connect-src 'none'" in csp and "img-src 'none'" in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts == [html._asset("common.js"), html._asset("report.js")]  # the shared helpers first

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {' '.join(sha(s) for s in scripts)};" in csp and f"style-src {sha(style)};" in csp
    # Nothing outside the data block refers to another resource.
    skeleton = re.sub(r'<script type="application/json" id="auditor-data">.*?</script>', "", page, flags=re.S)
    assert not re.search(r"\b(src|href|action)\s*=", skeleton) and "url(" not in style and "@import" not in style


def test_outside_strings_are_inert_in_the_data_block(config, fake_pypi):
    page = render(audit(config, fake_pypi))
    block = re.search(r'<script type="application/json" id="auditor-data">(.*?)</script>', page, re.S).group(1)
    assert page.count("</script>") == 3 and page.count("<script") == 3  # the hostile "</script>" never closes a block
    assert block.isascii() and not set(block) & set("<>&")
    doc = json.loads(block)
    shown = {p["record"]["name"] for p in doc["packages"]}
    # The markup is text; the escape, the RTL override and the lone surrogate are visible escapes
    # (U+2028/9 are text again once parsed: only raw JavaScript source would mind them, and the block is ASCII).
    assert "</script><img src=x onerror=alert(1)>&amp;\u2028\u2029\\x1b[31m\\u202egnp.exe" in shown
    app = next(p for p in doc["packages"] if p["record"]["name"] == "app")
    assert any(f["message"] == html.terminal(SURROGATE) and f["message"].endswith("\\ud800") for f in app["findings"])
    assert {"what": "history", "kind": "timeout", "reason": html.terminal(SURROGATE)} in app["unknowns"]


@pytest.mark.parametrize("script", ["common.js", "report.js", "diff.js"])
def test_the_scripts_never_parse_html(script):
    js = re.sub(r"/\*.*?\*/", "", html._asset(script), flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(", "setAttribute(\"on",
                 "srcdoc", "location", "fetch(", "XMLHttpRequest", "WebSocket", "import("):
        assert sink not in js, sink


@pytest.mark.parametrize("script", ["report.js", "diff.js"])
def test_the_shared_helpers_are_defined_once(script):
    """common.js holds what both pages use; a page script takes them from it instead of a copy of its own."""
    js = html._asset(script)
    assert "window.auditorUI" in js
    for helper in ("el", "add", "clear", "isUnknown", "table", "none", "activate", "sortable", "closable"):
        assert f"function {helper}(" in html._asset("common.js") and f"function {helper}(" not in js, helper


def test_deterministic(config, fake_pypi):
    res = audit(config, fake_pypi)
    assert render(res) == render(res)


@given(st.text())
def test_data_json_round_trips_and_stays_in_its_block(text):
    out = html.data_json({"k": text, text: [text]})
    assert out.isascii() and not set(out) & set("<>&")
    assert json.loads(out) == {"k": html.terminal(text), html.terminal(text): [html.terminal(text)]}


@given(st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=12))
def test_fast_path_writes_what_the_standard_library_writes(value):
    """orjson's path (taken when no string needs terminal()) gives the standard library's exact text."""
    fast = html._fast_json(value)
    slow = json.dumps(html._inert(value), ensure_ascii=True, separators=(",", ":"))
    if fast is not None:
        assert fast == slow
    assert html.data_json(value) == html._block(slow)


def test_clean_and_hostile_audits_render_the_same_way_by_either_path(config, fake_pypi):
    res = audit(config, fake_pypi)  # hostile: the slow path
    assert html._fast_json(html.document(res, html.orjson_converter())) is None
    fake_pypi.add("café", "1.0", roles=(("Owner", "zoë"),))  # non-ASCII needs no escaping: the fast path
    clean = run_audit(config, StaticSource(inventory(["app", "café"], dist("app", requires=["lib"]), dist("lib"),
                                                     dist("café", summary="naïve 🐍 <b> & co"))))
    doc = html.document(clean)
    assert html._fast_json(html.document(clean, html.orjson_converter())) == json.dumps(
        html._inert(doc), ensure_ascii=True, separators=(",", ":"))


def graph(edges, extra=()) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node(A.ROOT_ID, kind=A.ROOT, label="root")
    for n in {n for e in edges for n in e} | set(extra):
        if n != A.ROOT_ID:
            g.add_node(n, kind=A.DISTRIBUTION, label=n)
    g.add_node("python==3.11", kind=A.INTERPRETER, label="python")
    for u, v in edges:
        g.add_edge(u, v, kind=A.REQUIRES)
    for n in list(g):
        if n not in (A.ROOT_ID, "python==3.11"):
            g.add_edge(n, "python==3.11", kind=A.REQUIRES)
    return g


def test_layout_columns_follow_the_longest_path_and_skip_the_interpreter():
    g = graph([(A.ROOT_ID, "a"), (A.ROOT_ID, "b"), ("a", "b"), ("b", "c")], extra=["orphan"])
    lay = html.layout(g)
    x = {n["id"]: n["x"] for n in lay["nodes"]}
    assert "python==3.11" not in x
    assert x[A.ROOT_ID] < x["a"] < x["b"] < x["c"] < x["orphan"]  # b after a (a requires b); orphan last
    ids = [n["id"] for n in lay["nodes"]]
    assert all(x[ids[i]] < x[ids[j]] for i, j, _ in lay["edges"])


def test_layout_with_a_cycle_falls_back_to_bfs_columns():
    g = graph([(A.ROOT_ID, "a"), ("a", "b"), ("b", "a")])
    x = {n["id"]: n["x"] for n in html.layout(g)["nodes"]}
    assert x[A.ROOT_ID] < x["a"] < x["b"]


def test_layout_is_independent_of_insertion_order_and_wraps_tall_columns():
    edges = [(A.ROOT_ID, f"p{i:03d}") for i in range(500)]
    one, two = graph(edges), graph(edges[::-1])
    assert html.layout(one) == html.layout(two)
    lay = html.layout(one)
    columns = {}
    for n in lay["nodes"]:
        columns.setdefault(n["x"], []).append(n)
    assert max(len(c) for c in columns.values()) <= html.COLUMN_ROWS
    assert len({(n["x"], n["y"]) for n in lay["nodes"]}) == len(lay["nodes"])  # no two nodes on one spot


def test_diff_page_uses_the_same_machinery():
    """``diff -f html``: the diff's JSON document in the same inert block, under a CSP naming the hashes of
    common.js and diff.js."""
    from auditor.report import diff_html

    page = html.page(html.data_json({"base": HOSTILE}), skeleton="diff.html", script="diff.js")
    common, diff = html._asset("common.js"), html._asset("diff.js")
    assert f"script-src {html._csp_hash(common)} {html._csp_hash(diff)};" in page
    assert f"<script>{common}</script>\n<script>{diff}</script>" in page
    assert page.count("</script>") == 3
    from auditor.report.registry import get

    assert get("diff", "html").load() is diff_html.render


def test_paths_from_the_root_one_per_dependent():
    g = graph([(A.ROOT_ID, "a"), (A.ROOT_ID, "b"), (A.ROOT_ID, "c"), (A.ROOT_ID, "d"), ("a", "x"), ("b", "x"), ("c", "x"),
               ("d", "x"), (A.ROOT_ID, "x"), ("x", "y")])
    paths = html._paths_from_root(g)
    assert paths["x"] == [[A.ROOT_ID, "x"], [A.ROOT_ID, "a", "x"], [A.ROOT_ID, "b", "x"]]  # the root first, then 2 of 4
    assert paths["y"] == [[A.ROOT_ID, "x", "y"]]
    assert "python==3.11" in paths and len(paths["python==3.11"]) == html.MAX_PATHS
