"""Hostile Hub answers: any JSON in place of a model's info is a value or an Unknown, never an exception."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.config import Config
from auditor.models.unknown import Unknown
from auditor.net.context import RunContext
from auditor.net.hub import hub_client
from tests.fakes.hub import FakeHub
from tests.fakes.server import FakeServer, Reply

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=20)
FIELDS = st.fixed_dictionaries({}, optional={
    "id": JSON, "author": JSON, "sha": JSON, "private": JSON, "gated": JSON, "disabled": JSON, "downloads": JSON,
    "likes": JSON, "cardData": JSON, "siblings": JSON, "securityRepoStatus": JSON, "lastModified": JSON,
    "createdAt": JSON, "library_name": JSON, "pipeline_tag": JSON, "inferenceProviderMapping": JSON,
    "transformersInfo": JSON, "safetensors": JSON})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=FIELDS | JSON)
def test_any_answer_is_a_value_or_unknown(tmp_path_factory, doc):
    path = "/api/models/org/m?securityStatus=true"
    with FakeServer(hub=FakeHub()) as server:
        server.script(path, Reply(200, json.dumps(doc)))
        with RunContext(Config(hub_endpoint=server.url, use_cache=False, cache_dir=tmp_path_factory.mktemp("c"))) as ctx:
            got = hub_client(ctx).info("model", "org/m", None)
    assert isinstance(got, (dict, Unknown))
    if isinstance(got, dict):
        json.dumps(got)  # what is kept is plain JSON
        assert isinstance(got["files"], list) and all(isinstance(f, str) for f in got["files"])
