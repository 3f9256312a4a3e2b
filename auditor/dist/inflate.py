"""A seekable view of one zip member that downloads and inflates only as far as it is read.

A deflated zip member cannot be read from the middle: its bytes must be
decompressed from the start.  An ELF reader, though, needs only the file's
header and program headers (the first few hundred bytes), the ``PT_DYNAMIC``
entries and the ``DT_STRTAB`` strings they point to (``dist/elf.py``); the
section table, symbols, debug data and relocations after ``.dynamic`` are never
needed.  :class:`MemberStream` therefore

* fetches the member's compressed bytes in chunks, on demand, through a
  caller-given ``fetch(start, end)`` (one HTTP range request each in
  ``signals/wheel_libraries.py``), and stops fetching when the reader stops;
* streams them through one ``zlib.decompressobj`` and keeps only the byte
  ranges the reader asked for (plus a small window behind the decompressor and
  a read-ahead after a backward seek), never the whole member;
* restarts decompression from the member's start (from the compressed bytes it
  already holds: no new download) when the reader seeks back before what it
  kept, at most :data:`MAX_RESTARTS` times.

:meth:`MemberStream.expect` lets the reader say how far it will read (the end of
``PT_DYNAMIC``), so the fetch can go there in one request, estimated from the
member's average compression ratio.  Bounds: the member's declared size is
judged before anything is read (``archives.judge_member``: ``max_archive_bytes`` and
the ratio limit), decompressed output beyond the declared size is an error, so
one pass inflates at most ``max_bytes`` and a read at most ``MAX_RESTARTS + 1``
passes (from bytes already downloaded).
"""

from __future__ import annotations

import zlib
from collections import deque
from typing import Callable

from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, judge_member
from auditor.dist.seekable import SeekableRaw

#: Members at most this large (compressed) are fetched in one request: chunking buys nothing.
WHOLE = 1 << 20
#: The first chunk of a larger member (the ELF and program headers are in its first kilobytes).
FIRST = 64 * 1024
#: Compressed bytes fed to the decompressor per step.
STEP = 256 * 1024
#: Most decompressed bytes produced per step (so a small read keeps little).
OUT = 64 * 1024
#: Decompressed bytes always kept from the member's start (ELF header and program headers).
HEAD = 64 * 1024
#: Decompressed bytes kept behind the decompressor (small backward seeks within one table).
WINDOW = 256 * 1024
#: Decompressed bytes kept after a position reached by a restart (the rest of a string table).
AHEAD = 1 << 20
#: Most restarts from the member's start before the read is abandoned.
MAX_RESTARTS = 8
#: zip compression methods read here.
STORED, DEFLATED = 0, 8

Fetch = Callable[[int, int], bytes]


class FetchFailed(Exception):
    """The caller's ``fetch`` raised (a request failed, the deadline passed): not a fault of the
    member's bytes, so an ELF reader must not call it malformed.  ``cause`` is the original."""

    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


