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
else from the file system.  Each ELF library's SONAME and DT_NEEDED are
read as data (``dist/elf.py``, pyelftools: an installed file by offset, its
headers and dynamic section only; a wheel member decompressed within the
``dist/archives.py`` bounds); nothing is loaded or run.  The upstream
project and its repository come from the curated table
``auditor/data/native-libraries.yaml``, matched on the file name, then the
SONAME (docs/native.md).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence


from auditor.config import DEFAULT_MAX_ARCHIVE_BYTES
from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, open_zip, zip_member
from auditor.dist.elf import DynamicInfo, ElfUnreadable, read_dynamic
from auditor.collectors import Collector, RunContext
from auditor.dist.metadata import dist_info_members
from auditor.dist.sbom import MAX_SBOM_BYTES, is_sbom_path
from auditor.models import PackageNode, Unknown, UnknownKind, VendoredCode, VendoredLibrary
from auditor.data import load_yaml

#: A shared library file name: ``libfoo.so``, ``libfoo.so.1.2``, ``foo.dylib``, ``foo.dll``.
SHARED_LIBRARY = re.compile(r"(\.so(\.\d+)*|\.dylib|\.dll)$", re.IGNORECASE)
#: Python extension modules (PEP 3149 ABI-tagged names, the stable ABI, Windows ``.pyd``).
EXTENSION_MODULE = re.compile(r"(\.cpython-[^/]*\.so|\.abi3\.so|\.pypy[^/]*\.so|\.pyd|\.cp\d+-win[^/]*\.dll)$", re.IGNORECASE)
#: Folders the repair tools copy external libraries into.
BUNDLE_FOLDER = re.compile(r"(^|/)([^/]+\.libs|\.dylibs)/")

#: The curated table of upstream projects (docs/native.md).
_NATIVE_TABLE = "native-libraries.yaml"


@lru_cache(maxsize=1)
def native_table() -> tuple[dict, ...]:
    """Entries of ``auditor/data/native-libraries.yaml`` (fields in its header), patterns compiled."""
    text = resources.files("auditor.data").joinpath(_NATIVE_TABLE).read_text(encoding="utf-8")
    rows = load_yaml(text) or ()
    return tuple({**row, "pattern": re.compile(row["match"], re.IGNORECASE)} for row in rows)


def native_entry(*names: str | None) -> dict | None:
    """The first table entry matching any of *names* (file name, then SONAME), else ``None``.

    Repair tools rename copies with a hash (``libgfortran-040039e1.so.5.0.0``);
    matching is on the name's start, so the hash does not matter.
    """
    for name in names:
        if not name:
            continue
        entry = _entry_of_base(name.rsplit("/", 1)[-1])
        if entry is not None:
            return entry
    return None


@lru_cache(maxsize=8192)
def _entry_of_base(base: str) -> dict | None:
    """The first table entry whose pattern matches the file name *base* (memoized: an SBOM
    of a Rust wheel names hundreds of crates, each compared with every library)."""
    for entry in native_table():
        if entry["pattern"].search(base):
            return entry
    return None


def upstream_of(filename: str) -> str | None:
    """The recognizable upstream project of a library file name, else ``None``."""
    entry = native_entry(filename)
    return entry["project"] if entry else None


Reader = Callable[[str], DynamicInfo]


def _linking(path: str, read: Reader | None) -> tuple[DynamicInfo | None, str | None]:
    """``(facts, None)`` or ``(None, why unknown)`` for the library at *path*."""
    lower = path.lower()
    if lower.endswith(".dylib"):
        return None, "unsupported format (Mach-O)"
    if lower.endswith(".dll"):
        return None, "unsupported format (PE)"
    if read is None:
        return None, "not read"
    try:
        return read(path), None
    except ElfUnreadable as exc:
        return None, str(exc)
    except ArchiveTooLarge as exc:
        return None, str(exc)
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        return None, f"not readable ({type(exc).__name__})"


def is_library_path(path: str) -> bool:
    """Whether a RECORD path is a shared library :func:`libraries_from_record` lists (inside the
    wheel, a ``.so``/``.dylib``/``.dll`` name, not a Python extension module)."""
    path = path.replace("\\", "/")
    if path.startswith("../") or path.startswith("/") or not SHARED_LIBRARY.search(path):
        return False
    return not EXTENSION_MODULE.search(path)


