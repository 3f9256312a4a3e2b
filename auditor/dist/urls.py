"""Direct references: what kind of location a requirement's URL or path names.

pip's rules (``pip install`` "VCS Support" and "Local project installs"): a
``git+``/``hg+``/``svn+``/``bzr+`` prefix is a VCS checkout; a URL with a
scheme other than ``file:`` is a remote archive; anything else (``file:``
URLs, absolute or relative paths) is a local path.  An installed or
resolved direct reference is described by PEP 610's direct URL data
structure (:func:`parse_direct_url`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

#: The VCS prefixes pip supports, case-insensitive.
VCS_PREFIX = re.compile(r"^(git|hg|svn|bzr)\+", re.IGNORECASE)
#: A URL scheme (RFC 3986) followed by ``://``.
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_vcs(location: str) -> bool:
    """Whether *location* is a VCS URL (``git+https://...``)."""
    return VCS_PREFIX.match(location) is not None


def has_scheme(location: str) -> bool:
    """Whether *location* starts with ``scheme://`` (``file://`` included)."""
    return SCHEME.match(location) is not None


def is_remote(location: str) -> bool:
    """Whether *location* is a URL that is not a ``file:`` URL."""
    return has_scheme(location) and not location.lower().startswith("file:")


def location_kind(location: str) -> str:
    """``"vcs"``, ``"url"`` (a remote archive) or ``"path"`` (``file:`` URL or a path)."""
    if is_vcs(location):
        return "vcs"
    return "url" if is_remote(location) else "path"


@dataclass(frozen=True)
class DirectUrl:
    """A decoded PEP 610 direct URL data structure (``direct_url.json`` of an
    installed distribution; ``download_info`` in pip's installation report).

    Attributes:
        kind: ``"vcs"`` (``vcs_info``), ``"path"`` (``dir_info``, or a ``file:``
            URL) or ``"url"`` (a remote archive).
        url: for ``vcs``, ``<vcs>+<url>`` (``git+https://...``); else the URL as given
            (``None`` when the structure has none).
        commit_id: the VCS commit, if given.
        editable: ``dir_info.editable``.
    """

    kind: str
    url: str | None
    commit_id: str | None = None
    editable: bool = False

    @property
    def pinned_url(self) -> str | None:
        """:attr:`url` with ``@<commit_id>`` for a VCS reference (pip's requirement spelling)."""
        if self.kind == "vcs" and self.commit_id:
            return f"{self.url}@{self.commit_id}"
        return self.url


def parse_direct_url(info: Mapping[str, Any]) -> DirectUrl:
    """Decode a PEP 610 direct URL data structure (already parsed from JSON).

    Raises:
        AttributeError: *info* or its ``vcs_info``/``dir_info`` is not a JSON object.
    """
    url = info.get("url")
    if "vcs_info" in info:
        vcs = info["vcs_info"]
        return DirectUrl("vcs", f"{vcs.get('vcs', 'git')}+{url}", vcs.get("commit_id") or None)
    editable = bool((info.get("dir_info") or {}).get("editable"))
    if "dir_info" in info or (url or "").startswith("file:"):
        return DirectUrl("path", url, editable=editable)
    return DirectUrl("url", url, editable=editable)
