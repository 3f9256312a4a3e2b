"""HistoryCollector through the Collector interface: dedup, Unknowns, second audit without clones."""

from __future__ import annotations

from auditor.collectors import RunContext
from auditor.config import Config
from auditor.models import PackageNode, RepositoryHistory, Unknown
from auditor.people.history import HistoryCollector
from tests.builders import package_node
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)


def node(name: str, repo_path: str | None) -> PackageNode:
    return package_node(name, repo=f"https://github.com/{repo_path}" if repo_path else None, evidence="test",
                        metadata=Unknown("not needed"), project=Unknown("not needed"))


def test_collect(tmp_path, git_home):
    srv = tmp_path / "srv"
    alpha = RepoBuilder(srv / "org" / "alpha")
    alpha.commit(("Jane Doe", "jane@x.org"), "2024-05-01")
    alpha.commit(("Bob Roe", "bob@x.org"), "2024-05-02")
    beta = RepoBuilder(srv / "org" / "beta")
    beta.commit(("Jane Doe", "jane@other.org"), "2024-05-03")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")

    nodes = [node("alpha-core", "org/alpha"), node("alpha-extra", "org/alpha"), node("beta", "org/beta"),
             node("nosource", None), node("gone", "org/gone")]
    ctx = RunContext(config=Config(cache_dir=tmp_path / "cache", as_of="2024-12-31"))
    collector = HistoryCollector(salt="pepper")
    out = collector.collect(ctx, nodes)

    assert collector.cache.stats.clones == 2 and collector.cache.stats.failures == 1
    assert out["alpha-core"] is out["alpha-extra"]
    a, b = out["alpha-core"], out["beta"]
    assert isinstance(a, RepositoryHistory) and a.url == "https://github.com/org/alpha"
    assert (a.commits, a.contributors, a.bus_factor, a.as_of) == (2, 2, 1, "2024-12-31")
    assert a.person_ids() & b.person_ids()          # Jane, across repositories
    assert a.people == ()                           # people details only with --people
    assert out["nosource"] == Unknown("no source repository", fault=False)
    assert isinstance(out["gone"], Unknown) and out["gone"].reason.startswith("git clone failed")

    again = HistoryCollector(salt="pepper")
    out2 = again.collect(ctx, nodes)
    s = again.cache.stats
    assert (s.clones, s.fetches, s.fresh) == (0, 0, 2)
    assert out2["alpha-core"] == a


def test_people_and_email_policy(tmp_path, git_home):
    srv = tmp_path / "srv"
    RepoBuilder(srv / "org" / "alpha").commit(("Jane Doe", "Jane@X.org"), "2024-05-01")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    nodes = [node("alpha", "org/alpha")]
    base = Config(cache_dir=tmp_path / "cache", as_of="2024-12-31", people=True)

    hidden = HistoryCollector(salt="pepper").collect(RunContext(config=base), nodes)["alpha"]
    (p,) = hidden.people
    assert p.names == ("Jane Doe",) and p.emails[0].startswith("hash:") and "jane" not in p.emails[0]
    assert hidden.contributions[0].person == p.id
    again = HistoryCollector(salt="pepper").collect(RunContext(config=base), nodes)["alpha"]
    other_salt = HistoryCollector(salt="salt").collect(RunContext(config=base), nodes)["alpha"]
    assert again.people == hidden.people and other_salt.people[0].id != p.id

    shown = HistoryCollector(salt="pepper").collect(
        RunContext(config=base.with_changes(show_emails=True)), nodes)["alpha"]
    assert shown.people[0].emails == ("jane@x.org",)


def test_merge_counts_are_reported_under_verbose(tmp_path, git_home):
    from auditor.net.context import Progress

    class Recorder(Progress):
        def __init__(self):
            self.lines = []

        def message(self, text):
            self.lines.append(text)

    srv = tmp_path / "srv"
    RepoBuilder(srv / "org" / "alpha").commit(("Jane Doe", "jane@x.org"), "2024-05-01")
    RepoBuilder(srv / "org" / "beta").commit(("Jane Doe", "jane@other.org"), "2024-05-03")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    rec = Recorder()
    ctx = RunContext(config=Config(cache_dir=tmp_path / "cache", as_of="2024-12-31"), progress=rec)
    out = HistoryCollector(salt="pepper").collect(ctx, [node("alpha", "org/alpha"), node("beta", "org/beta")])
    assert out["alpha"].identity_merges["name"] == 1 and out["beta"].identity_merges == out["alpha"].identity_merges
    line = next(x for x in rec.lines if x.startswith("identity merges by rule:"))
    assert "email 0" in line and "name 1" in line and "handle-login 0" in line