def libraries_from_record(rows: Iterable[Sequence[str]], size_of=None, read: Reader | None = None,
                          read_bytes: Callable[[str], bytes] | None = None) -> VendoredCode:
    """Shared libraries listed in RECORD rows (``path, hash, size``).

    Args:
        rows: parsed RECORD rows.
        size_of: optional ``path -> int | None`` used when RECORD has no size.
        read: optional ``path -> DynamicInfo`` (``dist/elf.py``) giving each
            library's SONAME and DT_NEEDED; it may raise ``ElfUnreadable``,
            ``ArchiveTooLarge`` or ``OSError``, which become the library's
            ``linking_unknown``.  Without it they are ``"not read"``.
        read_bytes: optional ``path -> bytes`` (bounded) reading the PEP 770
            SBOMs RECORD lists (``*.dist-info/sboms/*``); their components win
            over the guesses (:func:`auditor.signals.sbom.apply_sboms`).
    """
    libs = []
    sboms: list[str] = []
    for row in rows:
        if not row or not row[0]:
            continue
        path = row[0].replace("\\", "/")
        if is_sbom_path(path):
            sboms.append(path)
            continue
        if not is_library_path(path):
            continue
        size: int | None = None
        if len(row) > 2 and row[2].strip().isdigit():
            size = int(row[2])
        elif size_of is not None:
            size = size_of(path)
        info, why = _linking(path, read)
        entry = native_entry(path, info.soname if info else None)
        upstream = entry["project"] if entry else None
        # Third-party code is vendored wherever it sits: a repair tool's folder, or a
        # recognizable upstream library copied in by the build (torch/lib/libgomp-*.so).
        # One fact, so the factor, the finding and the evidence cannot disagree (issue 13).
        libs.append(
            VendoredLibrary(path=path, size=size, upstream=upstream,
                            bundled=bool(BUNDLE_FOLDER.search(path)) or upstream is not None,
                            repository=entry.get("repository") if entry else None,
                            soname=info.soname if info else None, needed=info.needed if info else (),
                            version=info.version if info else None, linking_unknown=why)
        )
    if sboms and read_bytes is not None:
        from auditor.signals.sbom import apply_sboms

        merged, described, unknown = apply_sboms(libs, sboms, read_bytes, native_entry)
        return VendoredCode(libraries=tuple(merged), sboms=tuple(described), sbom_unknown=tuple(unknown))
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

    def read(path: str) -> DynamicInfo:
        if not (site / path).is_file():  # a FIFO or device would block or never end: regular files only
            raise ElfUnreadable("not a regular file")
        with open(site / path, "rb") as fh:  # read by offset: headers and .dynamic only (dist/elf.py)
            return read_dynamic(fh)

    def read_bytes(path: str) -> bytes:
        if not (site / path).is_file():
            raise OSError(0, "not a regular file")
        with open(site / path, "rb") as fh:
            return fh.read(MAX_SBOM_BYTES + 1)  # read_sbom refuses anything longer

    text = raw.decode("utf-8", errors="replace")
    return libraries_from_record(csv.reader(io.StringIO(text)), size_of, read, read_bytes)


def vendored_in_wheel(wheel: Path, limits: ArchiveLimits = ArchiveLimits()) -> VendoredCode | Unknown:
    """Shared libraries of a wheel archive, from its ``*.dist-info/RECORD``, with SONAME and DT_NEEDED.

    Each library member is read with ``dist/archives.py``'s bounds (*limits*:
    a member declaring more than ``max_bytes`` is never decompressed and its
    linking is ``unknown``); the archive as a whole is refused past
    ``max_members``.  Nothing is extracted to disk or loaded.
    """
    try:
        with open(wheel, "rb") as fh, open_zip(fh, limits) as zf:
            records = dist_info_members(zf.namelist(), "RECORD")
            if not records:
                return Unknown(f"{wheel.name} has no RECORD")
            sizes = {i.filename: i.file_size for i in zf.infolist()}
            text = zip_member(zf, records[0], limits).decode("utf-8", errors="replace")  # bounded (dist/archives.py)

            def read(path: str) -> DynamicInfo:
                return read_dynamic(zip_member(zf, path, limits))

            def read_bytes(path: str) -> bytes:
                if sizes.get(path, 0) > MAX_SBOM_BYTES:
                    raise ArchiveTooLarge(f"over the {MAX_SBOM_BYTES}-byte SBOM limit")
                return zip_member(zf, path, limits)

            return libraries_from_record(csv.reader(io.StringIO(text)), sizes.get, read, read_bytes)
    except ArchiveTooLarge as exc:
        return Unknown(f"{wheel.name}: {exc}", kind=UnknownKind.TOO_LARGE)
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        return Unknown(f"{wheel.name}: not a readable wheel ({exc})")


