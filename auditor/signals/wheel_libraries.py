"""Shared libraries of a remote wheel, read by HTTP range requests (requirements and lock file inputs).

For a distribution that is not installed, the wheel an installer would pick
for the target (:func:`auditor.signals.install.best_wheel` over the index's
files) is opened as a :class:`~auditor.net.lazy_wheel.RangeFile`: the zip's
end record and central directory come first (one or two requests), then
``RECORD``, then each PEP 770 SBOM member is fetched in one range request of
its compressed bytes and decompressed within ``dist/archives.py``'s bounds.
Each shared library is *streamed* (``dist/inflate.py``): its compressed bytes
are fetched in range requests only as far as the ELF reader goes (headers,
``PT_DYNAMIC`` and its strings; ``dist/elf.py``), so the section table,
symbols and data after the dynamic table are neither downloaded nor inflated.  A member whose declared size is over
``--max-archive-bytes`` is never fetched (its linking is unknown), and one
wheel costs at most :data:`MAX_WHEEL_BYTES` of downloads and
:data:`MAX_REQUESTS` requests.  Pure wheels (``*-none-any.whl``) cost no
request.  Results are kept in the fact memo under the wheel's sha256 from the
index (else its URL; a wheel is immutable), so a warm audit makes no request
and the same file is never read twice.  docs/native.md.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from dataclasses import asdict
from typing import Any, Callable, Iterable

from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, zip_member
from auditor.dist.elf import DynamicInfo, ElfUnreadable, read_dynamic
from auditor.dist.inflate import DEFLATED, FIRST, STORED, WHOLE, FetchFailed, MemberStream
from auditor.dist.metadata import dist_info_members
from auditor.dist.sbom import MAX_SBOM_BYTES, is_sbom_path
from auditor.models import Unknown, UnknownKind, VendoredCode, VendoredLibrary
from auditor.net.context import RunContext
from auditor.net.lazy_wheel import RangeFile, RangeUnsupported, open_remote_zip, wheel_directories

#: Range requests one wheel may cost (central directory, RECORD, one per library or SBOM).
MAX_REQUESTS = 64
#: Compressed bytes one wheel's libraries may cost in all; what is left over is ``unknown``.
MAX_WHEEL_BYTES = 256 << 20
#: Slack after a member's compressed data in its range request (local header and extra fields).
_HEADER_SLACK = 1024
_MEMO = "wheel-libraries"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
#: Most bytes between two small library members fetched in one request (see :func:`_prefetch_neighbours`).
_GAP = 64 * 1024
#: Most bytes of one such request, and of all of them for one wheel (held until the wheel is read).
_GROUP_BYTES, _PREFETCH_BYTES = 8 << 20, 32 << 20
#: A zip local file header: signature, version, flags, method, time, date, CRC, sizes, name and extra lengths.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _span(info: zipfile.ZipInfo, data: int) -> tuple[int, int]:
    """``(start, end)`` of a member's local header and its first *data* compressed bytes (the local
    extra field may differ from the central directory's: :data:`_HEADER_SLACK` covers that)."""
    start = info.header_offset
    return start, start + _LOCAL_HEADER.size + len(info.orig_filename.encode()) + len(info.extra) + _HEADER_SLACK + data


