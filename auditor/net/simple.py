"""The simple repository API (PEP 503 HTML, PEP 691 JSON): project pages, their files, and
the choice of the file whose core metadata is read.

Parsed as data: file names, URLs, hashes, PEP 658 / 592 / 700 / 740 attributes and the
PEP 792 status marker.  Pages list up to tens of thousands of files (pydantic-core: 15,000),
so the parsers avoid per-file work that is not needed (see :func:`files_of_version`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Mapping, Sequence
from urllib.parse import urldefrag, urljoin

from packaging.utils import canonicalize_version

from auditor.dist.filenames import SDIST_SUFFIXES, DistFilename, parse_filename
from auditor.dist.tags import wheel_preference
from auditor.models import TargetEnvironment

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
        has, sha = _hash_attr(meta) if meta is not None else (None, None)
        hashes = f.get("hashes")
        prov = f.get("provenance")
        files.append(
            IndexFile(  # positional: a page lists up to tens of thousands of files (pydantic-core: 15,000)
                str(f.get("filename", "")),
                _absolute(base_url, str(f.get("url", ""))).partition("#")[0],
                has,
                sha,
                f.get("upload-time"),
                bool(f.get("yanked")),
                (hashes.get("sha256") or None) if isinstance(hashes, Mapping) else None,
                _absolute(base_url, prov) if isinstance(prov, str) and prov else None,
                "provenance" in f,
            )
        )
    return IndexPage(files, marker)


def _absolute(base_url: str, url: str) -> str:
    """*url* resolved against *base_url* (``urljoin``; an absolute http(s) URL as is, without the cost)."""
    return url if url.startswith(("https://", "http://")) and "/." not in url else urljoin(base_url, url)


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


def _version_part(filename: str) -> str:
    """The version field of a wheel or sdist file name, unparsed ("" when there is none)."""
    if filename.endswith(".whl"):
        parts = filename.split("-")
        return parts[1] if len(parts) >= 5 else ""
    for suffix in SDIST_SUFFIXES:
        if filename.endswith(suffix):
            return filename[: -len(suffix)].rpartition("-")[2]
    return ""


#: A file-name version longer than this is no version (packaging's ``int()`` of a release number
#: past 4,300 digits raises ValueError; an index page is outside input).
MAX_VERSION_CHARS = 256


@functools.lru_cache(maxsize=65536)
def _canonical(version: str) -> str:
    if not version or len(version) > MAX_VERSION_CHARS:
        return ""  # matches no pinned version
    try:
        return canonicalize_version(version)
    except ValueError:
        return ""


def files_of_version(files: Sequence[IndexFile], version: str) -> list[IndexFile]:
    """The files whose file-name version equals *version* once canonicalized (a cheap filter:
    a project page lists up to tens of thousands of files; names are not validated here: one
    whose version is no version matches nothing)."""
    want = _canonical(version)
    if not want:
        return []
    return [f for f in files if _canonical(_version_part(f.filename)) == want]


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
    for f in files_of_version(files, version):  # a cheap pre-filter: pages list thousands of files
        info = _file_info(f.filename)
        if info is None or info[0] != want:
            continue
        _v, is_wheel, tags = info
        ranked.append((wheel_preference(tags, target) if is_wheel else 4, f))
    ranked.sort(key=lambda rf: (rf[1].core_metadata is False, rf[0], rf[1].core_metadata is not True))
    return [f for _r, f in ranked]
