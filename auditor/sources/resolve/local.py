"""Local projects and wheels, read as data (never built): a project's static
``pyproject.toml`` metadata, a wheel's METADATA, a wheel in a find-links directory."""

from __future__ import annotations

from pathlib import Path

from auditor.dist.filenames import DistFilename, parse_filename
from auditor.dist.metadata import from_pyproject, parse_core_metadata, dist_info_members
from auditor.models import CoreMetadata

def read_local_project(path: Path) -> CoreMetadata | None:
    """Static PEP 621 metadata of a local project directory (``pyproject.toml``
    ``[project]`` table), or None when absent or dynamic.  Never runs a build."""
    import tomllib

    try:
        doc = tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    project = doc.get("project")
    return from_pyproject(project) if isinstance(project, dict) else None


def read_wheel_metadata(path: Path) -> CoreMetadata | None:
    """Core metadata from a local wheel file (``*.dist-info/METADATA`` in the zip),
    or None when the file is not a readable wheel.  Reading a zip runs no code."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = dist_info_members(zf.namelist())
            if not names:
                return None
            return parse_core_metadata(zf.read(names[0]))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
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
