"""Vendored native code: shared libraries an installed wheel ships.

auditwheel (Linux) and delvewheel (Windows) copy the shared libraries a
wheel links against into a ``<package>.libs/`` folder next to the package;
delocate (macOS) copies them into ``<package>/.dylibs/``.  These are
dependencies no metadata declares (OpenBLAS in numpy, libgfortran in scipy,
libgomp in scikit-learn, ...).  Other ``.so``/``.dll``/``.dylib`` files a
wheel ships (``torch/lib/libtorch_cpu.so``) are listed too; Python extension
modules (``*.cpython-311-x86_64-linux-gnu.so``, ``*.abi3.so``, ``*.pyd``) are
the package's own compiled code and are not listed.

Source: the ``RECORD`` file of the distribution's ``.dist-info`` directory
(wheel spec, "The .dist-info directory": ``path,hash,size`` rows, paths
relative to site-packages), or of a wheel archive.  Sizes come from RECORD,
else from the file system.  Files are listed, never opened or loaded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, Sequence

from auditor.config import DEFAULT_MAX_ARCHIVE_BYTES
from auditor.dist.archives import ArchiveTooLarge, open_zip, zip_member
from auditor.collectors import Collector, RunContext
from auditor.dist.metadata import dist_info_members
from auditor.models import PackageNode, Unknown, UnknownKind, VendoredCode, VendoredLibrary

#: A shared library file name: ``libfoo.so``, ``libfoo.so.1.2``, ``foo.dylib``, ``foo.dll``.
SHARED_LIBRARY = re.compile(r"(\.so(\.\d+)*|\.dylib|\.dll)$", re.IGNORECASE)
#: Python extension modules (PEP 3149 ABI-tagged names, the stable ABI, Windows ``.pyd``).
EXTENSION_MODULE = re.compile(r"(\.cpython-[^/]*\.so|\.abi3\.so|\.pypy[^/]*\.so|\.pyd|\.cp\d+-win[^/]*\.dll)$", re.IGNORECASE)
#: Folders the repair tools copy external libraries into.
BUNDLE_FOLDER = re.compile(r"(^|/)([^/]+\.libs|\.dylibs)/")

#: Recognizable upstream projects by library file name (first match wins).
UPSTREAMS: tuple[tuple[str, str], ...] = (
    (r"openblas", "OpenBLAS"),
    (r"^libgfortran", "libgfortran (GCC)"),
    (r"^libquadmath", "libquadmath (GCC)"),
    (r"^libgomp", "libgomp (GCC OpenMP)"),
    (r"^libgcc_s", "libgcc (GCC)"),
    (r"^libstdc\+\+", "libstdc++ (GCC)"),
    (r"^libiomp5", "Intel OpenMP"),
    (r"^libomp", "LLVM OpenMP"),
    (r"^(lib)?mkl_", "Intel oneMKL"),
    (r"^libcudnn", "NVIDIA cuDNN"),
    (r"^libnccl", "NVIDIA NCCL"),
    (r"^lib(cudart|cublas|cufft|curand|cusparse|cusolver|nvrtc|nvjitlink)", "NVIDIA CUDA"),
    (r"^lib(ssl|crypto)[-.]", "OpenSSL"),
    (r"^libz[-.]", "zlib"),
    (r"^libbz2", "bzip2"),
    (r"^liblzma", "XZ Utils"),
    (r"^libzstd", "Zstandard"),
    (r"^libbrotli", "Brotli"),
    (r"^libjpeg", "libjpeg-turbo"),
    (r"^libopenjp2", "OpenJPEG"),
    (r"^libpng", "libpng"),
    (r"^libtiff", "libtiff"),
    (r"^lib(webp|sharpyuv)", "libwebp"),
    (r"^libavif", "libavif"),
    (r"^liblcms2", "Little CMS"),
    (r"^libfreetype", "FreeType"),
    (r"^libharfbuzz", "HarfBuzz"),
    (r"^libxcb", "libxcb (X.Org)"),
    (r"^libffi", "libffi"),
    (r"^libxml2", "libxml2"),
    (r"^libxslt|^libexslt", "libxslt"),
    (r"^libyaml", "LibYAML"),
    (r"^libsqlite3", "SQLite"),
    (r"^libcurl", "curl"),
    (r"^libarrow", "Apache Arrow"),
    (r"^libprotobuf", "Protocol Buffers"),
    (r"^libhdf5", "HDF5"),
    (r"^libnetcdf", "netCDF"),
    (r"^libgdal", "GDAL"),
    (r"^libproj", "PROJ"),
    (r"^libgeos", "GEOS"),
    (r"^(vcruntime|msvcp)\d+", "Microsoft Visual C++ runtime"),
)
_UPSTREAMS = tuple((re.compile(p, re.IGNORECASE), name) for p, name in UPSTREAMS)


def upstream_of(filename: str) -> str | None:
    """The recognizable upstream project of a library file name, else ``None``.

    Repair tools rename copies with a hash (``libgfortran-040039e1.so.5.0.0``);
    matching is on the name's start, so the hash does not matter.
    """
    base = PurePosixPath(filename).name
    for pattern, name in _UPSTREAMS:
        if pattern.search(base):
            return name
    return None


def libraries_from_record(rows: Iterable[Sequence[str]], size_of=None) -> VendoredCode:
    """Shared libraries listed in RECORD rows (``path, hash, size``).

    Args:
        rows: parsed RECORD rows.
        size_of: optional ``path -> int | None`` used when RECORD has no size.
    """
    libs = []
    for row in rows:
        if not row or not row[0]:
            continue
        path = row[0].replace("\\", "/")
        if path.startswith("../") or path.startswith("/") or not SHARED_LIBRARY.search(path):
            continue
        if EXTENSION_MODULE.search(path):
            continue
        size: int | None = None
        if len(row) > 2 and row[2].strip().isdigit():
            size = int(row[2])
        elif size_of is not None:
            size = size_of(path)
        upstream = upstream_of(path)
        # Third-party code is vendored wherever it sits: a repair tool's folder, or a
        # recognizable upstream library copied in by the build (torch/lib/libgomp-*.so).
        # One fact, so the factor, the finding and the evidence cannot disagree (issue 13).
        libs.append(
            VendoredLibrary(path=path, size=size, upstream=upstream,
                            bundled=bool(BUNDLE_FOLDER.search(path)) or upstream is not None)
        )
    return VendoredCode(libraries=tuple(sorted(libs, key=lambda lib: lib.path)))


def vendored_in_dist_info(dist_info: Path, max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES) -> VendoredCode | Unknown:
    """Shared libraries of an installed distribution, from its ``.dist-info/RECORD``.

    Args:
        dist_info: the ``*.dist-info`` directory.
        max_bytes: the most RECORD bytes read (``Config.max_archive_bytes``,
            the bound of an archive member): a larger RECORD is
            ``unknown (too large)``, never read whole.
    """
    record = dist_info / "RECORD"
    if not record.is_file():
        return Unknown(f"{dist_info.name} has no RECORD (not installed from a wheel)", fault=False)
    try:
        with open(record, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return Unknown(f"{dist_info.name}/RECORD: not readable ({exc.strerror})")
    if len(raw) > max_bytes:
        return Unknown(f"{dist_info.name}/RECORD is over the {max_bytes}-byte member limit", kind=UnknownKind.TOO_LARGE)
    site = dist_info.parent

    def size_of(path: str) -> int | None:
        try:
            return (site / path).stat().st_size
        except OSError:
            return None

    text = raw.decode("utf-8", errors="replace")
    return libraries_from_record(csv.reader(io.StringIO(text)), size_of)


def vendored_in_wheel(wheel: Path) -> VendoredCode | Unknown:
    """Shared libraries of a wheel archive, from its ``*.dist-info/RECORD``."""
    try:
        with open(wheel, "rb") as fh, open_zip(fh) as zf:
            records = dist_info_members(zf.namelist(), "RECORD")
            if not records:
                return Unknown(f"{wheel.name} has no RECORD")
            sizes = {i.filename: i.file_size for i in zf.infolist()}
            text = zip_member(zf, records[0]).decode("utf-8", errors="replace")  # bounded (dist/archives.py)
    except ArchiveTooLarge as exc:
        return Unknown(f"{wheel.name}: {exc}", kind=UnknownKind.TOO_LARGE)
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        return Unknown(f"{wheel.name}: not a readable wheel ({exc})")
    return libraries_from_record(csv.reader(io.StringIO(text)), sizes.get)


class VendoredCollector(Collector):
    """Shared libraries of installed distributions (see :class:`Collector`).

    Reads ``Distribution.origin.file`` as the distribution's ``.dist-info``
    directory (what the environment source records); other inputs get
    ``Unknown("not an installed environment", fault=False)``.
    """

    key = "vendored"
    description = "native libraries bundled in installed wheels (auditwheel/delocate .libs folders, RECORD)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, VendoredCode | Unknown]:
        out: dict[str, VendoredCode | Unknown] = {}
        for node in nodes:
            where = node.distribution.origin.file
            path = Path(where) if where else None
            if path is None or not path.name.endswith(".dist-info") or not path.is_dir():
                out[node.name] = Unknown("not an installed environment", fault=False)
            else:
                out[node.name] = vendored_in_dist_info(path, ctx.config.max_archive_bytes)
        return out
