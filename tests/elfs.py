"""Minimal ELF64 shared objects written by the tests (System V ABI layout), for dist/elf.py.

Nothing is compiled and nothing is copied from the system: the bytes are an
ELF header, a ``.dynstr`` string table, a ``.dynamic`` section and the
section header table, which is all a SONAME/DT_NEEDED reader looks at.
"""

import struct

DT_NULL, DT_NEEDED, DT_SONAME = 0, 1, 14
SHT_STRTAB, SHT_DYNAMIC = 3, 6


def shared_object(soname: str | None = "libdemo.so.1", needed: tuple[str, ...] = ("libc.so.6",)) -> bytes:
    """An x86-64 ELF shared object whose dynamic section names *soname* and *needed*."""
    dynstr = bytearray(b"\0")
    tags = []
    for tag, name in [(DT_NEEDED, n) for n in needed] + ([(DT_SONAME, soname)] if soname else []):
        tags.append((tag, len(dynstr)))
        dynstr += name.encode() + b"\0"
    tags.append((DT_NULL, 0))
    dynamic = b"".join(struct.pack("<qQ", t, v) for t, v in tags)
    shstrtab = b"\0.dynstr\0.dynamic\0.shstrtab\0"
    off_dynstr = 64
    off_dynamic = off_dynstr + len(dynstr)
    off_dynamic += (-off_dynamic) % 8
    off_shstr = off_dynamic + len(dynamic)
    off_sh = off_shstr + len(shstrtab)
    off_sh += (-off_sh) % 8

    def shdr(name, kind, offset, size, link=0, entsize=0):
        return struct.pack("<IIQQQQIIQQ", name, kind, 0, 0, offset, size, link, 0, 1, entsize)

    sections = (shdr(0, 0, 0, 0) + shdr(1, SHT_STRTAB, off_dynstr, len(dynstr))
                + shdr(9, SHT_DYNAMIC, off_dynamic, len(dynamic), link=1, entsize=16)
                + shdr(18, SHT_STRTAB, off_shstr, len(shstrtab)))
    header = (b"\x7fELF\x02\x01\x01" + b"\0" * 9
              + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, off_sh, 0, 64, 56, 0, 64, 4, 3))
    out = bytearray(header)
    out += dynstr
    out += b"\0" * (off_dynamic - len(out))
    out += dynamic + shstrtab
    out += b"\0" * (off_sh - len(out))
    return bytes(out + sections)


PT_LOAD, PT_DYNAMIC = 1, 2


def loadable_object(soname: str | None = "libdemo.so.1", needed: tuple[str, ...] = ("libc.so.6",),
                    before: bytes = b"", after: bytes = b"") -> bytes:
    """An x86-64 ELF shared object as the loader sees it: program headers (one ``PT_LOAD`` over
    the file, vaddr = offset, and ``PT_DYNAMIC``), ``.dynstr``, *before*, the dynamic table,
    then *after* (where a real library has its data, symbols and section table); no sections."""
    dynstr = bytearray(b"\0")
    tags = []
    for tag, name in [(DT_NEEDED, n) for n in needed] + ([(DT_SONAME, soname)] if soname else []):
        tags.append((tag, len(dynstr)))
        dynstr += name.encode() + b"\0"
    off_dynstr = 64 + 2 * 56
    off_before = off_dynstr + len(dynstr)
    off_dynamic = off_before + len(before)
    off_dynamic += (-off_dynamic) % 8
    tags = [(5, off_dynstr), (10, len(dynstr))] + tags + [(DT_NULL, 0)]  # DT_STRTAB, DT_STRSZ first
    dynamic = b"".join(struct.pack("<qQ", t, v) for t, v in tags)
    total = off_dynamic + len(dynamic) + len(after)

    def phdr(kind, offset, size, flags=4):
        return struct.pack("<IIQQQQQQ", kind, flags, offset, offset, offset, size, size, 8)

    header = (b"\x7fELF\x02\x01\x01" + b"\0" * 9
              + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 64, 0, 0, 64, 56, 2, 64, 0, 0))
    out = bytearray(header)
    out += phdr(PT_LOAD, 0, total) + phdr(PT_DYNAMIC, off_dynamic, len(dynamic), 6)
    out += dynstr + before
    out += b"\0" * (off_dynamic - len(out))
    out += dynamic + after
    return bytes(out)
