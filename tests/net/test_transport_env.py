"""The environment's proxy and CA settings, read once per origin and still honoured (issue 14's cold path)."""

from __future__ import annotations

import ssl

from auditor.config import Config
from auditor.models import Unknown
from auditor.net.http import HttpClient
from auditor.net.transport import ServiceAdapter, trust_context
from tests.fakes.server import FakeClock, FakeServer, Reply

_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
               "NO_PROXY", "no_proxy")


def _client(tmp_path) -> HttpClient:
    return HttpClient(Config(cache_dir=tmp_path / "cache", timeout=(2.0, 5.0), github_token=None, gitlab_token=None),
                      "test", clock=FakeClock(), rng=lambda a, b: b)


def _clear(monkeypatch) -> None:
    for var in _PROXY_VARS:
        monkeypatch.delenv(var, raising=False)


def test_proxy_from_the_environment_is_used_and_no_proxy_bypasses_it(tmp_path, monkeypatch):
    _clear(monkeypatch)
    with FakeServer() as proxy:
        proxy.fallback = lambda path, headers: Reply(200, {"via": "proxy"})
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "direct.invalid")
        c = _client(tmp_path)
        assert c.get_json("http://through.invalid/a") == {"via": "proxy"}  # the proxy answered for that host
        assert c.get_json("http://through.invalid/b") == {"via": "proxy"}  # again, from the memoized settings
        assert [s.path for s in proxy.seen] == ["http://through.invalid/a", "http://through.invalid/b"]
        got = c.get_json("http://direct.invalid/a")  # NO_PROXY: sent directly, so the name does not resolve
        assert isinstance(got, Unknown)
        assert len(proxy.seen) == 2
        c.close()


def test_environment_settings_are_computed_once_per_origin(tmp_path, monkeypatch):
    _clear(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "bypass.invalid")
    c = _client(tmp_path)
    session = c.session
    first = session.merge_environment_settings("https://a.invalid/x", {}, None, None, None)
    assert first["proxies"].get("https") == "http://proxy.invalid:3128"
    assert session.merge_environment_settings("https://bypass.invalid/x", {}, None, None, None)["proxies"] == {}
    calls = []
    import requests.utils

    monkeypatch.setattr(requests.utils, "get_environ_proxies", lambda *a, **k: calls.append(a) or {})
    monkeypatch.setattr("requests.sessions.get_environ_proxies", lambda *a, **k: calls.append(a) or {})
    again = session.merge_environment_settings("https://a.invalid/other/path", {}, None, None, None)
    assert again == first and calls == []  # same origin: not asked again
    session.merge_environment_settings("https://b.invalid/x", {}, None, None, None)
    assert len(calls) == 1  # a new origin is
    explicit = session.merge_environment_settings("https://a.invalid/x", {"https": "http://other:1"}, None, None, None)
    assert explicit["proxies"]["https"] == "http://other:1"  # a request's own proxies win, as in requests
    c.close()


def test_one_tls_context_per_ca_bundle(tmp_path):
    import certifi

    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(open(certifi.where(), "rb").read())
    a, b = trust_context(str(bundle)), trust_context(str(bundle))
    assert isinstance(a, ssl.SSLContext) and a is b
    assert a.verify_mode == ssl.CERT_REQUIRED
    assert trust_context(False) is None and trust_context(str(tmp_path / "missing.pem")) is None
    assert trust_context(True) is trust_context(True)
    adapter = ServiceAdapter(client=None, pool_maxsize=4)
    import requests

    req = requests.Request("GET", "https://pypi.invalid/simple/").prepare()
    _, kwargs = adapter.build_connection_pool_key_attributes(req, str(bundle))
    assert kwargs["ssl_context"] is a and "ca_certs" not in kwargs  # never loaded per connection
    _, off = adapter.build_connection_pool_key_attributes(req, False)
    assert "ssl_context" not in off and off["cert_reqs"] == "CERT_NONE"
