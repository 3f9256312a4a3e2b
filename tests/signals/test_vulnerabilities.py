import json
import zipfile
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.models import Severity, Unknown, VulnerabilityReport
from auditor.signals.vulnerabilities import OsvDatabase, VulnerabilityCollector, osv_severity, record_affects

from tests.builders import package_node
from tests.fakes.server import FakeServer

OSV_DIR = Path(__file__).parent / "fixtures" / "osv"


def records():
    return {p.stem: json.loads(p.read_text()) for p in OSV_DIR.glob("*.json")}


def osv_handler(method, path, body):
    """OSV API: POST /v1/query and /v1/querybatch in their real shapes."""
    recs = list(records().values())
    if method == "POST" and path == "/v1/query":
        q = json.loads(body)
        name, version = q["package"]["name"], q["version"]
        if name == "broken":
            return 500, {}, {"code": 13, "message": "internal error"}
        hits = [r for r in recs if record_affects(r, name, version) or (r.get("withdrawn") and name == "requests")]
        return 200, {}, ({"vulns": hits} if hits else {})
    if method == "POST" and path == "/v1/querybatch":
        qs = json.loads(body)["queries"]
        results = []
        for q in qs:
            hits = [{"id": r["id"], "modified": r["modified"]} for r in recs
                    if record_affects(r, q["package"]["name"], q["version"])]
            results.append({"vulns": hits} if hits else {})
        return 200, {}, {"results": results}
    return 404, {}, {"code": 5, "message": "Not Found"}


def test_osv_service_through_pip_audit(ctx, config):
    with FakeServer(handler=osv_handler) as srv:
        ctx.config = config.with_changes(osv_url=srv.url)
        nodes = [package_node("jinja2", "3.1.2"), package_node("requests", "2.28.2"), package_node("idna", "3.7"), package_node("local", None)]
        out = VulnerabilityCollector().collect(ctx, nodes)
    jinja = out["jinja2"]
    assert isinstance(jinja, VulnerabilityReport) and jinja.service == "osv"
    (adv,) = jinja.advisories
    assert adv.id == "CVE-2024-22195"  # pip-audit prefers PYSEC, then CVE ids
    assert adv.aliases == ("GHSA-h5c8-rqwp-cqqp",)
    assert adv.fixed_versions == ("3.1.3",)
    assert adv.severity is Severity.MEDIUM and "MODERATE" in adv.severity_source
    req = out["requests"]
    assert [a.id for a in req.advisories] == ["PYSEC-2023-74"]  # withdrawn record dropped
    assert req.advisories[0].severity is Severity.MEDIUM  # from the CVSS vector (5.5-ish? 6.1 medium)
    assert req.advisories[0].severity_source.startswith("CVSS:3.1/")
    assert out["idna"].advisories == ()
    assert isinstance(out["local"], Unknown) and not out["local"].fault
    assert all(m == "POST" for m, _, _ in srv.requests)
    # one batch request, then full queries only for the affected packages
    assert [p for _, p, _ in srv.requests] == ["/v1/querybatch", "/v1/query", "/v1/query"]


def test_osv_server_error_is_unknown(ctx, config):

    def no_batch(method, path, body):
        if path == "/v1/querybatch":
            return 503, {"Retry-After": "0"}, {"code": 14, "message": "unavailable"}
        return osv_handler(method, path, body)

    with FakeServer(handler=no_batch) as srv:
        ctx.config = config.with_changes(osv_url=srv.url)
        out = VulnerabilityCollector().collect(ctx, [package_node("broken", "1.0"), package_node("idna", "3.7")])
    assert isinstance(out["broken"], Unknown) and "osv" in out["broken"].reason
    assert out["idna"].advisories == ()
    # 5xx answers are retried (MAX_RETRIES=3), then the failed batch falls back to one query per package
    paths = [(p, json.loads(b).get("package", {}).get("name")) for _, p, b in srv.requests]
    assert paths.count(("/v1/querybatch", None)) == 4
    assert paths.count(("/v1/query", "broken")) == 4 and paths.count(("/v1/query", "idna")) == 1


def pypi_handler(method, path, body):
    """PyPI per-version JSON: /pypi/NAME/VERSION/json with its vulnerabilities list."""
    if path == "/pypi/requests/2.28.2/json":
        return 200, {}, {
            "info": {"name": "requests", "version": "2.28.2"},
            "urls": [],
            "vulnerabilities": [
                {
                    "aliases": ["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"],
                    "details": "Requests is a HTTP library...",
                    "summary": None,
                    "fixed_in": ["2.31.0"],
                    "id": "PYSEC-2023-74",
                    "link": "https://osv.dev/vulnerability/PYSEC-2023-74",
                    "source": "osv",
                    "withdrawn": None,
                }
            ],
        }
    if path == "/pypi/idna/3.7/json":
        return 200, {}, {"info": {"name": "idna"}, "urls": [], "vulnerabilities": []}
    return 404, {}, {"message": "Not Found"}


def test_pypi_service_rewrites_base_url(ctx, config):
    with FakeServer(handler=pypi_handler) as srv:
        ctx.config = config.with_changes(vulnerability_service="pypi", pypi_url=srv.url)
        out = VulnerabilityCollector().collect(ctx, [package_node("requests", "2.28.2"), package_node("idna", "3.7"), package_node("nope", "1.0")])
    (adv,) = out["requests"].advisories
    assert adv.id == "PYSEC-2023-74" and adv.fixed_versions == ("2.31.0",)
    assert adv.aliases == ("CVE-2023-32681", "GHSA-j8r2-6x86-q33q")
    assert adv.severity is None  # PyPI gives no severity
    assert out["idna"].advisories == ()
    assert out["nope"] == Unknown("not found on PyPI")
    assert {p for _, p, _ in srv.requests} == {"/pypi/requests/2.28.2/json", "/pypi/idna/3.7/json", "/pypi/nope/1.0/json"}


