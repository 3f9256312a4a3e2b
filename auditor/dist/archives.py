"""Reading one member of a zip or (compressed) tar archive with bounds on size, ratio and count.

Wheels and sdists are attacker-written.  A 1 MB archive can claim a
million members or expand to gigabytes.  These helpers read *only the
member asked for*, streamed, and stop as soon as a bound is broken:

* **members**: a zip's end-of-central-directory record is read first and an
  archive declaring more than ``max_members`` entries (or a central
  directory larger than :data:`MAX_CENTRAL_DIRECTORY`) is refused before
  :mod:`zipfile` builds its member list; a tar is scanned in stream mode
  (``r|``), one header at a time, never holding the member list;
* **bytes**: the member's declared size, and the bytes actually read, are
  capped at ``max_bytes``; for a compressed tar, every decompressed byte
  (the members skipped to reach the wanted one included) counts;
* **ratio**: a member (or a compressed stream) expanding more than
  ``max_ratio`` times its compressed size is refused, once past
  :data:`RATIO_FLOOR` bytes (small files compress well legitimately).

A breach raises :class:`ArchiveTooLarge` (a ``ValueError``); callers turn
it into ``Unknown(kind=TOO_LARGE)``.  Defaults: ``Config.max_archive_*``
(docs/limits.md).
"""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Callable

from auditor.config import DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_MAX_ARCHIVE_MEMBERS, DEFAULT_MAX_ARCHIVE_RATIO

#: Largest zip central directory read (bytes); ~100,000 typical entries.
MAX_CENTRAL_DIRECTORY = 16 * 1024 * 1024
#: Below this many decompressed bytes the ratio is not judged.
RATIO_FLOOR = 1024 * 1024
#: Bytes per read while streaming.
CHUNK = 64 * 1024


class ArchiveTooLarge(ValueError):
    """An archive broke a bound (members, bytes or ratio); the message says which."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds for one archive read.

    Attributes:
        max_bytes: decompressed bytes read in total (and per member).
        max_ratio: highest decompressed/compressed ratio past :data:`RATIO_FLOOR`.
        max_members: most entries an archive may declare or a scan may pass.
    """

    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    max_ratio: int = DEFAULT_MAX_ARCHIVE_RATIO
    max_members: int = DEFAULT_MAX_ARCHIVE_MEMBERS

    @classmethod
    def from_config(cls, config) -> "ArchiveLimits":
        """The limits of a :class:`~auditor.config.Config`."""
        return cls(config.max_archive_bytes, config.max_archive_ratio, config.max_archive_members)


