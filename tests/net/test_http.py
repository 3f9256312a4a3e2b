"""The HTTP layer against a real server on 127.0.0.1: retries, rate limits, 304s, tokens, offline."""

from __future__ import annotations

import sqlite3

import pytest

from auditor.config import Config, Secret
from auditor.models import Unknown
from auditor.net import http
from auditor.net.http import CACHE_FILE, MAX_RETRIES, HostToken, HttpClient
from tests.fakes.server import FakeClock, FakeServer, Reply

TOKEN = "ghp_SuperSecretTokenValue1234567890"


def make_config(tmp_path, **kw) -> Config:
    kw.setdefault("github_token", None)
    kw.setdefault("gitlab_token", None)
    return Config(cache_dir=tmp_path / "cache", timeout=(2.0, 5.0), **kw)


def client(tmp_path, service="test", clock=None, **kw) -> HttpClient:
    tokens = kw.pop("tokens", ())
    return HttpClient(make_config(tmp_path, **kw), service, tokens=tokens, clock=clock or FakeClock(), rng=lambda a, b: b)


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def test_cache_hit_makes_no_request(tmp_path, server):
    server.script("/a", Reply(200, {"x": 1}))
    c = client(tmp_path)
    assert c.get_json(server.url + "/a") == {"x": 1}
    assert c.get_json(server.url + "/a") == {"x": 1}
    assert server.count("/a") == 1
    assert (c.stats.network, c.stats.cache_hits) == (1, 1)


def test_500_then_success_retries_with_backoff(tmp_path, server):
    clock = FakeClock()
    server.script("/flaky", Reply(500, {"message": "oops"}), Reply(502), Reply(200, {"ok": True}))
    c = client(tmp_path, clock=clock)
    assert c.get_json(server.url + "/flaky") == {"ok": True}
    assert server.count("/flaky") == 3
    base = http.BACKOFF_BASE
    assert clock.sleeps == [round(base, 3), round(2 * base, 3)]  # BACKOFF_BASE * 2**n, jitter pinned to the maximum
    assert c.stats.retries == 2


def test_persistent_500_gives_unknown_after_bounded_retries(tmp_path, server):
    clock = FakeClock()
    server.script("/down", Reply(503))
    c = client(tmp_path, clock=clock)
    got = c.get_json(server.url + "/down")
    assert isinstance(got, Unknown) and got.reason.endswith(f"HTTP 503 after {MAX_RETRIES} retries")
    assert server.count("/down") == MAX_RETRIES + 1
    assert len(clock.sleeps) == MAX_RETRIES


def test_truncated_body_is_retried(tmp_path, server):
    body = {"items": list(range(200))}
    server.script("/cut", Reply(200, body, truncate=True), Reply(200, body))
    c = client(tmp_path)
    assert c.get_json(server.url + "/cut") == body
    assert server.count("/cut") == 2


def test_invalid_json_is_evicted_and_refetched(tmp_path, server):
    server.script("/bad", Reply(200, b'{"items": [1, 2'), Reply(200, {"items": [1, 2]}))
    c = client(tmp_path)
    assert c.get_json(server.url + "/bad") == {"items": [1, 2]}
    assert c.get_json(server.url + "/bad") == {"items": [1, 2]}
    assert server.count("/bad") == 2


def test_conditional_request_304_refreshes_cache(tmp_path, server):
    server.script("/etag", Reply(200, {"v": 1}, {"ETag": '"abc"', "X-RateLimit-Remaining": "4999", "X-RateLimit-Limit": "5000"}))
    c = client(tmp_path)
    c.session.settings.expire_after = 0  # every use revalidates
    assert c.get_json(server.url + "/etag") == {"v": 1}
    assert c.get_json(server.url + "/etag") == {"v": 1}
    assert server.count("/etag") == 2
    assert server.seen[-1].headers.get("If-None-Match") == '"abc"'
    assert c.stats.revalidated == 1


def test_secondary_rate_limit_short_retry_after_waits(tmp_path, server):
    clock = FakeClock()
    server.script(
        "/limited",
        Reply(403, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": "7"}),
        Reply(200, {"ok": 1}),
    )
    c = client(tmp_path, clock=clock)
    assert c.get_json(server.url + "/limited") == {"ok": 1}
    assert clock.sleeps == [7.0]
    assert server.count("/limited") == 2
    assert c.stats.rate_limit_waits == 1


def test_429_without_headers_waits_a_minute(tmp_path, server):
    clock = FakeClock()
    server.script("/429", Reply(429), Reply(200, {"ok": 1}))
    c = client(tmp_path, clock=clock)
    assert c.get_json(server.url + "/429") == {"ok": 1}
    assert clock.sleeps == [60.0]


def test_primary_rate_limit_long_wait_stops_the_service(tmp_path, server):
    clock = FakeClock()
    reset = int(clock.now) + 3600
    limited = {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "60", "X-RateLimit-Reset": str(reset)}
    server.script("/cached", Reply(200, {"c": 1}))
    server.script("/one", Reply(403, {"message": "API rate limit exceeded"}, limited))
    server.script("/two", Reply(200, {"never": 1}))
    c = client(tmp_path, clock=clock)
    assert c.get_json(server.url + "/cached") == {"c": 1}
    got = c.get_json(server.url + "/one")
    assert got == Unknown("rate limited")
    assert c.get_json(server.url + "/two") == Unknown("rate limited")
    assert server.count("/two") == 0  # the service is not called again
    assert c.get_json(server.url + "/cached") == {"c": 1}  # cached data is still used
    assert clock.sleeps == []
    assert c.budget.stopped == "rate limited"
    assert "stopped" in c.describe_budget()


def test_exhausted_budget_with_short_reset_waits_before_sending(tmp_path, server):
    clock = FakeClock()
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "60", "X-RateLimit-Reset": str(int(clock.now) + 20)}
    server.script("/a", Reply(200, {"a": 1}, headers))
    server.script("/b", Reply(200, {"b": 1}, {"X-RateLimit-Remaining": "59", "X-RateLimit-Limit": "60"}))
    c = client(tmp_path, clock=clock)
    c.get_json(server.url + "/a")
    assert c.get_json(server.url + "/b") == {"b": 1}
    assert clock.sleeps == [20.0]
    assert c.budget.remaining == 59
    assert c.describe_budget().startswith("59/60 left")


