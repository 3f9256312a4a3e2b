"""PEP 792 project status: the signal (index page) and findings AUD115-AUD117."""

from dataclasses import replace

import pytest

from auditor.judgement.findings import findings_for
from auditor.models import Origin, ProjectStatus, Severity, Unknown, UnknownKind
from auditor.net.simple import MAX_STATUS_REASON, parse_simple_html_page, parse_simple_json_page
from auditor.signals.install import InstallCollector
from auditor.signals.status import StatusCollector
from tests.builders import package_node
from tests.fakes.server import FakeServer, Reply


@pytest.fixture
def server():
    with FakeServer() as s:
        for name in ("keep", "old", "bad", "gone", "odd"):
            s.add_project(name, "1.0")
        s.statuses.update({
            "old": ("archived", "superseded by keep"),
            "bad": ("quarantined", None),
            "gone": ("deprecated", "use keep"),
            "odd": ("frozen", None),
        })
        yield s


@pytest.fixture
def status_ctx(ctx, server):
    ctx.config = replace(ctx.config, index_url=server.url + "/simple", pypi_url=server.url)
    return ctx


def collect(ctx, *names, **kw):
    nodes = [package_node(n, "1.0", **kw) for n in names]
    return StatusCollector().collect(ctx, nodes), {n.name: n for n in nodes}


def test_markers_become_facts_and_findings(status_ctx):
    out, nodes = collect(status_ctx, "keep", "old", "bad", "gone", "odd")
    assert out["keep"] == ProjectStatus("active")  # no marker: active by the specification
    assert out["old"] == ProjectStatus("archived", "superseded by keep", stated=True)
    assert out["bad"] == ProjectStatus("quarantined", None, stated=True)
    assert out["odd"] == ProjectStatus("frozen", None, stated=True)  # kept as given, not read as active

    def found(name):
        node = replace(nodes[name], signals={"status": out[name]})
        return [(f.id, f.severity, f.message) for f in findings_for(node) if f.id in ("AUD115", "AUD116", "AUD117")]

    assert found("keep") == [] and found("odd") == []
    assert found("bad") == [("AUD115", Severity.CRITICAL, "bad is quarantined on its index")]
    assert found("old") == [("AUD116", Severity.MEDIUM, "old is archived on its index: superseded by keep")]
    assert found("gone") == [("AUD117", Severity.LOW, "gone is deprecated on its index: use keep")]


def test_one_page_request_serves_status_and_install(status_ctx, server):
    nodes = [package_node("old", "1.0")]
    StatusCollector().collect(status_ctx, nodes)
    InstallCollector().collect(status_ctx, nodes)
    assert server.hits["/simple/old/"] == 1


def test_faults_are_typed_unknowns(status_ctx, server):
    server.script("/simple/keep/", Reply(503, "busy", {"Content-Type": "text/plain"}))
    server.script("/simple/odd/", Reply(200, "[1, 2]", {"Content-Type": "application/vnd.pypi.simple.v1+json"}))
    out, _ = collect(status_ctx, "keep", "odd", "nosuch")
    assert isinstance(out["keep"], Unknown) and out["keep"].fault
    assert isinstance(out["odd"], Unknown) and out["odd"].kind is UnknownKind.MALFORMED
    assert isinstance(out["nosuch"], Unknown) and out["nosuch"].not_found


def test_not_from_an_index_is_unknown_by_design(status_ctx, server):
    out, _ = collect(status_ctx, "keep", origin=Origin(kind="vcs", url="git+https://example.org/keep"))
    assert isinstance(out["keep"], Unknown) and not out["keep"].fault
    assert server.network_requests == 0


def test_html_meta_tags():
    page = parse_simple_html_page(
        '<html><head><meta name="pypi:repository-version" content="1.4">'
        '<meta name="pypi:project-status" content="Archived">'
        '<meta name="pypi:project-status-reason" content="no longer maintained"></head>'
        '<body><a href="x-1.0.tar.gz#sha256=00">x-1.0.tar.gz</a></body></html>', "https://i.test/simple/x/")
    assert (page.status.status, page.status.reason) == ("archived", "no longer maintained")
    assert [f.filename for f in page.files] == ["x-1.0.tar.gz"]
    assert parse_simple_html_page("<a href='x-1.0.tar.gz'>x-1.0.tar.gz</a>", "https://i.test/").status is None


@pytest.mark.parametrize("marker", [None, "archived", {"status": 3}, {"status": ""}, {"reason": "r"}, []])
def test_malformed_markers_are_no_marker(marker):
    page = parse_simple_json_page({"files": [], "project-status": marker}, "https://i.test/")
    assert page.status is None  # only a mapping with a string status is a marker


def test_hostile_reason_is_bounded():
    page = parse_simple_json_page({"files": [], "project-status": {"status": "x" * 1000, "reason": "r" * 10**6}}, "u")
    assert len(page.status.status) == 64 and len(page.status.reason) == MAX_STATUS_REASON
