"""Per-repository figures from real git repositories built in the test, with exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.models import RepositoryHistory, Unknown
from auditor.net.git import GitCache
from auditor.people.history import as_of_timestamp, bus_factor, histories
from tests.gitrepo import RepoBuilder, git_home, ts  # noqa: F401  (fixture)

JANE_OLD = ("Jane Doe", "jane@old.example")
JANE_NEW = ("Jane Doe", "JANE@new.example")
JANE_SHORT = ("jane", "jane@new.example")
JOHN_A = ("john", "john@a.example")
JOHN_B = ("john", "john@b.example")
OCTO_ID = ("octo", "12345+octocat@users.noreply.github.com")
OCTO_PLAIN = ("Octo Cat", "octocat@users.noreply.github.com")
OCTO_RENAMED = ("The Octocat", "12345+octocat-renamed@users.noreply.github.com")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
PRECOMMIT = ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com")
WEB_FLOW = ("GitHub", "noreply@github.com")
OLD_NAME = ("Old Name", "old@x.example")
NEW_NAME = ("New Name", "new@x.example")
ROSE = ("Rose Lead", "rose@lead.example")
PAT = ("Pat Pair", "pat@pair.example")
ANCIENT = ("Ancient One", "anc@x.example")
LATE = ("Late Person", "late@x.example")

MAILMAP = """\
New Name <new@x.example> Old Name <old@x.example>
Pat Pair <pat@pair.example> <pat@old-pair.example>
"""

AS_OF = "2024-12-31"


def build_alpha(path: Path) -> RepoBuilder:
    r = RepoBuilder(path)
    r.commit(ANCIENT, "2019-01-01", files={".mailmap": MAILMAP})
    r.commit(JANE_OLD, "2020-03-01")
    r.commit(JANE_NEW, "2024-03-01")                      # same multi-word name -> Jane
    r.commit(JANE_SHORT, "2024-03-02")                    # same email, other case -> Jane
    r.commit(JOHN_A, "2024-04-01", co_authors=["Pat Pair <pat@pair.example>"])
    r.commit(JOHN_B, "2024-04-02")                        # one-word name: a different person
    r.commit(OCTO_ID, "2024-05-01")
    r.commit(OCTO_PLAIN, "2024-05-02")                    # noreply without id -> same login
    r.commit(OCTO_RENAMED, "2024-05-03")                  # same numeric id, renamed login
    r.commit(DEPENDABOT, "2024-06-01", committer=WEB_FLOW)
    r.commit(PRECOMMIT, "2024-06-02")
    r.commit(OLD_NAME, "2024-06-03", committer=ROSE)      # mailmapped; Rose lands it
    r.commit(NEW_NAME, "2024-06-04", co_authors=[
        "P. Pair <pat@old-pair.example>",                 # mailmap applies to co-authors
        "Jane Doe <jane@old.example>",
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
    ])
    r.merge_side(PAT, "2024-06-30", ROSE, "2024-07-01", committer=WEB_FLOW)
    r.commit(JANE_OLD, "2024-07-02", committer=WEB_FLOW)  # a web edit
    r.commit(LATE, "2025-02-01")                          # after --as-of
    return r


def build_beta(path: Path) -> RepoBuilder:
    r = RepoBuilder(path)
    r.commit(("Jane Doe", "jane@beta.example"), "2024-02-01")
    r.commit(("Octo", "octocat@users.noreply.github.com"), "2024-02-02")
    r.commit(("Solo Dev", "solo@beta.example"), "2024-02-03")
    return r


@pytest.fixture
def repos(tmp_path, git_home):
    alpha = build_alpha(tmp_path / "alpha")
    beta = build_beta(tmp_path / "beta")
    cache = GitCache(tmp_path / "cache")
    dirs = cache.update_all([alpha.url, beta.url])
    assert not any(isinstance(d, Unknown) for d in dirs.values()), dirs
    return alpha, beta, dirs


def test_every_rule_with_exact_counts(repos):
    alpha, _beta, dirs = repos
    h = histories({alpha.url: dirs[alpha.url]}, as_of=AS_OF)[alpha.url]
    assert isinstance(h, RepositoryHistory)
    assert h.commits == 16
    assert h.first_commit == "2019-01-01T12:00:00Z"
    assert h.last_commit == "2024-07-02T12:00:00Z"
    # authors: Jane, john (a), john (b), octocat, New Name, Pat, Ancient;
    # Rose only landed work (a committer and a merge author)
    assert h.contributors == 7
    assert (h.co_authors_only, h.committers_only, h.people_all_roles) == (0, 1, 8)
    assert h.identity_merges["email"] >= 1 and h.identity_merges["noreply-id"] == 1
    assert h.active_contributors == 7           # all but Ancient One
    assert h.committers == 1                    # Rose: landed Old Name's commit, made a merge
    assert h.excluded_bots == 4                 # dependabot, pre-commit-ci, web-flow, github-actions
    # window authored: Jane 3, octocat 3, New Name 2, john a 1, john b 1, Pat 1 = 11; 3+3 >= 5.5
    assert h.bus_factor == 2
    assert sorted(p.display_name for p in h.people) == [
        "Ancient One", "Jane Doe", "New Name", "Pat Pair", "Rose Lead", "The Octocat", "john", "john"]
    jane = next(p for p in h.people if "Jane Doe" in p.names)
    assert jane.names == ("Jane Doe", "jane")
    assert jane.emails == ("jane@new.example", "jane@old.example")
    octo = next(p for p in h.people if "octocat" in p.logins)
    assert octo.logins == ("octocat", "octocat-renamed")
    assert octo.names == ("Octo Cat", "The Octocat", "octo")
    assert len(octo.emails) == 3
    johns = [p for p in h.people if p.names == ("john",)]
    assert len(johns) == 2
    newname = next(p for p in h.people if "New Name" in p.names)
    assert newname.names == ("New Name",) and newname.emails == ("new@x.example",)
    pat = next(p for p in h.people if "Pat Pair" in p.names)
    assert pat.emails == ("pat@pair.example",)
    contrib = {c.person: c for c in h.contributions}
    assert contrib[jane.id].authored == 4 and contrib[jane.id].co_authored == 1
    assert contrib[pat.id].co_authored == 2 and contrib[pat.id].authored == 1
    rose = next(p for p in h.people if "Rose Lead" in p.names)
    assert contrib[rose.id].landed == 2 and contrib[rose.id].authored == 0
    assert not contrib[next(p.id for p in h.people if "Ancient One" in p.names)].active
    assert all("dependabot" not in n.lower() for p in h.people for n in p.names)


def test_as_of_limits_history(repos):
    alpha, _beta, dirs = repos
    h = histories({alpha.url: dirs[alpha.url]}, as_of="2020-12-31")[alpha.url]
    assert (h.commits, h.contributors, h.active_contributors, h.bus_factor) == (2, 2, 1, 1)
    assert h.last_commit == "2020-03-01T12:00:00Z"
    assert h.committers == 0 and h.excluded_bots == 0


def test_without_as_of_everything_counts(repos):
    alpha, _beta, dirs = repos
    h = histories({alpha.url: dirs[alpha.url]}, now=ts("2025-03-01"))[alpha.url]
    assert h.commits == 17
    assert h.contributors == 8                 # + Late Person (Rose only landed work)
    assert h.people_all_roles == 9
    # window 2024-03-01T12:00..2025-03-01: Jane's 2024-03-01 commit sits on the boundary (excluded)
    assert h.active_contributors == 8 - 1 + 1  # Ancient out; Late in; Jane still active (2024-03-02)


def test_resolution_runs_across_repositories(repos):
    alpha, beta, dirs = repos
    out = histories(dirs, as_of=AS_OF)
    a, b = out[alpha.url], out[beta.url]
    assert b.contributors == 3
    shared = a.person_ids() & b.person_ids()
    assert len(shared) == 2                    # Jane (by name), octocat (by login)
    assert len(a.person_ids() | b.person_ids()) == 9


def test_extra_links_merge_identities(repos):
    alpha, _beta, dirs = repos
    links = [("johnny", "john@a.example"), ("johnny", "john@b.example")]
    h = histories({alpha.url: dirs[alpha.url]}, as_of=AS_OF, extra_links=links)[alpha.url]
    assert h.contributors == 6 and h.people_all_roles == 7
    assert h.identity_merges["forge-link"] == 1
    john = next(p for p in h.people if "john" in p.names)
    assert john.logins == ("johnny",) and john.emails == ("john@a.example", "john@b.example")


def test_unreadable_repository_is_unknown(tmp_path, repos):
    alpha, _beta, dirs = repos
    broken = tmp_path / "not-a-repo.git"
    broken.mkdir()
    out = histories({alpha.url: dirs[alpha.url], "https://example.invalid/x": broken,
                     "https://example.invalid/y": Unknown("git clone failed: nope")}, as_of=AS_OF)
    assert isinstance(out["https://example.invalid/x"], Unknown)
    assert out["https://example.invalid/x"].reason.startswith("git log failed")
    assert out["https://example.invalid/y"].reason == "git clone failed: nope"
    assert out[alpha.url].people_all_roles == 8


def test_empty_repository(tmp_path, git_home):
    RepoBuilder(tmp_path / "empty")
    cache = GitCache(tmp_path / "cache")
    d = cache.update((tmp_path / "empty").as_uri())
    assert not isinstance(d, Unknown), d
    h = histories({"u": d}, as_of=AS_OF)["u"]
    assert (h.commits, h.contributors, h.bus_factor, h.first_commit) == (0, 0, 0, None)


def test_bus_factor():
    assert bus_factor({}) == 0
    assert bus_factor({"a": 10}) == 1
    assert bus_factor({"a": 5, "b": 5}) == 1          # exactly half is enough
    assert bus_factor({"a": 4, "b": 3, "c": 3}) == 2
    assert bus_factor({str(i): 1 for i in range(10)}) == 5


def test_as_of_timestamp():
    assert as_of_timestamp(None) is None
    assert as_of_timestamp("2024-12-31") == ts("2024-12-31T23:59:59")
    assert as_of_timestamp("2024-12-31T10:00:00Z") == ts("2024-12-31T10:00:00")
    with pytest.raises(InputError):
        as_of_timestamp("last tuesday")


def test_iso_survives_forged_dates():
    from auditor.people.history import iso
    assert iso(0) == "1970-01-01T00:00:00Z"
    assert iso(10**13) is None


def test_a_separator_inside_a_name_skips_the_commit_not_the_history(tmp_path, git_home):
    from auditor.people.history import read_repo_log

    r = RepoBuilder(tmp_path / "odd")
    r.commit(("Jane Doe", "jane@x.org"), "2024-01-01")
    r.commit(("Mal\x1forie", "mal@x.org"), "2024-01-02")       # the format's field separator in a name
    r.commit(("Jane Doe", "jane@x.org"), "2024-01-03")
    d = GitCache(tmp_path / "cache").update(r.url)
    assert not isinstance(d, Unknown), d
    lg = read_repo_log(d, r.url, as_of=ts("2024-12-31"))
    assert (lg.commits, lg.skipped) == (2, 1)
    assert [k[0] for k in lg.pairs] == [("Jane Doe", "jane@x.org")]
