import base64
import csv
import hashlib
import io
import zipfile

from auditor.models import Origin, Unknown
from auditor.judgement.findings import findings_for
from auditor.signals.vendored import VendoredCollector, upstream_of, vendored_in_wheel

from tests.builders import package_node
from tests.elfs import shared_object

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 9


def build_wheel(path, name, version, files):
    """Write a wheel with *files* ({path: bytes}) and a correct RECORD (wheel spec)."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        **files,
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-manylinux_2_17_x86_64\n",
    }
    rows = []
    for p, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append([p, f"sha256={digest}", str(len(data))])
    rows.append([f"{dist_info}/RECORD", "", ""])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    with zipfile.ZipFile(path, "w") as zf:
        for p, data in files.items():
            zf.writestr(p, data)
        zf.writestr(f"{dist_info}/RECORD", buf.getvalue())
    return path


NUMPYISH = {
    "numpyish/__init__.py": b"",
    "numpyish/_core.cpython-311-x86_64-linux-gnu.so": ELF * 10,
    "numpyish.libs/libscipy_openblas64_-ff651d7f.so": shared_object(
        "libscipy_openblas64_-ff651d7f.so", ("libgfortran-040039e1.so.5.0.0", "libm.so.6", "libc.so.6")) + ELF * 1000,
    "numpyish.libs/libgfortran-040039e1.so.5.0.0": shared_object("libgfortran-040039e1.so.5.0.0", ("libquadmath-96973f99.so.0.0.0",)),
    "numpyish.libs/libquadmath-96973f99.so.0.0.0": ELF * 30,
    "numpyish/.dylibs/libgomp.1.dylib": ELF * 5,
    "numpyish/lib/libthing.so": shared_object()[:100],  # truncated: its linking is unknown, never a crash
}


def test_installed_environment(tmp_path, ctx):
    wheel = build_wheel(tmp_path / "numpyish-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "numpyish", "1.0", NUMPYISH)
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as zf:  # what an installer does with a wheel: unpack into site-packages
        zf.extractall(site)
    pure = build_wheel(tmp_path / "pure-1.0-py3-none-any.whl", "pure", "1.0", {"pure/__init__.py": b""})
    with zipfile.ZipFile(pure) as zf:
        zf.extractall(site)
    nodes = [
        package_node("numpyish", origin=Origin(kind="installed", file=str(site / "numpyish-1.0.dist-info"))),
        package_node("pure", origin=Origin(kind="installed", file=str(site / "pure-1.0.dist-info"))),
        package_node("fromreqs", origin=Origin(kind="path", url="file:///src/fromreqs")),
    ]
    out = VendoredCollector().collect(ctx, nodes)
    libs = {lib.path: lib for lib in out["numpyish"].libraries}
    assert sorted(libs) == [
        "numpyish.libs/libgfortran-040039e1.so.5.0.0",
        "numpyish.libs/libquadmath-96973f99.so.0.0.0",
        "numpyish.libs/libscipy_openblas64_-ff651d7f.so",
        "numpyish/.dylibs/libgomp.1.dylib",
        "numpyish/lib/libthing.so",
    ]  # the extension module is the package's own code: not listed
    assert libs["numpyish.libs/libscipy_openblas64_-ff651d7f.so"].upstream == "OpenBLAS"
    openblas = libs["numpyish.libs/libscipy_openblas64_-ff651d7f.so"]
    assert openblas.size == len(NUMPYISH[openblas.path]) and openblas.repository == "https://github.com/OpenMathLib/OpenBLAS"
    assert openblas.needed == ("libgfortran-040039e1.so.5.0.0", "libm.so.6", "libc.so.6") and openblas.linking_unknown is None
    gfortran = libs["numpyish.libs/libgfortran-040039e1.so.5.0.0"]
    assert gfortran.soname == "libgfortran-040039e1.so.5.0.0" and gfortran.version == "5.0.0"
    assert gfortran.repository == "https://github.com/gcc-mirror/gcc"
    assert libs["numpyish/.dylibs/libgomp.1.dylib"].linking_unknown == "unsupported format (Mach-O)"
    assert libs["numpyish/lib/libthing.so"].linking_unknown.startswith("malformed ELF")
    assert libs["numpyish/.dylibs/libgomp.1.dylib"].upstream == "libgomp (GCC OpenMP)" and libs["numpyish/.dylibs/libgomp.1.dylib"].bundled
    assert not libs["numpyish/lib/libthing.so"].bundled and libs["numpyish/lib/libthing.so"].upstream is None
    assert len(out["numpyish"].bundled) == 4
    assert out["pure"].libraries == ()
    assert isinstance(out["fromreqs"], Unknown) and not out["fromreqs"].fault
    (f,) = findings_for(package_node("numpyish", repo="https://github.com/a/numpyish", signals={"vendored": out["numpyish"]}))
    assert f.id == "AUD107" and "OpenBLAS" in f.message and "libgfortran (GCC)" in f.message
    # the same answer straight from the wheel archive
    assert vendored_in_wheel(wheel) == out["numpyish"]


def test_upstream_names():
    assert upstream_of("PIL/.dylibs/libjpeg.62.4.0.dylib") == "libjpeg-turbo"
    assert upstream_of("torch.libs/libgomp-a34b3233.so.1") == "libgomp (GCC OpenMP)"
    assert upstream_of("cryptography.libs/libssl-abc.so.3") == "OpenSSL"
    assert upstream_of("numpy.libs/msvcp140-d64049c6e3865410a7dda6a7e9f0c575.dll") == "Microsoft Visual C++ runtime"
    assert upstream_of("libmystery.so") is None


def test_a_recognized_upstream_outside_a_repair_folder_is_vendored():
    """Issue 13 item 3: torch ships libgomp in torch/lib/; the factor, the finding and the evidence agree."""
    from auditor.scoring import vendored_native
    from auditor.signals.vendored import libraries_from_record

    code = libraries_from_record([("torch/lib/libgomp-a34b3233.so.1", "", "168193"),
                                  ("torch/lib/libtorch_cpu.so", "", "500000000")])
    libs = {lib.path: lib for lib in code.libraries}
    assert libs["torch/lib/libgomp-a34b3233.so.1"].bundled and not libs["torch/lib/libtorch_cpu.so"].bundled
    node = package_node("torch", repo="https://github.com/pytorch/pytorch", signals={"vendored": code})
    factor = vendored_native.score(node, "torch==2.5", None, {"weight": 5, "saturation": 10})
    assert factor.value == 1 and "libgomp" in factor.detail and factor.points > 0
    assert [f.id for f in findings_for(node)] == ["AUD107"]


def test_an_oversized_installed_record_is_unknown_too_large(tmp_path):
    """RECORD of an installed distribution is read up to the member limit, never whole."""
    from auditor.models import UnknownKind
    from auditor.signals.vendored import vendored_in_dist_info

    dist_info = tmp_path / "big-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "RECORD").write_text("big/_x.so,,10\n" * 1000)
    result = vendored_in_dist_info(dist_info, max_bytes=1000)
    assert isinstance(result, Unknown) and result.kind is UnknownKind.TOO_LARGE
    assert vendored_in_dist_info(dist_info, max_bytes=10**6).libraries


def test_the_soname_names_the_upstream_when_the_file_name_does_not():
    """A build that renames the file keeps the SONAME the loader looks for."""
    from auditor.signals.vendored import libraries_from_record

    code = libraries_from_record([("pkg.libs/blas-1a2b.so", "", "10")],
                                 read=lambda path: __import__("auditor.dist.elf", fromlist=["x"]).read_dynamic(
                                     shared_object("libopenblas.so.0", ())))
    (lib,) = code.libraries
    assert lib.upstream == "OpenBLAS" and lib.soname == "libopenblas.so.0" and lib.version == "0" and lib.bundled


def test_a_member_over_the_limit_is_not_decompressed(tmp_path):
    """Issue 16: members are read within dist/archives.py limits; a breach is that library's unknown."""
    from auditor.dist.archives import ArchiveLimits

    big = shared_object("libz.so.1") + b"\0" * 5000
    wheel = build_wheel(tmp_path / "z-1.0-py3-none-any.whl", "z", "1.0", {"z.libs/libz-abc.so.1": big})
    (lib,) = vendored_in_wheel(wheel, ArchiveLimits(max_bytes=4000)).libraries
    assert lib.upstream == "zlib" and lib.soname is None and "limit" in lib.linking_unknown
    (lib,) = vendored_in_wheel(wheel).libraries
    assert lib.soname == "libz.so.1" and lib.needed == ("libc.so.6",)


