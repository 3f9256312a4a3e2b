"""PyPI client: the project JSON API and the simple index's core metadata.

Two facts come from PyPI, each from its documented interface:

* ``GET {pypi_url}/pypi/{name}/json`` (the JSON API): ``info`` (project
  URLs, latest version), ``releases`` (upload times, yanked flags) and
  ``ownership`` (``organization`` and ``roles`` of the accounts that can
  publish).  Parsed into :class:`~auditor.models.PyPIProject`.
* ``GET {index_url}/{name}/`` (PEP 503 / PEP 691 simple index) then the
  distribution file's PEP 658 ``.metadata`` file: the exact version's core
  metadata, without downloading the distribution.  Parsed into
  :class:`~auditor.models.CoreMetadata`.

Every call answers a model or an :class:`~auditor.models.Unknown` with the
reason; nothing raises for a single package.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

from packaging.utils import canonicalize_version

from auditor.dist.description import description_links
from auditor.models import CoreMetadata, Maintainer, Ownership, PyPIProject, Unknown, UnknownKind
from auditor.net.api import SHAPE_ERRORS, json_object, parsed
from auditor.net.decode import response_json
from auditor.net.cache import EXPIRY
from auditor.net.context import RunContext
from auditor.net.lazy_wheel import wheel_directories, wheel_metadata
from auditor.dist.metadata import from_json_info, parse_core_metadata

from auditor.net.simple import (  # the simple index's parsing lives there
    SIMPLE_ACCEPT, IndexFile, IndexPage, choose_metadata_file, parse_simple_html_page, parse_simple_json_page,
)


#: ``(project_urls, home_page, download_url) -> bool``: see :func:`parse_project`.
RepositoryNamed = Callable[[Sequence[tuple[str, str]], "str | None", "str | None"], bool]


def parse_project(
    doc: Mapping[str, Any], as_of: str | None = None, repository_named: RepositoryNamed | None = None,
) -> PyPIProject:
    """Build a :class:`PyPIProject` from a ``/pypi/NAME/json`` document.

    Args:
        doc: the decoded JSON document.
        as_of: ISO date; releases uploaded after it are ignored.
        repository_named: ``(project_urls, home_page, download_url) -> bool``, whether
            the ``info`` URLs name a repository by themselves (the run's
            ``RunContext.repository_named``); when they do, only the description's
            directory links are extracted (``description_links(directories_only=True)``:
            the mapping reads no other link then, and parsing is most of this
            function's cost).  None: every link.
    """
    info = doc.get("info") or {}
    own = doc.get("ownership")
    if isinstance(own, Mapping):
        roles = tuple(
            sorted(
                {
                    Maintainer(username=str(r.get("user")), role=str(r.get("role") or "Maintainer"))
                    for r in own.get("roles") or []
                    if r.get("user")
                },
                key=lambda m: (m.role != "Owner", m.username.lower()),
            )
        )
        ownership: Ownership | Unknown = Ownership(organization=own.get("organization") or None, maintainers=roles)
    else:
        ownership = Unknown("PyPI JSON API returned no 'ownership' object")
    uploads: dict[str, str] = {}
    yanked: list[str] = []
    for version, files in (doc.get("releases") or {}).items():
        times = sorted(str(f.get("upload_time_iso_8601") or f.get("upload_time") or "") for f in files or [])
        times = [t for t in times if t]
        if not times:
            continue
        if as_of and times[0][:10] > as_of[:10]:
            continue
        uploads[version] = times[0]
        if files and all(f.get("yanked") for f in files):
            yanked.append(version)
    meta = from_json_info(info)
    return PyPIProject(
        name=str(info.get("name") or ""),
        ownership=ownership,
        project_urls=meta.project_urls,
        home_page=meta.home_page,
        download_url=meta.download_url,
        latest_version=info.get("version"),
        release_count=len(uploads),
        first_upload=min(uploads.values()) if uploads else None,
        version_uploads=dict(sorted(uploads.items())),
        yanked_versions=tuple(sorted(yanked)),
        description_links=description_links(
            info.get("description"), info.get("description_content_type"),
            directories_only=bool(repository_named and repository_named(meta.project_urls, meta.home_page,
                                                                        meta.download_url))),
    )


def project_to_json(p: PyPIProject) -> dict:
    """A JSON-ready dict of *p* (for :class:`auditor.net.memo.FactMemo`)."""
    own: Any
    if isinstance(p.ownership, Unknown):
        own = {"unknown": p.ownership.reason, "fault": p.ownership.fault, "kind": p.ownership.kind.value}
    else:
        own = {"organization": p.ownership.organization,
               "maintainers": [[m.username, m.role] for m in p.ownership.maintainers]}
    return {
        "name": p.name, "ownership": own, "project_urls": [list(x) for x in p.project_urls],
        "home_page": p.home_page, "download_url": p.download_url, "latest_version": p.latest_version,
        "release_count": p.release_count, "first_upload": p.first_upload,
        "version_uploads": dict(p.version_uploads), "yanked_versions": list(p.yanked_versions),
        "description_links": list(p.description_links),
    }


def project_from_json(d: Any) -> PyPIProject | None:
    """The inverse of :func:`project_to_json`; None when *d* is not such a dict."""
    try:
        own = d["ownership"]
        ownership: Ownership | Unknown = (
            Unknown(own["unknown"], bool(own.get("fault", True)), UnknownKind(own.get("kind", "error"))) if "unknown" in own
            else Ownership(own["organization"], tuple(Maintainer(u, r) for u, r in own["maintainers"]))
        )
        return PyPIProject(
            name=d["name"], ownership=ownership, project_urls=tuple(tuple(x) for x in d["project_urls"]),
            home_page=d["home_page"], download_url=d["download_url"], latest_version=d["latest_version"],
            release_count=d["release_count"], first_upload=d["first_upload"],
            version_uploads=dict(d["version_uploads"]), yanked_versions=tuple(d["yanked_versions"]),
            description_links=tuple(d["description_links"]),  # absent in older memos: re-read
        )
    except (KeyError, TypeError, ValueError):
        return None


#: Fact-memo namespaces (:class:`auditor.net.memo.FactMemo`, and the keys of ``RunContext.memo``).
PROJECT_NS = "pypi-project"
METADATA_NS = "core-metadata"
#: Run-memo namespace of parsed simple-index pages (:meth:`PyPIClient.index_page`; not persisted).
INDEX_PAGE_NS = "index-page"
#: Run-memo key prefix: False once an index answered 404 for a ``.metadata`` file it had not declared.
UNDECLARED_NS = "undeclared-metadata"


def project_key(name: str, as_of: str | None) -> str:
    """The one memo key of a parsed PyPI project: ``"NAME|AS_OF"`` (``as_of`` empty when None)."""
    return f"{name}|{as_of or ''}"


def metadata_key(config, name: str, version: str) -> str:
    """The one memo key of a release's core metadata.

    ``"INDEX_URL|NAME|VERSION|SYS_PLATFORM|PYTHON_VERSION"``: the index and the
    target decide which file's metadata is read; the version is canonicalized
    (``1.0`` and ``1.0.0`` share an entry).
    """
    t = config.target
    return f"{config.index_url}|{name}|{canonicalize_version(version)}|{t.sys_platform}|{t.python_version}"


#: Unknowns that are answers, not accidents: memoized for :data:`NEGATIVE_TTL` seconds, so a
#: warm run does not ask again for a project PyPI does not know or a release without metadata.
#: (Transport failures have their own negative cache, :mod:`auditor.net.hosts`.)
REMEMBERED = frozenset({UnknownKind.NOT_FOUND, UnknownKind.TOO_LARGE, UnknownKind.MALFORMED, UnknownKind.UNSUPPORTED,
                        UnknownKind.ERROR})
NEGATIVE_TTL = EXPIRY["index"]


def unknown_to_json(u: Unknown) -> dict | None:
    """A memo value for *u* when its kind is in :data:`REMEMBERED` (expiring in :data:`NEGATIVE_TTL`), else None."""
    if u.kind not in REMEMBERED:
        return None
    return {"unknown": u.reason, "fault": u.fault, "kind": u.kind.value, "until": time.time() + NEGATIVE_TTL}


def unknown_from_json(d: Any) -> Unknown | None:
    """The inverse of :func:`unknown_to_json`; None when *d* is not one, or has expired."""
    try:
        if d["until"] < time.time():
            return None
        return Unknown(str(d["unknown"]), bool(d["fault"]), UnknownKind(d["kind"]))
    except (KeyError, TypeError, ValueError):
        return None


def metadata_from_json(stored: Any) -> CoreMetadata | None:
    """A memoized core-metadata dict back as :class:`CoreMetadata` (lists become tuples), or None
    (also for a row written before the licence fields existed: it is read again, not taken as "no licence")."""
    if not isinstance(stored, dict) or "license_classifiers" not in stored:
        return None
    try:
        return CoreMetadata(**{k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v
                               for k, v in stored.items()})
    except TypeError:
        return None


class PyPIClient:
    """Lookups against PyPI (or a mirror / the tests' fake server).

    Args:
        ctx: the run context; HTTP goes through ``ctx.http("pypi")`` (JSON
            API, cached a day), ``ctx.http("index")`` (simple pages) and
            ``ctx.http("pypi-files")`` (immutable ``.metadata`` files, cached forever).
        index_url: a simple index to read instead of ``ctx.config.index_url``
            (a requirements file's own ``--index-url``); memo keys name it.
    """

    def __init__(self, ctx: RunContext, index_url: str | None = None):
        self.ctx = ctx
        self.config = ctx.config
        if index_url is not None and index_url != self.config.index_url:
            self.config = self.config.with_changes(index_url=index_url)

    def project_json(self, name: str) -> Mapping[str, Any] | Unknown:
        """The raw ``/pypi/NAME/json`` document, or Unknown (``not found on PyPI``, HTTP errors, offline)."""
        url = f"{self.config.pypi_url.rstrip('/')}/pypi/{name}/json"
        return json_object(
            self.ctx.http("pypi").get_json(url),
            gone=Unknown("not found on PyPI", kind=UnknownKind.NOT_FOUND),
            unexpected="PyPI JSON API answered an unexpected document",
            key="info",
        )

    def project(self, name: str) -> PyPIProject | Unknown:
        """Facts about project *name* (PEP 503 normalized) from the JSON API.

        Memoized under one key, :func:`project_key`: in the context's
        in-process memo (both sides of ``auditor diff`` share it) and in the
        persistent fact memo (expires with the JSON API's cache lifetime).
        """
        key = project_key(name, self.config.as_of)
        return self.ctx.memoized((PROJECT_NS, key), lambda: self._project(name, key))

    def _project(self, name: str, key: str) -> PyPIProject | Unknown:
        facts = self.ctx.facts()
        stored = facts.get(PROJECT_NS, key, EXPIRY["pypi"]) if facts else None
        project = (project_from_json(stored) or unknown_from_json(stored)) if stored is not None else None
        if project is None:
            doc = self.project_json(name)
            project = doc if isinstance(doc, Unknown) else parsed(parse_project, doc, self.config.as_of,
                                                                   self.ctx.repository_named,
                                                                   source=f"{urlsplit(self.config.pypi_url).hostname} (project JSON)")
            value = unknown_to_json(project) if isinstance(project, Unknown) else project_to_json(project)
            if facts is not None and value is not None:  # the parsed fields only: the document is not kept
                facts.put(PROJECT_NS, key, value)
        return project

    def index_files(self, name: str) -> list[IndexFile] | Unknown:
        """Files of project *name* on the simple index (PEP 691 JSON or PEP 503 HTML)."""
        page = self.index_page(name)
        return page if isinstance(page, Unknown) else page.files

    def index_page(self, name: str) -> IndexPage | Unknown:
        """Project *name*'s page on the simple index (PEP 691 JSON or PEP 503 HTML),
        fetched and parsed once per run (``RunContext.memo``).

        Returns:
            An :class:`IndexPage`, or Unknown (``not found on the index``
            (kind ``not-found``), HTTP errors, an unparseable page (``malformed``), offline).
        """
        key = (INDEX_PAGE_NS, self.config.index_url, name)
        return self.ctx.memoized(key, lambda: self._index_page(name))

    def _index_page(self, name: str) -> IndexPage | Unknown:
        url = f"{self.config.index_url.rstrip('/')}/{name}/"
        resp = self.ctx.http("index").get(url, {"Accept": SIMPLE_ACCEPT})
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code == 404:
            return Unknown("not found on the index", kind=UnknownKind.NOT_FOUND)
        if resp.status_code >= 400:
            return Unknown(f"index answered HTTP {resp.status_code}")
        ctype = resp.headers.get("Content-Type", "")
        try:
            if "json" in ctype:
                doc = response_json(resp)
                if not isinstance(doc, Mapping):
                    raise ValueError("not a JSON object")
                return parse_simple_json_page(doc, resp.url or url)
            return parse_simple_html_page(resp.text, resp.url or url)
        except SHAPE_ERRORS:
            return Unknown("index page could not be parsed", kind=UnknownKind.MALFORMED)

    def core_metadata(self, name: str, version: str, files: Sequence[IndexFile] = ()) -> CoreMetadata | Unknown:
        """Core metadata of *name* == *version*.

        *files*: distribution files already known (a lockfile records their
        URLs); their PEP 658 ``.metadata`` files are tried first, which
        skips the index page (large for projects with many releases).

        Tries the PEP 658 ``.metadata`` file of the best file for the target
        (see :func:`choose_metadata_file`), verifying its sha256 when the
        index gives one; then the METADATA member of the wheel itself, read
        with HTTP range requests (:mod:`auditor.net.lazy_wheel`); then the
        JSON API's ``info`` when *version* is the latest release.

        Returns:
            CoreMetadata, or Unknown (e.g. ``"no core metadata published for
            foo 1.0 (sdist-only release without PEP 658 metadata)"``).
        """
        key = metadata_key(self.config, name, version)
        return self.ctx.memoized((METADATA_NS, key), lambda: self._stored_or_fetched_metadata(name, version, files, key),
                                 keep=lambda meta: isinstance(meta, CoreMetadata))

    def _stored_or_fetched_metadata(self, name: str, version: str, files: Sequence[IndexFile], key: str) -> CoreMetadata | Unknown:
        facts = self.ctx.facts()
        stored = facts.get(METADATA_NS, key) if facts else None
        meta = metadata_from_json(stored) or unknown_from_json(stored)
        if meta is None:
            meta = self._core_metadata(name, version, files)
            # A release's metadata never changes: memoized without expiry, so a warm audit
            # parses no index page; a remembered Unknown for NEGATIVE_TTL.
            value = unknown_to_json(meta) if isinstance(meta, Unknown) else dataclasses.asdict(meta)
            if facts is not None and value is not None:
                facts.put(METADATA_NS, key, value)
        return meta

    def _core_metadata(self, name: str, version: str, files: Sequence[IndexFile]) -> CoreMetadata | Unknown:
        for f in choose_metadata_file(list(files), version, self.config.target)[:2]:
            text = self._metadata_file(f)
            if not isinstance(text, Unknown):
                return parse_core_metadata(text)
        files = self.index_files(name)
        from_wheel: Unknown | None = None
        if not isinstance(files, Unknown):
            candidates = choose_metadata_file(files, version, self.config.target)
            # A file the index says nothing about may still have a .metadata file; once one such
            # try is answered 404, this run stops asking the index for undeclared ones.
            undeclared = (UNDECLARED_NS, self.config.index_url)
            for f in [c for c in candidates if c.core_metadata or (c.core_metadata is None and
                                                                   self.ctx.memo.get(undeclared, True))][:3]:
                text = self._metadata_file(f)
                if not isinstance(text, Unknown):
                    return parse_core_metadata(text)
                if f.core_metadata is None and text.reason.startswith("HTTP 404"):
                    self.ctx.memo[undeclared] = False
            wheels = [f for f in candidates if f.filename.endswith(".whl")]
            if wheels:  # no PEP 658 file: read METADATA out of the remote wheel
                text = wheel_metadata(  # the parsed result is memoized: no raw file kept (cache_dir None)
                    self.ctx.http("pypi-files"), wheels[0].url, wheels[0].filename, None, self.config.offline,
                    wheel_directories(self.ctx.memo))  # the wheel-library read of this wheel reuses its directory
                if not isinstance(text, Unknown):
                    return parse_core_metadata(text)
                from_wheel = text  # why the wheel could not be read (too large, not a zip, ...)
        doc = self.project_json(name)
        if not isinstance(doc, Unknown):
            info = doc.get("info") or {}
            if canonicalize_version(str(info.get("version", ""))) == canonicalize_version(version):
                return from_json_info(info)
        if isinstance(files, Unknown):
            return files
        if isinstance(doc, Unknown) and not doc.not_found:
            return doc
        if from_wheel is not None and from_wheel.kind == UnknownKind.TOO_LARGE:
            return from_wheel  # an oversized artifact is itself the fact
        if from_wheel is not None:  # the wheel has it, but could not be read: say why
            return Unknown(f"core metadata of {name} {version} not read: no PEP 658 metadata file, "
                           f"and its wheel: {from_wheel.reason}", kind=from_wheel.kind)
        return Unknown(f"no core metadata published for {name} {version} (no PEP 658 metadata file)")

    def _metadata_file(self, f: IndexFile) -> bytes | Unknown:
        resp = self.ctx.http("pypi-files").get(f.url + ".metadata")
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code != 200:
            return Unknown(f"HTTP {resp.status_code} for {f.filename}.metadata")
        body = resp.content
        if f.metadata_sha256 and hashlib.sha256(body).hexdigest() != f.metadata_sha256.lower():
            return Unknown(f"{f.filename}.metadata does not match the index's sha256")
        return body
