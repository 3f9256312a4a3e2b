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


def replace_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write *data* to a temporary file beside *path* and rename it over *path*.

    Args:
        path: the target (its directory must exist).
        data: the whole new content.
        mode: permission bits for the new file (default: ``mkstemp``'s 0600).

    Raises:
        OSError: the directory is not writable, the disk is full, ...; the
            temporary file is removed and *path* is unchanged.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
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
