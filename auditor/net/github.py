"""GitHub REST API client (github.com or GitHub Enterprise Server).

Every call goes through the run's ``"github"`` :class:`~auditor.net.http.HttpClient`
(cache, retries, rate limits, host-bound ``GITHUB_TOKEN``) and answers our
models or :class:`~auditor.models.Unknown`.  Endpoints and fields used are
those of the GitHub REST API v2022-11-28:

* ``GET /repos/{owner}/{repo}``: repository metadata;
* ``GET /repos/{owner}/{repo}/contributors?anon=1&per_page=100``: contributors,
  anonymous entries included (``type: "Anonymous"`` with ``email``/``name``),
  paginated with ``Link`` headers;
* ``GET /repos/{owner}/{repo}/commits?per_page=100``: the newest commits, whose
  ``commit.author.email`` with ``author.login`` link e-mails to accounts;
* ``GET /repos/{owner}/{repo}/contents/{path}``: whether ``SECURITY.md`` exists;
* ``GET /users/{login}``: account type and ``created_at``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote

from auditor.config import Secret
from auditor.errors import InputError
from auditor.models import ForgeAccount, ForgeContributor, ForgeRepo, Unknown
from auditor.net.api import ApiClient, parsed

#: Media type and API version GitHub recommends sending (REST docs, "API versions").
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

#: Contributors pages read (100 entries each): enough for the top of any
#: project; the total count comes from the ``rel="last"`` link when larger.
CONTRIBUTOR_PAGES = 5
PER_PAGE = 100
#: Where GitHub looks for a security policy (GitHub docs, "Adding a security
#: policy to your repository"): root, ``.github/``, ``docs/``; an
#: organization's default policy lives in its ``.github`` repository.
SECURITY_POLICY_PATHS = ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md")

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))@users\.noreply\.github\.com$", re.I)
#: Committer of web-UI merges; not a person.
WEB_FLOW_EMAIL = "noreply@github.com"


def noreply_login(email: str) -> str | None:
    """``12345+octocat@users.noreply.github.com`` -> ``"octocat"``; None for other addresses."""
    m = _NOREPLY.match(email.strip())
    return m.group(1) if m else None


def read_token_file(path: str | Path) -> Secret:
    """Read a GitHub token from *path* (``--github-token-file``): first non-empty line.

    Raises:
        InputError: the file is missing, unreadable or empty (the message
            names the file, never its content).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read token file ({exc.strerror or type(exc).__name__})", file=str(p)) from None
    for line in text.splitlines():
        if line.strip():
            return Secret(line.strip())
    raise InputError("token file is empty", file=str(p))


