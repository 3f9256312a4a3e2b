"""Core metadata of a remote wheel without downloading it (HTTP range requests).

When an index has no PEP 658 ``.metadata`` file for a wheel, the wheel's
``*.dist-info/METADATA`` member is read through :class:`RangeFile`, a
seekable file object that fetches only the byte ranges :mod:`zipfile` asks
for (the end-of-central-directory record, the central directory, and the
one member): typically 2–3 requests of a few kilobytes, whatever the wheel's
size.  This is the technique of pip's ``lazy_wheel``; zip parsing itself is
left to the standard library.

Wheels are immutable: given a cache directory, the extracted METADATA is kept
as a file under ``<cache dir>/wheel-metadata/``.  :class:`~auditor.net.pypi.PyPIClient`
passes none: it memoizes the parsed metadata instead (the lean cache, docs/architecture.md, "Caching").

Within one run, a wheel's end (the bytes fetched to read its central directory)
and the directory as :mod:`zipfile` parsed it are kept in a bounded
:class:`WheelDirectories` (``RunContext.memo``, :func:`wheel_directories`): the
METADATA read and the wheel-library read (``signals/wheel_libraries.py``) of the
same wheel then cost one tail request and one parse between them, not two.  Keeping
the parsed directory goes through a private hook of :mod:`zipfile`; where
:func:`~auditor.dist.archives.directory_reuse_works` finds it changed (a later
CPython), nothing is kept and every open fetches the tail and parses again: slower,
the same facts.
"""

from __future__ import annotations

import re
import threading
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, MutableMapping

from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, ZipDirectory, open_zip, zip_member
from auditor.dist.metadata import dist_info_members
from auditor.dist.seekable import SeekableRaw
from auditor.models import Unknown, UnknownKind
from auditor.net.http import HttpClient

#: Bytes fetched per range request; the central directory of even torch's
#: wheels fits in one or two of these.
CHUNK = 256 * 1024
#: Most range requests one wheel may cost before we give up.
MAX_REQUESTS = 8
#: Largest METADATA member read (bytes, uncompressed); real ones are under 1 MB.
MAX_METADATA_BYTES = 16 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._+-]")
#: Wheels whose directory one run keeps at most (:class:`WheelDirectories`).
MAX_SHARED_WHEELS = 64
#: Bytes of wheel ends one run keeps at most (the tail request and any directory chunk after it).
MAX_SHARED_BYTES = 32 << 20
#: Central-directory entries one run keeps at most, all wheels together (~0.5 KB each in memory).
MAX_SHARED_ENTRIES = 100_000
_DIRECTORIES = "lazy-wheel-directories"


class RangeUnsupported(Exception):
    """The server does not answer range requests with 206 Partial Content."""


@dataclass(frozen=True)
class WheelEnd:
    """What opening a remote wheel cost, kept so a second reader of the same URL starts from it.

    Attributes:
        size: the file's length (``Content-Range``).
        chunks: ``{offset: bytes}`` fetched before and while the directory was parsed.
        requests, fetched: the range requests and bytes that took (a reader seeded with this
            starts with the same counts, so its budgets run out exactly where they did).
        directory: the parsed central directory (``dist/archives.py::ZipDirectory``).
    """

    size: int
    chunks: dict[int, bytes]
    requests: int
    fetched: int
    directory: ZipDirectory

    @property
    def weight(self) -> int:
        return sum(len(c) for c in self.chunks.values())


class WheelDirectories:
    """A bounded, thread-safe LRU of :class:`WheelEnd` by wheel URL, for one run.

    At most :data:`MAX_SHARED_WHEELS` wheels, :data:`MAX_SHARED_BYTES` of their bytes and
    :data:`MAX_SHARED_ENTRIES` directory entries; the least recently used go first, and an end
    over a bound on its own is not kept.
    """

    def __init__(self, max_wheels: int = MAX_SHARED_WHEELS, max_bytes: int = MAX_SHARED_BYTES,
                 max_entries: int = MAX_SHARED_ENTRIES):
        self._ends: OrderedDict[str, WheelEnd] = OrderedDict()
        self._lock = threading.Lock()
        self.max_wheels, self.max_bytes, self.max_entries = max_wheels, max_bytes, max_entries
        self.bytes = self.entries = 0

    def __len__(self) -> int:
        return len(self._ends)

    def get(self, url: str) -> WheelEnd | None:
        with self._lock:
            end = self._ends.get(url)
            if end is not None:
                self._ends.move_to_end(url)
            return end

    def put(self, url: str, end: WheelEnd) -> None:
        if end.weight > self.max_bytes or end.directory.entries > self.max_entries:
            return
        with self._lock:
            old = self._ends.pop(url, None)
            if old is not None:
                self.bytes -= old.weight
                self.entries -= old.directory.entries
            self._ends[url] = end
            self.bytes += end.weight
            self.entries += end.directory.entries
            while (len(self._ends) > self.max_wheels or self.bytes > self.max_bytes
                   or self.entries > self.max_entries):
                _, dropped = self._ends.popitem(last=False)
                self.bytes -= dropped.weight
                self.entries -= dropped.directory.entries


