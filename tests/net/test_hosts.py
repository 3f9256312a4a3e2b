"""Per-host circuit breakers and the negative cache (auditor/net/hosts.py) through the HTTP layer."""

from __future__ import annotations

import json
import socket

import pytest

from auditor.config import Config
from auditor.models import Unknown, UnknownKind
from auditor.net import hosts as H
from auditor.net.context import RunContext
from auditor.net.http import MAX_RETRIES, UNREACHABLE_AFTER, HttpClient
from tests.fakes.server import FakeClock, FakeServer, Reply


def make_config(tmp_path, **kw) -> Config:
    return Config(cache_dir=tmp_path / "cache", timeout=(2.0, 5.0), github_token=None, gitlab_token=None, **kw)


def dead_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: connection refused
    return f"http://127.0.0.1:{port}"


def ctx_client(tmp_path, service="pypi-files", **kw) -> tuple[RunContext, HttpClient]:
    ctx = RunContext(make_config(tmp_path, **kw))
    c = ctx.http(service)
    c.clock, c._uniform = FakeClock(), (lambda a, b: 0.0)
    return ctx, c


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def test_a_dead_host_does_not_stop_the_healthy_host_of_the_same_service(tmp_path, server):
    server.script("/ok", Reply(200, {"ok": 1}))
    dead = dead_url()
    ctx, c = ctx_client(tmp_path)
    with ctx:
        for i in range(UNREACHABLE_AFTER + 1):
            assert isinstance(c.get_json(f"{dead}/f{i}"), Unknown)
        assert c.get_json(server.url + "/ok") == {"ok": 1}  # the service's other host is still asked
        assert c.stats.retries == UNREACHABLE_AFTER * MAX_RETRIES
        assert ctx.request_counts()["pypi-files"]["unreachable"] == 1


def test_an_unreachable_host_is_remembered_by_the_next_run(tmp_path):
    dead = dead_url()
    host = dead.split("//")[1]
    ctx, c = ctx_client(tmp_path)
    with ctx:
        for i in range(UNREACHABLE_AFTER):
            c.get_json(f"{dead}/p{i}")
    stored = json.loads((tmp_path / "cache" / H.DOWN_FILE).read_text())
    assert stored["h:" + host]["reason"].startswith("connection failed (connection refused)")

    ctx2, c2 = ctx_client(tmp_path, service="github")  # another service: the host is still known dead
    with ctx2:
        got = c2.get_json(f"{dead}/p0")
    assert isinstance(got, Unknown) and got.kind is UnknownKind.UNREACHABLE
    assert got.reason == f"{host} unreachable (cached: connection failed (connection refused))"
    assert c2.stats.network == 0 and c2.stats.retries == 0 and c2.stats.failures == 1


def test_negative_entries_expire(tmp_path):
    now = [1000.0]
    health = H.HostHealth(tmp_path / H.DOWN_FILE, now=lambda: now[0])
    assert health.transport_failure("h.example", "name resolution failed", immediate=True)
    later = H.HostHealth(tmp_path / H.DOWN_FILE, now=lambda: now[0])
    assert later.down("h.example") == "h.example unreachable (cached: name resolution failed)"
    now[0] += H.NEGATIVE_TTL + 1
    assert H.HostHealth(tmp_path / H.DOWN_FILE, now=lambda: now[0]).down("h.example") is None


def test_a_5xx_is_remembered_for_its_retry_after_and_the_url_is_not_stored(tmp_path, server):
    server.script("/busy", Reply(503, {"e": 1}, {"Retry-After": "1"}))
    ctx, c = ctx_client(tmp_path)
    with ctx:
        first = c.get_json(server.url + "/busy")
    assert isinstance(first, Unknown) and "HTTP 503" in first.reason
    asked = server.count()
    text = (tmp_path / "cache" / H.DOWN_FILE).read_text()
    assert "/busy" not in text and "127.0.0.1" not in text  # digests only
    ctx2, c2 = ctx_client(tmp_path)
    with ctx2:
        again = c2.get_json(server.url + "/busy")
    assert again.kind is UnknownKind.HTTP_ERROR and again.reason.endswith("HTTP 503 (cached)")
    assert server.count() == asked  # not asked again within the TTL
    (entry,) = json.loads(text).values()
    assert entry["until"] - __import__("time").time() <= 1.5  # Retry-After (1 s), not the default TTL


def test_no_cache_keeps_breakers_in_memory(tmp_path):
    dead = dead_url()
    ctx, c = ctx_client(tmp_path, use_cache=False)
    with ctx:
        for i in range(UNREACHABLE_AFTER):
            c.get_json(f"{dead}/p{i}")
        assert c.get_json(f"{dead}/x").reason.endswith("connection failed (connection refused)")
    assert not (tmp_path / "cache" / H.DOWN_FILE).exists()


def test_a_malformed_file_is_ignored(tmp_path):
    (tmp_path / H.DOWN_FILE).write_text('{"h:x": {"until": "soon"}, "h:y": 3}')
    assert H.HostHealth(tmp_path / H.DOWN_FILE).down("x") is None


def test_a_git_host_found_unreachable_is_skipped_by_the_next_run(tmp_path):
    from auditor.net.git import GitCache

    dead = dead_url() + "/org/repo.git"
    host = dead.split("//")[1].split("/")[0]
    first = GitCache(tmp_path, hosts=H.HostHealth(tmp_path / H.DOWN_FILE)).update(dead)
    assert isinstance(first, Unknown) and first.reason.startswith("git clone failed")
    again = GitCache(tmp_path, hosts=H.HostHealth(tmp_path / H.DOWN_FILE)).update(dead)
    assert again.kind is UnknownKind.UNREACHABLE
    assert again.reason.startswith(f"git clone skipped: {host.split(':')[0]} unreachable (cached: git clone failed")


def test_preflight_opens_the_breaker_of_a_name_that_does_not_resolve(tmp_path, monkeypatch):
    """RunContext.preflight resolves service host names in the background; a failure reads as a
    request's own DNS failure would, and the request is then not sent."""
    import socket
    import time as _time

    from auditor.config import Config
    from auditor.models import UnknownKind
    from auditor.net.context import RunContext

    def fake_getaddrinfo(host, *args, **kwargs):
        if host == "dead.example":
            raise socket.gaierror(-2, "Name or service not known")
        return []

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    with RunContext(Config(cache_dir=tmp_path)) as ctx:
        ctx.preflight(["https://dead.example/v3", "https://alive.example/api"])
        for _ in range(200):
            if ctx.hosts().down("dead.example"):
                break
            _time.sleep(0.01)
        assert ctx.hosts().down("dead.example") == "dead.example: connection failed (name resolution failed)"
        assert ctx.hosts().down("alive.example") is None
        got = ctx.http("depsdev").get_json("https://dead.example/v3/x")
        assert got.kind is UnknownKind.UNREACHABLE
        assert got.reason == "dead.example: connection failed (name resolution failed)"
        assert ctx.request_counts()["depsdev"]["network"] == 0
    with RunContext(Config(cache_dir=tmp_path, offline=True)) as ctx:
        ctx.preflight(["https://other.example/"])  # offline: nothing is looked up
        assert ctx.hosts().down("other.example") is None
