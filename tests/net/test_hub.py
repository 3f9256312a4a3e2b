"""auditor/net/hub.py: the Hub API through huggingface_hub.HfApi, on the fake Hub (tests/fakes/hub.py)."""

import time

import pytest

from auditor.config import Config, Secret
from auditor.models import UnknownKind
from auditor.models.unknown import Unknown
from auditor.net.context import RunContext
from auditor.net.hub import MAX_PAGES, hub_client
from tests.fakes.hub import FakeHub
from tests.fakes.server import FakeServer, Reply

TOKEN = "hf_PLANTEDsecretTOKEN0123456789"


@pytest.fixture
def hub():
    world = FakeHub(token=TOKEN)
    world.model("org/model", files=["config.json", "pytorch_model.bin", "modeling_x.py"],
                card={"license": "mit", "base_model": ["org/base"]})
    world.model("carol/secret", private=True)
    world.org("org", "alice", "bob")
    world.user("carol")
    with FakeServer(hub=world) as server:
        yield server


def ctx_for(server, tmp_path, **kw) -> RunContext:
    kw.setdefault("hub_token", Secret(TOKEN))
    return RunContext(Config(cache_dir=tmp_path / "cache", hub_endpoint=server.url, **kw))


def test_info_fields_in_the_real_shape(hub, tmp_path):
    with ctx_for(hub, tmp_path) as ctx:
        info = hub_client(ctx).info("model", "org/model", None)
    assert info["id"] == "org/model" and info["author"] == "org" and info["license"] == "mit"
    assert info["base_models"] == ["org/base"] and info["gated"] is False and info["security"] == {"done": True, "flagged": []}
    assert info["files"] == ["config.json", "pytorch_model.bin", "modeling_x.py"]
    assert info["created"].startswith("2022-03-02") and info["downloads"] == 1000
    assert hub.log[0].path == "/api/models/org/model?securityStatus=true"


def test_owner_type_members_and_authors(hub, tmp_path):
    with ctx_for(hub, tmp_path) as ctx:
        c = hub_client(ctx)
        assert c.owner_type("org") == "organization" and c.owner_type("carol") == "user"
        assert c.owner_type("ghost").kind is UnknownKind.NOT_FOUND
        assert c.members("org") == {"members": ["alice", "bob"], "truncated": False}
        assert c.authors("model", "org/model")["authors"] == ["org", "system"]


def test_pages_are_bounded(tmp_path):
    world = FakeHub(per_page=1)
    world.model("org/long", commits=[(f"c{i}", [f"u{i}"]) for i in range(MAX_PAGES + 5)])
    with FakeServer(hub=world) as server, ctx_for(server, tmp_path) as ctx:
        got = hub_client(ctx).authors("model", "org/long")
        assert got["truncated"] is True and got["commits"] == MAX_PAGES
        assert server.count("/api/models/org/long/commits") == MAX_PAGES


def test_token_goes_only_to_the_endpoint(hub, tmp_path):
    """A planted token: sent to the Hub, never to a Link elsewhere, never in the memo, a reason or a repr."""
    with FakeServer() as other:
        hub.hub.next_origin = other.url
        hub.hub.per_page = 1
        with ctx_for(hub, tmp_path) as ctx:
            c = hub_client(ctx)
            assert c.info("model", "carol/secret", None)["private"] is True  # the token opens it
            got = c.members("org")
            assert TOKEN not in repr(ctx.config) and TOKEN not in repr(c.__dict__)
        assert other.log == []  # the next page on another origin is refused, not fetched
        assert isinstance(got, Unknown) and "not the Hub endpoint" in got.reason and TOKEN not in got.reason
    assert any(s.headers.get("authorization") == f"Bearer {TOKEN}" or s.headers.get("Authorization") == f"Bearer {TOKEN}"
               for s in hub.log)
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_private_without_token_is_not_found(hub, tmp_path):
    with ctx_for(hub, tmp_path, hub_token=None) as ctx:
        got = hub_client(ctx).info("model", "carol/secret", None)
    assert got.kind is UnknownKind.NOT_FOUND and "HF_TOKEN" in got.reason