class GitHubClient(ApiClient):
    """Lookups against one GitHub REST API base URL (see :class:`ApiClient`).

    *http* is the run's ``"github"`` client; *base_url* ``https://api.github.com``
    or ``https://HOST/api/v3`` (Enterprise).
    """

    service = "GitHub"
    headers = HEADERS

    def _url(self, path: str) -> str:
        return f"{self.base}{path}"

    def _get(self, path: str) -> Any | Unknown:
        return self.http.get_json(self._url(path), HEADERS)

    def repo(self, owner: str, name: str) -> ForgeRepo | Unknown:
        """Repository metadata (``security_policy`` left Unknown: see :meth:`security_policy`).

        Returns:
            ForgeRepo, or Unknown: ``"repository not found on GitHub (deleted, renamed away or private)"``
            for a 404, ``"rate limited"``, ``"offline"``, or an HTTP/transport failure.
        """
        doc = self._object(self._url(f"/repos/{quote(owner)}/{quote(name)}"), key="full_name", what="repository",
                           gone="repository not found on GitHub (deleted, renamed away or private)")
        if isinstance(doc, Unknown):
            return doc
        return parsed(parse_repo, doc, source="GitHub (repository)")

    def contributors(self, owner: str, name: str) -> tuple[tuple[ForgeContributor, ...], int] | Unknown:
        """The contributor list (anonymous entries included) and GitHub's total count.

        Reads up to :data:`CONTRIBUTOR_PAGES` pages; when there are more,
        the total is taken from the ``rel="last"`` page of a ``per_page=1``
        listing (one entry per page, so its page number is the count).

        Returns:
            ``(contributors, count)``, or Unknown (``"contributor list too large
            for the GitHub API"`` when GitHub refuses with 403, rate limits, ...).
        """
        url = self._url(f"/repos/{quote(owner)}/{quote(name)}/contributors?anon=1&per_page={PER_PAGE}")
        got = self.http.get_json_pages(url, HEADERS, max_pages=CONTRIBUTOR_PAGES)
        if isinstance(got, Unknown):
            if "HTTP 403" in got.reason:
                return Unknown("contributor list too large for the GitHub API", fault=False)
            return got
        items, complete = got
        got_people = [parsed(parse_contributor, i, source="GitHub (contributors)") for i in items if isinstance(i, Mapping)]
        bad = next((p for p in got_people if isinstance(p, Unknown)), None)
        if bad is not None:
            return bad
        people = tuple(got_people)
        if complete:
            return people, len(people)
        count = self._count_by_last_page(
            f"/repos/{quote(owner)}/{quote(name)}/contributors?anon=1&per_page=1"
        )
        return people, count if not isinstance(count, Unknown) else len(people)

    def _count_by_last_page(self, path: str) -> int | Unknown:
        got = self.http.get_json_response(self._url(path), HEADERS)
        if isinstance(got, Unknown):
            return got
        data, resp = got
        from requests.utils import parse_header_links

        for link in parse_header_links(resp.headers.get("Link", "")):
            if link.get("rel") == "last":
                m = re.search(r"[?&]page=(\d+)", link.get("url", ""))
                if m:
                    return int(m.group(1))
        return len(data) if isinstance(data, list) else Unknown("no count")

    def commit_email_logins(self, owner: str, name: str) -> dict[str, str] | Unknown:
        """``{lower-cased e-mail: login}`` from the newest :data:`PER_PAGE` commits.

        Source: ``commit.author.email`` + ``author.login`` and
        ``commit.committer.email`` + ``committer.login`` (GitHub links a
        commit to an account when the e-mail is verified on it); the
        web-flow committer ``noreply@github.com`` is skipped.
        """
        doc = self._get(f"/repos/{quote(owner)}/{quote(name)}/commits?per_page={PER_PAGE}")
        if isinstance(doc, Unknown):
            return doc
        links: dict[str, str] = {}
        for item in doc if isinstance(doc, list) else ():
            if not isinstance(item, Mapping):
                continue
            commit = item.get("commit") or {}
            for role in ("author", "committer"):
                person = commit.get(role) or {}
                account = item.get(role) or {}
                email = str(person.get("email") or "").strip().lower()
                login = account.get("login") if isinstance(account, Mapping) else None
                if email and login and email != WEB_FLOW_EMAIL:
                    links.setdefault(email, str(login))
        return links

    def security_policy(self, owner: str, name: str) -> bool | Unknown:
        """Whether a ``SECURITY.md`` exists (see :data:`SECURITY_POLICY_PATHS`)."""
        candidates = [(owner, name, p) for p in SECURITY_POLICY_PATHS] + [(owner, ".github", "SECURITY.md")]
        for o, n, path in candidates:
            doc = self._get(f"/repos/{quote(o)}/{quote(n)}/contents/{quote(path)}")
            if isinstance(doc, Unknown):
                if doc.not_found:
                    continue
                return doc
            return True
        return False

    def user(self, login: str) -> ForgeAccount | Unknown:
        """Account type and creation date (``GET /users/{login}``)."""
        doc = self._object(self._url(f"/users/{quote(login)}"), key="login", what="user",
                           gone="account not found on GitHub (deleted or renamed)")
        if isinstance(doc, Unknown):
            return doc
        return ForgeAccount(
            login=str(doc["login"]),
            account_type=str(doc.get("type") or "User"),
            created_at=doc.get("created_at"),
            forge="github",
        )


def parse_repo(doc: Mapping[str, Any], security_policy: bool | Unknown | None = None) -> ForgeRepo:
    """A ``GET /repos/{owner}/{repo}`` document as :class:`ForgeRepo`."""
    owner = doc.get("owner") or {}
    lic = doc.get("license") or {}
    spdx = lic.get("spdx_id") if isinstance(lic, Mapping) else None
    parent = doc.get("parent") or doc.get("source") or {}
    return ForgeRepo(
        forge="github",
        full_name=str(doc.get("full_name")),
        url=str(doc.get("html_url") or ""),
        owner=str(owner.get("login") or str(doc.get("full_name")).split("/")[0]),
        owner_type="organization" if owner.get("type") == "Organization" else "user",
        archived=bool(doc.get("archived")),
        fork=bool(doc.get("fork")),
        created_at=doc.get("created_at"),
        pushed_at=doc.get("pushed_at"),
        default_branch=doc.get("default_branch"),
        license=None if spdx in (None, "NOASSERTION") else str(spdx),
        security_policy=security_policy if security_policy is not None else Unknown("not checked", fault=False),
        parent=parent.get("full_name") if isinstance(parent, Mapping) else None,
    )


def parse_contributor(item: Mapping[str, Any]) -> ForgeContributor:
    """One ``/contributors?anon=1`` entry (account or ``"Anonymous"``)."""
    kind = str(item.get("type") or "User")
    if kind == "Anonymous" or not item.get("login"):
        return ForgeContributor(
            login=None,
            email=(str(item["email"]).strip().lower() if item.get("email") else None),
            name=item.get("name"),
            contributions=int(item.get("contributions") or 0),
            account_type="Anonymous",
        )
    return ForgeContributor(
        login=str(item["login"]),
        email=None,
        name=None,
        contributions=int(item.get("contributions") or 0),
        account_type=kind,
    )
