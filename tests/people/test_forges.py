"""GitHub and GitLab enrichers against fake forges on 127.0.0.1."""

from __future__ import annotations

import pytest

from auditor.collectors import RunContext
from auditor.models import ForgeFacts, ForgeRepo, Unknown
from auditor.net.github import noreply_login, read_token_file
from auditor.net.http import HttpClient
from auditor.people.forges import GitHubCollector, GitLabCollector
from auditor.people.identity import email_login_links
from auditor.errors import InputError
from tests.fakes.forges import FakeForges, FakeRepo, world
from tests.fakes.server import FakeClock, Reply


@pytest.fixture
def forges():
    with FakeForges(world(3)) as f:
        yield f


def test_github_facts(tmp_path, forges):
    ctx = RunContext(forges.config(tmp_path))
    out = GitHubCollector().collect(ctx, forges.nodes())
    assert set(out) == {"pkg0", "pkg1", "pkg2"}  # the GitLab package gets no GitHub entry
    facts = out["pkg1"]
    assert isinstance(facts, ForgeFacts) and isinstance(facts.repo, ForgeRepo)
    assert facts.repo.owner_type == "organization" and facts.repo.license == "MIT"
    assert facts.repo.security_policy is True
    assert facts.contributor_count == 4 + 1  # accounts + one anonymous entry
    assert facts.contributors[-1].account_type == "Anonymous"
    assert facts.email_logins["org1-dev0@example.com"] == "org1-dev0"
    assert "noreply@github.com" not in facts.email_logins
    assert facts.maintainer_logins == {"org1-dev1": "org1-dev1"}
    assert facts.accounts["org1-dev0"].created_at == "2024-11-01T00:00:00Z"
    assert email_login_links({"github": facts}) == dict(facts.email_logins)


def test_contributor_pagination_over_many_pages(tmp_path):
    repo = FakeRepo("github.com", "big/proj", "proj", contributors=250, anonymous=20)
    with FakeForges([repo]) as f:
        ctx = RunContext(f.config(tmp_path))
        facts = GitHubCollector().collect(ctx, f.nodes())["proj"]
        assert facts.contributor_count == 270
        assert len(facts.contributors) == 270
        assert f.github.count("/api/v3/repos/big/proj/contributors") == 3  # 100 + 100 + 70, Link rel=next


def test_contributor_count_from_last_link_when_over_page_limit(tmp_path, monkeypatch):
    import auditor.net.github as gh

    monkeypatch.setattr(gh, "CONTRIBUTOR_PAGES", 1)
    repo = FakeRepo("github.com", "big/proj", "proj", contributors=150, anonymous=5)
    with FakeForges([repo]) as f:
        facts = GitHubCollector().collect(RunContext(f.config(tmp_path)), f.nodes())["proj"]
        assert len(facts.contributors) == 100
        assert facts.contributor_count == 155  # from the per_page=1 listing's rel="last"


def test_deleted_repository_is_unknown_and_stops_there(tmp_path):
    repo = FakeRepo("github.com", "gone/away", "gone", deleted=True)
    with FakeForges([repo]) as f:
        facts = GitHubCollector().collect(RunContext(f.config(tmp_path)), f.nodes())["gone"]
        assert isinstance(facts, Unknown) and "not found on GitHub" in facts.reason
        assert not facts.fault  # a deleted repository is a fact, not a failed lookup
        assert f.github.count() == 1


def test_rate_limit_mid_run_finishes_with_unknowns(tmp_path):
    repos = [FakeRepo("github.com", f"o{i}/r{i}", f"p{i}") for i in range(3)]
    with FakeForges(repos) as f:
        clock = FakeClock()
        reset = int(clock.now) + 3000
        f.github.script(
            "/api/v3/repos/o1/r1",
            Reply(403, {"message": "API rate limit exceeded for 1.2.3.4."},
                  {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "60", "X-RateLimit-Reset": str(reset)}),
        )
        cfg = f.config(tmp_path, concurrency=1)
        ctx = RunContext(cfg)
        ctx.clients["github"] = HttpClient(cfg, "github", clock=clock)
        out = GitHubCollector().collect(ctx, f.nodes())
        assert isinstance(out["p0"].repo, ForgeRepo)  # before the limit
        assert out["p1"] == Unknown("rate limited")
        assert out["p2"] == Unknown("rate limited")
        assert f.github.count("/api/v3/repos/o2") == 0  # never called after the stop
        assert clock.sleeps == []  # 50 minutes is too long to wait
        assert "stopped (rate limited)" == ctx.clients["github"].describe_budget()


