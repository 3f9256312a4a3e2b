"""GitHub's e-mail->login links reach identity resolution in the history collector."""

from __future__ import annotations

from dataclasses import replace

from auditor.collectors import RunContext
from auditor.config import Config
from auditor.models import ForgeFacts, Unknown
from auditor.people.history import HistoryCollector
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)
from tests.people.test_collector import node


def test_github_links_merge_two_addresses_of_one_person(tmp_path, git_home):
    srv = tmp_path / "srv"
    repo = RepoBuilder(srv / "org" / "alpha")
    repo.commit(("Jane Doe", "jane@work.example"), "2024-05-01")
    repo.commit(("jd", "jane@home.example"), "2024-05-02")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    ctx = RunContext(config=Config(cache_dir=tmp_path / "cache", as_of="2024-12-31"))

    plain = HistoryCollector(salt="s").collect(ctx, [node("alpha", "org/alpha")])["alpha"]
    assert plain.contributors == 2  # two names, two addresses: nothing links them

    facts = ForgeFacts(repo=Unknown("n/a"), contributors=(), contributor_count=0,
                       _email_logins={"jane@work.example": "janedoe", "jane@home.example": "janedoe"})
    linked_node = replace(node("alpha", "org/alpha"), signals={"github": facts})
    linked = HistoryCollector(salt="s").collect(ctx, [linked_node])["alpha"]
    assert linked.contributors == 1