def _member_span(zf: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """The whole of member *name*, local header included."""
    info = zf.getinfo(name)
    return _span(info, info.compress_size)


def _head_span(info: zipfile.ZipInfo) -> tuple[int, int]:
    """The bytes :func:`_streamed` asks for first: the local header and the member's first chunk (all
    of a member up to :data:`~auditor.dist.inflate.WHOLE` compressed bytes).  Its extra field may differ
    from the central directory's: the slack covers that; what is missing is fetched later."""
    return _span(info, info.compress_size if info.compress_size <= WHOLE else FIRST)


def _prefetch_neighbours(remote: RangeFile, zf: zipfile.ZipFile, paths: Iterable[str], limits: ArchiveLimits) -> int:
    """Fetch the heads of small library members that sit next to each other in one request per run of them.

    A repaired wheel often stores a family of small libraries side by side (pyarrow's three
    ``libarrow_python*.so`` names, triton's backends): each would cost its own request.  Members whose
    whole compressed data is their head (:func:`_head_span`) and that are at most :data:`_GAP` bytes
    apart are fetched together (at most :data:`_GROUP_BYTES` a request, :data:`_PREFETCH_BYTES` a
    wheel, within the download budget); :meth:`RangeFile.fetch` then answers their reads from what is
    held.  The bytes read are the same, so are the facts.

    Returns:
        The number of requests made.
    """
    infos = []
    names = set(zf.namelist())
    for path in set(paths) & names:
        info = zf.getinfo(path)
        if (info.compress_size <= WHOLE and info.file_size <= limits.max_bytes
                and not info.flag_bits & 0x1 and info.compress_type in (STORED, DEFLATED)):
            infos.append(info)
    runs: list[list[tuple[int, int]]] = []
    for info in sorted(infos, key=lambda i: i.header_offset):
        start, end = _head_span(info)
        last = runs[-1] if runs else None
        if last and start - last[-1][1] <= _GAP and max(end, last[-1][1]) - last[0][0] <= _GROUP_BYTES:
            last.append((start, max(end, last[-1][1])))
        else:
            runs.append([(start, end)])
    made = spent = 0
    for run in runs:
        if len(run) < 2:
            continue  # a lone member is fetched by its own read, as before
        start, end = run[0][0], run[-1][1]
        if spent + (end - start) > _PREFETCH_BYTES or remote.fetched + (end - start) > MAX_WHEEL_BYTES:
            continue
        remote.prefetch(start, end)
        made += 1
        spent += end - start
    return made


def _streamed(remote: RangeFile, zf: zipfile.ZipFile, path: str, limits: ArchiveLimits) -> MemberStream:
    """Member *path* as a :class:`~auditor.dist.inflate.MemberStream`: its compressed bytes are
    fetched in range requests as the ELF reader goes, within the wheel's download budget."""
    info = zf.getinfo(path)
    if info.file_size > limits.max_bytes:
        raise ArchiveTooLarge(f"{path}: {info.file_size} bytes uncompressed (limit {limits.max_bytes})")
    if info.flag_bits & 0x1:
        raise ValueError(f"{path}: encrypted member")
    start = info.header_offset
    head = remote.fetch(*_head_span(info))  # one request, or none when _prefetch_neighbours holds it
    if len(head) < _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{path}: no local file header")
    name_len, extra_len = _LOCAL_HEADER.unpack(head[:_LOCAL_HEADER.size])[-2:]
    data = start + _LOCAL_HEADER.size + name_len + extra_len
    initial = head[data - start:data - start + info.compress_size]

    def fetch(start: int, end: int) -> bytes:
        if remote.fetched + (end - start) > MAX_WHEEL_BYTES:
            raise ArchiveTooLarge(f"over the {MAX_WHEEL_BYTES}-byte download budget of one wheel")
        return remote.fetch(data + start, data + end)

    return MemberStream(fetch, info.compress_size, info.file_size, info.compress_type, limits, path, initial)


def _from_memo(doc: Any) -> VendoredCode | None:
    try:
        libs = tuple(VendoredLibrary(**{**lib, "needed": tuple(lib.get("needed") or ())}) for lib in doc["libraries"])
        return VendoredCode(libraries=libs, sboms=tuple(doc.get("sboms") or ()),
                            sbom_unknown=tuple(doc.get("sbom_unknown") or ()))
    except (TypeError, KeyError, AttributeError):
        return None


#: Why a closed vendor wheel's libraries are listed without their linking (``linking_unknown``).
NOT_FETCHED_VENDOR = "not fetched: a closed vendor binary (its vendor is the accountable party; docs/native.md)"


def vendored_in_remote_wheel(ctx: RunContext, url: str, filename: str, from_record: Callable[..., VendoredCode],
                             read_libraries: bool = True, sha256: str | None = None,
                             is_library: Callable[[str], bool] | None = None) -> VendoredCode | Unknown:
    """Shared libraries (and PEP 770 SBOM components) of the wheel at *url*, by range requests.

    *from_record* is :func:`auditor.signals.vendored.libraries_from_record` (passed in: that module calls this one).
    With *read_libraries* False (a closed vendor wheel: NVIDIA's CUDA wheels are
    tens of MB each), the libraries are listed from RECORD with
    ``linking_unknown`` = :data:`NOT_FETCHED_VENDOR` and no member is downloaded
    but the SBOMs (issue 14: on llm-finetune this saves ~175 MB of a cold run).

    *sha256*: the wheel's digest from the index; the fact memo keeps the result under it
    (else under *url*), so the same file is read once across runs and URLs.

    *is_library*: ``RECORD path -> bool``, the paths *from_record* will read as libraries
    (:func:`auditor.signals.vendored.is_library_path`); given, small neighbouring ones are fetched
    together (:func:`_prefetch_neighbours`).

    Returns:
        :class:`VendoredCode` (``libraries=()`` for a pure wheel), or Unknown:
        ``offline``, ``range requests not possible (...)``, ``not a readable
        wheel (...)``, too large.
    """
    if filename.endswith("-none-any.whl"):
        return VendoredCode()
    facts = ctx.facts()
    # One file, one read: keyed by the wheel's sha256 from the index when it gives one (the same
    # wheel behind another URL, a mirror or a second index, is not read again), else by its URL.
    ident = f"sha256:{sha256.lower()}" if sha256 and _SHA256.fullmatch(sha256) else url
    memo_key = ident if read_libraries else f"{ident}#listed"  # the two modes store different facts
    stored = facts.get(_MEMO, memo_key) if facts else None
    if isinstance(stored, dict):
        code = _from_memo(stored)
        if code is not None:
            return code
    if ctx.config.offline:
        return Unknown("offline", kind=UnknownKind.OFFLINE)
    config = ctx.config
    limits = ArchiveLimits(config.max_archive_bytes, config.max_archive_ratio, config.max_archive_members)
    try:
        # The directory the METADATA read of this wheel parsed, if it did (net/lazy_wheel.py): one tail request a run.
        remote, zf = open_remote_zip(ctx.http("pypi-files"), url, limits, MAX_REQUESTS, wheel_directories(ctx.memo))
        with zf:
            records = dist_info_members(zf.namelist(), "RECORD")
            if not records:
                return Unknown(f"{filename} has no RECORD", kind=UnknownKind.MALFORMED)
            sizes = {i.filename: i.file_size for i in zf.infolist()}
            remote.prefetch(*_member_span(zf, records[0]))
            text = zip_member(zf, records[0], limits).decode("utf-8", errors="replace")

            def member(path: str, cap: int) -> bytes:
                if path not in sizes:
                    raise KeyError(path)
                if sizes[path] > cap:
                    raise ArchiveTooLarge(f"{path}: {sizes[path]} bytes uncompressed (limit {cap})")
                start, end = _member_span(zf, path)
                if remote.fetched + (end - start) > MAX_WHEEL_BYTES:
                    raise ArchiveTooLarge(f"over the {MAX_WHEEL_BYTES}-byte download budget of one wheel")
                remote.prefetch(start, end)
                return zip_member(zf, path, limits)

            def read(path: str) -> DynamicInfo:
                if not read_libraries:
                    raise ElfUnreadable(NOT_FETCHED_VENDOR)
                if path not in sizes:
                    raise KeyError(path)
                try:
                    return read_dynamic(_streamed(remote, zf, path, limits))
                except FetchFailed as exc:  # the request failed, not the bytes: the wheel's answer says so
                    raise exc.cause from None

            def read_bytes(path: str) -> bytes:
                return member(path, MAX_SBOM_BYTES) if is_sbom_path(path) else b""

            rows = list(csv.reader(io.StringIO(text)))
            if read_libraries and is_library is not None:
                _prefetch_neighbours(remote, zf, (row[0].replace("\\", "/") for row in rows if row and row[0]
                                                  and is_library(row[0])), limits)
            code = from_record(rows, sizes.get, read, read_bytes)
    except ArchiveTooLarge as exc:
        return Unknown(f"{filename}: {exc}", kind=UnknownKind.TOO_LARGE)
    except RangeUnsupported as exc:
        return Unknown(f"{filename}: range requests not possible ({exc})", kind=UnknownKind.UNREACHABLE)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error) as exc:
        return Unknown(f"{filename}: not a readable wheel ({exc})", kind=UnknownKind.MALFORMED)
    if facts is not None:
        facts.put(_MEMO, memo_key, asdict(code))
    return code
