"""The fake Hub (tests/fakes/hub.py) against huggingface_hub 2.4's own parsers, so it cannot drift.

Each answer is fetched from the fake and handed to the library: ``ModelInfo``,
``DatasetInfo``, ``SpaceInfo``, ``User``, ``Organization`` and
``HfApi.list_repo_commits`` (``GitCommitInfo``), with pagination through
``Link: <...>; rel="next"``.  Every top-level field the fake sends must be one
the library reads (found in its source) or one the real Hub sends that the
library ignores (listed below, from a recorded real answer), so a misspelt
field cannot hide.  Errors go through ``hf_raise_for_status`` and must raise
the class the real header would; then through auditor's client
(auditor/net/hub.py), whose Unknowns are checked.
"""

from __future__ import annotations

import inspect
import json
import re
import urllib.request

import pytest
from huggingface_hub import HfApi, errors as hf
from huggingface_hub import hf_api as lib

from auditor.config import Config
from auditor.models import UnknownKind
from auditor.models.unknown import Unknown
from auditor.net.context import RunContext
from auditor.net.hub import hub_client, info_fields
from tests.fakes.hub import FakeHub, fixture_world
from tests.fakes.server import FakeServer, Reply

#: Fields of a real answer that the library does not read (GET /api/models/google-bert/bert-base-uncased:
#: "_id", "modelId" (the old name of "id"), "inference"; an organization's "type"; a user's "_id").
IGNORED_BY_LIBRARY = {"_id", "modelId", "inference", "type"}


def read_keys(obj) -> set[str]:
    """The JSON keys a huggingface_hub constructor or function reads (``kwargs.pop("x"``, ``item["x"]``...)."""
    source = inspect.getsource(obj)
    return set(re.findall(r'''(?:kwargs\.pop|kwargs\.get|\.get)\(\s*"([^"]+)"''', source)) | set(
        re.findall(r'''(?:item|author|member|data)\["([^"]+)"\]''', source))


@pytest.fixture(scope="module")
def server():
    world = fixture_world(FakeHub(per_page=2))
    world.add("space", "org/demo", files=["app.py", "README.md"], library_name=None, pipeline_tag=None)
    world.org("org", "alice", "bob", "carol")
    with FakeServer(hub=world) as s:
        yield s


def get(server, path: str):
    with urllib.request.urlopen(server.url + path) as r:
        return json.loads(r.read()), dict(r.headers)


@pytest.mark.parametrize("path, cls", [
    ("/api/models/meta-llama/Llama-2-7b-hf?securityStatus=true", lib.ModelInfo),
    ("/api/models/laion/CLIP-ViT-B-32-laion2B-s34B-b79K/revision/main?securityStatus=true", lib.ModelInfo),
    ("/api/models/tiiuae/falcon-7b?expand=sha", lib.ModelInfo),
    ("/api/datasets/squad", lib.DatasetInfo),
    ("/api/datasets/wikimedia/wikipedia/revision/v1.0", lib.DatasetInfo),
    ("/api/spaces/org/demo", lib.SpaceInfo),
])
def test_info_answers_parse_into_the_librarys_dataclasses(server, path, cls):
    doc, _ = get(server, path)
    unread = set(doc) - read_keys(cls.__init__) - IGNORED_BY_LIBRARY - {"id"}
    assert not unread, f"{path}: fields the library does not read: {unread}"
    info = cls(**doc)
    assert isinstance(info.id, str) and isinstance(info.sha, str) and len(info.sha) == 40
    if "expand" in path:
        return
    fields = info_fields(info)  # what auditor keeps, from the library's object
    assert fields["files"] and fields["last_modified"] and fields["created"] and isinstance(fields["likes"], int)
    if cls is lib.ModelInfo:
        assert info.siblings[0].rfilename and info.card_data is not None and info.library_name
        if "laion" in path:
            assert fields["security"] == {"done": True, "flagged": [["open_clip_pytorch_model.bin", "unsafe"]]}


def test_owner_overviews_parse(server):
    org, _ = get(server, "/api/organizations/meta-llama/overview")
    user, _ = get(server, "/api/users/rajpurkar/overview")
    assert not set(org) - read_keys(lib.Organization.__init__) - IGNORED_BY_LIBRARY
    assert not set(user) - read_keys(lib.User.__init__) - IGNORED_BY_LIBRARY - {"createdAt"}  # a real user field
    assert lib.Organization(**org).name == "meta-llama" and lib.User(**user).username == "rajpurkar"


