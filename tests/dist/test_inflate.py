"""Streamed zip members (dist/inflate.py): the ELF reader gets the same answer from less."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge
from auditor.dist.elf import read_dynamic
from auditor.dist.inflate import FIRST, MAX_RESTARTS, WHOLE, FetchFailed, MemberStream
from tests.elfs import loadable_object, shared_object


def _member(data: bytes, method=zipfile.ZIP_DEFLATED):
    """(compressed bytes, ZipInfo, fetch log) of *data* stored as one zip member."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("lib/libdemo.so.1", data)
    raw = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo("lib/libdemo.so.1")
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    return raw[start:start + info.compress_size], info


def _stream(data: bytes, method=zipfile.ZIP_DEFLATED, limits=ArchiveLimits()):
    comp, info = _member(data, method)
    calls: list[tuple[int, int]] = []

    def fetch(a: int, b: int) -> bytes:
        calls.append((a, b))
        return comp[a:b]

    return MemberStream(fetch, info.compress_size, info.file_size, info.compress_type, limits, info.filename), calls


def _noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)  # incompressible: the member's size is what is fetched


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_same_answer_as_reading_the_whole_file(method):
    elf = loadable_object("libdemo.so.1", ("libc.so.6", "libm.so.6"), before=_noise(300_000), after=_noise(50_000, 2))
    stream, _ = _stream(elf, method)
    assert read_dynamic(stream) == read_dynamic(elf)
    assert read_dynamic(elf).needed == ("libc.so.6", "libm.so.6")


def test_stops_downloading_after_the_dynamic_table():
    """A library whose dynamic table comes early (symbols and data after it): the tail is never fetched."""
    elf = loadable_object("libearly.so.2", ("libc.so.6",), before=_noise(100_000), after=_noise(3 * WHOLE, 3))
    stream, calls = _stream(elf)
    info = read_dynamic(stream)
    assert info.soname == "libearly.so.2" and info.needed == ("libc.so.6",)
    assert stream.fetched < stream._csize // 4  # ~100 kB of 3 MB
    assert stream.inflated < len(elf) // 4
    assert calls[0] == (0, FIRST) and len(calls) <= 3


def test_dynamic_table_at_the_end_is_read_in_one_pass_back_at_most():
    """patchelf (auditwheel) moves .dynamic and .dynstr to the end: everything is fetched, once."""
    elf = loadable_object("libopenblas.so.0", ("libgfortran.so.5",), before=_noise(2 * WHOLE))
    stream, _ = _stream(elf)
    assert read_dynamic(stream).needed == ("libgfortran.so.5",)
    assert stream.fetched == stream._csize and stream.restarts <= 1


def test_file_without_program_headers_falls_back_to_the_section_table():
    elf = shared_object("libold.so.3", ("libz.so.1",))
    stream, _ = _stream(elf)
    assert read_dynamic(stream) == read_dynamic(elf)


def test_declared_size_over_the_limit_is_refused_before_any_fetch():
    elf = loadable_object(after=_noise(200_000))
    with pytest.raises(ArchiveTooLarge):
        _stream(elf, limits=ArchiveLimits(max_bytes=100_000))


def test_corrupt_member_and_too_many_backward_seeks_are_errors():
    elf = loadable_object(before=_noise(3 * WHOLE))
    comp, info = _member(elf)
    broken = comp[:FIRST] + bytes(len(comp) - FIRST)
    stream = MemberStream(lambda a, b: broken[a:b], info.compress_size, info.file_size, 8, ArchiveLimits(), "x")
    with pytest.raises(Exception) as err:
        read_dynamic(stream)
    assert err.type.__name__ in ("ElfUnreadable", "error", "EOFError")
    stream, _ = _stream(elf)
    with pytest.raises(ArchiveTooLarge, match="backward seeks"):
        for _ in range(MAX_RESTARTS + 2):
            stream.seek(len(elf) - 10)
            stream.read(10)
            stream._held.clear()  # forget what was kept, so each read behind is a restart
            stream._recent.clear()
            stream._wanted.clear()


def test_unsupported_method_is_refused():
    with pytest.raises(ValueError, match="compression method"):
        MemberStream(lambda a, b: b"", 10, 10, 12, ArchiveLimits(), "x")


def test_a_failed_fetch_is_not_a_malformed_file():
    """A request that fails mid-member (deadline, host gone) stays a fetch failure, never 'malformed ELF'."""
    elf = loadable_object(before=_noise(3 * WHOLE))
    comp, info = _member(elf)

    class Gone(Exception):
        pass

    def fetch(a: int, b: int) -> bytes:
        if a >= FIRST:
            raise Gone("deadline passed")
        return comp[a:b]

    stream = MemberStream(fetch, info.compress_size, info.file_size, 8, ArchiveLimits(), "x")
    with pytest.raises(FetchFailed) as err:
        read_dynamic(stream)
    assert isinstance(err.value.cause, Gone)
