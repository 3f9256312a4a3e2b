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
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Mapping, Sequence
from urllib.parse import urldefrag, urljoin, urlsplit

from packaging.utils import canonicalize_version

from auditor.dist.description import description_links
from auditor.dist.filenames import DistFilename, parse_filename
from auditor.dist.tags import wheel_preference
from auditor.models import CoreMetadata, Maintainer, Ownership, PyPIProject, TargetEnvironment, Unknown, UnknownKind
from auditor.net.api import SHAPE_ERRORS, json_object, parsed
from auditor.net.cache import EXPIRY
from auditor.net.context import RunContext
from auditor.net.lazy_wheel import wheel_metadata
from auditor.dist.metadata import from_json_info, parse_core_metadata

SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"


@dataclass(frozen=True)
class IndexFile:
    """One file of a project on the simple index.

    Attributes:
        filename: the distribution file name.
        url: absolute download URL (fragment removed).
        core_metadata: True/False when the index says whether a PEP 658
            ``.metadata`` file exists, ``None`` when it does not say.
        metadata_sha256: expected sha256 of the ``.metadata`` file, if given.
        upload_time: ISO-8601 upload time (PEP 700), if given.
        yanked: PEP 592 yanked flag.
        sha256: the file's sha256 (JSON ``hashes.sha256``; HTML ``#sha256=`` fragment), if given.
        provenance: PEP 740 provenance URL (JSON ``provenance``; HTML ``data-provenance``), if given.
        provenance_listed: True when the index states the provenance at all
            (then ``provenance=None`` means "no attestations").
    """

    filename: str
    url: str
    core_metadata: bool | None = None
    metadata_sha256: str | None = None
    upload_time: str | None = None
    yanked: bool = False
    sha256: str | None = None
    provenance: str | None = None
    provenance_listed: bool = False


#: PEP 792 statuses (packaging.python.org, "Project Status Markers"); no marker means ``active``.
PROJECT_STATUSES = ("active", "archived", "quarantined", "deprecated")
#: Longest status reason kept (characters); the index is not trusted to bound it.
MAX_STATUS_REASON = 500


@dataclass(frozen=True)
class ProjectStatusMarker:
    """The PEP 792 status marker of a project page, as the index states it.

    Source: PEP 691 JSON ``project-status: {status, reason}`` (API version
    1.4), or the HTML page's ``<meta name="pypi:project-status">`` and
    ``<meta name="pypi:project-status-reason">``.

    Attributes:
        status: the marker's value, lower-cased and at most 64 characters
            (an unrecognized value is kept as given, not mapped to ``active``).
        reason: free text from the index, at most :data:`MAX_STATUS_REASON` characters, or ``None``.
    """

    status: str
    reason: str | None = None


@dataclass(frozen=True)
class IndexPage:
    """One project page of the simple index.

    Attributes:
        files: the project's distribution files.
        status: its PEP 792 marker, or ``None`` when the page states none
            (active by the specification; also what an index that predates PEP 792 serves).
    """

    files: list[IndexFile]
    status: ProjectStatusMarker | None = None


