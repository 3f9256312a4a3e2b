"""Direct references: what kind of location a requirement's URL or path names.

pip's rules (``pip install`` "VCS Support" and "Local project installs"): a
``git+``/``hg+``/``svn+``/``bzr+`` prefix is a VCS checkout; a URL with a
scheme other than ``file:`` is a remote archive; anything else (``file:``
URLs, absolute or relative paths) is a local path.
"""

from __future__ import annotations

import re

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