def wheel_directories(memo: MutableMapping[Any, Any]) -> WheelDirectories:
    """The run's :class:`WheelDirectories`, kept in *memo* (``RunContext.memo``)."""
    found = memo.get(_DIRECTORIES)
    if found is None:
        found = memo.setdefault(_DIRECTORIES, WheelDirectories())  # atomic: one per run
    return found


class RangeFile(SeekableRaw):
    """A read-only, seekable view of a remote file fetched by HTTP ranges.

    Args:
        client: the HTTP client (requests go through its retries and accounting).
        url: the file's URL.
        max_requests: the most range requests this file may cost.
        start: a :class:`WheelEnd` of the same URL: its bytes and counts instead of the tail request.

    Every request asks for a range and accepts no more bytes than it asked for
    (``HttpClient.get(max_bytes=...)``), so a server that ignores ``Range`` and
    sends the whole file costs at most that much.  A file no larger than
    :data:`CHUNK` that such a server sends whole answers the first request: it
    is read from memory, with no further request.

    Raises:
        RangeUnsupported: if the server ignores ``Range`` for a file larger than
            :data:`CHUNK`, or answers a range with anything but 206 and its bytes.
    """

    def __init__(self, client: HttpClient, url: str, max_requests: int = MAX_REQUESTS, start: WheelEnd | None = None):
        super().__init__()
        self.client = client
        self.url = url
        self.pos = 0
        self.size: int | None = None
        self.chunks: dict[int, bytes] = {}
        self.requests = 0
        self.max_requests = max_requests
        self.fetched = 0
        if start is not None:
            self.size, self.chunks = start.size, dict(start.chunks)
            self.requests, self.fetched = start.requests, start.fetched
        else:
            self._fetch_tail()

    def _get(self, header: str, asked: int, whole: bool = False) -> tuple[bytes, str | None]:
        """The body and ``Content-Range`` of a 206 answer to ``Range: header`` (*asked* bytes at
        most); with *whole*, a 200 answer too (the whole file, within *asked* bytes; Content-Range None)."""
        if self.requests >= self.max_requests:
            raise RangeUnsupported("too many range requests")
        self.requests += 1
        resp = self.client.get(self.url, {"Range": header, "Accept-Encoding": "identity"}, max_bytes=asked)
        if isinstance(resp, Unknown):
            if resp.kind == UnknownKind.TOO_LARGE:  # more than the range: the server sends the whole file
                raise RangeUnsupported(f"the server ignores Range: more than the {asked} bytes asked for ({resp.reason})")
            raise RangeUnsupported(resp.reason)
        if resp.status_code != 206 and not (whole and resp.status_code == 200):
            raise RangeUnsupported(f"HTTP {resp.status_code} to a range request")
        self.fetched += len(resp.content)
        return resp.content, resp.headers.get("Content-Range", "") if resp.status_code == 206 else None

    def fetch(self, start: int, end: int) -> bytes:
        """Bytes [start, end) in one request, not kept (a streamed member keeps what it needs)."""
        end = min(end, self.size or end)
        if end <= start:
            return b""
        for cstart, data in self.chunks.items():
            if cstart <= start and end <= cstart + len(data):
                return data[start - cstart:end - cstart]
        body, _ = self._get(f"bytes={start}-{end - 1}", end - start)
        if len(body) != end - start:
            raise RangeUnsupported(f"{len(body)} bytes for a {end - start}-byte range")
        return body

    def prefetch(self, start: int, end: int) -> None:
        """Fetch bytes [start, end) in one request (a whole zip member), unless already held."""
        end = min(end, self.size or end)
        if end <= start or any(c <= start and end <= c + len(d) for c, d in self.chunks.items()):
            return
        body, _ = self._get(f"bytes={start}-{end - 1}", end - start)
        self.chunks[start] = body

    def _fetch_tail(self) -> None:
        body, content_range = self._get(f"bytes=-{CHUNK}", CHUNK, whole=True)
        if content_range is None:  # 200: the whole file, CHUNK bytes at most
            self.size, self.chunks[0] = len(body), body
            return
        m = re.match(r"bytes (\d+)-(\d+)/(\d+)", content_range)
        if not m:
            raise RangeUnsupported("no Content-Range in the answer")
        start, total = int(m.group(1)), int(m.group(3))
        self.size = total
        self.chunks[start] = body

    def _read_range(self, start: int, end: int) -> bytes:
        """Bytes [start, end) from the chunks held, fetching what is missing."""
        for cstart, data in self.chunks.items():
            if cstart <= start and end <= cstart + len(data):
                return data[start - cstart:end - cstart]
        fetch_end = min(self.size or end, max(end, start + CHUNK))
        body, _ = self._get(f"bytes={start}-{fetch_end - 1}", fetch_end - start)
        self.chunks[start] = body
        return body[: end - start]

    # io.RawIOBase: readable/seekable/tell/seek/readinto from SeekableRaw (dist/seekable.py)

    def read(self, n: int = -1) -> bytes:
        size = self.size or 0
        end = size if n is None or n < 0 else min(size, self.pos + n)
        if end <= self.pos:
            return b""
        data = self._read_range(self.pos, end)
        self.pos += len(data)
        return data


