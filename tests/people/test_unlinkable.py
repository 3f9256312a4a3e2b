"""Authors whose every address no forge account can hold (issue 12): the
classification, and the split of authors into ``contributors`` (forge-linkable)
and ``unlinkable_authors``, on a real git repository built in the test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.models import RepositoryHistory, Unknown
from auditor.net.git import GitCache
from auditor.people.history import histories
from auditor.people.names import unlinkable_reason
from tests.gitrepo import RepoBuilder, git_home  # noqa: F401  (fixture)

SVN_UUID = "2ce5b7c8-3b8f-0310-bb1b-e2a7b6a6fca4"


@pytest.mark.parametrize("email,reason", [
    ("?@?", "invalid address"),
    ("fboulogne sciunto org", "invalid address"),      # no @ (numpy, scipy)
    ("mattknox.ca", "invalid address"),                # scipy
    ("@x@1", "invalid address"),
    ("", "invalid address"),
    (f"cookedm@{SVN_UUID}", "svn uuid"),               # git-svn's default
    (f"cookedm@{SVN_UUID.upper()}", "svn uuid"),
    ("cookedm@localhost", "bare host name"),           # numpy's Subversion era
    ("z1111484@d1ea1b632242", "bare host name"),       # a host name (scipy)
    ("sfolje0@github", "bare host name"),
    ("jun-lab@junnoMacBook-Pro.local", "local host name"),
    ("ich@localhost.localdomain", "local host name"),
    ("steve@steve-Inspiron14z.(none)", "local host name"),   # git's own placeholder
    ("<tim_hochberg@local>", "bare host name"),
])
def test_unlinkable_addresses(email, reason):
    assert unlinkable_reason(email) == reason


@pytest.mark.parametrize("email", [
    "jane@gmail.com", "12345+octocat@users.noreply.github.com", "octocat@users.noreply.github.com",
    "a@b.example",          # documentation domains are placeholders a person typed, not tool output
    "you@example.com", "x@mail.localhost-project.org", "x@local.example.org",
])
def test_linkable_addresses(email):
    assert unlinkable_reason(email) is None


@given(st.text(max_size=80))
def test_classification_never_fails(text):
    assert unlinkable_reason(text) in (None, "invalid address", "svn uuid", "bare host name", "local host name")


@pytest.fixture
def repo(tmp_path, git_home):
    r = RepoBuilder(tmp_path / "svnera")
    r.commit(("David Cooke", "cookedm@localhost"), "2005-01-01")                 # unlinkable only
    r.commit(("travo", f"travo@{SVN_UUID}"), "2005-02-01")                        # unlinkable only
    r.commit(("Jun Kudo", "jun-lab@junnoMacBook-Pro.local"), "2015-01-01")       # unlinkable only
    r.commit(("Ed Schofield", "edschofield@localhost"), "2005-03-01")            # and later linkable:
    r.commit(("Ed Schofield", "ed@schofield.example.org"), "2015-03-01")         # one contributor
    r.commit(("Jane Doe", "jane@x.org"), "2024-01-01",
             co_authors=["Pat Pair <pat@pair-laptop.local>"])                     # co-author only, not an author
    r.commit(("Jane Doe", "jane@x.org"), "2024-01-02", committer=("Rose Lead", "rose@localhost"))
    cache = GitCache(tmp_path / "cache")
    d = cache.update(r.url)
    assert not isinstance(d, Unknown), d
    return r.url, d


def test_unlinkable_authors_are_counted_beside_contributors(repo):
    url, d = repo
    h = histories({url: d}, as_of="2024-12-31")[url]
    assert isinstance(h, RepositoryHistory)
    assert h.contributors == 2                  # Ed Schofield (one linkable address), Jane Doe
    assert h.unlinkable_authors == 3            # David Cooke, travo, Jun Kudo
    assert h.co_authors_only == 1 and h.committers_only == 1    # Pat Pair, Rose Lead: not authors
    assert h.people_all_roles == 7 == (h.contributors + h.unlinkable_authors + h.co_authors_only
                                       + h.committers_only)
    assert len(h.person_ids()) == 7             # people reach keeps everyone


def test_collector_reports_the_breakdown_under_verbose(tmp_path, git_home):
    from auditor.config import Config
    from auditor.net.context import Progress, RunContext
    from auditor.people.history import HistoryCollector
    from tests.gitrepo import git
    from tests.people.test_collector import node

    class Recorder(Progress):
        def __init__(self):
            self.lines = []

        def message(self, text):
            self.lines.append(text)

    srv = tmp_path / "srv"
    r = RepoBuilder(srv / "org" / "alpha")
    r.commit(("Jane Doe", "jane@x.org"), "2024-05-01")
    r.commit(("cookedm", "cookedm@localhost"), "2005-05-01")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    rec = Recorder()
    ctx = RunContext(config=Config(cache_dir=tmp_path / "cache", as_of="2024-12-31"), progress=rec)
    out = HistoryCollector(salt="pepper").collect(ctx, [node("alpha", "org/alpha")])
    assert (out["alpha"].contributors, out["alpha"].unlinkable_authors) == (1, 1)
    line = next(x for x in rec.lines if "unlinkable authors" in x)
    assert "1 contributors (forge-linkable authors), 1 unlinkable authors" in line


def test_git_svn_user_joins_its_noreply_login_through_handle_login():
    """git-svn's ``user@<uuid>`` merges with the same user's GitHub noreply login
    (the guarded ``handle-login`` rule), never by local part alone."""
    from auditor.people.identity import resolve_identities

    res, _ = resolve_identities([("cookedm", f"cookedm@{SVN_UUID}"),
                                 ("David Cooke", "cookedm@users.noreply.github.com"),
                                 ("joe", f"joe@{SVN_UUID}"),                    # too short for a handle
                                 ("Joe Noreply", "joe@users.noreply.github.com"),
                                 ("travo", f"travo@{SVN_UUID}"),                # no login: the local part
                                 ("Travis Other", "travo@other.example.org")])  # alone never merges
    pid = res.by_identity
    assert pid[("cookedm", f"cookedm@{SVN_UUID}")] == pid[("David Cooke", "cookedm@users.noreply.github.com")]
    assert pid[("joe", f"joe@{SVN_UUID}")] != pid[("Joe Noreply", "joe@users.noreply.github.com")]
    assert pid[("travo", f"travo@{SVN_UUID}")] != pid[("Travis Other", "travo@other.example.org")]
    assert res.merges["handle-login"] == 1
