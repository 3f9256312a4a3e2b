"""Fault injection on the shared fake server: every hostile answer ends as data (Unknown), bounded in time and size."""

from __future__ import annotations

import gzip
import time

import pytest

from auditor.config import Config
from auditor.models import Unknown, UnknownKind
from auditor.net.http import MAX_RETRIES, HttpClient
from tests.fakes.server import FakeClock, FakeServer, Reply


def _client(tmp_path, **kw) -> HttpClient:
    kw.setdefault("timeout", (2.0, 5.0))
    config = Config(cache_dir=tmp_path / "cache", github_token=None, gitlab_token=None, **kw)
    return HttpClient(config, "test", clock=FakeClock(), rng=lambda a, b: 0.0)


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def test_drip_server_ends_within_the_request_time_limit(tmp_path, server):
    server.script("/drip", Reply(200, b"x" * 10_000, drip=0.2))
    client = _client(tmp_path, request_seconds=1.5)
    start = time.monotonic()
    got = client.get_json(server.url + "/drip")
    elapsed = time.monotonic() - start
    assert isinstance(got, Unknown) and got.kind == UnknownKind.TIMEOUT, got
    assert "request time limit" in got.reason
    assert elapsed < 1.5 + 2.0  # one request, not retried
    assert server.count("/drip") == 1


def test_content_length_over_the_limit_is_refused_before_reading(tmp_path, server):
    server.script("/big", Reply(200, b"0" * 3_000_000))
    got = _client(tmp_path, max_response_bytes=1_000_000).get(server.url + "/big")
    assert isinstance(got, Unknown) and got.kind == UnknownKind.TOO_LARGE and "3000000 bytes" in got.reason


def test_body_without_length_is_capped_while_streaming(tmp_path, server):
    server.script("/big", Reply(200, b"0" * 3_000_000, no_length=True))
    got = _client(tmp_path, max_response_bytes=1_000_000).get(server.url + "/big")
    assert isinstance(got, Unknown) and got.kind == UnknownKind.TOO_LARGE and "response size limit" in got.reason


def test_gzip_bomb_stops_at_the_decoded_limit(tmp_path, server):
    bomb = gzip.compress(b"\0" * 200_000_000, 9)  # ~200 kB on the wire
    server.script("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    got = _client(tmp_path, max_response_bytes=10_000_000).get_json(server.url + "/bomb")
    assert isinstance(got, Unknown) and got.kind == UnknownKind.TOO_LARGE
    assert not list((tmp_path / "cache").glob("*.sqlite")) or all(
        p.stat().st_size < 10_000_000 for p in (tmp_path / "cache").glob("*"))


def test_a_smaller_per_request_limit(tmp_path, server):
    server.script("/sdist", Reply(200, b"1" * 500_000))
    client = _client(tmp_path)
    got = client.get(server.url + "/sdist", max_bytes=100_000)
    assert isinstance(got, Unknown) and got.kind == UnknownKind.TOO_LARGE
    assert client.get(server.url + "/sdist").status_code == 200  # the default limit is back


def test_reset_5xx_429_truncated_and_wrong_type(tmp_path, server):
    client = _client(tmp_path)
    server.script("/5xx", Reply(503, {"m": 1}))
    got = client.get_json(server.url + "/5xx")
    assert isinstance(got, Unknown) and got.kind == UnknownKind.HTTP_ERROR and server.count("/5xx") == MAX_RETRIES + 1
    server.script("/429", Reply(429, {}, {"Retry-After": "1"}), Reply(200, {"ok": 1}))
    assert client.get_json(server.url + "/429") == {"ok": 1}
    server.script("/cut", Reply(200, {"long": "x" * 1000}, truncate=True))
    got = client.get_json(server.url + "/cut")
    assert isinstance(got, Unknown)
    server.script("/html", Reply(200, "<html>not json</html>", content_type="text/html"))
    got = client.get_json(server.url + "/html")
    assert isinstance(got, Unknown) and got.kind == UnknownKind.MALFORMED
    got = client.get_json("http://127.0.0.1:9/reset")  # nothing listens: connection refused
    assert isinstance(got, Unknown) and got.kind == UnknownKind.UNREACHABLE


def test_redirect_loop_ends_as_unknown(tmp_path, server):
    server.script("/loop", Reply(302, None, {"Location": "/loop"}))
    got = _client(tmp_path).get_json(server.url + "/loop")
    assert isinstance(got, Unknown)


@pytest.mark.parametrize("doc", [
    {"info": "a string where an object belongs", "releases": None},
    {"info": {"name": ["list"], "version": 5, "project_urls": "x"}, "releases": {"1.0": "x"}, "ownership": 3},
    {"info": None, "releases": [], "urls": {"a": 1}},
])
def test_malformed_pypi_answer_is_unknown_not_exit_4(env_args, fake_pypi, doc):
    from typer.testing import CliRunner

    from auditor.cli import app

    fake_pypi.projects["lib"] = doc
    res = CliRunner().invoke(app, ["audit", *env_args, "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    res = CliRunner().invoke(app, ["explain", "lib", *env_args])
    assert res.exit_code in (0, 3) and "Traceback" not in res.output, res.output


def test_a_release_number_past_the_digit_limit_is_no_crash(env_args, fake_pypi):
    """A hostile index lists a release whose number int() refuses (5,001 digits: packaging raises
    ValueError, not InvalidVersion): the audit goes on (it was exit 4 from the index-page filter)."""
    from typer.testing import CliRunner

    from auditor.cli import app

    fake_pypi.add("lib", "1" + "0" * 5000)
    res = CliRunner().invoke(app, ["audit", *env_args, "-f", "json"])
    assert res.exit_code in (0, 3), res.output[-2000:]
    assert '"name": "lib"' in res.stdout
