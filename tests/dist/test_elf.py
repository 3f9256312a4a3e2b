"""SONAME / DT_NEEDED from ELF bytes (auditor/dist/elf.py): real layout, hostile and truncated input."""

import io

import pytest
from hypothesis import given, settings, strategies as st

from auditor.dist.elf import ElfUnreadable, read_dynamic, soname_version

from tests.elfs import shared_object


def test_soname_needed_and_version():
    info = read_dynamic(shared_object("libgfortran.so.5", ("libquadmath.so.0", "libc.so.6")))
    assert info.soname == "libgfortran.so.5" and info.version == "5"
    assert info.needed == ("libquadmath.so.0", "libc.so.6")


def test_a_seekable_file_is_read_by_offset():
    data = shared_object("libz.so.1")
    assert read_dynamic(io.BytesIO(data)) == read_dynamic(data)


def test_no_dynamic_section_names_nothing():
    info = read_dynamic(shared_object(None, ()))
    assert info.soname is None and info.needed == () and info.version is None


def test_hostile_names_are_rendered_inert():
    info = read_dynamic(shared_object("lib\x1b[31mevil.so.1", ("a" * 1000,)))
    assert "\x1b" not in info.soname and len(info.needed[0]) == 255


@pytest.mark.parametrize("magic,why", [(b"\xcf\xfa\xed\xfe", "Mach-O"), (b"MZ\x90\x00", "PE"), (b"#!/b", "not an ELF")])
def test_other_formats_say_what_they_are(magic, why):
    with pytest.raises(ElfUnreadable, match=why):
        read_dynamic(magic + b"\0" * 100)


def test_every_truncation_is_unreadable_never_a_crash():
    data = shared_object("libdemo.so.1", ("libc.so.6", "libm.so.6"))
    for n in range(len(data)):
        try:
            read_dynamic(data[:n])
        except ElfUnreadable:
            pass


def test_the_read_limit_holds():
    with pytest.raises(ElfUnreadable, match="read limit"):
        read_dynamic(shared_object(), max_read=100)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=400))
def test_corrupted_bytes_only_raise_elf_unreadable(noise, at):
    data = bytearray(shared_object())
    data[at:at + len(noise)] = noise
    try:
        read_dynamic(bytes(data))
    except ElfUnreadable:
        pass


def test_soname_version():
    assert soname_version("libssl.so.3") == "3" and soname_version("libfoo.so.1.2.3") == "1.2.3"
    assert soname_version("libfoo.so") is None and soname_version(None) is None