def check_zip_directory(fh: BinaryIO, limits: ArchiveLimits) -> None:
    """Refuse a zip whose end-of-central-directory record declares too many entries or too large a directory.

    Reads at most the last 64 KiB of *fh* (a seekable file).  A file without
    the record is left to :mod:`zipfile` to reject.

    Raises:
        ArchiveTooLarge: more than ``max_members`` entries, or a directory over
            :data:`MAX_CENTRAL_DIRECTORY` bytes.
    """
    size = fh.seek(0, io.SEEK_END)
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        fh.seek(0)
        return
    _, _, _, entries, cd_size, _, _ = struct.unpack("<4HIIH", tail[at + 4:at + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # ZIP64: the locator sits just before
        loc = tail[at - 20:at] if at >= 20 else b""
        if loc[:4] == b"PK\x06\x07":
            (eocd64,) = struct.unpack("<Q", loc[8:16])
            if 0 <= eocd64 < size:
                fh.seek(eocd64)
                rec = fh.read(56)
                if rec[:4] == b"PK\x06\x06" and len(rec) >= 56:
                    entries, cd_size = struct.unpack("<QQ", rec[32:48])
    fh.seek(0)
    if entries > limits.max_members:
        raise ArchiveTooLarge(f"archive declares {entries} members (member limit {limits.max_members})")
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise ArchiveTooLarge(f"archive directory of {cd_size} bytes (limit {MAX_CENTRAL_DIRECTORY})")


@dataclass(frozen=True)
class ZipDirectory:
    """A zip's central directory as :mod:`zipfile` parsed it (read-only; shared by readers of one file).

    Attributes:
        state: the attributes ``ZipFile._RealGetContents`` set (``filelist``, ``NameToInfo``,
            ``start_dir``, ...); the :class:`zipfile.ZipInfo` objects in it are never modified.
        entries: members listed.
    """

    state: dict
    entries: int


class _DirectoryZip(zipfile.ZipFile):
    """A read-only :class:`zipfile.ZipFile` that can take its central directory from another
    instance on the same bytes instead of parsing it again (issue 14: a remote wheel's directory is
    read for its METADATA, then for its libraries; torch's lists ~20,000 members).

    The hook is ``_RealGetContents``, the private method ``ZipFile.__init__`` calls to parse the
    directory.  It is used only while :func:`directory_reuse_works` says so; otherwise
    :func:`open_zip` opens a :class:`_PlainZip` and every open parses its own directory.
    """

    directory: ZipDirectory | None = None

    def __init__(self, file: BinaryIO, reuse: ZipDirectory | None = None):
        self._reuse = reuse
        super().__init__(file)

    def _RealGetContents(self) -> None:  # noqa: N802 - zipfile's name
        if self._reuse is not None:
            vars(self).update(self._reuse.state)
            self.directory = self._reuse
            return
        before = dict(vars(self))
        super()._RealGetContents()  # type: ignore[misc]
        state = {k: v for k, v in vars(self).items() if k not in before or before[k] is not v}
        state.update(filelist=self.filelist, NameToInfo=self.NameToInfo)  # filled in place
        self.directory = ZipDirectory(state, len(self.filelist))


class _PlainZip(zipfile.ZipFile):
    """:mod:`zipfile`'s public path: the directory parsed on every open, nothing kept (``directory`` None)."""

    directory: ZipDirectory | None = None


#: Attributes of an open ZipFile that belong to the file handle, not to the parsed directory.
_HANDLE = frozenset({"fp", "_lock", "_fileRefCnt", "_filePassed", "filename", "_reuse", "directory"})


def _plain_value(value):
    """*value* with every :class:`zipfile.ZipInfo` as its slots' values, for comparing two parses."""
    if isinstance(value, zipfile.ZipInfo):
        return tuple((s, _plain_value(getattr(value, s, None))) for s in zipfile.ZipInfo.__slots__)
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(v) for v in value]
    return value  # an object without __eq__ compares by identity: two parses differ, the probe says no


def _probe_archive() -> bytes:
    """A small zip with what wheels have: stored and deflated members, a directory entry, a
    non-ASCII name, member and archive comments."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("pkg/", b"")
        zf.writestr("pkg/__init__.py", b"x = 1\n" * 50, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("pkg/caf\u00e9.txt", (2020, 1, 2, 3, 4, 6))
        info.comment = b"member"
        zf.writestr(info, b"stored")
        zf.writestr("pkg-1.0.dist-info/METADATA", b"Metadata-Version: 2.1\nName: pkg\n", zipfile.ZIP_DEFLATED)
        zf.comment = b"archive"
    return buf.getvalue()


@functools.cache
def directory_reuse_works() -> bool:
    """Whether :class:`_DirectoryZip`'s hook into zipfile's private ``_RealGetContents`` behaves as
    expected on this Python: checked once a process, on first use, on an archive built here.

    Yes when parsing through the hook captures a directory, and a second instance started from that
    directory (without parsing) has the same state, member list and member bytes as
    :mod:`zipfile`'s own public path on the same bytes.  A renamed or re-signatured hook, a directory
    kept somewhere the hook does not see, or any error means no: :func:`open_zip` then parses on
    every open (slower, the same facts).
    """
    data = _probe_archive()
    try:
        with _DirectoryZip(io.BytesIO(data)) as first, zipfile.ZipFile(io.BytesIO(data)) as plain:
            if first.directory is None:
                return False
            with _DirectoryZip(io.BytesIO(data), first.directory) as again:
                if again.directory is not first.directory:
                    return False
                want = {k: _plain_value(v) for k, v in vars(plain).items() if k not in _HANDLE}
                for zf in (first, again):
                    if {k: _plain_value(v) for k, v in vars(zf).items() if k not in _HANDLE} != want:
                        return False
                    if [zf.read(n) for n in zf.namelist()] != [plain.read(n) for n in plain.namelist()]:
                        return False
    except Exception:  # noqa: BLE001 - whatever a changed zipfile raises, the answer is no
        return False
    return True


def open_zip(fh: BinaryIO, limits: ArchiveLimits = ArchiveLimits(),
             directory: ZipDirectory | None = None) -> zipfile.ZipFile:
    """A read-only :class:`zipfile.ZipFile` on *fh* after :func:`check_zip_directory`.

    Args:
        fh: a seekable binary file.
        limits: the bounds; the directory check runs on every open, *directory* given or not.
        directory: the central directory of the same bytes, as an earlier ``open_zip`` parsed it
            (its result's ``directory`` attribute); not parsed again.

    Returns:
        The zip; its ``directory`` attribute is the :class:`ZipDirectory`, or None when
        :func:`directory_reuse_works` says no (then *directory* is ignored and this open parses).

    Raises:
        ArchiveTooLarge: see :func:`check_zip_directory`; zipfile.BadZipFile: not a zip, or one
            :mod:`zipfile` cannot read (a member needing a later zip version: its NotImplementedError).
    """
    check_zip_directory(fh, limits)
    try:
        if not directory_reuse_works():
            return _PlainZip(fh)
        return _DirectoryZip(fh, directory)
    except NotImplementedError as exc:  # "zip file version 9.9": data, not a bug of ours
        raise zipfile.BadZipFile(f"unsupported zip ({exc})") from exc


def zip_member(zf: zipfile.ZipFile, name: str, limits: ArchiveLimits = ArchiveLimits()) -> bytes:
    """The bytes of member *name*, streamed with the size and ratio bounds.

    Raises:
        ArchiveTooLarge: declared or actual size over ``max_bytes``, or ratio over ``max_ratio``.
        KeyError: no such member; zipfile.BadZipFile / zlib.error: a corrupt member, an encrypted one
            (zipfile's RuntimeError) or one zipfile cannot inflate (its NotImplementedError: a
            compression method this Python lacks, such as zstd before 3.14, or flag bits 5 and 6).
    """
    info = zf.getinfo(name)
    _judge(info.file_size, info.compress_size, limits, name)
    if info.flag_bits & 0x1:
        raise zipfile.BadZipFile(f"{name}: encrypted member")
    out = bytearray()
    try:
        with zf.open(info) as member:
            while True:
                chunk = member.read(CHUNK)
                if not chunk:
                    break
                out += chunk
                _judge(len(out), info.compress_size, limits, name)
    except NotImplementedError as exc:
        raise zipfile.BadZipFile(f"{name}: {exc}") from exc
    return bytes(out)


def judge_member(size: int, compressed: int, limits: ArchiveLimits, what: str) -> None:
    """Raise :class:`ArchiveTooLarge` when *size* bytes (from *compressed*) break ``max_bytes`` or the ratio."""
    _judge(size, compressed, limits, what)


def _judge(size: int, compressed: int, limits: ArchiveLimits, what: str) -> None:
    if size > limits.max_bytes:
        raise ArchiveTooLarge(f"{what}: {size} bytes uncompressed (archive size limit {limits.max_bytes})")
    if size > RATIO_FLOOR and size > limits.max_ratio * max(compressed, 1):
        raise ArchiveTooLarge(f"{what}: expands {size // max(compressed, 1)}x (compression ratio limit {limits.max_ratio})")


class _Counted(io.RawIOBase):
    """A decompressing stream that counts what it yields and stops at the bounds."""

    def __init__(self, stream: BinaryIO, compressed: int, limits: ArchiveLimits):
        super().__init__()
        self._stream = stream
        self._compressed = compressed
        self._limits = limits
        self.total = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(CHUNK if n is None or n < 0 else min(n, 1 << 20))
        self.total += len(data)
        _judge(self.total, self._compressed, self._limits, "compressed archive")
        return data

    def readinto(self, buffer) -> int:  # pragma: no cover - tarfile uses read()
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _decompressing(data: bytes) -> BinaryIO:
    """A stream of *data* decompressed by its magic number (gzip, bzip2, xz), or as is."""
    raw = io.BytesIO(data)
    if data[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if data[:3] == b"BZh":
        return bz2.BZ2File(raw)  # type: ignore[return-value]
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMAFile(raw)  # type: ignore[return-value]
    return raw


def tar_member(data: bytes, want: Callable[[tarfile.TarInfo], bool], limits: ArchiveLimits = ArchiveLimits()) -> bytes | None:
    """The first regular member of the (compressed) tar *data* for which *want* is true, or None.

    Scans in stream mode: headers one at a time, the member list never
    kept, every decompressed byte counted (see the module docstring).

    Raises:
        ArchiveTooLarge: a bound was broken; tarfile.TarError / OSError / EOFError: a corrupt archive.
    """
    counted = _Counted(_decompressing(data), len(data), limits)
    with tarfile.open(fileobj=io.BufferedReader(counted, CHUNK), mode="r|") as tf:
        seen = 0
        while True:
            member = tf.next()
            if member is None:
                return None
            seen += 1
            tf.members = []  # stream mode appends every header: keep none
            if seen > limits.max_members:
                raise ArchiveTooLarge(f"archive has more than {limits.max_members} members (member limit)")
            if member.isfile() and want(member):
                if member.size > limits.max_bytes:
                    raise ArchiveTooLarge(f"{member.name}: {member.size} bytes (archive size limit {limits.max_bytes})")
                fh = tf.extractfile(member)
                return fh.read(member.size) if fh else None
