import base64
import csv
import hashlib
import io
import zipfile

from auditor.models import Origin, Unknown
from auditor.judgement.findings import findings_for
from auditor.signals.vendored import VendoredCollector, upstream_of, vendored_in_wheel

from tests.builders import package_node

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
    "numpyish.libs/libscipy_openblas64_-ff651d7f.so": ELF * 1000,
    "numpyish.libs/libgfortran-040039e1.so.5.0.0": ELF * 200,
    "numpyish.libs/libquadmath-96973f99.so.0.0.0": ELF * 30,
    "numpyish/.dylibs/libgomp.1.dylib": ELF * 5,
    "numpyish/lib/libthing.so": ELF * 2,
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
        package_node("fromreqs"),
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
    assert libs["numpyish.libs/libscipy_openblas64_-ff651d7f.so"].size == len(ELF) * 1000
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
