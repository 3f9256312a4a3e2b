"""Cache faults (read-only or missing dir, corrupt DB, full disk): one warning, the audit goes on without the cache."""

from __future__ import annotations

import logging

from typer.testing import CliRunner

from auditor.cli import app
from auditor.config import Config
from auditor.net.cache import CACHE_FILE
from auditor.net.context import RunContext
from auditor.net.memo import MEMO_FILE
from tests.fakes.server import FakeServer, Reply

runner = CliRunner()


def _cache_dir(args: list[str]) -> str:
    return args[args.index("--cache-dir") + 1]


def test_cache_dir_that_cannot_be_created(env_args, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    args = [*env_args]
    args[args.index("--cache-dir") + 1] = str(blocker / "cache")
    with caplog.at_level(logging.WARNING):
        res = runner.invoke(app, ["audit", *args, "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    warnings = [r for r in caplog.records if "unusable" in r.getMessage()]
    assert 1 <= len(warnings) <= 2  # at most one per cache (HTTP cache, fact memo)


def test_corrupt_databases(env_args, tmp_path, caplog):
    from pathlib import Path

    cache = Path(_cache_dir(env_args))
    cache.mkdir(parents=True)
    (cache / CACHE_FILE).write_bytes(b"this is not sqlite" * 100)
    (cache / MEMO_FILE).write_bytes(b"garbage" * 100)
    with caplog.at_level(logging.WARNING):
        res = runner.invoke(app, ["audit", *env_args, "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    assert any("unusable" in r.getMessage() for r in caplog.records)


def test_full_disk_mid_run_turns_the_cache_off(tmp_path, caplog):
    with FakeServer() as server:
        server.script("/a", Reply(200, {"x": "y" * 50_000}))
        server.script("/b", Reply(200, {"x": 2}))
        ctx = RunContext(Config(cache_dir=tmp_path / "cache", github_token=None, gitlab_token=None))
        try:
            client = ctx.http("test")
            backend = ctx.cache_backend()
            with backend.responses._inner.connection() as conn:  # every write now fails inside SQLite
                conn.execute("PRAGMA query_only=ON")  # (as a full disk does: SQLITE_FULL / SQLITE_READONLY)
            with caplog.at_level(logging.WARNING):
                assert client.get_json(server.url + "/a") == {"x": "y" * 50_000}
                assert client.get_json(server.url + "/b") == {"x": 2}
                assert client.get_json(server.url + "/a") == {"x": "y" * 50_000}  # no cache: asked again
        finally:
            ctx.close()
    assert server.count("/a") == 2
    assert len([r for r in caplog.records if "unusable" in r.getMessage()]) == 1
