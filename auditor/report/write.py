"""The one output helper: a report goes to stdout, or atomically to a file.

:func:`emit` is what the CLI calls for every report; :func:`write_atomic`
is its file half (a report file is either the complete new report or
untouched).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, TextIO

from auditor.errors import OutputError


def emit(text: str | bytes, output: Path | str | None = None) -> None:
    """Write a rendered report: to stdout when *output* is None, else atomically to *output*.

    Args:
        text: the report (``str`` is written as UTF-8; ``bytes`` as they are).
        output: the ``-o`` file, or None for stdout.

    Raises:
        OutputError: the file's directory is missing or not writable.
    """
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    if isinstance(text, bytes):
        _replace(Path(output), text)
    else:
        write_atomic(output, lambda out: out.write(text))


def write_atomic(path: Path | str, render: Callable[[TextIO], None]) -> None:
    """Render into a temporary file beside *path*, then rename it over *path*.

    If *render* raises, *path* keeps its previous content and the temporary
    file is removed.

    Raises:
        OutputError: the directory is missing or not writable.
    """
    buffer = io.StringIO()
    render(buffer)  # render fully before touching the file system
    _replace(Path(path), buffer.getvalue().encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, fsync, rename over *path*."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
