"""Atomic file replacement: the one helper for every file auditor writes whole.

A temporary file in the same directory, written, flushed and fsynced, then
renamed over the target, so a reader sees the old file or the new one,
never a part; the temporary file is removed on every failure.  Used by the
report writer (:mod:`auditor.report.write`, which adds the special-file,
symlink and signal rules of ``-o``) and by the caches (negative cache,
result cache, resolution cache).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def replace_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write *data* to a temporary file beside *path* and rename it over *path* (see :func:`replace_file_with`)."""
    replace_file_with(path, lambda fh: fh.write(data), mode)


def replace_file_with(path: Path, fill: Callable[[BinaryIO], object], mode: int | None = None) -> None:
    """Let *fill* write a temporary file beside *path*, then rename it over *path*.

    Args:
        path: the target (its directory must exist).
        fill: ``fill(fh)`` writes the whole new content to *fh*, a binary
            file opened for reading and writing (a large report is streamed
            into it rather than held in memory).
        mode: permission bits for the new file (default: ``mkstemp``'s 0600).

    Raises:
        OSError: the directory is not writable, the disk is full, ...; and
            whatever *fill* raises: the temporary file is removed and *path*
            is unchanged.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