def test_lists_paginate_with_link_headers_through_the_library(server):
    page, headers = get(server, "/api/organizations/org/members")
    assert headers["Link"].endswith('?p=1>; rel="next"') and len(page) == 2
    assert not set(page[0]) - read_keys(lib.User.__init__) - IGNORED_BY_LIBRARY
    api = HfApi(endpoint=server.url, token=False)
    assert [u.username for u in api.list_organization_members("org")] == ["alice", "bob", "carol"]
    commits, _ = get(server, "/api/models/meta-llama/Llama-2-7b-hf/commits/main")
    reads = read_keys(lib.HfApi.list_repo_commits)  # item["id"], author["user"], item["date"], ...
    assert set(commits[0]) == {"id", "title", "message", "authors", "date"} <= reads
    assert set(commits[0]["authors"][0]) - reads == {"avatar"}  # the real Hub's; the library reads "user"
    history = api.list_repo_commits("meta-llama/Llama-2-7b-hf")
    assert [c.authors for c in history] == [["ArthurZ"], ["osanseviero"], ["system"]]  # newest first, 2 pages
    assert all(isinstance(c, lib.GitCommitInfo) and c.created_at.year == 2024 for c in history)


@pytest.mark.parametrize("reply, error, kind, words", [
    (FakeHub.error(404, "RepoNotFound", "Repository not found"), hf.RepositoryNotFoundError, UnknownKind.NOT_FOUND,
     "not found on the Hub"),
    (FakeHub.error(401, "RepoNotFound", "Invalid username or password."), hf.RepositoryNotFoundError,
     UnknownKind.NOT_FOUND, "or private; set HF_TOKEN"),
    (FakeHub.error(404, "RevisionNotFound", "Invalid rev id: nope"), hf.RevisionNotFoundError,
     UnknownKind.NOT_FOUND, "revision not found"),
    (FakeHub.error(403, "GatedRepo", "Access to model org/model is restricted."), hf.GatedRepoError,
     UnknownKind.HTTP_ERROR, "gated, no access"),
    (FakeHub.error(403, None, "Access to this resource is disabled."), hf.DisabledRepoError,
     UnknownKind.HTTP_ERROR, "disabled on the Hub"),
    (FakeHub.rate_limited(55), hf.HfHubHTTPError, UnknownKind.RATE_LIMITED, "retry after 55 s"),
    (FakeHub.rate_limited(30, retry_after=True), hf.HfHubHTTPError, UnknownKind.RATE_LIMITED, "retry after 30 s"),
    (Reply(503, {"error": "Service Unavailable"}), hf.HfHubHTTPError, UnknownKind.HTTP_ERROR, "HTTP 503"),
    (Reply(200, b'{"id": "org/model", "sha": ', content_type="application/json"), ValueError,
     UnknownKind.MALFORMED, "malformed answer"),
])
def test_errors_raise_what_the_real_headers_raise(tmp_path, reply, error, kind, words):
    world = FakeHub()
    world.model("org/model")
    with FakeServer(hub=world) as server:
        path = "/api/models/org/model?securityStatus=true"
        server.script(path, reply)
        with pytest.raises(error):  # the library itself, on the fake's answer
            HfApi(endpoint=server.url, token=False).model_info("org/model", securityStatus=True)
        server.script(path, reply)
        with RunContext(Config(cache_dir=tmp_path / "c", hub_endpoint=server.url)) as ctx:
            got = hub_client(ctx).info("model", "org/model", None)
    assert isinstance(got, Unknown) and got.kind is kind and words in got.reason, got


def test_a_space_is_described_not_malformed(server, tmp_path):
    # SpaceInfo has no `downloads`: reading it as a model's made every Space "malformed answer" before
    with RunContext(Config(cache_dir=tmp_path / "c", hub_endpoint=server.url)) as ctx:
        got = hub_client(ctx).info("space", "org/demo", None)
    assert isinstance(got, dict) and got["downloads"] is None and got["files"] == ["app.py", "README.md"]
