"""Atomic output: a report file is either the complete new report or untouched."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Callable, TextIO

from auditor.errors import OutputError


def write_atomic(path: Path | str, render: Callable[[TextIO], None]) -> None:
    """Render into a temporary file beside *path*, then rename it over *path*.

    If *render* raises, *path* keeps its previous content and the temporary
    file is removed.

    Raises:
        OutputError: the directory is missing or not writable.
    """
    path = Path(path)
    buffer = io.StringIO()
    render(buffer)  # render fully before touching the file system
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
