"""SONAME and DT_NEEDED of a shared library, read as data with pyelftools.

A wheel's shared objects (``numpy.libs/libscipy_openblas64_-….so``) name
themselves (``DT_SONAME``) and the libraries they load (``DT_NEEDED``) in
their ELF dynamic section.  That is what the dynamic loader will look for,
so it says which native projects the running code comes from, even when a
repair tool renamed the file with a hash.

Source: the ELF file format (System V ABI, "Dynamic Section"), parsed by
pyelftools (https://github.com/eliben/pyelftools), a pure-Python reader
that never maps or runs the file.  The bytes are attacker-written: the
caller bounds how many it reads (``dist/archives.py`` limits; a member over
``max_archive_bytes`` is never read), and any parse failure, however deep in
pyelftools, is an :class:`ElfUnreadable` naming the reason.  Mach-O
(``.dylib``) and PE (``.dll``) are not parsed: :func:`read_dynamic` says so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from auditor.dist.archives import ArchiveTooLarge
from auditor.dist.inflate import FetchFailed

#: ELF magic number (``\\x7fELF``).
ELF_MAGIC = b"\x7fELF"
#: Most bytes read from one file (headers, section table, ``.dynamic``, ``.dynstr``; real ones need a few KiB).
MAX_READ = 4 * 1024 * 1024
#: Most dynamic-section entries walked (a real library has under 100).
MAX_TAGS = 4096
#: Most DT_NEEDED entries kept from one file (a real library has a few dozen).
MAX_NEEDED = 256
#: Longest SONAME / DT_NEEDED string kept (characters); longer is cut.
MAX_NAME = 255
#: A version in a SONAME (``libgfortran.so.5`` -> ``5``, ``libssl.so.3`` -> ``3``).
_SONAME_VERSION = re.compile(r"\.so\.(\d+(?:\.\d+)*)$")
#: Characters allowed in a kept name; anything else is replaced (names end up in every report).
_INERT = re.compile(r"[^A-Za-z0-9._+\-@]")
_PRINTABLE = re.compile(r"[^\x20-\x7e]")


class ElfUnreadable(ValueError):
    """The bytes are not a readable ELF shared object; the message says why."""


@dataclass(frozen=True)
class DynamicInfo:
    """What an ELF file's dynamic section says about linking.

    Attributes:
        soname: ``DT_SONAME`` (``"libgfortran.so.5"``), or ``None`` when absent.
        needed: ``DT_NEEDED`` entries in file order, at most :data:`MAX_NEEDED`.
        version: the version the SONAME carries (``"5"``), or ``None``.
    """

    soname: str | None
    needed: tuple[str, ...] = ()
    version: str | None = None


def _inert(name: bytes | str) -> str:
    text = name.decode("utf-8", errors="replace") if isinstance(name, bytes) else str(name)
    return _INERT.sub("?", text[:MAX_NAME])


def soname_version(soname: str | None) -> str | None:
    """The version suffix of a SONAME (``libssl.so.3`` -> ``"3"``), else ``None``."""
    if not soname:
        return None
    m = _SONAME_VERSION.search(soname)
    return m.group(1) if m else None


def is_elf(head: bytes) -> bool:
    """True when *head* starts with the ELF magic number."""
    return head[:4] == ELF_MAGIC


class _Bounded(io.RawIOBase):
    """A read-only view of a seekable binary file that refuses to read past *limit* bytes in total."""

    def __init__(self, fh: BinaryIO, limit: int):
        super().__init__()
        self._fh = fh
        self._limit = limit
        self._left = limit

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def read(self, n: int | None = -1) -> bytes:
        want = self._left + 1 if n is None or n < 0 else n
        if want > self._left:
            raise ElfUnreadable(f"needs more than the {self._limit}-byte ELF read limit")
        data = self._fh.read(want)
        self._left -= len(data)
        return data


def read_dynamic(source: bytes | BinaryIO, max_read: int = MAX_READ) -> DynamicInfo:
    """SONAME and DT_NEEDED of an ELF file, reading only its headers and dynamic table.

    The dynamic table is found as the loader finds it, from the ``PT_DYNAMIC``
    program header (the section table is read only for a file without one), and
    its strings through ``DT_STRTAB``; a file with an ``expect(end)`` method
    (``dist/inflate.py::MemberStream``) is told how far the read will go.

    Args:
        source: the file's bytes, or a seekable binary file (an installed
            library: only the ELF and program headers, ``PT_DYNAMIC`` and the
            strings it names are read, by offset, never the whole file).
        max_read: most bytes read in total (:data:`MAX_READ`).

    Returns:
        The dynamic section's facts; a file without one (a static
        executable) gives ``DynamicInfo(None)``.

    Raises:
        ElfUnreadable: not ELF (the message names Mach-O / PE when it sees
            their magic number), truncated or malformed anywhere, or more
            than *max_read* bytes needed.
        ArchiveTooLarge: a streamed member broke its bounds.
        FetchFailed: a streamed member's bytes could not be fetched.
    """
    fh: BinaryIO = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    fh.seek(0)
    magic = fh.read(4)
    if not is_elf(magic):
        raise ElfUnreadable(_format_of(magic))
    from elftools.elf.dynamic import DynamicSection

    try:
        fh.seek(0)
        elf = _program_headers_only()(_Bounded(fh, max_read))
        soname: str | None = None
        needed: list[str] = []
        table = None
        for segment in elf.iter_segments():
            if segment["p_type"] == "PT_DYNAMIC":  # what the loader reads; found from the program headers
                expect = getattr(fh, "expect", None)
                if expect is not None:  # a streamed member (dist/inflate.py): fetch this far in one go
                    expect(segment["p_offset"] + segment["p_filesz"])
                table = _dynamic_read_once()(elf.stream, elf, None, segment["p_offset"], segment["p_filesz"] == 0)
                keep = getattr(fh, "keep", None)
                if keep is not None:  # the strings sit before the table: keep both on the one pass back
                    keep(segment["p_offset"], segment["p_offset"] + min(segment["p_filesz"], MAX_TAGS * 16))
                    _keep_strings(table, keep)
                break
        if table is None:  # no program headers (not a loadable object): the section table, as before
            table = next((sec for sec in elf.iter_sections() if isinstance(sec, DynamicSection)), None)
        for seen, tag in enumerate(table.iter_tags() if table is not None else ()):
            if seen >= MAX_TAGS or tag.entry.d_tag == "DT_NULL":
                break
            if tag.entry.d_tag == "DT_SONAME" and soname is None:
                soname = _inert(tag.soname)
            elif tag.entry.d_tag == "DT_NEEDED" and len(needed) < MAX_NEEDED:
                needed.append(_inert(tag.needed))
    except ElfUnreadable:
        raise
    except (ArchiveTooLarge, FetchFailed):  # a streamed member broke a bound or could not be fetched (dist/inflate.py)
        raise
    except Exception as exc:  # noqa: BLE001 - hostile bytes: pyelftools/construct raise many unrelated types
        cause = _stream_fault(exc)  # construct wraps what the stream raised: a fetch or bound, not the bytes
        if cause is not None:
            raise cause from None
        raise ElfUnreadable(f"malformed ELF ({type(exc).__name__}: {_PRINTABLE.sub('?', str(exc)[:80])})") from exc
    return DynamicInfo(soname=soname, needed=tuple(needed), version=soname_version(soname))


def _stream_fault(exc: BaseException) -> BaseException | None:
    """The :class:`FetchFailed` or :class:`ArchiveTooLarge` in *exc*'s chain of causes, if any."""
    seen = 0
    while exc is not None and seen < 16:
        if isinstance(exc, (FetchFailed, ArchiveTooLarge)):
            return exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return None