def test_gitlab_project_and_contributors(tmp_path, forges):
    out = GitLabCollector().collect(RunContext(forges.config(tmp_path)), forges.nodes())
    assert set(out) == {"glpkg"}
    facts = out["glpkg"]
    assert facts.repo.forge == "gitlab" and facts.repo.owner_type == "organization"
    assert facts.repo.license == "bsd-3-clause"
    assert facts.contributor_count == 2 and facts.contributors[0].email.startswith("hash:")  # --show-emails off
    shown = GitLabCollector().collect(RunContext(forges.config(tmp_path, show_emails=True)), forges.nodes())["glpkg"]
    assert shown.contributors[0].email == "dev0@example.net"
    assert forges.gitlab.seen[0].path == "/api/v4/projects/group%2Fsub%2Fglpkg?license=true"


def test_self_hosted_gitlab_instance(tmp_path):
    repo = FakeRepo("git.example.org", "team/tool", "tool")
    with FakeForges([repo]) as f:
        cfg = f.config(tmp_path, gitlab_instances=(("git.example.org", f.gitlab.url),))
        out = GitLabCollector().collect(RunContext(cfg), f.nodes())
        assert out["tool"].repo.full_name == "team/tool"


def test_noreply_login():
    assert noreply_login("12345+octo-cat@users.noreply.github.com") == "octo-cat"
    assert noreply_login("octocat@users.noreply.github.com") == "octocat"
    assert noreply_login("octocat@example.com") is None


def test_token_file(tmp_path):
    p = tmp_path / "tok"
    p.write_text("\n  ghp_abc  \n")
    assert read_token_file(p).reveal() == "ghp_abc"
    p.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_token_file(p)
    with pytest.raises(InputError) as err:
        read_token_file(tmp_path / "missing")
    assert "missing" in str(err.value)


def test_login_email_pairs_for_identity_resolution(tmp_path, forges):
    from auditor.people.identity import login_email_pairs

    out = GitHubCollector().collect(RunContext(forges.config(tmp_path)), forges.nodes())
    pairs = login_email_pairs(out)
    assert ("org0-dev0", "org0-dev0@example.com") in pairs
    assert pairs == sorted(set(pairs))


def test_verbose_lines_show_budget(tmp_path, forges):
    from auditor.net.http import describe_counts

    ctx = RunContext(forges.config(tmp_path))
    GitHubCollector().collect(ctx, forges.nodes())
    (line,) = describe_counts(ctx.request_counts())
    assert line.startswith("github: ") and "cache hits" in line and " left" in line


def test_emails_stay_out_of_reports_unless_asked(tmp_path, forges):
    from auditor.report.serialize import to_jsonable

    facts = GitHubCollector().collect(RunContext(forges.config(tmp_path)), forges.nodes())["pkg1"]
    text = repr(to_jsonable(facts)) + repr(facts)
    assert "@example" not in text  # anonymous contributors hashed, e-mail links never serialized
    assert facts.email_logins  # still there for identity resolution


def test_contributor_list_too_large_is_a_fact_not_a_fault(tmp_path):
    repo = FakeRepo("github.com", "huge/mono", "mono")
    with FakeForges([repo]) as f:
        f.github.script("/api/v3/repos/huge/mono/contributors?anon=1&per_page=100", Reply(403, {
            "message": "The history or contributor list is too large to list contributors for this repository via the API."}))
        facts = GitHubCollector().collect(RunContext(f.config(tmp_path)), f.nodes())["mono"]
        assert facts.contributors == Unknown("contributor list too large for the GitHub API", fault=False)
        assert isinstance(facts.repo, ForgeRepo) and facts.faults() == []
        assert ctx_budget_untouched(f)


def ctx_budget_untouched(f) -> bool:
    return f.github.count("/api/v3/repos/huge/mono/commits") == 1  # the run went on after the 403