def test_ordinary_403_is_not_a_rate_limit(tmp_path, server):
    server.script("/forbidden", Reply(403, {"message": "Resource not accessible"}))
    c = client(tmp_path)
    got = c.get_json(server.url + "/forbidden")
    assert isinstance(got, Unknown) and "HTTP 403" in got.reason
    assert c.budget.stopped is None


def test_pagination_follows_link_headers(tmp_path, server):
    base = server.url
    server.script("/items?page=1", Reply(200, [1, 2], {"Link": f'<{base}/items?page=2>; rel="next", <{base}/items?page=3>; rel="last"'}))
    server.script("/items?page=2", Reply(200, [3, 4], {"Link": f'<{base}/items?page=3>; rel="next", <{base}/items?page=1>; rel="first"'}))
    server.script("/items?page=3", Reply(200, [5], {"Link": f'<{base}/items?page=1>; rel="first"'}))
    c = client(tmp_path)
    assert c.get_json_pages(base + "/items?page=1") == ([1, 2, 3, 4, 5], True)
    assert c.get_json_pages(base + "/items?page=1", max_pages=2) == ([1, 2, 3, 4], False)


def test_offline_uses_cache_and_misses_are_unknown(tmp_path, server):
    server.script("/a", Reply(200, {"a": 1}))
    online = client(tmp_path)
    online.get_json(server.url + "/a")
    online.close()
    offline = client(tmp_path, offline=True)
    assert offline.get_json(server.url + "/a") == {"a": 1}
    assert offline.get_json(server.url + "/b") == Unknown("offline")
    assert server.count() == 1
    assert offline.stats.network == 0


def test_token_only_to_its_origin_and_never_stored(tmp_path, server):
    with FakeServer() as other:
        other.script("/landing", Reply(200, {"elsewhere": True}))
        server.script("/api/repo", Reply(200, {"repo": 1}))
        server.script("/api/moved", Reply(301, headers={"Location": other.url + "/landing"}))
        tok = HostToken.for_base_url(server.url + "/api", Secret(TOKEN))
        c = client(tmp_path, tokens=(tok,))
        assert c.get_json(server.url + "/api/repo") == {"repo": 1}
        assert c.get_json(server.url + "/api/moved") == {"elsewhere": True}
        got = c.get_json(other.url + "/direct")
        assert isinstance(got, Unknown) and TOKEN not in str(got)
        c.close()
        assert server.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
        assert all("Authorization" not in s.headers for s in other.seen)
    db = tmp_path / "cache" / CACHE_FILE
    raw = db.read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = db.with_name(db.name + suffix)
        if extra.exists():
            raw += extra.read_bytes()
    assert TOKEN.encode() not in raw
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select count(*) from responses").fetchone()[0]
    assert rows >= 2
    assert TOKEN not in repr(c.tokens) and TOKEN not in str(c.tokens)


def test_offline_serves_expired_entries(tmp_path, server):
    server.script("/old", Reply(200, {"old": 1}, {"ETag": '"v1"'}))
    online = client(tmp_path)
    online.session.settings.expire_after = 0  # stored already expired
    online.get_json(server.url + "/old")
    online.close()
    offline = client(tmp_path, offline=True)
    assert offline.get_json(server.url + "/old") == {"old": 1}
    assert server.count() == 1


def test_unreachable_service_is_given_up_after_a_few_lookups(tmp_path):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: connection refused
    clock = FakeClock()
    c = client(tmp_path, clock=clock)
    reasons = [c.get_json(f"http://127.0.0.1:{port}/p{i}") for i in range(6)]
    assert all(isinstance(r, Unknown) for r in reasons)
    # one reason for every lookup of the host, whether it was tried or the breaker was open (determinism)
    assert {r.reason for r in reasons} == {f"127.0.0.1:{port}: connection failed (connection refused)"}
    assert c.stats.retries == http.UNREACHABLE_AFTER * MAX_RETRIES  # no retries once given up


def test_name_resolution_failure_is_not_retried(tmp_path, monkeypatch):
    import requests
    from requests.adapters import HTTPAdapter

    def no_dns(self, request, **kw):  # what urllib3 raises when a name does not resolve (no real DNS in tests)
        raise requests.exceptions.ConnectionError(
            "HTTPSConnectionPool(host='api.example.invalid', port=443): Max retries exceeded "
            "(Caused by NameResolutionError(\"Failed to resolve 'api.example.invalid'\"))")

    monkeypatch.setattr(HTTPAdapter, "send", no_dns)
    clock = FakeClock()
    c = client(tmp_path, clock=clock)
    got = c.get_json("https://api.example.invalid/x")
    assert isinstance(got, Unknown) and "name resolution failed" in got.reason
    assert c.stats.retries == 0 and clock.sleeps == []
