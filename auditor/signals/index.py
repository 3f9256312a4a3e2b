"""The files of one release on the simple index (PEP 691 JSON), with digests and provenance links.

Shared by the install-time and provenance signals.  Source:
``GET {index_url}/{name}/`` with ``Accept: application/vnd.pypi.simple.v1+json``
through ``Context.http("index")``; each ``files[]`` entry gives ``filename``,
``url``, ``hashes.sha256``, ``yanked`` and, on PyPI, ``provenance`` (PEP 740:
the integrity-API URL of the file's provenance object, or ``null``).

Files are assigned to a release by parsing their names with
``packaging.utils`` (wheel and sdist filename rules), never by guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urldefrag, urljoin

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_version,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from auditor.collectors import Context
from auditor.models import Unknown

PEP691_ACCEPT = "application/vnd.pypi.simple.v1+json"


@dataclass(frozen=True)
class ReleaseFile:
    """One distribution file of a release.

    Attributes:
        filename: the file name (wheel or sdist).
        url: absolute download URL.
        sha256: hex digest from the index, or ``None``.
        kind: ``"wheel"`` or ``"sdist"``.
        provenance_url: PEP 740 provenance URL from the index, or ``None``
            (``None`` also when the index does not implement PEP 740).
        yanked: PEP 592 flag.
        provenance_listed: True when the index entry has a ``provenance`` key
            at all (PEP 740 index); then ``provenance_url=None`` means "no
            attestations" without asking the integrity API.
    """

    filename: str
    url: str
    sha256: str | None
    kind: str
    provenance_url: str | None = None
    yanked: bool = False
    provenance_listed: bool = False


def _release_version(filename: str) -> tuple[str, Version] | None:
    try:
        if filename.endswith(".whl"):
            _, version, _, _ = parse_wheel_filename(filename)
            return "wheel", version
        _, version = parse_sdist_filename(filename)
        return "sdist", version
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


def parse_files(doc: Mapping[str, Any], base_url: str, version: str) -> list[ReleaseFile]:
    """Files of *version* in a PEP 691 project document, in index order."""
    try:
        want = canonicalize_version(Version(version))
    except InvalidVersion:
        return []
    out = []
    for f in doc.get("files") or []:
        name = str(f.get("filename") or "")
        parsed = _release_version(name)
        if parsed is None or canonicalize_version(parsed[1]) != want:
            continue
        hashes = f.get("hashes") or {}
        prov = f.get("provenance")
        out.append(
            ReleaseFile(
                filename=name,
                url=urldefrag(urljoin(base_url, str(f.get("url") or "")))[0],
                sha256=str(hashes.get("sha256")) if isinstance(hashes, Mapping) and hashes.get("sha256") else None,
                kind=parsed[0],
                provenance_url=urljoin(base_url, str(prov)) if isinstance(prov, str) and prov else None,
                yanked=bool(f.get("yanked")),
                provenance_listed="provenance" in f,
            )
        )
    return out


def release_files(ctx: Context, name: str, version: str) -> list[ReleaseFile] | Unknown:
    """Files of *name* == *version* on ``Config.index_url`` (PEP 691 JSON).

    Returns:
        The files (possibly empty: a version with no files), or Unknown
        (``"not found on the index"``, HTTP errors, offline, non-JSON index).
    """
    url = f"{ctx.config.index_url.rstrip('/')}/{name}/"
    resp = ctx.http("index").get(url, {"Accept": PEP691_ACCEPT})
    if isinstance(resp, Unknown):
        return resp
    if resp.status_code in (404, 410):
        return Unknown("not found on the index")
    if resp.status_code >= 400:
        return Unknown(f"index answered HTTP {resp.status_code}")
    if "json" not in resp.headers.get("Content-Type", ""):
        return Unknown("index does not serve PEP 691 JSON")
    try:
        doc = resp.json()
    except ValueError:
        return Unknown("index answered invalid JSON")
    return parse_files(doc, resp.url or url, version)
