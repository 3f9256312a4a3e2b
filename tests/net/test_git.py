"""The clone cache of auditor.net.git against real local repositories.

``https://github.com/...`` URLs reach local repositories through a
``url.<base>.insteadOf`` rule in a test-local git config, which also proves
that the user's git configuration is honoured.
"""

from __future__ import annotations

import http.server
import shutil
import threading

import pytest

from auditor.models import RepositoryRef, Unknown
from auditor.net.git import MAILMAP_FILE, GitCache, cache_key, check_mailmap, iter_log, parse_record, redact
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)

ALICE = ("Alice Example", "alice@example.org")


@pytest.fixture
def upstream(tmp_path, git_home):
    """A local repository reachable as https://github.com/example/proj."""
    repo = RepoBuilder(tmp_path / "srv" / "example" / "proj")
    repo.commit(ALICE, "2024-01-01", files={".mailmap": "Alice Example <alice@example.org> <al@old.example>\n"})
    git("config", "--global", f"url.{(tmp_path / 'srv').as_uri()}/.insteadOf", "https://github.com/")
    return repo


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


REF = RepositoryRef(url="https://github.com/example/proj", host="github.com", path="example/proj")


def commits(path) -> int:
    return sum(1 for _ in iter_log(path))


def test_clone_once_then_nothing_within_freshness_then_fetch(tmp_path, upstream):
    clock = Clock()
    cache = GitCache(tmp_path / "cache", clock=clock)
    path = cache.update(REF)
    assert not isinstance(path, Unknown), path
    assert path == tmp_path / "cache" / "git" / cache_key(REF.url)
    # bare and treeless
    assert git("config", "core.bare", cwd=path).strip() == "true"
    assert git("config", "remote.origin.partialclonefilter", cwd=path).strip() == "tree:0"
    assert (path / MAILMAP_FILE).read_text().startswith("Alice Example")
    assert commits(path) == 1
    assert (cache.stats.clones, cache.stats.fetches, cache.stats.fresh) == (1, 0, 0)

    upstream.commit(("Bob Example", "bob@example.org"), "2024-02-01")
    # a second audit within the freshness window: no git network call at all
    second = GitCache(tmp_path / "cache", clock=clock)
    assert second.update(REF) == path
    assert (second.stats.clones, second.stats.fetches, second.stats.fresh) == (0, 0, 1)
    assert commits(path) == 1
    # later: one incremental fetch, no clone
    clock.t += 2 * 3600
    third = GitCache(tmp_path / "cache", clock=clock)
    assert third.update(REF) == path
    assert (third.stats.clones, third.stats.fetches, third.stats.fresh) == (0, 1, 0)
    assert commits(path) == 2
    # and right after it, fresh again
    fourth = GitCache(tmp_path / "cache", clock=clock)
    fourth.update(REF)
    assert (fourth.stats.fetches, fourth.stats.fresh) == (0, 1)


def test_vanished_repository_is_unknown(tmp_path, upstream):
    cache = GitCache(tmp_path / "cache", freshness=0)
    assert not isinstance(cache.update(REF), Unknown)
    shutil.rmtree(upstream.path)
    gone = cache.update(REF)
    assert isinstance(gone, Unknown) and gone.fault
    assert gone.reason.startswith("git fetch failed: ")
    missing = cache.update("https://github.com/example/never-existed")
    assert isinstance(missing, Unknown) and missing.reason.startswith("git clone failed: ")
    assert cache.stats.failures == 2
    # no half-clone left behind
    assert sorted(p.name for p in (tmp_path / "cache" / "git").iterdir()) == [cache_key(REF.url)]


def test_no_clone_or_fetch_after_the_deadline(tmp_path, upstream):
    from auditor.models import UnknownKind

    late = GitCache(tmp_path / "cache", freshness=0, deadline=0.0)  # time.monotonic() is past 0
    got = late.update(REF)
    assert isinstance(got, Unknown) and got.kind is UnknownKind.DEADLINE
    assert not (tmp_path / "cache" / "git").exists() or not any((tmp_path / "cache" / "git").iterdir())


def test_offline_uses_the_cache_only(tmp_path, upstream):
    GitCache(tmp_path / "cache").update(REF)
    shutil.rmtree(upstream.path)
    offline = GitCache(tmp_path / "cache", offline=True, freshness=0)
    path = offline.update(REF)
    assert not isinstance(path, Unknown)
    assert commits(path) == 1     # reading history needs no network (no lazy fetch of .mailmap)
    other = offline.update("https://github.com/example/other")
    assert other == Unknown("offline")


