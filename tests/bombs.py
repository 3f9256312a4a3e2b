"""Hostile archives for the bound tests and benchmarks/fuzz.py: built in the test, never downloaded.

Each builder returns bytes of about 1 MB or less that would expand to far
more (zip and gzip bombs), or that declare far more members than allowed.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

MB = 1024 * 1024


def zip_bomb(member: str = "pkg-1.0.dist-info/METADATA", expanded: int = 1024 * MB) -> bytes:
    """A wheel-shaped zip whose one member is *expanded* bytes of zeros (~1/1000 on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open(member, "w", force_zip64=True) as out:
            block = b"\0" * MB
            for _ in range(expanded // MB):
                out.write(block)
    return buf.getvalue()


def zip_many_members(count: int = 200_000) -> bytes:
    """A zip declaring *count* empty members (a central directory bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"p/{i}", b"")
    return buf.getvalue()


def tar_gz_bomb(expanded: int = 1024 * MB, name: str = "pkg-1.0/pyproject.toml") -> bytes:
    """An sdist-shaped .tar.gz whose first member is *expanded* zero bytes (gzip at level 9: ~1/1000)."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        info = tarfile.TarInfo("pkg-1.0/filler.bin")
        info.size = expanded
        gz.write(info.tobuf(format=tarfile.PAX_FORMAT))
        block = b"\0" * MB
        for _ in range(expanded // MB):
            gz.write(block)
        body = b'[build-system]\nrequires = ["setuptools"]\n'
        info = tarfile.TarInfo(name)
        info.size = len(body)
        gz.write(info.tobuf(format=tarfile.PAX_FORMAT))
        gz.write(body + b"\0" * (-len(body) % 512))
        gz.write(b"\0" * 1024)
    return raw.getvalue()


def tar_many_members(count: int = 150_000) -> bytes:
    """A .tar.gz with *count* empty members before any pyproject.toml."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        for i in range(count):
            gz.write(tarfile.TarInfo(f"pkg-1.0/d/{i}").tobuf(format=tarfile.USTAR_FORMAT))
        gz.write(b"\0" * 1024)
    return raw.getvalue()


def gzip_bomb(expanded: int = 1024 * MB) -> bytes:
    """*expanded* zero bytes, gzip level 9 (an HTTP ``Content-Encoding: gzip`` bomb)."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        block = b"\0" * MB
        for _ in range(expanded // MB):
            gz.write(block)
    return raw.getvalue()
