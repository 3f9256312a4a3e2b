"""The table of input sources and the choice of one for a path.

``open_source(path, input_format)`` picks the source by ``--input-format``,
else by the file name (and content where names are ambiguous).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from auditor.errors import InputError
from auditor.sources.interface import Source

#: ``--input-format`` name -> ``"module:Class"``; imported only when chosen.
SOURCES: dict[str, str] = {
    "requirements": "auditor.sources.requirements:RequirementsSource",
}


def detect(path: Path) -> str:
    """The source name for *path* (by file name; requirements files by default)."""
    return "requirements"


def open_source(path: Path | str, input_format: str | None = None) -> Source:
    """A Source for *path*.

    Raises:
        InputError: the file does not exist, or *input_format* is not a known source.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if path.is_dir():
        raise InputError("is a directory; give a requirements file or a lockfile", file=str(path))
    name = input_format or detect(path)
    if name not in SOURCES:
        raise InputError(f"unknown --input-format {name!r} (known: {', '.join(sorted(SOURCES))})")
    module, cls = SOURCES[name].split(":")
    return getattr(importlib.import_module(module), cls)(path)