def _status_marker(status: Any, reason: Any) -> ProjectStatusMarker | None:
    if not isinstance(status, str) or not status.strip():
        return None
    text = reason.strip()[:MAX_STATUS_REASON] if isinstance(reason, str) and reason.strip() else None
    return ProjectStatusMarker(status.strip().lower()[:64], text)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.meta: dict[str, str] = {}
        self._current: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._current = dict(attrs)
            self._current["_text"] = ""
        elif tag == "meta":
            a = dict(attrs)
            if (a.get("name") or "").startswith("pypi:") and a.get("content") is not None:
                self.meta.setdefault(str(a["name"]), str(a["content"]))

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current["_text"] = (self._current.get("_text") or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self.links.append(self._current)
            self._current = None


def _hash_attr(value: Any) -> tuple[bool | None, str | None]:
    """Decode PEP 691 ``core-metadata`` (bool or {hash: value}) / PEP 658 attribute text."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, Mapping):
        return True, value.get("sha256")
    text = str(value)
    if text.lower() == "true":
        return True, None
    if text.startswith("sha256="):
        return True, text.split("=", 1)[1]
    return True, None


def parse_simple_json(doc: Mapping[str, Any], base_url: str) -> list[IndexFile]:
    """Files of a PEP 691 JSON project page."""
    return parse_simple_json_page(doc, base_url).files


def parse_simple_json_page(doc: Mapping[str, Any], base_url: str) -> IndexPage:
    """A PEP 691 JSON project page: its files and PEP 792 ``project-status``."""
    status = doc.get("project-status")
    marker = _status_marker(status.get("status"), status.get("reason")) if isinstance(status, Mapping) else None
    files = []
    for f in doc.get("files") or []:
        meta = f.get("core-metadata", f.get("data-dist-info-metadata", f.get("dist-info-metadata")))
        has, sha = _hash_attr(meta)
        hashes = f.get("hashes") if isinstance(f.get("hashes"), Mapping) else {}
        prov = f.get("provenance")
        files.append(
            IndexFile(
                filename=str(f.get("filename", "")),
                url=urldefrag(urljoin(base_url, str(f.get("url", ""))))[0],
                core_metadata=has,
                metadata_sha256=sha,
                upload_time=f.get("upload-time"),
                yanked=bool(f.get("yanked")),
                sha256=hashes.get("sha256") or None,
                provenance=urljoin(base_url, prov) if isinstance(prov, str) and prov else None,
                provenance_listed="provenance" in f,
            )
        )
    return IndexPage(files, marker)


def parse_simple_html(text: str, base_url: str) -> list[IndexFile]:
    """Files of a PEP 503 HTML project page (with PEP 658/592/700 attributes when present)."""
    return parse_simple_html_page(text, base_url).files


def parse_simple_html_page(text: str, base_url: str) -> IndexPage:
    """A PEP 503 HTML project page: its files and PEP 792 ``pypi:project-status`` meta tags."""
    parser = _LinkParser()
    try:
        parser.feed(text)
    except AssertionError as exc:  # html.parser asserts on some malformed markup (``<![`` ...)
        raise ValueError(f"malformed HTML index page ({exc})") from exc
    files = []
    for a in parser.links:
        href = a.get("href")
        if not href:
            continue
        url, fragment = urldefrag(urljoin(base_url, href))
        meta = a.get("data-core-metadata", a.get("data-dist-info-metadata"))
        has, sha = _hash_attr(meta) if "data-core-metadata" in a or "data-dist-info-metadata" in a else (None, None)
        files.append(
            IndexFile(
                filename=(a.get("_text") or url.rsplit("/", 1)[-1]).strip(),
                url=url,
                core_metadata=has,
                metadata_sha256=sha,
                upload_time=a.get("data-upload-time"),
                yanked="data-yanked" in a,
                sha256=fragment.split("=", 1)[1] if fragment.startswith("sha256=") else None,
                provenance=urljoin(base_url, a["data-provenance"]) if a.get("data-provenance") else None,
                provenance_listed="data-provenance" in a,
            )
        )
    return IndexPage(files, _status_marker(parser.meta.get("pypi:project-status"),
                                           parser.meta.get("pypi:project-status-reason")))


def _file_info(filename: str) -> tuple[str, bool, frozenset] | None:
    """``(normalized version, is_wheel, wheel tags)`` of a distribution file name."""
    parsed = parse_filename(filename)
    if not isinstance(parsed, DistFilename):
        return None
    return canonicalize_version(parsed.version), parsed.kind == "wheel", parsed.tags


def choose_metadata_file(files: list[IndexFile], version: str, target: TargetEnvironment) -> list[IndexFile]:
    """Files of *version* worth asking for metadata, best first.

    Wheels that install on the target first (``Requires-Dist`` can in
    principle differ per wheel), then pure-Python wheels, other wheels
    (:func:`auditor.dist.tags.wheel_preference`), then sdists (PEP 643 static metadata).  Files the index says have
    no PEP 658 file are kept (their METADATA can still be read remotely) but
    ranked after those that have one.
    """
    want = canonicalize_version(version)
    ranked: list[tuple[int, IndexFile]] = []
    for f in files:
        info = _file_info(f.filename)
        if info is None or info[0] != want:
            continue
        _v, is_wheel, tags = info
        ranked.append((wheel_preference(tags, target) if is_wheel else 4, f))
    ranked.sort(key=lambda rf: (rf[1].core_metadata is False, rf[0], rf[1].core_metadata is not True))
    return [f for _r, f in ranked]


def parse_project(doc: Mapping[str, Any], as_of: str | None = None) -> PyPIProject:
    """Build a :class:`PyPIProject` from a ``/pypi/NAME/json`` document.

    Args:
        doc: the decoded JSON document.
        as_of: ISO date; releases uploaded after it are ignored.
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
        description_links=description_links(info.get("description"), info.get("description_content_type")),
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


def metadata_from_json(stored: Any) -> CoreMetadata | None:
    """A memoized core-metadata dict back as :class:`CoreMetadata` (lists become tuples), or None."""
    if not isinstance(stored, dict):
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
        if (PROJECT_NS, key) in self.ctx.memo:
            return self.ctx.memo[(PROJECT_NS, key)]
        facts = self.ctx.facts()
        stored = facts.get(PROJECT_NS, key, EXPIRY["pypi"]) if facts else None
        project = project_from_json(stored) if stored is not None else None
        if project is None:
            doc = self.project_json(name)
            project = doc if isinstance(doc, Unknown) else parsed(parse_project, doc, self.config.as_of,
                                                                   source=f"{urlsplit(self.config.pypi_url).hostname} (project JSON)")
            if facts is not None and not isinstance(project, Unknown):
                facts.put(PROJECT_NS, key, project_to_json(project))
        self.ctx.memo[(PROJECT_NS, key)] = project
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
        if key not in self.ctx.memo:
            self.ctx.memo[key] = self._index_page(name)
        return self.ctx.memo[key]

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
                doc = resp.json()
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
        if (METADATA_NS, key) in self.ctx.memo:
            return self.ctx.memo[(METADATA_NS, key)]
        facts = self.ctx.facts()
        stored = facts.get(METADATA_NS, key) if facts else None
        meta = metadata_from_json(stored)
        if meta is None:
            meta = self._core_metadata(name, version, files)
            if facts is not None and isinstance(meta, CoreMetadata):
                # A release's metadata never changes: memoized without expiry, so a
                # warm audit parses no index page.
                facts.put(METADATA_NS, key, dataclasses.asdict(meta))
        if isinstance(meta, CoreMetadata):
            self.ctx.memo[(METADATA_NS, key)] = meta
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
            for f in [c for c in candidates if c.core_metadata is not False][:3]:
                text = self._metadata_file(f)
                if not isinstance(text, Unknown):
                    return parse_core_metadata(text)
            wheels = [f for f in candidates if f.filename.endswith(".whl")]
            if wheels:  # no PEP 658 file: read METADATA out of the remote wheel
                text = wheel_metadata(
                    self.ctx.http("pypi-files"), wheels[0].url, wheels[0].filename,
                    self.config.cache_dir if self.config.use_cache else None, self.config.offline,
                )
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