class VendoredCollector(Collector):
    """Shared libraries of installed distributions and of the wheels the input would install (see :class:`Collector`).

    An installed distribution (``Distribution.origin.file`` is its
    ``.dist-info`` directory) is read from disk.  A registry distribution
    (a requirements or lock file) is read from the wheel an installer would
    pick for the target, by HTTP range requests
    (:func:`auditor.signals.wheel_libraries.vendored_in_remote_wheel`);
    without such a wheel it is ``unknown (no wheel for the target ...)``, not
    a fault.  Other origins (VCS, path, conda) get an Unknown that is not a fault.
    """

    key = "vendored"
    description = "native libraries bundled in wheels (auditwheel/delocate .libs folders, RECORD, PEP 770 SBOMs)"
    warms = True

    def warm(self, ctx: RunContext, name: str, version: str) -> None:
        """See :meth:`Collector.warm`: start reading the target's wheel of *name* == *version* on the
        context's pool as soon as the source stage has pinned it (its index files are known), so the
        downloads and the inflating (zlib and TLS release the GIL) overlap the rest of the run;
        :meth:`collect` waits for the answer from the command's thread."""
        from auditor.signals.index import release_files

        key = _warm_key(ctx, name, version)
        if key in ctx.memo:
            return
        files = release_files(ctx, name, version)
        if isinstance(files, Unknown):
            return
        ctx.memo[key] = ctx.submit(lambda: _remote_wheel(ctx, name, version, files))

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, VendoredCode | Unknown]:
        from auditor.signals.index import map_release_files

        out: dict[str, VendoredCode | Unknown] = {}
        remote = []
        for node in nodes:
            where = node.distribution.origin.file
            path = Path(where) if where else None
            if path is not None and path.name.endswith(".dist-info") and path.is_dir():
                out[node.name] = vendored_in_dist_info(path, ctx.config.max_archive_bytes)
            elif node.distribution.origin.kind == "registry" and node.distribution.version:
                remote.append(node)
            else:
                out[node.name] = Unknown(f"{node.distribution.origin.kind} distribution: no wheel to read", fault=False,
                                         kind=UnknownKind.NOT_APPLICABLE)

        early = {}
        for node in remote:  # started by warm(): waited for here, on the command's thread
            future = ctx.memo.get(_warm_key(ctx, node.name, node.distribution.version))
            if future is not None:
                early[node.name] = future.result()

        def one(node: PackageNode, files) -> VendoredCode | Unknown:
            return _remote_wheel(ctx, node.name, node.distribution.version, files)

        rest = [node for node in remote if node.name not in early]
        out.update(map_release_files(ctx, rest, one, task="wheel libraries") if rest else {})
        out.update(early)
        return out


def _warm_key(ctx: RunContext, name: str, version: str | None) -> tuple:
    return ("vendored-early", ctx.config.index_url, name, version)


def _remote_wheel(ctx: RunContext, name: str, version: str, files) -> VendoredCode | Unknown:
    """The libraries of the wheel of *name* == *version* an installer would pick for the target."""
    from auditor.signals.install import best_wheel
    from auditor.signals.vendor import classify
    from auditor.signals.wheel_libraries import vendored_in_remote_wheel

    wheel = best_wheel(files, ctx.config.target)
    if wheel is None:
        return Unknown("no wheel for the target (installed from source)", fault=False,
                       kind=UnknownKind.NOT_APPLICABLE)
    closed = classify(name, version).vendor is not None  # data/vendor-binaries.yaml
    return vendored_in_remote_wheel(ctx, wheel.url, wheel.filename, libraries_from_record, read_libraries=not closed,
                                    sha256=wheel.sha256, is_library=is_library_path)
