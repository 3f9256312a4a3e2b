"""The persistent fact memo: lifetimes, offline, --no-cache, bad data."""

from __future__ import annotations

import time

from auditor.config import Config
from auditor.models import Maintainer, Ownership, PyPIProject, Unknown
from auditor.net.memo import FactMemo
from auditor.net.pypi import project_from_json, project_to_json


def test_round_trip_and_ttl(tmp_path, monkeypatch):
    memo = FactMemo.open(Config(cache_dir=tmp_path))
    memo.put("ns", "k", {"a": [1, 2]})
    assert memo.get("ns", "k") == {"a": [1, 2]}
    assert memo.get("ns", "other") is None
    later = time.time() + 3600
    monkeypatch.setattr("auditor.net.memo.time.time", lambda: later)
    assert memo.get("ns", "k", ttl=60) is None  # expired
    assert memo.get("ns", "k", ttl=-1) == {"a": [1, 2]}  # never expires
    memo.close()
    offline = FactMemo.open(Config(cache_dir=tmp_path, offline=True))
    assert offline.get("ns", "k", ttl=60) == {"a": [1, 2]}  # offline ignores age, like the HTTP cache
    offline.close()


def test_no_cache_disables_it(tmp_path):
    assert FactMemo.open(Config(cache_dir=tmp_path, use_cache=False)) is None


def test_project_serialization_round_trip():
    p = PyPIProject("Demo", Ownership("org", (Maintainer("alice", "Owner"),)), (("Source", "https://x"),),
                    latest_version="1.0", release_count=1, first_upload="2024-01-01T00:00:00Z",
                    version_uploads={"1.0": "2024-01-01T00:00:00Z"})
    assert project_from_json(project_to_json(p)) == p
    q = PyPIProject("Demo", Unknown("PyPI JSON API returned no 'ownership' object"))
    assert project_from_json(project_to_json(q)) == q
    assert project_from_json({"bad": 1}) is None