def test_native_library_table_format():
    """Every entry of auditor/data/native-libraries.yaml has the documented fields and a usable pattern."""
    from auditor.signals.vendored import native_entry, native_table

    table = native_table()
    assert len(table) >= 40
    for entry in table:
        assert set(entry) - {"pattern"} <= {"match", "project", "repository", "note"}, entry
        assert isinstance(entry["project"], str) and entry["project"]
        repo = entry["repository"]
        assert repo is None or (repo.startswith("https://") and repo == repo.rstrip("/")), entry
        if repo is None:
            assert entry.get("note"), f"{entry['project']}: a closed library says why in note"
    for name, project in [("libscipy_openblas64_-ff651d7f.so", "OpenBLAS"), ("libgfortran-040039e1.so.5.0.0", "libgfortran (GCC)"),
                          ("libgomp-a34b3233.so.1", "libgomp (GCC OpenMP)"), ("libquadmath-96973f99.so.0.0.0", "libquadmath (GCC)"),
                          ("libjpeg-77ae51ab.so.62.4.0", "libjpeg-turbo"), ("libz-ab12.so.1", "zlib"), ("libzstd.so.1", "Zstandard"),
                          ("libavcodec-ab12.so.61", "FFmpeg"), ("libssl-abc.so.3", "OpenSSL"), ("libcrypto-abc.so.3", "OpenSSL"),
                          ("libpng16-ab12.so.16", "libpng"), ("libfreetype-ab.so.6", "FreeType")]:
        assert native_entry(name)["project"] == project, name


def test_an_installed_fifo_is_not_opened(tmp_path):
    """A named pipe where RECORD lists a library would block a read: it is refused, not opened."""
    import os

    from auditor.signals.vendored import vendored_in_dist_info

    dist_info = tmp_path / "p-1.0.dist-info"
    dist_info.mkdir()
    (tmp_path / "p.libs").mkdir()
    os.mkfifo(tmp_path / "p.libs" / "libz-ab.so.1")
    (dist_info / "RECORD").write_text("p.libs/libz-ab.so.1,,10\n")
    (lib,) = vendored_in_dist_info(dist_info).libraries
    assert lib.upstream == "zlib" and lib.linking_unknown == "not a regular file"