def _keep_strings(table, keep) -> None:
    """Tell a streamed file to keep the ``DT_STRTAB`` range (at most :data:`MAX_READ` bytes)."""
    _, offset = table.get_table_offset("DT_STRTAB")
    size = next((t["d_val"] for t in table._iter_tags(type="DT_STRSZ")), None)
    if offset is not None and size:
        keep(offset, offset + min(int(size), MAX_READ))


@lru_cache(maxsize=1)
def _dynamic_read_once():
    """pyelftools' ``Dynamic`` with each tag parsed once (issue 14).

    ``Dynamic`` parses its table tag by tag through ``construct`` every time it
    is asked something: ``get_table_offset("DT_STRTAB")`` walks the tags from
    the first, ``_get_stringtable`` does it again, a ``DT_STRSZ`` lookup again,
    then ``iter_tags`` once more (and ``address_offsets`` re-parses the program
    headers each time).  Here the raw tags (still parsed with pyelftools'
    ``Elf_Dyn`` struct, from the same stream, in the same order) are kept as
    they are first read, at most ``MAX_TAGS + 1`` of them, and each table
    offset is looked up once; the walks, the string lookups and the errors are
    pyelftools' own, so the facts are the same.
    """
    from elftools.elf.dynamic import Dynamic

    class ReadOnce(Dynamic):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._tags: dict[int, object] = {}
            self._offsets: dict[str, tuple[int | None, int | None]] = {}

        def _get_tag(self, n):  # type: ignore[override]
            tag = self._tags.get(n)
            if tag is None:
                tag = super()._get_tag(n)
                if n <= MAX_TAGS:
                    self._tags[n] = tag
            return tag

        def get_table_offset(self, tag_name):  # type: ignore[override]
            found = self._offsets.get(tag_name)
            if found is None:
                found = self._offsets[tag_name] = super().get_table_offset(tag_name)
            return found

    return ReadOnce


@lru_cache(maxsize=1)
def _program_headers_only():
    """``ELFFile`` whose segments are built from the program headers alone.

    pyelftools' ``DynamicSegment`` looks for the matching ``.dynamic`` *section*,
    which means reading the section table at the end of the file: for a member
    streamed from a wheel that is the whole member.  The loader itself needs no
    section table, and neither does this reader: ``PT_DYNAMIC`` is read with
    pyelftools' ``Dynamic``, whose string table comes from ``DT_STRTAB`` mapped
    through the ``PT_LOAD`` segments.
    """
    from elftools.elf.elffile import ELFFile
    from elftools.elf.segments import Segment

    class SegmentsOnly(ELFFile):
        def _make_segment(self, segment_header):  # type: ignore[override]
            return Segment(segment_header, self.stream)

    return SegmentsOnly


def _format_of(magic: bytes) -> str:
    if magic[:2] == b"MZ":
        return "unsupported format (PE)"
    if magic in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "unsupported format (Mach-O)"
    return "not an ELF file"
