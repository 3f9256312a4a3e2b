"""Local projects and wheels, read as data (never built): a project's static
``pyproject.toml`` metadata, a wheel's METADATA, a wheel in a find-links directory."""

from __future__ import annotations

from pathlib import Path

from auditor.dist.filenames import DistFilename, parse_filename
from auditor.dist.metadata import from_pyproject, parse_core_metadata, dist_info_members
from auditor.models import CoreMetadata

#: A local project's pyproject.toml is read only up to this size (a path in a lockfile under review may name anything).
MAX_PYPROJECT_BYTES = 1 << 20


def read_local_project(path: Path) -> CoreMetadata | None:
    """Static PEP 621 metadata of a local project directory (``pyproject.toml``
    ``[project]`` table), or None when absent, dynamic or unreadable.  Never runs a build.

    The file is read as any input is (``sources/inputs.py``): a regular file (a FIFO, a device or
    a symbolic link to one is never opened) of at most :data:`MAX_PYPROJECT_BYTES`, TOML within
    the nesting bound (``dist/bounded.py``); anything else is None, not an error: the path comes
    from the input (a lockfile's ``path`` source, a requirement's ``file:`` URL)."""
    from auditor.dist.bounded import loads_toml
    from auditor.errors import InputError
    from auditor.sources.inputs import read_input

    try:
        doc = loads_toml(read_input(path / "pyproject.toml", MAX_PYPROJECT_BYTES).decode("utf-8"))
    except (InputError, OSError, ValueError):  # TooDeep, TooLarge, TOMLDecodeError, UnicodeDecodeError
        return None
    project = doc.get("project")
    return from_pyproject(project) if isinstance(project, dict) else None


def read_wheel_metadata(path: Path) -> CoreMetadata | None:
    """Core metadata from a local wheel file (``*.dist-info/METADATA`` in the zip),
    or None when the file is not a readable wheel.  Reading a zip runs no code; the read is
    bounded as every archive read is (``dist/archives.py``: a regular file, the directory's
    declared sizes, the member's decompressed size and ratio), so a bomb is None, not a hang."""
    import zipfile
    import zlib

    from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, open_zip, zip_member
    from auditor.errors import InputError
    from auditor.sources.inputs import check_input_file

    limits = ArchiveLimits()
    try:
        # A regular file (never a FIFO or a device); its size is no bound here: only the directory and
        # one member are read, each within *limits*.
        check_input_file(path, 1 << 62)
        with open(path, "rb") as fh, open_zip(fh, limits) as zf:  # directory bounds checked first
            names = dist_info_members(zf.namelist())
            if not names:
                return None
            return parse_core_metadata(zip_member(zf, names[0], limits))  # size and ratio bounded
    except (InputError, ArchiveTooLarge, OSError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError):
        return None


def find_local_wheel(directory: Path, name: str, version: str) -> Path | None:
    """A wheel of *name* == *version* in a local find-links *directory*, or None."""
    from packaging.utils import canonicalize_version

    try:
        candidates = sorted(directory.glob("*.whl"))
    except OSError:
        return None
    for path in candidates:
        parsed = parse_filename(path.name)
        if not isinstance(parsed, DistFilename):
            continue
        if parsed.name == name and canonicalize_version(parsed.version) == canonicalize_version(version):
            return path
    return None
