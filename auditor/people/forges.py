"""Forge enrichers: GitHub and GitLab facts about each package's repository.

:class:`GitHubCollector` (``signals["github"]``) and :class:`GitLabCollector`
(``signals["gitlab"]``) gather, per mapped repository (each repository is
fetched once however many packages map to it):

* repository metadata (owner type, archived, fork, dates, default branch,
  license, security policy presence);
* the forge's contributor list and its own contributor count, reported
  beside the git-history count;
* GitHub only: ``{e-mail: login}`` links so identity resolution
  (auditor/people/identity.py) can merge git authors by login, and account
  creation dates of the top contributors, of a user-owned repository's
  owner, and of PyPI maintainers whose username is also a contributor login.

Packages whose repository is not on that forge get no entry.  Collectors
gather facts and never score; see auditor/scoring for the judgement.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.config import Config
from auditor.models import ForgeAccount, ForgeContributor, ForgeFacts, GitLabFacts, PackageNode, Unknown
from auditor.net.github import GitHubClient, noreply_login
from auditor.net.gitlab import GitLabClient
from auditor.people.privacy import redact, run_salt

#: Top contributors (by commit count, accounts only, bots excluded) whose
#: account creation date is fetched: the people with the most write history.
TOP_ACCOUNTS = 5


def _repo_of(node: PackageNode):
    return getattr(node.mapping, "repo", None)


def maintainer_logins(node: PackageNode, contributors: tuple[ForgeContributor, ...] | Unknown) -> dict[str, str]:
    """``{PyPI username: forge login}`` for maintainers whose username is a contributor login (case-insensitive).

    A same-handle match, not a proof of identity; the PyPI side comes from
    ``PyPIProject.ownership.maintainers`` (PyPI JSON API ``ownership.roles``).
    """
    maintainers = node.maintainers
    if isinstance(maintainers, Unknown) or isinstance(contributors, Unknown):
        return {}
    logins = {c.login.lower(): c.login for c in contributors if c.login}
    return {m.username: logins[m.username.lower()] for m in maintainers if m.username.lower() in logins}


def top_logins(contributors: tuple[ForgeContributor, ...] | Unknown, n: int = TOP_ACCOUNTS) -> list[str]:
    """The *n* accounts with the most contributions (anonymous entries and bots skipped)."""
    if isinstance(contributors, Unknown):
        return []
    people = [c for c in contributors if c.login and c.account_type == "User" and not c.login.endswith("[bot]")]
    people.sort(key=lambda c: -c.contributions)
    return [c.login for c in people[:n] if c.login]


class GitHubCollector(Collector):
    """GitHub REST enricher (see the module docstring).  Interface: :class:`~auditor.collectors.Collector`."""

    key = "github"
    description = "GitHub: repository metadata, contributors and e-mail->login links, account ages"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        cfg = ctx.config
        gh = GitHubClient(ctx.http("github"), cfg.github_api_url)
        by_repo: dict[str, list[PackageNode]] = {}
        for node in nodes:
            repo = _repo_of(node)
            if repo is not None and repo.host == cfg.github_host and repo.path.count("/") == 1:
                by_repo.setdefault(repo.path.lower(), []).append(node)
        paths = sorted(by_repo)
        partial = dict(zip(paths, ctx.map(lambda p: self._repo_facts(gh, p), paths, task="GitHub repositories")))

        wanted: dict[str, set[str]] = {}
        for path in paths:
            facts = partial[path]
            logins = set(top_logins(facts.contributors))
            if not isinstance(facts.repo, Unknown) and facts.repo.owner_type == "user":
                logins.add(facts.repo.owner)
            for node in by_repo[path]:
                logins.update(maintainer_logins(node, facts.contributors).values())
            wanted[path] = logins
        all_logins = sorted(set().union(*wanted.values())) if wanted else []
        accounts: dict[str, ForgeAccount | Unknown] = dict(
            zip(all_logins, ctx.map(gh.user, all_logins, task="GitHub accounts"))
        )
        out: dict[str, Any] = {}
        for path in paths:
            facts = partial[path]
            for node in by_repo[path]:
                if isinstance(facts.repo, Unknown):
                    out[node.name] = facts.repo  # the whole signal is unknown, with the reason
                    continue
                maint = maintainer_logins(node, facts.contributors)
                mine = sorted(wanted[path] | set(maint.values()))
                out[node.name] = replace(
                    facts, accounts={login: accounts[login] for login in mine}, maintainer_logins=maint
                )
        if not cfg.show_emails:
            salt = run_salt()
            out = {name: redact(value, salt) for name, value in out.items()}
        return out

    def _repo_facts(self, gh: GitHubClient, path: str) -> ForgeFacts:
        owner, name = path.split("/", 1)
        repo = gh.repo(owner, name)
        if isinstance(repo, Unknown):
            return ForgeFacts(repo=repo, contributors=repo, contributor_count=repo)
        owner, name = repo.full_name.split("/", 1)  # follows renames
        repo = replace(repo, security_policy=gh.security_policy(owner, name))
        got = gh.contributors(owner, name)
        contributors, count = (got, got) if isinstance(got, Unknown) else got
        links = gh.commit_email_logins(owner, name)
        email_logins = {} if isinstance(links, Unknown) else dict(links)
        if not isinstance(contributors, Unknown):
            for c in contributors:
                login = noreply_login(c.email) if c.email else None
                if login:
                    email_logins.setdefault(c.email, login)
        return ForgeFacts(
            repo=repo,
            contributors=contributors,
            contributor_count=count,
            _email_logins=dict(sorted(email_logins.items())),
        )


def gitlab_base_url(config: Config, host: str) -> str | None:
    """API root for a repository *host*: ``Config.gitlab_url`` for gitlab.com,
    a ``Config.gitlab_instances`` entry, ``https://HOST`` for ``gitlab.*`` hosts, else None."""
    if host == "gitlab.com":
        return config.gitlab_url
    for h, url in config.gitlab_instances:
        if h.lower() == host:
            return url
    if host.startswith("gitlab."):
        return f"https://{host}"
    return None


class GitLabCollector(Collector):
    """GitLab REST enricher (gitlab.com and self-hosted).  Interface: :class:`~auditor.collectors.Collector`."""

    key = "gitlab"
    description = "GitLab: project metadata and repository contributors"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        by_repo: dict[tuple[str, str], list[PackageNode]] = {}
        for node in nodes:
            repo = _repo_of(node)
            if repo is None:
                continue
            base = gitlab_base_url(ctx.config, repo.host)
            if base:
                by_repo.setdefault((base, repo.path.lower()), []).append(node)
        keys = sorted(by_repo)
        http = ctx.http("gitlab")
        results = ctx.map(lambda k: self._project_facts(GitLabClient(http, k[0]), k[1]), keys, task="GitLab projects")
        salt = None if ctx.config.show_emails else run_salt()
        return {
            node.name: facts.repo if isinstance(facts.repo, Unknown) else (redact(facts, salt) if salt else facts)
            for key, facts in zip(keys, results)
            for node in by_repo[key]
        }

    def _project_facts(self, gl: GitLabClient, path: str) -> GitLabFacts:
        got = gl.project(path)
        if isinstance(got, Unknown):
            return GitLabFacts(repo=got, contributors=got, contributor_count=got)
        repo, project_id = got
        people = gl.contributors(project_id)
        contributors, count = (people, people) if isinstance(people, Unknown) else people
        return GitLabFacts(repo=repo, contributors=contributors, contributor_count=count)
