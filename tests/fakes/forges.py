"""Fake GitHub, GitLab, Scorecard and deps.dev services answering in the real APIs' shapes.

One :class:`FakeServer` per service (distinct origins, so token scoping is
real).  Shapes follow the public docs: GitHub REST v2022-11-28 (``Link``
pagination, ``anon=1`` anonymous contributor entries, ``X-RateLimit-*``
headers, ``ETag``), GitLab v4 (``namespace.kind``, ``RateLimit-*``),
Scorecard API v1 (``checks[]`` with ``score``/``reason``/``documentation``),
deps.dev v3 (``relatedProjects``, ``slsaProvenances``, ``advisoryKeys``) and
v3alpha ``:dependents``; the file lists of GitHub ``git/trees/HEAD[?recursive=1]``
(``sha``, ``tree[]`` of ``path``/``type``, ``truncated``) and
``contents/{path}``, and GitLab ``repository/tree?path=``.  Used by the tests
and by benchmarks/bench_forges.py.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from auditor.config import Config
from auditor.models import PackageNode, Unknown
from tests.builders import package_node
from tests.fakes.server import FakeServer, Reply, github_contents, github_tree

SCORECARD_CHECKS = (
    "Binary-Artifacts", "Branch-Protection", "CI-Tests", "Code-Review", "Dangerous-Workflow",
    "Maintained", "Pinned-Dependencies", "Security-Policy", "Signed-Releases", "Token-Permissions",
)


@dataclass
class FakeRepo:
    """One repository in the fake world."""

    host: str
    path: str
    package: str
    version: str = "1.0.0"
    owner_type: str = "Organization"
    contributors: int = 3  # account contributors
    anonymous: int = 1
    security: bool = True
    deleted: bool = False
    scorecard: bool = True
    depsdev_repo: str | None = None  # None: same as the repository
    verified: bool = False
    maintainers: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # paths at HEAD; () -> pyproject.toml and src/<package>/__init__.py
    texts: dict[str, str] = field(default_factory=dict)  # path -> content (contents API)
    truncated: bool = False  # the recursive tree answer says "truncated": true and lists only half
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tag -> paths at that tag (contents ?ref=)
    removed: tuple[str, ...] = ()  # directories gone from HEAD that have commits (commits?path=)

    @property
    def owner(self) -> str:
        return self.path.split("/")[0]

    def logins(self) -> list[str]:
        return [f"{self.owner}-dev{i}" for i in range(self.contributors)]

    def paths(self) -> list[str]:
        return list(self.files) or ["pyproject.toml", f"src/{self.package}/__init__.py"]

    def tree(self, recursive: bool) -> dict:
        """A GitHub ``git/trees/HEAD`` answer (:func:`tests.fakes.server.github_tree`)."""
        return github_tree(self.paths(), recursive, self.truncated)


@dataclass
class FakeForges:
    """The four fake services and the repositories they know.

    Args:
        repos: the world.
        latency: injected per-request latency (seconds).
        rate_remaining: GitHub's starting ``X-RateLimit-Remaining``.
        generic: answer for any repository or package, inventing a plausible
            one on first sight (benchmarks of real dependency sets).
    """

    repos: list[FakeRepo]
    latency: float = 0.0
    generic: bool = False
    rate_remaining: int = 5000
    rate_reset: int = 1_700_003_600
    github: FakeServer = field(init=False)
    gitlab: FakeServer = field(init=False)
    scorecard: FakeServer = field(init=False)
    depsdev: FakeServer = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.github = FakeServer(self.latency, self._github)
        self.gitlab = FakeServer(self.latency, self._gitlab)
        self.scorecard = FakeServer(self.latency, self._scorecard)
        self.depsdev = FakeServer(self.latency, self._depsdev)

    def servers(self) -> list[FakeServer]:
        return [self.github, self.gitlab, self.scorecard, self.depsdev]

    def __enter__(self) -> "FakeForges":
        for s in self.servers():
            s.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        for s in self.servers():
            s.__exit__(*exc)

    def total_requests(self) -> int:
        return sum(len(s.seen) for s in self.servers())

    def config(self, tmp_path, **kw) -> Config:
        kw.setdefault("github_token", None)
        kw.setdefault("gitlab_token", None)
        return Config(
            cache_dir=tmp_path,
            github_api_url=self.github.url + "/api/v3",
            gitlab_url=self.gitlab.url,
            scorecard_url=self.scorecard.url,
            depsdev_url=self.depsdev.url,
            timeout=(2.0, 10.0),
            **kw,
        )

    def nodes(self) -> list[PackageNode]:
        return [make_node(r) for r in self.repos]

    # -- GitHub -------------------------------------------------------------------

    def _gh_headers(self, etag_of: bytes | None = None) -> dict[str, str]:
        with self._lock:
            self.rate_remaining = max(0, self.rate_remaining - 1)
            remaining = self.rate_remaining
        h = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(self.rate_reset),
            "X-RateLimit-Resource": "core",
            "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
        }
        if etag_of is not None:
            h["ETag"] = f'W/"{hashlib.sha1(etag_of).hexdigest()}"'
        return h

    def _find(self, host: str, path: str) -> FakeRepo | None:
        with self._lock:
            for r in self.repos:
                if r.host == host and r.path.lower() == path.lower():
                    return r
            if not self.generic:
                return None
            repo = FakeRepo(host, path, package=path.split("/")[-1].lower(), contributors=2 + len(path) % 7)
            self.repos.append(repo)
            return repo

    def _ok(self, body) -> Reply:
        raw = json.dumps(body).encode()
        return Reply(200, raw, self._gh_headers(raw))

    def _github(self, path: str, headers: dict) -> Reply | None:
        parts = urlsplit(path)
        segs = [unquote(s) for s in parts.path.split("/") if s]
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if segs[:2] != ["api", "v3"]:
            return None
        segs = segs[2:]
        base = self.github.url + "/api/v3"
        if segs[:1] == ["users"] and len(segs) == 2:
            login = segs[1]
            return self._ok({
                "login": login, "id": abs(hash(login)) % 10**7, "type": "User",
                "created_at": "2024-11-01T00:00:00Z" if login.endswith("dev0") else "2012-03-04T05:06:07Z",
            })
        if segs[:1] != ["repos"] or len(segs) < 3:
            return None
        repo = self._find("github.com", f"{segs[1]}/{segs[2]}")
        rest = segs[3:]
        if repo is None or repo.deleted:
            if rest[:1] == ["contents"]:
                return Reply(404, {"message": "Not Found"}, self._gh_headers())
            return Reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, self._gh_headers())
        if not rest:
            return self._ok({
                "id": 1, "name": repo.path.split("/")[1], "full_name": repo.path,
                "html_url": f"https://github.com/{repo.path}",
                "owner": {"login": repo.owner, "type": repo.owner_type},
                "private": False, "fork": False, "archived": False,
                "created_at": "2015-01-01T00:00:00Z", "pushed_at": "2026-11-01T00:00:00Z",
                "default_branch": "main", "license": {"key": "mit", "spdx_id": "MIT", "name": "MIT License"},
            })
        if rest == ["contributors"]:
            entries = [
                {"login": login, "id": i + 1, "type": "User", "contributions": 100 - i}
                for i, login in enumerate(repo.logins())
            ] + [
                {"email": f"anon{i}@example.org", "name": f"Anon {i}", "type": "Anonymous", "contributions": 1}
                for i in range(repo.anonymous)
            ]
            per_page = int(q.get("per_page", 30))
            page = int(q.get("page", 1))
            pages = max(1, -(-len(entries) // per_page))
            chunk = entries[(page - 1) * per_page: page * per_page]
            link_base = f"{base}/repos/{repo.path}/contributors?anon=1&per_page={per_page}"
            links = []
            if page < pages:
                links.append(f'<{link_base}&page={page + 1}>; rel="next"')
                links.append(f'<{link_base}&page={pages}>; rel="last"')
            reply = self._ok(chunk)
            if links:
                reply.headers["Link"] = ", ".join(links)
            return reply
        if rest == ["commits"] and "path" in q:
            return self._ok([{"sha": "f" * 40, "commit": {"message": "last change"}}] if q["path"] in repo.removed else [])
        if rest == ["commits"]:
            commits = [
                {
                    "sha": f"{i:040x}",
                    "commit": {
                        "author": {"name": login, "email": f"{login}@example.com", "date": "2026-01-01T00:00:00Z"},
                        "committer": {"name": "GitHub", "email": "noreply@github.com", "date": "2026-01-01T00:00:00Z"},
                    },
                    "author": {"login": login, "type": "User"},
                    "committer": {"login": "web-flow", "type": "User"},
                }
                for i, login in enumerate(repo.logins())
            ]
            return self._ok(commits)
        if rest[:3] == ["git", "trees", "HEAD"] and len(rest) == 3:
            return self._ok(repo.tree(q.get("recursive") == "1"))
        if rest[:1] == ["contents"] and "ref" in q:
            if q["ref"] not in repo.tags:
                return Reply(404, {"message": "No commit found for the ref " + q["ref"]}, self._gh_headers())
            status, body = github_contents(list(repo.tags[q["ref"]]), repo.texts, "/".join(rest[1:]))
            return self._ok(body) if status == 200 else Reply(404, {"message": "Not Found"}, self._gh_headers())
        if rest[:1] == ["contents"] and repo.files:
            status, body = github_contents(repo.paths(), repo.texts, "/".join(rest[1:]))
            raw = "raw" in {k.lower(): v for k, v in headers.items()}.get("accept", "")
            if status == 200 and raw and isinstance(body, dict):  # application/vnd.github.raw+json: the file itself
                text = repo.texts.get(body["path"], "").encode()
                return Reply(200, text, {**self._gh_headers(text), "Content-Type": "application/vnd.github.raw"})
            if status == 200:
                return self._ok(body)
        if rest[:1] == ["contents"]:
            if repo.security and "/".join(rest[1:]) == "SECURITY.md":
                return self._ok({"type": "file", "name": "SECURITY.md", "path": "SECURITY.md", "size": 100})
            return Reply(404, {"message": "Not Found"}, self._gh_headers())
        return None

    # -- GitLab -------------------------------------------------------------------

    def _gitlab(self, path: str, headers: dict) -> Reply | None:
        parts = urlsplit(path)
        rl = {"RateLimit-Limit": "2000", "RateLimit-Remaining": "1999", "RateLimit-Reset": str(self.rate_reset)}
        if parts.path.startswith("/api/v4/projects/"):
            rest = parts.path[len("/api/v4/projects/"):]
            if rest.endswith("/repository/tree"):
                full = unquote(rest[: -len("/repository/tree")])
                sub = parse_qs(parts.query).get("path", [""])[0]
                r = next((r for r in self.repos if r.host != "github.com" and r.path.lower() == full.lower()), None)
                if r is None:
                    return Reply(404, {"message": "404 Project Not Found"}, rl)
                inside = [p for p in r.paths() if not sub or p.startswith(sub + "/")]
                if not inside:
                    return Reply(404, {"message": "404 Tree Not Found"}, rl)
                return Reply(200, [{"id": "e" * 40, "name": inside[0].split("/")[-1], "type": "blob",
                                    "path": inside[0], "mode": "100644"}], rl)
            if "/repository/contributors" in rest:
                pid = int(rest.split("/")[0])
                repo = [r for r in self.repos if r.host != "github.com"][pid - 1]
                return Reply(200, [
                    {"name": f"Dev {i}", "email": f"dev{i}@example.net", "commits": 50 - i, "additions": 0, "deletions": 0}
                    for i in range(repo.contributors)
                ], rl)
            full = unquote(rest)
            if self.generic and not any(r.path.lower() == full.lower() for r in self.repos if r.host != "github.com"):
                self._find("gitlab.com", full)
            gl = [r for r in self.repos if r.host != "github.com"]
            for i, r in enumerate(gl):
                if r.path.lower() == full.lower() and not r.deleted:
                    return Reply(200, {
                        "id": i + 1, "path_with_namespace": r.path, "web_url": f"https://{r.host}/{r.path}",
                        "namespace": {"kind": "group", "full_path": r.owner},
                        "archived": False, "created_at": "2018-01-01T00:00:00Z",
                        "last_activity_at": "2026-10-01T00:00:00Z", "default_branch": "master",
                        "license": {"key": "bsd-3-clause", "name": "BSD 3-Clause"},
                    }, rl)
            return Reply(404, {"message": "404 Project Not Found"}, rl)
        return None

    # -- Scorecard ----------------------------------------------------------------

    def _scorecard(self, path: str, headers: dict) -> Reply | None:
        segs = [s for s in urlsplit(path).path.split("/") if s]
        if segs[:1] != ["projects"] or len(segs) < 4:
            return None
        repo = self._find(segs[1], "/".join(segs[2:]))
        if repo is None or not repo.scorecard:
            return Reply(404, {"code": 404, "message": "Not Found"})
        checks = [
            {
                "name": n, "score": (-1 if n == "Signed-Releases" else (i * 3) % 11),
                "reason": f"{n} reason", "details": None,
                "documentation": {"short": f"{n}.", "url": f"https://github.com/ossf/scorecard/blob/main/docs/checks.md#{n.lower()}"},
            }
            for i, n in enumerate(SCORECARD_CHECKS)
        ]
        return Reply(200, {
            "date": "2026-11-16", "repo": {"name": f"{segs[1]}/{repo.path}", "commit": "a" * 40},
            "scorecard": {"version": "v5.0.0", "commit": "b" * 40}, "score": 6.4, "checks": checks,
        })

    # -- deps.dev -----------------------------------------------------------------

    def _depsdev(self, path: str, headers: dict) -> Reply | None:
        p = unquote(urlsplit(path).path)
        for api in ("/v3/", "/v3alpha/"):
            if p.startswith(api + "systems/pypi/packages/"):
                rest = p[len(api + "systems/pypi/packages/"):]
                name, _, version = rest.partition("/versions/")
                dependents = version.endswith(":dependents")
                version = version.removesuffix(":dependents")
                repo = next((r for r in self.repos if r.package == name and r.version == version), None)
                if repo is None and self.generic:
                    repo = FakeRepo("github.com", f"{name}/{name}", name, version=version)
                if repo is None:
                    return Reply(404, {"code": 5, "message": "package not found", "details": []})
                if dependents:
                    return Reply(200, {"dependentCount": 120, "directDependentCount": 30, "indirectDependentCount": 90})
                source = repo.depsdev_repo or f"{repo.host}/{repo.path}"
                return Reply(200, {
                    "versionKey": {"system": "PYPI", "name": name, "version": version},
                    "publishedAt": "2025-07-29T05:52:08Z", "isDefault": True, "licenses": ["MIT"],
                    "advisoryKeys": [{"id": "GHSA-xxxx-yyyy-zzzz"}] if name.endswith("0") else [],
                    "links": [{"label": "SOURCE_REPO", "url": f"https://{source}"}],
                    "slsaProvenances": [],
                    "attestations": [{"type": "https://docs.pypi.org/attestations/publish/v1", "verified": True,
                                      "sourceRepository": f"https://{source}", "commit": "c" * 40}] if repo.verified else [],
                    "relatedProjects": [{"projectKey": {"id": source},
                                         "relationProvenance": "PYPI_PUBLISH_ATTESTATION" if repo.verified else "UNVERIFIED_METADATA",
                                         "relationType": "SOURCE_REPO"}],
                })
        return None


def make_node(repo: FakeRepo) -> PackageNode:
    """A PackageNode mapped to *repo*, with PyPI maintainers."""
    return package_node(repo.package, repo.version, repo=f"https://{repo.host}/{repo.path}", evidence="test",
                        metadata=Unknown("not needed", fault=False), maintainers=repo.maintainers)

def world(n: int = 4) -> list[FakeRepo]:
    """*n* GitHub repositories plus one gitlab.com project, one deleted repo, one unscanned."""
    repos = [FakeRepo("github.com", f"org{i}/pkg{i}", f"pkg{i}", contributors=3 + i % 4,
                      maintainers=(f"org{i}-dev1",), verified=i % 2 == 0) for i in range(n)]
    repos.append(FakeRepo("gitlab.com", "group/sub/glpkg", "glpkg", contributors=2))
    return repos
