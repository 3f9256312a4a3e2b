"""GitLab REST API v4 client (gitlab.com or a self-hosted instance).

Calls go through the run's ``"gitlab"`` :class:`~auditor.net.http.HttpClient`
(``GITLAB_TOKEN`` is sent only to ``Config.gitlab_url``'s origin).  Endpoints:

* ``GET /api/v4/projects/{url-encoded path}?license=true``: project metadata;
* ``GET /api/v4/projects/{id}/repository/contributors?per_page=100``:
  contributors (``name``, ``email``, ``commits``), paginated with ``Link`` headers.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

from auditor.models import ForgeContributor, ForgeRepo, Unknown
from auditor.net.api import ApiClient, parsed

#: Contributor pages read (100 entries each).
CONTRIBUTOR_PAGES = 5
PER_PAGE = 100


class GitLabClient(ApiClient):
    """Lookups against one GitLab instance (see :class:`ApiClient`).

    *http* is the run's ``"gitlab"`` client; *base_url* ``https://gitlab.com`` or the instance's root URL.
    """

    service = "GitLab"

    def project(self, path: str) -> tuple[ForgeRepo, int] | Unknown:
        """Project metadata and its numeric id, for ``group/subgroup/name``.

        Returns:
            ``(ForgeRepo, project id)``, or Unknown (``"project not found on
            GitLab (deleted, moved or private)"``, rate limits, offline, ...).
        """
        doc = self._object(f"{self.base}/api/v4/projects/{quote(path, safe='')}?license=true", key="id", what="project",
                           gone="project not found on GitLab (deleted, moved or private)")
        if isinstance(doc, Unknown):
            return doc
        project = parsed(parse_project, doc, source=f"{self.base} (project)")
        if isinstance(project, Unknown):
            return project
        ident = parsed(int, doc["id"], source=f"{self.base} (project id)")
        return ident if isinstance(ident, Unknown) else (project, ident)

    def contributors(self, project_id: int) -> tuple[tuple[ForgeContributor, ...], int] | Unknown:
        """``(contributors, count)`` ordered by commits, most first."""
        url = (
            f"{self.base}/api/v4/projects/{project_id}/repository/contributors"
            f"?order_by=commits&sort=desc&per_page={PER_PAGE}"
        )
        got = self.http.get_json_pages(url, max_pages=CONTRIBUTOR_PAGES)
        if isinstance(got, Unknown):
            return got
        items, _complete = got
        people = tuple(
            ForgeContributor(
                login=None,
                email=(str(i["email"]).strip().lower() if i.get("email") else None),
                name=i.get("name"),
                contributions=int(i.get("commits") or 0),
                account_type="User",
            )
            for i in items
            if isinstance(i, Mapping)
        )
        return people, len(people)


def parse_project(doc: Mapping[str, Any]) -> ForgeRepo:
    """A ``GET /projects/:id`` document as :class:`ForgeRepo`."""
    ns = doc.get("namespace") or {}
    lic = doc.get("license") or {}
    forked = doc.get("forked_from_project") or {}
    full = str(doc.get("path_with_namespace") or "")
    return ForgeRepo(
        forge="gitlab",
        full_name=full,
        url=str(doc.get("web_url") or ""),
        owner=str(ns.get("full_path") or full.rsplit("/", 1)[0]),
        owner_type="user" if ns.get("kind") == "user" else "organization",
        archived=bool(doc.get("archived")),
        fork=bool(forked),
        created_at=doc.get("created_at"),
        pushed_at=doc.get("last_activity_at"),
        default_branch=doc.get("default_branch"),
        license=(lic.get("key") if isinstance(lic, Mapping) else None) or None,
        security_policy=Unknown("not checked on GitLab", fault=False),
        parent=forked.get("path_with_namespace") if isinstance(forked, Mapping) else None,
    )