def open_remote_zip(client: HttpClient, url: str, limits: ArchiveLimits, max_requests: int = MAX_REQUESTS,
                    directories: WheelDirectories | None = None) -> tuple[RangeFile, zipfile.ZipFile]:
    """The remote zip at *url* as ``(file, zip)``, its directory read once per run when *directories* is given.

    The first reader of a URL fetches the tail and parses the directory and leaves a
    :class:`WheelEnd` in *directories*; a later one starts from it (no request, no parse).  The
    directory bounds (``dist/archives.py::check_zip_directory``) are checked on every open.  Where
    zipfile's private hook does not check out (``dist/archives.py::directory_reuse_works``), the zip
    has no ``directory`` and nothing is kept: each reader fetches the tail and parses.

    Raises:
        RangeUnsupported, ArchiveTooLarge, zipfile.BadZipFile, OSError: as :class:`RangeFile` and
        :func:`~auditor.dist.archives.open_zip`.
    """
    end = directories.get(url) if directories is not None else None
    remote = RangeFile(client, url, max_requests=max_requests, start=end)
    zf = open_zip(remote, limits, end.directory if end is not None else None)  # type: ignore[arg-type]
    directory = getattr(zf, "directory", None)
    if directories is not None and end is None and remote.size is not None and directory is not None:
        directories.put(url, WheelEnd(remote.size, dict(remote.chunks), remote.requests, remote.fetched, directory))
    return remote, zf


def wheel_metadata(client: HttpClient, url: str, filename: str, cache_dir: Path | None, offline: bool = False,
                   directories: WheelDirectories | None = None) -> bytes | Unknown:
    """The ``METADATA`` member of the remote wheel at *url*.

    Args:
        client: HTTP client for the file host.
        url: the wheel's URL.
        filename: the wheel's file name (names the cache entry).
        cache_dir: directory for extracted METADATA files; ``None`` disables it.
        offline: use only the cache.
        directories: the run's :class:`WheelDirectories` (:func:`wheel_directories`), shared with
            the wheel-library read of the same wheel; None: nothing shared.

    Returns:
        The METADATA bytes, or Unknown (server without range support, not a
        zip, no METADATA member, offline miss).
    """
    cached = cache_dir / "wheel-metadata" / (_SAFE_NAME.sub("_", filename) + ".metadata") if cache_dir else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    if offline:
        return Unknown("offline")
    config = client.config
    limits = ArchiveLimits(min(config.max_archive_bytes, MAX_METADATA_BYTES), config.max_archive_ratio,
                           config.max_archive_members)
    try:
        _, zf = open_remote_zip(client, url, limits, MAX_REQUESTS, directories)
        with zf:
            names = dist_info_members(zf.namelist())
            if len(names) != 1:
                return Unknown(f"{filename}: no single .dist-info/METADATA member")
            data = zip_member(zf, names[0], limits)  # streamed, size and ratio bounded (dist/archives.py)
    except ArchiveTooLarge as exc:
        return Unknown(f"{filename}: {exc}", kind=UnknownKind.TOO_LARGE)
    except RangeUnsupported as exc:
        return Unknown(f"{filename}: range requests not possible ({exc})")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error) as exc:
        return Unknown(f"{filename}: not a readable wheel ({exc})")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return data
