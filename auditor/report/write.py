"""The one output helper: a report goes to stdout, or safely to a file.

:func:`emit` is what the CLI calls for a rendered report; :func:`write_atomic`
is its file half.  :func:`emit_report` takes the renderer instead of its text
and streams a report for a regular file into the temporary file, so a large
report (10,000 packages: tens of MB of JSON or GraphML) is never one string.
What happens depends on what is at the path:

* nothing, or a regular file: the text goes to a temporary file in the same
  directory, is fsynced and renamed over the path, so the path holds either
  the complete new report or its previous content.  An existing file keeps
  its mode; a new one gets the mode ``open()`` would give it (``0o666``
  minus the umask).
* a symbolic link: it is followed (to any depth) and its target is written
  as above; the link itself stays.
* a FIFO, a character device (``/dev/null``, a terminal) or a socket: written
  directly, never replaced (``-o /dev/null`` must not turn the device into a
  regular file).
* anything else (a directory, a block device): an :class:`OutputError`.

No temporary file is left behind on any exit path: an exception, a full
disk, or ``SIGINT``/``SIGTERM``/``SIGHUP`` during the write (the signal is
turned into an exception while the temporary file exists, then re-raised
in its usual form).  Every ``OSError`` becomes one line naming the path
(:class:`OutputError`, exit code 2).
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, TextIO

from auditor.atomic import replace_file, replace_file_with
from auditor.errors import OutputError
from auditor.report.safe import utf8

#: Signals that end a run and would otherwise leave a temporary file behind.
_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Interrupted(BaseException):
    """A terminating signal arrived while a temporary file existed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def emit(text: str | bytes, output: Path | str | None = None) -> None:
    """Write a rendered report: to stdout when *output* is None, else to *output* (see the module docstring).

    Args:
        text: the report (``str`` is written as UTF-8; ``bytes`` as they are).
        output: the ``-o`` path, or None for stdout.

    Raises:
        OutputError: the path cannot be written (missing or read-only
            directory, full disk, a directory at the path); the previous
            file is unchanged.
    """
    if isinstance(text, str):
        text = utf8(text)  # a lone surrogate from outside must not make the output invalid UTF-8
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    write_bytes(Path(output), text if isinstance(text, bytes) else text.encode("utf-8"))


def emit_report(render: Callable[[TextIO], None], output: Path | str | None = None,
                keep: int | None = None) -> str | None:
    """Write a report that *render* writes to a text stream: streamed into the temporary
    file for a regular file (a 10,000-package report is never one string in memory),
    otherwise rendered fully, then written as by :func:`emit`.

    The rules of the module docstring hold: a regular file is replaced
    atomically (an exception in *render* leaves it untouched and removes the
    temporary file), a FIFO, device or socket is written directly but only
    after the whole report is rendered, stdout gets the whole report at once.
    Lone surrogates become U+FFFD, as :func:`emit` makes them.

    Args:
        render: ``render(out)`` writes the whole report to the text stream *out*.
        output: the ``-o`` path, or None for stdout.
        keep: return the text only when it is at most this many bytes of
            UTF-8 (None: always); a regular file's text is then read back
            from the temporary file.

    Returns:
        The report's text, or None when it is larger than *keep*.

    Raises:
        OutputError: as :func:`write_bytes`; whatever *render* raises.
    """
    target = None if output is None else Path(os.path.realpath(output))
    st = None
    if target is not None:
        try:
            st = os.stat(target)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _error(Path(output), exc) from exc
    if target is None or (st is not None and not stat.S_ISREG(st.st_mode)):
        buffer = io.StringIO()
        render(buffer)  # render fully before touching stdout or a special file
        text = utf8(buffer.getvalue())
        del buffer
        emit(text, output)
        return text if keep is None or len(text) <= keep // 4 or len(text.encode("utf-8")) <= keep else None
    kept: list[bytes] = []

    def fill(fh: BinaryIO) -> None:
        out = io.TextIOWrapper(fh, encoding="utf-8", errors=_replacement_errors(), newline="")
        render(out)
        out.flush()
        out.detach()  # the binary file stays open: atomic.replace_file_with fsyncs and closes it
        if keep is None or fh.tell() <= keep:
            fh.seek(0)
            kept.append(fh.read())

    try:
        with _signals_raise():
            replace_file_with(target, fill, _umask_mode() if st is None else stat.S_IMODE(st.st_mode))
        _fsync_dir(target.parent)
    except OSError as exc:
        raise _error(Path(output), exc) from exc
    return kept[0].decode("utf-8") if kept else None


def _replacement_errors() -> str:
    """The name of a codec error handler that writes U+FFFD for each lone surrogate (as :func:`~auditor.report.safe.utf8`)."""
    try:
        codecs.lookup_error(_FFFD)
    except LookupError:
        codecs.register_error(_FFFD, _fffd)
    return _FFFD


