"""Index credentials (userinfo, .netrc, keyring) sent as pip and uv send them, and never stored or shown."""

from __future__ import annotations

import base64
import sys
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.config import Config
from auditor.dist.redact import redact
from auditor.net.http import HttpClient
from auditor.net.tokens import FallbackCredentials, url_credentials
from tests.fakes.server import FakeClock, FakeServer, Reply

SECRET = "Pl4ntedS3cretValue"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _client(tmp_path, **kw) -> HttpClient:
    config = Config(cache_dir=tmp_path / "cache", timeout=(2.0, 5.0), github_token=None, gitlab_token=None, **kw)
    return HttpClient(config, "pypi", clock=FakeClock(), rng=lambda a, b: b)


def test_index_userinfo_is_basic_auth_to_that_host_only(tmp_path):
    with FakeServer() as index, FakeServer() as other:
        netloc = index.url.split("://")[1]
        url = f"http://alice:{SECRET}@{netloc}/simple"
        index.script("/simple/pkg/", Reply(302, None, {"Location": other.url + "/elsewhere"}))
        other.script("/elsewhere", Reply(200, {"ok": True}))
        index.script("/simple/own/", Reply(200, {"ok": 1}))
        client = _client(tmp_path, index_url=url)
        assert client.get_json(url + "/own/") == {"ok": 1}
        assert index.seen[-1].headers.get("Authorization") == _basic("alice", SECRET)
        assert client.get_json(url + "/pkg/") == {"ok": True}
        assert "Authorization" not in other.seen[-1].headers  # the redirect to another host carries nothing
        client.close()
    for path in (tmp_path / "cache").iterdir():
        data = path.read_bytes()
        assert SECRET.encode() not in data and base64.b64encode(f"alice:{SECRET}".encode()) not in data


def test_failure_messages_never_name_the_userinfo(tmp_path):
    client = _client(tmp_path)
    got = client.get(f"http://bob:{SECRET}@127.0.0.1:9/simple/x/")
    assert SECRET not in got.reason and "bob" not in got.reason


def test_netrc_credentials_for_a_host(tmp_path, monkeypatch):
    with FakeServer() as index:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine 127.0.0.1 login carol password {SECRET}\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        index.script("/simple/a/", Reply(200, {"ok": 1}))
        assert _client(tmp_path).get_json(index.url + "/simple/a/") == {"ok": 1}
        assert index.seen[-1].headers.get("Authorization") == _basic("carol", SECRET)


def test_keyring_is_asked_only_when_the_provider_says_so(monkeypatch):
    asked = []

    def get_credential(service, username):
        asked.append(service)
        return types.SimpleNamespace(username="dan", password=SECRET)

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_credential=get_credential))
    monkeypatch.setenv("NETRC", "/nonexistent")
    assert FallbackCredentials("disabled").for_url("https://idx.example/simple/") is None and not asked
    token = FallbackCredentials("import").for_url("https://idx.example/simple/")
    assert token is not None and token.header_value() == _basic("dan", SECRET) and asked == ["https://idx.example/simple/"]


def test_url_credentials_decode_percent_escapes():
    clean, token = url_credentials("https://u%40x:p%3Aw@host:8443/simple")
    assert clean == "https://host:8443/simple"
    assert token.origin == "https://host:8443" and token.header_value() == _basic("u@x", "p:w")
    assert url_credentials("https://host/simple") == ("https://host/simple", None)


_secret = st.text(alphabet=st.characters(min_codepoint=48, max_codepoint=122, categories=("L", "N")), min_size=8, max_size=40)
_noise = st.text(max_size=60)


@settings(max_examples=200, deadline=None)
@given(_noise, _secret, _noise)
def test_redact_hides_userinfo_query_tokens_and_headers(before, secret, after):
    for text in (
        f"{before} https://user:{secret}@host/simple {after}",
        f"{before} https://{secret}@host/simple {after}",
        f"{before} https://host/f?access_token={secret}&x=1 {after}",
        f"{before} Authorization: Bearer {secret} {after}",
        f"{before} {{'Authorization': 'Basic {secret}'}} {after}",
    ):
        out = redact(text)
        assert secret not in out.replace(before, "").replace(after, ""), text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_redact_is_idempotent_and_keeps_plain_text(text):
    once = redact(text)
    assert redact(once) == once
    if "://" not in text and "=" not in text and ":" not in text:
        assert once == text


def test_redact_is_linear_on_hostile_lines():
    import time

    for line in ("a://" * 30000, "?token=" * 20000, "Authorization: " * 10000, "http://" + "a:" * 60000):
        start = time.perf_counter()
        redact(line)
        assert time.perf_counter() - start < 5.0  # a hang guard (was 254 s on 100 kB), not a benchmark
