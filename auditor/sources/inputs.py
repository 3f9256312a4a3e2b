"""Input files: a regular file or ``-`` (standard input), read with a size cap.

Whatever the format, an input path is checked here before any parser opens
it, so a FIFO never hangs the audit and ``/dev/zero`` never fills memory:

* ``-``: standard input, read up to the limit (:func:`read_stdin`);
* a regular file (symbolic links followed) no larger than the limit;
* anything else (a FIFO, a device, a socket, a directory): :class:`InputError`
  naming the file and what it is, exit code 2.

The limit is ``Config.max_input_bytes`` (``--max-input-bytes``; default
64 MiB, docs/limits.md).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from auditor.config import DEFAULT_MAX_INPUT_BYTES
from auditor.errors import InputError

STDIN = "-"

_KINDS = (
    (stat.S_ISDIR, "a directory; give a requirements file or a lockfile"),
    (stat.S_ISFIFO, "a FIFO (named pipe), not a regular file; pipe it to standard input as '-' instead"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
)


def check_input_file(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> None:
    """Raise unless *path* is a regular file of at most *max_bytes* (symbolic links followed).

    Raises:
        InputError: missing, not a regular file (says what it is), or too large.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError("no such file", file=str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=str(p)) from exc
    for test, what in _KINDS:
        if test(st.st_mode):
            raise InputError(f"is {what}", file=str(p))
    if st.st_size > max_bytes:
        raise InputError(f"file of {st.st_size} bytes is over the {max_bytes}-byte input size limit "
                         "(--max-input-bytes)", file=str(p))


def read_input(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """The bytes of *path* (``-``: standard input), checked and capped as the module docstring says.

    Raises:
        InputError: as :func:`check_input_file`, or the content grew past the limit while read.
    """
    if str(path) == STDIN:
        return read_stdin(max_bytes)
    check_input_file(path, max_bytes)
    try:
        with open(path, "rb") as fh:
            return _capped(fh, max_bytes, str(path))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc


def read_stdin(max_bytes: int = DEFAULT_MAX_INPUT_BYTES, stream: BinaryIO | None = None) -> bytes:
    """Standard input, at most *max_bytes* (InputError beyond)."""
    return _capped(stream or sys.stdin.buffer, max_bytes, "<stdin>")


def stdin_as_file(name: str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, stream: BinaryIO | None = None) -> Path:
    """Standard input copied (capped) into a private temporary directory as *name*, for parsers that want a path.

    The directory is removed when the process exits.
    """
    import atexit
    import shutil

    data = read_stdin(max_bytes, stream)
    directory = Path(tempfile.mkdtemp(prefix="auditor-stdin-"))
    atexit.register(shutil.rmtree, directory, True)
    target = directory / Path(name).name
    target.write_bytes(data)
    return target


def _capped(fh: BinaryIO, max_bytes: int, where: str) -> bytes:
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"more than {max_bytes} bytes (input size limit, --max-input-bytes)", file=where)
    return data
