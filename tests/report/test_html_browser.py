"""``--format html`` in a real browser: Debian's ``chromium``, driven by Playwright (issue 17, requirement 4).

The page is opened from a ``file://`` URL, as a user opens a report they
were sent.  Checked: no console message of type error and no uncaught
exception (a CSP violation is one), no request but the page itself, sorting
and filtering of the package table, the detail view, the graph at 500
nodes, and a hostile package name that stays text (no dialog, no element
created from it).

The browser is the system's (``shutil.which("chromium")``; ``.ci/run``
installs Debian's package), never one downloaded by ``playwright install``.
The tests skip, saying why, only when Playwright or chromium is absent.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil

import pytest

from auditor.models import Finding, Severity
from auditor.pipeline import MissingData, run_audit
from auditor.report import html
from tests.builders import StaticSource, dist, inventory

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the 'test' extra has it)")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (.ci/run installs Debian's chromium package)")

#: A package name that would run script if it were ever parsed as HTML, with a terminal escape and an RTL override.
HOSTILE = "<img src=x onerror=alert(1)>\x1b[31mred\u202egnp.exe<script>alert(2)</script>"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        b = p.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        yield b
        b.close()


class Page:
    """A page with everything it logged, asked for and popped up recorded."""

    def __init__(self, browser, path):
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)

    def names(self) -> list[str]:
        return self.page.eval_on_selector_all("#packages tbody tr td:nth-child(2)", "tds => tds.map(t => t.textContent)")

    def clean(self) -> None:
        """No console error or warning, no dialog, no request but the page itself."""
        assert self.errors == []
        assert self.dialogs == []
        assert self.requests == [self.url]


def write(tmp_path, result, name="report.html"):
    out = io.StringIO()
    html.render(result, out)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def golden(tmp_path, name: str):
    """The golden page ``tests/golden/expected/NAME`` (the real CLI against the shared fake server) as a
    file of its own (the golden file's first lines are the exit code and a ``---`` line)."""
    from tests.golden.test_golden import EXPECTED

    path = tmp_path / name
    path.write_text((EXPECTED / name).read_text(encoding="utf-8").split("---\n", 1)[1], encoding="utf-8")
    return path


@pytest.fixture
def small(config, fake_pypi, tmp_path):
    """Three packages from the fake PyPI, one with a hostile name, summary and finding."""
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0", roles=(("Owner", "bob"), ("Maintainer", "carol")))
    inv = inventory(["app", "zeta", HOSTILE], dist("app", requires=["lib"], summary=HOSTILE, author=HOSTILE),
                    dist("lib"), dist("zeta"), dist(HOSTILE))
    res = run_audit(config, StaticSource(inv))
    res = dataclasses.replace(res, findings=[*res.findings, Finding("AUD101", Severity.HIGH, f"advisory {HOSTILE}", HOSTILE)],
                              missing=[*res.missing, MissingData(HOSTILE, "history", HOSTILE, "error")])
    return write(tmp_path, res)


def test_loads_clean_sorts_filters_and_opens_a_detail_view(browser, small):
    page = Page(browser, small)
    p = page.page
    assert p.title().startswith("auditor ")
    names = page.names()
    assert {"app", "lib", "zeta", "python"} <= set(names) and len(names) == 5

    p.click("th[data-key=name] button")  # ascending by name
    by_name = page.names()
    assert by_name == sorted(by_name)
    assert p.get_attribute("th[data-key=name]", "aria-sort") == "ascending"
    p.click("th[data-key=name] button")  # descending
    assert page.names() == by_name[::-1]
    p.click("th[data-key=maintainers] button")  # numbers, largest first; unknown last
    assert page.names()[0] == "lib"

    p.fill("#filter", "zet")
    assert page.names() == ["zeta"]
    assert p.text_content("#shown") == "1 of 5 packages shown"
    p.fill("#filter", "")
    p.check("#only-findings")
    with_findings = page.names()
    assert any(HOSTILE.split("\x1b")[0] in name for name in with_findings) and "python" not in with_findings
    p.uncheck("#only-findings")

    p.click("#packages tbody tr:has(td:text-is('lib'))")
    assert p.is_visible("#detail")
    detail = p.text_content("#detail")
    assert p.text_content("#detail h2") == "lib 1.0"
    for part in ("Factors", "maintainers", "People", "bob", "Paths from the root", "test-input \u2192 app==1.0 \u2192 lib==1.0",
                 "app 1.0", "Findings (", "Unknown ("):
        assert part in detail
    p.click("#detail button.link >> text=app 1.0")  # "Required by" links to the dependent
    assert "app 1.0" in p.text_content("#detail h2")
    p.keyboard.press("Escape")
    assert not p.is_visible("#detail")
    page.clean()


def test_versions_sort_by_their_numbers(browser, config, tmp_path):
    """The Version column (and every text column) orders digit runs as numbers, the same in every
    browser: 2.9 before 2.10 before 10.0 (text order put 10.0 and 2.10 first)."""
    inv = inventory(["a", "b", "c"], dist("a", "2.10"), dist("b", "10.0"), dist("c", "2.9"))
    page = Page(browser, write(tmp_path, run_audit(config, StaticSource(inv))))
    p = page.page
    p.click("th[data-key=version] button")
    versions = p.eval_on_selector_all("#packages tbody tr td:nth-child(3)", "tds => tds.map(t => t.textContent)")
    assert [v for v in versions if v in ("2.9", "2.10", "10.0")] == ["2.9", "2.10", "10.0"]
    page.clean()


def test_hostile_name_stays_inert(browser, small):
    page = Page(browser, small)
    p = page.page
    # Nothing was created from the name: no image, no second script element run, no dialog.
    assert p.eval_on_selector_all("img", "e => e.length") == 0
    assert p.evaluate("document.querySelectorAll('[onerror]').length") == 0
    assert p.evaluate("document.scripts.length") == 3  # the data block and our own two scripts (common.js, report.js)
    shown = [n for n in page.names() if "onerror" in n]
    # The name is text: the markup literally, the escape and the RTL override as visible escapes.
    assert shown == ["<img src=x onerror=alert(1)>\\x1b[31mred\\u202egnp.exe<script>alert(2)</script>"]
    p.click("#packages tbody tr:has(td:text-matches('onerror'))")
    detail = p.text_content("#detail")
    assert "advisory <img src=x onerror=alert(1)>" in detail and "\u202e" not in detail and "\x1b" not in detail
    p.click("button[data-view=graph]")
    p.wait_for_timeout(100)
    assert p.eval_on_selector_all("img", "e => e.length") == 0
    page.clean()


def test_graph_at_500_nodes(browser, config, tmp_path):
    """A 500-package tree with cross edges: drawn, pannable, and a click on a node opens its detail view."""
    n = 500
    dists = [dist(f"pkg{i:03d}", requires=[f"pkg{j:03d}" for j in sorted({2 * i + 1, 2 * i + 2, (7 * i + 3) % n}) if i < j < n])
             for i in range(n)]
    res = run_audit(dataclasses.replace(config, offline=True), StaticSource(inventory(["pkg000", "pkg001"], *dists)))
    page = Page(browser, write(tmp_path, res))
    p = page.page
    assert len(page.names()) == n + 1  # and the interpreter
    p.click("button[data-view=graph]")
    size = p.evaluate("window.auditorGraph.size()")
    assert size["nodes"] == n + 1 and size["edges"] >= n  # the root and every package; the interpreter is not drawn
    # The canvas is painted (some pixel is not the background).
    assert p.evaluate("""() => { const c = document.getElementById('graph');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }""")
    box = p.locator("#graph").bounding_box()
    pos = p.evaluate("window.auditorGraph.position('pkg123==1.0')")
    assert 0 <= pos["x"] <= box["width"] and 0 <= pos["y"] <= box["height"]  # fitted: every node in view
    p.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert p.text_content("#detail h2") == "pkg123 1.0"
    p.keyboard.press("Escape")
    p.mouse.move(box["x"] + 200, box["y"] + 200)  # pan by dragging, zoom with the wheel: no error
    p.mouse.down()
    p.mouse.move(box["x"] + 300, box["y"] + 260, steps=4)
    p.mouse.up()
    p.mouse.wheel(0, -300)
    p.fill("#graph-find", "pkg499")
    page.clean()


@pytest.mark.parametrize("name", ["audit-requirements.html", "audit-uv-lock.html", "audit-hub.html"])
def test_golden_pages_load_clean(browser, tmp_path, name):
    """The golden reports (the real CLI against the shared fake server) open with no error or request."""
    page = Page(browser, golden(tmp_path, name))
    assert len(page.names()) >= 3
    page.page.click("#packages tbody tr >> nth=0")
    assert page.page.is_visible("#detail")
    page.page.click("button[data-view=run]")
    page.page.click("button[data-view=graph]")
    page.clean()


def test_golden_diff_page_sorts_filters_and_opens_a_detail_view(browser, tmp_path):
    """``auditor diff -f html`` (the golden base -> head uv.lock diff): clean, sortable, filterable, a detail view."""
    page = Page(browser, golden(tmp_path, "diff.html"))
    p = page.page
    names = lambda: p.eval_on_selector_all("#changes tbody tr td:first-child", "tds => tds.map(t => t.textContent)")  # noqa: E731
    assert names() == ["helper", "lib", "newdep"]
    assert "verdict: fail (exit code 1)" in p.text_content("#badges")
    assert "POL004" in p.text_content("#policy")
    p.click("th[data-key=name] button")
    assert names() == ["newdep", "lib", "helper"]
    p.fill("#filter", "upgraded")
    assert names() == ["lib"]
    p.click("#changes tbody tr >> nth=0")
    assert p.text_content("#detail h2") == "lib: upgraded 2.0 \u2192 2.1"
    assert "repository_before" in p.text_content("#detail")
    page.clean()


def test_hostile_diff_stays_inert(browser, tmp_path):
    """A diff whose new package has a hostile name, maintainer and contact: text only, no element, no dialog."""
    from auditor.gate import GateOutcome, diff_audits, evaluate, parse_policy
    from auditor.report import diff_html
    from tests.builders import diff_node, view
    from tests.test_diff import NOW

    d = diff_audits(view("b"), view("h", diff_node(HOSTILE, "1.0", maintainers=(HOSTILE,), repo=None, contacts=(HOSTILE,),
                                                     line=3)), now=NOW)
    r = evaluate(parse_policy("rules: {forbid_single_maintainer: true}"), d, today=NOW.date())
    out = io.StringIO()
    diff_html.render(GateOutcome(d, r, r.exit_code()), out)
    path = tmp_path / "diff.html"
    path.write_text(out.getvalue(), encoding="utf-8")
    page = Page(browser, path)
    p = page.page
    p.click("#changes tbody tr >> nth=0")
    assert "onerror=alert(1)>\\x1b[31mred\\u202egnp.exe" in p.text_content("#detail h2")
    assert p.eval_on_selector_all("img", "e => e.length") == 0 and p.evaluate("document.scripts.length") == 3
    page.clean()


@pytest.mark.parametrize(("name", "rows"), [("audit-uv-lock.html", "#packages tbody tr"), ("diff.html", "#changes tbody tr")])
def test_keyboard_focus_is_visible_and_opens_the_detail_view(browser, tmp_path, name, rows):
    """Tab reaches the sort buttons, the rows and the detail view's links, each with a visible outline
    (``all:unset`` on those buttons had removed the browser's focus ring), and Enter opens a row."""
    page = Page(browser, golden(tmp_path, name))
    p = page.page
    focused = "() => { const e = document.activeElement; return [e.tagName, e.parentElement.tagName, e.className," \
              " getComputedStyle(e).outlineStyle]; }"

    def tab_to(want):
        for _ in range(40):
            p.keyboard.press("Tab")
            got = p.evaluate(focused)
            if want(got):
                return got
        raise AssertionError(f"never focused; last {got}")

    p.focus("#filter")
    assert tab_to(lambda f: f[:2] == ["BUTTON", "TH"])[3] != "none"
    assert tab_to(lambda f: f[0] == "TR")[3] != "none"
    p.keyboard.press("Enter")
    assert p.is_visible("#detail")
    if name.startswith("audit"):
        p.focus("#close-detail")
        assert tab_to(lambda f: f[2] == "link")[3] != "none"
    assert p.eval_on_selector(rows, "tr => getComputedStyle(tr).cursor") == "pointer"  # rows look clickable
    page.clean()