def test_revision_not_found(hub, tmp_path):
    with ctx_for(hub, tmp_path) as ctx:
        got = hub_client(ctx).info("model", "org/model", "no-such-branch")
    assert got.kind is UnknownKind.NOT_FOUND and "revision" in got.reason


def test_rate_limit_stops_asking_without_waiting(hub, tmp_path):
    hub.script("/api/models/org/model?securityStatus=true", Reply(429, {"error": "slow down"}, {"Retry-After": "3600"}))
    started = time.monotonic()
    with ctx_for(hub, tmp_path) as ctx:
        c = hub_client(ctx)
        first = c.info("model", "org/model", None)
        second = c.owner_type("org")
        counts = ctx.request_counts()["hub"]
    assert time.monotonic() - started < 5  # huggingface_hub's own retry would sleep an hour
    assert first.kind is UnknownKind.RATE_LIMITED and "retry after 3600 s" in first.reason
    assert second.kind is UnknownKind.RATE_LIMITED and hub.count("/api/organizations") == 0
    assert counts["rate_limited"] == 1


@pytest.mark.parametrize("reply, kind", [
    (Reply(503, {"error": "down"}), UnknownKind.HTTP_ERROR),
    (Reply(200, b"{not json", content_type="application/json"), UnknownKind.MALFORMED),
    (Reply(200, [1, 2, 3]), UnknownKind.MALFORMED),
    (Reply(200, {"id": 5, "sha": []}), UnknownKind.MALFORMED),
])
def test_faults_are_unknowns(hub, tmp_path, reply, kind):
    hub.script("/api/models/org/model?securityStatus=true", reply)
    with ctx_for(hub, tmp_path) as ctx:
        got = hub_client(ctx).info("model", "org/model", None)
    assert isinstance(got, Unknown) and got.kind is kind
    assert hub.count("/api/models/org/model") == 1  # no hidden retry


def test_connection_refused_is_unreachable(tmp_path):
    with RunContext(Config(cache_dir=tmp_path / "c", hub_endpoint="http://127.0.0.1:9")) as ctx:
        c = hub_client(ctx)
        got = c.info("model", "org/model", None)
        again = c.owner_type("org")
    assert got.kind is UnknownKind.UNREACHABLE and again.kind is UnknownKind.UNREACHABLE


def test_offline_and_deadline(hub, tmp_path):
    with ctx_for(hub, tmp_path, offline=True) as ctx:
        assert hub_client(ctx).info("model", "org/model", None).kind is UnknownKind.OFFLINE
    ctx = ctx_for(hub, tmp_path)
    ctx.deadline = time.monotonic() - 1
    with ctx:
        assert hub_client(ctx).info("model", "org/model", None).kind is UnknownKind.DEADLINE
    assert hub.log == []


def test_warm_run_and_offline_read_the_memo(hub, tmp_path):
    with ctx_for(hub, tmp_path) as ctx:
        c = hub_client(ctx)
        first = (c.info("model", "org/model", None), c.owner_type("org"), c.members("org"), c.authors("model", "org/model"))
    sent = len(hub.log)
    with ctx_for(hub, tmp_path) as ctx:
        c = hub_client(ctx)
        warm = (c.info("model", "org/model", None), c.owner_type("org"), c.members("org"), c.authors("model", "org/model"))
        assert ctx.request_counts()["hub"] == {"network": 0, "cache_hits": 4, "failures": 0}
    with ctx_for(hub, tmp_path, offline=True) as ctx:
        assert hub_client(ctx).info("model", "org/model", None) == first[0]
    assert warm == first and len(hub.log) == sent


def test_huggingface_hub_default_client_is_restored(hub, tmp_path):
    from huggingface_hub.utils import _http

    with ctx_for(hub, tmp_path) as ctx:
        hub_client(ctx).info("model", "org/model", None)
        assert _http._GLOBAL_CLIENT_FACTORY is not _http.default_client_factory
    assert _http._GLOBAL_CLIENT_FACTORY is _http.default_client_factory