_FFFD = "auditor.fffd"


def _fffd(exc: UnicodeError) -> tuple[bytes, int]:
    # UTF-8 fails only on surrogates; CPython's UTF-8 encoder takes a non-ASCII replacement only as bytes
    if isinstance(exc, UnicodeEncodeError):
        return "\ufffd".encode("utf-8") * (exc.end - exc.start), exc.end
    raise exc


def write_atomic(path: Path | str, render: Callable[[TextIO], None]) -> None:
    """Render fully into memory, then write it to *path* with :func:`write_bytes`.

    If *render* raises, *path* is not touched.

    Raises:
        OutputError: as :func:`write_bytes`.
    """
    buffer = io.StringIO()
    render(buffer)  # render fully before touching the file system
    write_bytes(Path(path), utf8(buffer.getvalue()).encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path*: atomically for a regular file, directly for a FIFO, device or socket.

    Raises:
        OutputError: one line naming *path* and the cause.
    """
    target = Path(os.path.realpath(path))  # follow symlinks: write the target, keep the link
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        if st is None or stat.S_ISREG(st.st_mode):
            _replace(target, data, None if st is None else stat.S_IMODE(st.st_mode))
        elif stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            with open(target, "wb") as fh:
                fh.write(data)
        elif stat.S_ISSOCK(st.st_mode):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(str(target))
                sock.sendall(data)
        elif stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{path}: cannot write (is a directory)")
        else:
            raise OutputError(f"{path}: cannot write (not a regular file, FIFO, character device or socket)")
    except OSError as exc:
        raise _error(path, exc) from exc


#: The file a folder report carries so that a later run may replace the folder (and only such a folder).
TREE_MARKER = ".auditor-output"


def write_tree(path: Path | str, fill: Callable[[Path], None]) -> None:
    """Write a folder report: *fill* writes into a fresh temporary folder, which then takes *path*'s place.

    The rules, like :func:`write_bytes`'s, lose nothing: a symbolic link, a
    file or a special file at *path* is refused; an existing folder is
    replaced only when it is empty or a previous auditor folder report
    (it holds :data:`TREE_MARKER`).  The old folder is renamed aside, the new
    one renamed in, and the old one removed, so *path* holds one complete
    report at every moment except between the two renames.  If *fill* raises,
    *path* is untouched and the temporary folder is removed.

    Args:
        path: the ``-o`` folder (its parent must exist).
        fill: ``fill(directory)`` writes the report's files into *directory*.

    Raises:
        OutputError: one line naming *path* and the cause (exit code 2).
    """
    path = Path(path)
    if path.is_symlink():
        raise OutputError(f"{path}: cannot write a folder report (is a symbolic link)")
    existing = False
    if path.exists():
        if not path.is_dir():
            raise OutputError(f"{path}: cannot write a folder report (exists and is not a folder)")
        try:
            entries = os.listdir(path)
        except OSError as exc:
            raise _error(path, exc) from exc
        if entries and TREE_MARKER not in entries:
            raise OutputError(f"{path}: cannot write a folder report (a non-empty folder auditor did not write)")
        existing = True
    parent = path.parent if str(path.parent) else Path(".")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        with _signals_raise():
            fill(tmp)
            (tmp / TREE_MARKER).write_text("written by auditor; a later run may replace this folder\n")
            for entry in sorted(tmp.rglob("*")):
                if entry.is_file():
                    with open(entry, "rb") as fh:
                        os.fsync(fh.fileno())
            os.chmod(tmp, 0o777 & ~_umask_mode() | 0o700)
            if existing:
                old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
                os.rename(path, old / "report")
                os.rename(tmp, path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(tmp, path)
        _fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _error(path, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _error(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write ({exc.strerror or type(exc).__name__})")


def _umask_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: ``0o666`` minus the process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _replace(path: Path, data: bytes, mode: int | None) -> None:
    """Write *data* to a temporary file beside *path*, keep *mode*, fsync, rename over *path*."""
    with _signals_raise():
        replace_file(path, data, _umask_mode() if mode is None else mode)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (best effort: not every file system lets a directory be fsynced)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """While a temporary file may exist, turn terminating signals into an exception (main thread only).

    After the cleanup, the signal is delivered again with its previous
    handler, so the process ends (or is interrupted) exactly as it would have.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        raise _Interrupted(signum)

    previous = {}
    for sig in _CLEANUP_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, handler)
        except (OSError, ValueError):  # pragma: no cover - not settable here
            pass
    try:
        yield
    except _Interrupted as stop:
        for sig, old in previous.items():
            signal.signal(sig, old)
        previous = {}
        signal.raise_signal(stop.signum)
        raise OutputError(f"interrupted by signal {stop.signum}") from None  # a handler that returned
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
