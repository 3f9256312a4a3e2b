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


def test_one_writer_thread_and_readers_that_see_pending_rows(tmp_path):
    """put() returns at once; the row is answered from memory until the writer commits it,
    from any thread; close() commits what is queued."""
    import sqlite3
    import threading

    from auditor.net.memo import MEMO_FILE

    memo = FactMemo.open(Config(cache_dir=tmp_path))
    for i in range(200):
        memo.put("ns", f"k{i}", {"i": i})
    seen = []
    reader = threading.Thread(target=lambda: seen.extend(memo.get("ns", f"k{i}") for i in range(200)))
    reader.start()
    reader.join()
    assert seen == [{"i": i} for i in range(200)]
    writers = [t for t in threading.enumerate() if t.name == "auditor-memo-writer"]
    assert len(writers) >= 1
    memo.close()
    db = sqlite3.connect(tmp_path / MEMO_FILE)
    assert db.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == 200
    db.close()


def test_large_values_are_compressed_and_eviction_keeps_the_newest(tmp_path, monkeypatch):
    from auditor.net.memo import COMPRESS_OVER, decode, encode

    big = {"versions": {f"1.{i}": "2024-01-01T00:00:00Z" for i in range(2000)}}
    blob = encode(big)
    assert blob[:1] == b"z" and len(blob) < len(encode({"x": 1})) + 20_000 and decode(blob) == big
    assert encode({"x": 1})[:1] == b"j" and COMPRESS_OVER > len(b'{"x":1}')
    memo = FactMemo.open(Config(cache_dir=tmp_path))
    clock = [1000.0]
    monkeypatch.setattr("auditor.net.memo.time.time", lambda: clock[0])
    for i in range(10):
        clock[0] += 1
        memo.put("ns", f"k{i}", {"payload": str(i) * 400})  # about the same size each
    memo.flush()
    each = memo.stored_bytes() // 10
    assert memo.evict(each * 4) == 6  # the six oldest go
    assert [memo.get("ns", f"k{i}") is not None for i in range(10)] == [False] * 6 + [True] * 4
    memo.close()


def test_cache_max_mb_bounds_the_memo_when_a_run_ends(tmp_path):
    from auditor.net.context import RunContext
    from auditor.net.memo import MEMO_FILE

    cfg = Config(cache_dir=tmp_path, cache_max_mb=1)
    with RunContext(cfg) as ctx:
        facts = ctx.facts()
        for i in range(400):  # ~400 x 8 KB of incompressible text: 3 MB
            facts.put("ns", f"k{i}", {"v": __import__("os").urandom(4096).hex()})
    assert (tmp_path / MEMO_FILE).stat().st_size <= 1.2 * 2**20
    with RunContext(cfg) as ctx:
        assert ctx.facts().get("ns", "k399") is not None and ctx.facts().get("ns", "k0") is None


def test_a_lone_surrogate_in_a_key_costs_nothing(tmp_path):
    """A hostile distribution name with a lone surrogate once crashed the run in SQLite (UnicodeEncodeError)."""
    memo = FactMemo.open(Config(cache_dir=tmp_path))
    memo.put("pypi", "evil\udc80name", {"v": "x\udc80"})
    assert memo.get("pypi", "evil\udc80name") == {"v": "x\udc80"}
    memo.close()
    again = FactMemo.open(Config(cache_dir=tmp_path))  # committed by the writer thread, read back from disk
    assert again.get("pypi", "evil\udc80name") == {"v": "x\udc80"}
    assert again.get("pypi", "evil\\udc80name") == {"v": "x\udc80"}  # the escaped spelling is the stored key
    again.close()