@pytest.mark.parametrize("as_zip", [False, True])
def test_offline_osv_database(tmp_path, ctx, config, as_zip):
    db = OSV_DIR
    if as_zip:
        db = tmp_path / "all.zip"
        with zipfile.ZipFile(db, "w") as zf:
            for p in OSV_DIR.glob("*.json"):
                zf.write(p, p.name)
    ctx.config = config.with_changes(osv_db=db, osv_url="http://127.0.0.1:9")  # never contacted
    nodes = [package_node("jinja2", "3.1.3"), package_node("Jinja2".lower(), "3.1.2"), package_node("requests", "2.30.0"), package_node("requests", "2.2.0")]
    out = VulnerabilityCollector().collect(ctx, nodes[1:3])
    assert [a.id for a in out["jinja2"].advisories] == ["CVE-2024-22195"]
    assert out["requests"].advisories[0].id == "PYSEC-2023-74"
    assert out["requests"].service.startswith("osv-db:")
    loaded = OsvDatabase.load(db)
    assert loaded.query("jinja2", "3.1.3") == ()
    assert loaded.query("requests", "2.2.0") == ()
    assert loaded.query("requests", "2.31.0") == ()


def test_range_semantics():
    rec = {"id": "X", "affected": [{"package": {"ecosystem": "PyPI", "name": "p"}, "ranges": [
        {"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"last_affected": "1.4"}, {"introduced": "2.0"}, {"fixed": "2.2"}]}]}]}
    assert [v for v in ["0.9", "1.0", "1.4", "1.5", "2.0", "2.1.9", "2.2"] if record_affects(rec, "p", v)] == ["1.0", "1.4", "2.0", "2.1.9"]


def test_bad_database_is_input_error(tmp_path):
    bad = tmp_path / "db"
    bad.mkdir()
    (bad / "x.json").write_text("{not json")
    with pytest.raises(InputError, match="x.json"):
        OsvDatabase.load(bad)
    with pytest.raises(InputError):
        OsvDatabase.load(tmp_path / "missing")


def test_severity_sources():
    assert osv_severity({"database_specific": {"severity": "CRITICAL"}})[0] is Severity.CRITICAL
    sev, src = osv_severity({"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]})
    assert sev is Severity.CRITICAL and src.startswith("CVSS:3.1")
    assert osv_severity({"severity": [{"type": "CVSS_V3", "score": "garbage"}]}) == (None, None)
    assert osv_severity({}) == (None, None)


def test_warm_cache_makes_no_requests(tmp_path):
    from auditor.collectors import RunContext
    from auditor.config import Config

    with FakeServer(handler=osv_handler) as srv:
        cfg = Config(cache_dir=tmp_path / "c", osv_url=srv.url)
        nodes = [package_node("jinja2", "3.1.2"), package_node("idna", "3.7")]
        first = RunContext(config=cfg)
        cold = VulnerabilityCollector().collect(first, nodes)
        first.close()
        n = len(srv.requests)
        second = RunContext(config=cfg)
        warm = VulnerabilityCollector().collect(second, nodes)
        counts = second.request_counts()["osv"]
        second.close()
        offline = RunContext(config=cfg.with_changes(offline=True))
        off = VulnerabilityCollector().collect(offline, nodes)
        offline.close()
    assert cold == warm == off
    assert len(srv.requests) == n and counts["network"] == 0 and counts["cache_hits"] == 2  # the batch and the one full query


def test_rate_limited_query_is_retried(ctx, config):
    answered = {"n": 0}

    def limited(method, path, body):
        if path == "/v1/query" and answered["n"] == 0:
            answered["n"] += 1
            return 429, {"Retry-After": "0"}, {"code": 8, "message": "Resource has been exhausted"}
        return osv_handler(method, path, body)

    with FakeServer(handler=limited) as srv:
        ctx.config = config.with_changes(osv_url=srv.url)
        out = VulnerabilityCollector().collect(ctx, [package_node("jinja2", "3.1.2")])
    assert [a.id for a in out["jinja2"].advisories] == ["CVE-2024-22195"]
    assert [p for _, p, _ in srv.requests] == ["/v1/query", "/v1/query"]  # one node: no batch; one retry


def test_versions_list_and_name_normalization():
    rec = {"id": "PYSEC-X", "affected": [{"package": {"ecosystem": "PyPI", "name": "Foo_Bar"}, "versions": ["1.0", "1.1"]}]}
    assert record_affects(rec, "foo-bar", "1.0") and record_affects(rec, "foo-bar", "1.1.0")
    assert not record_affects(rec, "foo-bar", "1.2") and not record_affects(rec, "foo", "1.0")
    other_ecosystem = {"id": "X", "affected": [{"package": {"ecosystem": "npm", "name": "foo-bar"}, "versions": ["1.0"]}]}
    assert not record_affects(other_ecosystem, "foo-bar", "1.0")
    limited = {"id": "Y", "affected": [{"package": {"ecosystem": "PyPI", "name": "p"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"limit": "2.0"}]}]}]}
    assert record_affects(limited, "p", "1.9") and not record_affects(limited, "p", "2.0")