class MemberStream(SeekableRaw):
    """A read-only, seekable file of one zip member's uncompressed bytes (see the module docstring).

    Args:
        fetch: ``fetch(start, end) -> bytes``: the member's compressed bytes ``[start, end)``
            (offsets from the start of its data); may raise ``OSError``/``ValueError``.
        compressed_size, size: the member's compressed and uncompressed sizes (central directory).
        method: :data:`STORED` or :data:`DEFLATED`.
        limits: the archive bounds; *size* is judged at once.
        name: the member's path, for messages.
        initial: the first compressed bytes, when the caller fetched them with the local header.

    Attributes:
        fetched: compressed bytes downloaded; inflated: bytes decompressed (restarts included);
        restarts: decompressions restarted from the start.

    Raises:
        ArchiveTooLarge: declared size or ratio over the limits, more than :data:`MAX_RESTARTS` restarts.
        ValueError: another compression method; zlib.error / EOFError: a corrupt member.
        FetchFailed: *fetch* raised (its exception is the ``cause``).
    """

    def __init__(self, fetch: Fetch, compressed_size: int, size: int, method: int, limits: ArchiveLimits, name: str,
                 initial: bytes = b""):
        super().__init__()
        if method not in (STORED, DEFLATED):
            raise ValueError(f"{name}: compression method {method} not supported")
        judge_member(size, compressed_size, limits, name)
        self._fetch, self._csize, self.size, self._method = fetch, compressed_size, size, method
        self._limits, self._name = limits, name
        self._comp = bytearray(initial[:compressed_size])  # the first compressed bytes, if the caller has them
        self._target = 0  # compressed bytes the next fetch should reach (from expect())
        self._held: list[tuple[int, bytes]] = []
        self._wanted: list[tuple[int, int]] = [(0, HEAD)]  # uncompressed ranges kept when inflated
        self._reset()
        self.pos = 0
        self.fetched, self.inflated, self.restarts = len(self._comp), 0, 0

    # io.RawIOBase: readable/seekable/tell/seek/readinto from SeekableRaw (dist/seekable.py)

    def read(self, n: int | None = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        if end <= self.pos:
            return b""
        data = self._range(self.pos, end)
        self.pos += len(data)
        return data

    def expect(self, end: int) -> None:
        """The reader will need the uncompressed bytes up to *end*: fetch that far in one request
        (estimated from the member's average compression ratio, plus 1/8 and one chunk of slack)."""
        if self._method == STORED:
            self._target = max(self._target, min(self._csize, end))
        elif self.size:
            estimate = end * self._csize // self.size
            self._target = max(self._target, min(self._csize, estimate + estimate // 8 + FIRST))

    def keep(self, start: int, end: int) -> None:
        """Keep the uncompressed bytes [start, end) when next inflated (a table the reader will
        come back to, such as the dynamic string table), so one restart serves all its reads."""
        self._wanted.append((start, end))

    # -- internals --------------------------------------------------------------------
    def _reset(self) -> None:
        self._d = zlib.decompressobj(-15)
        self._cpos = 0  # compressed bytes fed in this pass
        self._dpos = 0  # uncompressed bytes produced in this pass
        self._recent: deque[tuple[int, bytes]] = deque(maxlen=WINDOW // OUT)

    def _held_range(self, start: int, end: int) -> bytes | None:
        for cstart, data in self._held:
            if cstart <= start and end <= cstart + len(data):
                return data[start - cstart:end - cstart]
        recent = self._recent
        for i, (cstart, data) in enumerate(recent):
            if cstart <= start < cstart + len(data):
                if end <= cstart + len(data):
                    return data[start - cstart:end - cstart]
                joined = b"".join(d for _, d in list(recent)[i:])  # a read across chunks (rare)
                if end <= cstart + len(joined):
                    return joined[start - cstart:end - cstart]
        return None

    def _more_compressed(self, need: int) -> None:
        """Hold at least *need* compressed bytes (or all of them), fetching the next chunk."""
        have = len(self._comp)
        if need <= have or have >= self._csize:
            return
        if self._csize <= WHOLE:
            want = self._csize
        else:
            want = max(need, self._target, have + max(FIRST, have))  # grow geometrically without a hint
        want = min(self._csize, want)
        try:
            data = self._fetch(have, want)
        except ArchiveTooLarge:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the caller's transport raised, kept as the cause
            raise FetchFailed(exc) from exc
        if len(data) != want - have:
            raise EOFError(f"{self._name}: {len(data)} bytes where {want - have} were asked for")
        self._comp += data
        self.fetched += len(data)

    def _range(self, start: int, end: int) -> bytes:
        found = self._held_range(start, end)
        if found is not None:
            return found
        if self._method == STORED:
            self._more_compressed(end)
            return bytes(self._comp[start:end])
        if start < self._dpos:  # behind what was kept: inflate again from the start (no new download)
            self.restarts += 1
            if self.restarts > MAX_RESTARTS:
                raise ArchiveTooLarge(f"{self._name}: more than {MAX_RESTARTS} backward seeks")
            self._reset()
            self._wanted.append((start, end + AHEAD))
        out = self._inflate_to(start, end)
        return out

    def _inflate_to(self, start: int, end: int) -> bytes:
        """Decompress forward until [start, end) is produced; return it, keeping what is asked for."""
        got = bytearray()
        while self._dpos < end:
            if self._d.unconsumed_tail:
                piece = self._d.unconsumed_tail
            else:
                if self._d.eof or self._cpos >= self._csize:
                    raise EOFError(f"{self._name}: compressed data ends at {self._dpos} of {self.size} bytes")
                if self._cpos >= len(self._comp):
                    self._more_compressed(self._cpos + 1)
                piece = bytes(self._comp[self._cpos:self._cpos + STEP])
                self._cpos += len(piece)
            chunk = self._d.decompress(piece, OUT)
            if not chunk:
                continue
            cstart = self._dpos
            self._dpos += len(chunk)
            self.inflated += len(chunk)
            if self._dpos > self.size:
                raise zlib.error(f"{self._name}: inflates past its declared {self.size} bytes")
            lo, hi = max(start, cstart), min(end, self._dpos)
            if lo < hi:
                got += chunk[lo - cstart:hi - cstart]
            for want_lo, want_hi in self._wanted:
                klo, khi = max(want_lo, cstart), min(want_hi, self._dpos)
                if klo < khi:
                    self._held.append((klo, chunk[klo - cstart:khi - cstart]))
            self._recent.append((cstart, chunk))  # the window: the last few chunks, never copied
        self._held.append((start, bytes(got)))
        return bytes(got)