def test_update_all_deduplicates_and_sweeps_leftovers(tmp_path, upstream):
    other = RepoBuilder(tmp_path / "srv" / "example" / "two")
    other.commit(ALICE, "2024-01-01")
    stale = tmp_path / "cache" / "git" / ".clone-killed"
    stale.mkdir(parents=True)
    clock = Clock(stale.stat().st_mtime + 3 * 3600)
    done = []
    cache = GitCache(tmp_path / "cache", max_parallel=2, clock=clock)
    out = cache.update_all([REF, REF.url, "https://github.com/example/two"], on_done=done.append)
    assert sorted(out) == sorted(done) == ["https://github.com/example/proj", "https://github.com/example/two"]
    assert cache.stats.clones == 2
    assert not stale.exists()


def test_log_records_and_co_author_mailmap(tmp_path, upstream):
    upstream.commit(("Bob", "bob@example.org"), "2024-03-01", co_authors=["Al <al@old.example>"])
    path = GitCache(tmp_path / "cache").update(REF)
    recs = [parse_record(f) for f in iter_log(path)]
    assert [r.author_name for r in recs] == ["Bob", "Alice Example"]
    assert recs[0].co_authors == ("Al <al@old.example>",) and not recs[0].merge
    assert check_mailmap(path, ["Al <al@old.example>", "junk"]) == {
        "Al <al@old.example>": "Alice Example <alice@example.org>", "junk": "junk"}


class _AuthRequired(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_password_prompt_fails_instead_of_hanging(tmp_path, git_home):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthRequired)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://user:s3cret@127.0.0.1:{server.server_port}/private/repo"
        out = GitCache(tmp_path / "cache").update(url)
    finally:
        server.shutdown()
    assert isinstance(out, Unknown) and out.reason.startswith("git clone failed")
    assert "s3cret" not in out.reason


def test_redact_and_cache_key():
    assert redact("fatal: unable to access 'https://u:tok@host/x/'") == "fatal: unable to access 'https://***@host/x/'"
    key = cache_key("https://user:tok@github.com/a/b")
    assert "tok" not in key and key.endswith(".git")
    assert cache_key("https://github.com/a/b") != cache_key("https://github.com/a/b_")


def test_every_git_call_has_a_timeout(tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\nexec sleep 30\n")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    from auditor.net.git import GitError, run_git
    with pytest.raises(GitError, match="timed out"):
        run_git(["fetch"], timeout=0.2)
    with pytest.raises(GitError, match="killed"):
        list(iter_log(tmp_path, timeout=0.2))


def test_credentials_from_the_users_git_config_are_used(tmp_path, git_home):
    """A private repository behind HTTP Basic auth, served by git's dumb HTTP protocol:
    the credential helper in the user's git config answers; auditor adds nothing."""
    import base64
    import functools

    src = RepoBuilder(tmp_path / "src")
    src.commit(ALICE, "2024-01-01")
    srv = tmp_path / "srv"
    srv.mkdir()
    git("clone", "-q", "--bare", str(src.path), str(srv / "private.git"))
    git("--git-dir", str(srv / "private.git"), "update-server-info")
    expected = "Basic " + base64.b64encode(b"user:s3cret").decode()

    class Private(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="git"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Private, directory=str(srv)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/private.git"
    try:
        denied = GitCache(tmp_path / "cache1").update(url)
        assert isinstance(denied, Unknown) and "s3cret" not in denied.reason
        git("config", "--global", "credential.helper", "!f() { echo username=user; echo password=s3cret; }; f")
        path = GitCache(tmp_path / "cache2").update(url)
    finally:
        server.shutdown()
    assert not isinstance(path, Unknown), path
    assert commits(path) == 1


def test_an_unreachable_host_is_tried_once_per_run(tmp_path, git_home):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = GitCache(tmp_path / "cache", max_parallel=1)
    out = cache.update_all([f"http://127.0.0.1:{port}/a/one", f"http://127.0.0.1:{port}/a/two"])
    first, second = out[f"http://127.0.0.1:{port}/a/one"], out[f"http://127.0.0.1:{port}/a/two"]
    assert first.reason.startswith("git clone failed") and "Failed to connect" in first.reason
    # one host-wide reason naming no repository (issue 13: the same text whichever clone failed first)
    assert first.reason == second.reason == "git clone failed: 127.0.0.1 unreachable (Failed to connect)"
    assert first.kind.value == second.kind.value == "unreachable"
    assert cache.stats.failures == 2
    # a new run tries again
    assert GitCache(tmp_path / "cache").update(f"http://127.0.0.1:{port}/a/two").reason.startswith("git clone failed")
