"""Distribution file names: ``name-version[-build]-tags.whl`` and ``name-version.tar.gz``.

Parsing is :func:`packaging.utils.parse_wheel_filename` and
:func:`packaging.utils.parse_sdist_filename` (the wheel and sdist file-name
specifications); a name they reject is returned as an :class:`InvalidFilename`
value, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.tags import Tag
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

#: Suffixes of sdist file names (``parse_sdist_filename`` accepts these two).
SDIST_SUFFIXES = (".tar.gz", ".zip")


@dataclass(frozen=True)
class DistFilename:
    """A parsed distribution file name.

    Attributes:
        filename: the name as given.
        name: the project name, normalized (PEP 503).
        version: the version.
        kind: ``"wheel"`` or ``"sdist"``.
        tags: the wheel's compatibility tags (empty for an sdist).
    """

    filename: str
    name: NormalizedName
    version: Version
    kind: str
    tags: frozenset[Tag] = frozenset()


@dataclass(frozen=True)
class InvalidFilename:
    """A file name that is neither a valid wheel nor a valid sdist name.

    Attributes:
        filename: the name as given.
        reason: why (the ``packaging`` message, or the unknown suffix).
    """

    filename: str
    reason: str


def parse_filename(filename: str) -> DistFilename | InvalidFilename:
    """Parse a wheel (``.whl``) or sdist (``.tar.gz``, ``.zip``) file name.

    Args:
        filename: a bare file name (no directory, query or fragment).

    Returns:
        A :class:`DistFilename`, or an :class:`InvalidFilename` when
        ``packaging`` rejects the name or its version (never raises).
    """
    try:
        if filename.endswith(".whl"):
            name, version, _build, tags = parse_wheel_filename(filename)
            return DistFilename(filename, name, version, "wheel", frozenset(tags))
        name, version = parse_sdist_filename(filename)
        return DistFilename(filename, name, version, "sdist")
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion) as exc:
        return InvalidFilename(filename, str(exc))
    except ValueError as exc:  # int() past its digit limit: a 5,000-digit version ("x-999...9.tar.gz")
        return InvalidFilename(filename, str(exc)[:200])


def filename_from_url(url: str) -> str:
    """The last path segment of *url* (or of a path), without query or fragment (not unquoted)."""
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def parse_url_filename(url: str) -> DistFilename | InvalidFilename:
    """:func:`parse_filename` of the file name at the end of *url*; only
    ``.whl``, ``.tar.gz`` and ``.zip`` names are parsed (others are invalid)."""
    filename = filename_from_url(url)
    if not filename.endswith((".whl", *SDIST_SUFFIXES)):
        return InvalidFilename(filename, "not a wheel or sdist file name")
    return parse_filename(filename)
