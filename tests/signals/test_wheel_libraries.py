"""Shared libraries of the wheels a requirements or lock file would install, read by HTTP range requests."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.collectors import RunContext
from auditor.config import Config
from auditor.models import TargetEnvironment, Unknown, VendoredCode
from auditor.pipeline import collect_nodes
from auditor.signals.vendored import VendoredCollector, libraries_from_record, vendored_in_wheel
from auditor.signals.wheel_libraries import vendored_in_remote_wheel
from tests.signals.test_sbom import CDX, DI
from tests.signals.test_vendored import NUMPYISH, build_wheel

WHEEL = "numpyish-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
BIG = b"\0" * (3 << 20)  # a 3 MiB member the reader must never fetch when only libraries are wanted


@pytest.fixture
def served(fake_pypi, tmp_path):
    files = {**NUMPYISH, "numpyish/data/big.bin": BIG, f"{DI}/sboms/a.cdx.json": json.dumps(CDX).encode()}
    path = build_wheel(tmp_path / WHEEL, "numpyish", "1.0", files)
    fake_pypi.add("numpyish", "1.0", with_metadata=False)
    fake_pypi.wheels[WHEEL] = path.read_bytes()
    fake_pypi.add("pure", "1.0")
    fake_pypi.add_wheel_files("pure")
    return fake_pypi, path


def test_remote_wheel_equals_the_local_reading_and_fetches_only_the_members(served, config):
    fake_pypi, path = served
    ctx = RunContext(config)
    try:
        code = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/" + WHEEL, WHEEL, libraries_from_record)
    finally:
        ctx.close()
    assert code == vendored_in_wheel(path)
    assert any(lib.upstream == "OpenBLAS" and lib.evidence for lib in code.libraries)  # the SBOM applied
    ranges = [s.headers.get("Range") for s in fake_pypi.log if s.path.endswith(WHEEL)]
    assert all(ranges) and len(ranges) <= 10  # central directory, RECORD, one per library/SBOM
    fetched = sum(int(r.split("-")[1]) - int(r.split("=")[1].split("-")[0]) + 1
                  for r in ranges if not r.startswith("bytes=-"))
    assert fetched < len(BIG)  # the big data member was never fetched


def test_collector_reads_the_chosen_wheel_and_memoizes_it(served, tmp_path, fake_pypi):
    cfg = Config(cache_dir=tmp_path / "c", pypi_url=fake_pypi.url, index_url=fake_pypi.url + "/simple",
                 target=TargetEnvironment(python_version="3.11"), timeout=(2.0, 5.0))
    from auditor.models import Distribution, Inventory, Origin
    dists = tuple(Distribution(n, "1.0", Unknown("x", fault=False), origin=Origin(kind="registry"))
                  for n in ("numpyish", "pure"))
    inv = Inventory("r.txt", "requirements", (), dists, cfg.target, "3.11.7")
    for run in range(2):
        ctx = RunContext(cfg)
        try:
            before = fake_pypi.count("/files/" + WHEEL)
            out = VendoredCollector().collect(ctx, list(collect_nodes(inv, ctx).values()))
            after = fake_pypi.count("/files/" + WHEEL)
        finally:
            ctx.close()
        assert isinstance(out["numpyish"], VendoredCode) and len(out["numpyish"].bundled) >= 4
        assert out["pure"] == VendoredCode()  # a pure wheel: no request for it
        assert fake_pypi.count("/files/pure") == 0
        if run == 1:
            assert after == before  # warm: from the fact memo


def test_offline_without_memo_is_unknown(served, tmp_path, fake_pypi):
    cfg = Config(cache_dir=tmp_path / "c", offline=True)
    ctx = RunContext(cfg)
    try:
        got = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/" + WHEEL, WHEEL, libraries_from_record)
    finally:
        ctx.close()
    assert isinstance(got, Unknown) and got.reason == "offline"


def test_server_without_ranges_is_unknown(served, config, fake_pypi):
    """A host that ignores Range and sends a wheel larger than the first range whole (a smaller one is
    read from that answer: tests/net/test_lazy_wheel.py)."""
    from auditor.net.lazy_wheel import CHUNK
    from tests.fakes.server import Reply

    fake_pypi.add("/files/" + WHEEL, Reply(200, b"PK whole file" + bytes(CHUNK), {"Content-Type": "application/zip"}))
    ctx = RunContext(config)
    try:
        got = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/" + WHEEL, WHEEL, libraries_from_record)
    finally:
        ctx.close()
    assert isinstance(got, Unknown) and "range requests not possible" in got.reason and got.fault


def test_requirements_file_audit_shows_bundled_libraries(served, tmp_path, fake_pypi):
    req = tmp_path / "requirements.txt"
    req.write_text("numpyish==1.0\n")
    res = CliRunner().invoke(app, ["audit", str(req), "--resolver", "none", "--pypi-url", fake_pypi.url,
                                   "--index-url", fake_pypi.url + "/simple", "--osv-url", fake_pypi.url,
                                   "--cache-dir", str(tmp_path / "cache"), "--no-history", "--no-github",
                                   "--no-gitlab", "--no-scorecard", "--no-depsdev", "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    doc = json.loads(res.stdout)
    pkg = next(p for p in doc["packages"] if p["name"] == "numpyish")
    ups = {lib["upstream"] for lib in pkg["signals"]["vendored"]["libraries"]}
    assert {"OpenBLAS", "libgfortran (GCC)", "zlib"} <= ups
    assert "AUD107" in {f["id"] for f in doc["findings"]}


@pytest.mark.network
@pytest.mark.parametrize("pin,python,expected", [
    # numpy's newest release: its manylinux_2_28 wheel bundles OpenBLAS alone (no GCC Fortran runtime any more)
    ("numpy", "3.12", {"OpenBLAS"}),
    # numpy 2.2.6's manylinux2014 wheel: OpenBLAS and the GCC runtime it links (libgfortran -> libquadmath)
    ("numpy==2.2.6", "3.11", {"OpenBLAS", "libgfortran (GCC)", "libquadmath (GCC)"}),
])
def test_live_numpy_wheel_from_a_requirements_file(tmp_path, pin, python, expected):
    from tests.live import pypi_reachable

    if not pypi_reachable():
        pytest.skip("live-PyPI test (marked network): pypi.org is unreachable from this machine; "
                    "test_requirements_file_audit_shows_bundled_libraries covers the same path on the fake index")
    req = tmp_path / "requirements.txt"
    req.write_text(pin + "\n")
    res = CliRunner().invoke(app, ["audit", str(req), "--python-version", python, "--cache-dir", str(tmp_path / "c"),
                                   "--no-history", "--no-github", "--no-gitlab", "--no-scorecard", "--no-depsdev",
                                   "--disable", "vulnerabilities", "--disable", "provenance",
                                   "-f", "json"])
    assert res.exit_code in (0, 3), res.output
    doc = json.loads(res.stdout)
    numpy = next(p for p in doc["packages"] if p["name"] == "numpy")
    libs = {lib["upstream"]: lib for lib in numpy["signals"]["vendored"]["libraries"] if lib["bundled"]}
    assert set(libs) == expected
    assert libs["OpenBLAS"]["repository"] == "https://github.com/OpenMathLib/OpenBLAS"
    if "libgfortran (GCC)" in libs:
        assert libs["libgfortran (GCC)"]["repository"] == "https://github.com/gcc-mirror/gcc"
        assert any(n.startswith("libgfortran") for n in libs["OpenBLAS"]["needed"])


def test_a_closed_vendor_wheel_is_listed_from_record_without_fetching_its_libraries(served, config):
    """NVIDIA's CUDA wheels are tens of MB each: their libraries come from RECORD, their linking is not fetched."""
    from auditor.signals.wheel_libraries import NOT_FETCHED_VENDOR

    fake_pypi, path = served
    ctx = RunContext(config)
    try:
        listed = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/" + WHEEL, WHEEL, libraries_from_record,
                                          read_libraries=False)
    finally:
        ctx.close()
    full = vendored_in_wheel(path)
    assert [lib.path for lib in listed.libraries] == [lib.path for lib in full.libraries]
    assert {lib.upstream for lib in listed.libraries} == {lib.upstream for lib in full.libraries}
    by_path = {lib.path: lib for lib in listed.libraries}
    read_in_full = [lib for lib in full.libraries if lib.linking_unknown is None]  # ELF files the full reading parsed
    assert read_in_full and all(by_path[lib.path].linking_unknown == NOT_FETCHED_VENDOR and not by_path[lib.path].needed
                                for lib in read_in_full)
    ranges = [s.headers.get("Range") for s in fake_pypi.log if s.path.endswith(WHEEL)]
    assert len(ranges) <= 4  # central directory, RECORD and the SBOM: no library member


def test_the_same_wheel_behind_another_url_is_not_read_again(served, tmp_path):
    """The fact memo keys a wheel by its sha256 from the index: a mirror's URL of the same file is free."""
    import hashlib

    fake_pypi, path = served
    config = Config(cache_dir=tmp_path / "c", pypi_url=fake_pypi.url, index_url=fake_pypi.url + "/simple",
                    target=TargetEnvironment(python_version="3.11"), timeout=(2.0, 5.0))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    fake_pypi.wheels["mirror-" + WHEEL] = path.read_bytes()
    with RunContext(config) as ctx:
        first = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/" + WHEEL, WHEEL, libraries_from_record,
                                         sha256=digest)
    with RunContext(config) as ctx:  # a later run, the same cache directory
        again = vendored_in_remote_wheel(ctx, fake_pypi.url + "/files/mirror-" + WHEEL, WHEEL,
                                         libraries_from_record, sha256=digest.upper())
    assert again == first and first.libraries
    assert fake_pypi.count("/files/mirror-") == 0


def _tail_requests(fake_pypi) -> int:
    return sum(1 for s in fake_pypi.log if s.path.endswith(WHEEL) and (s.headers.get("Range") or "").startswith("bytes=-"))


def test_metadata_and_libraries_of_one_wheel_cost_one_tail_request_a_run(served, tmp_path):
    """Issue 14: the METADATA read (no PEP 658 file) and the library read share the wheel's end and directory."""
    from auditor.net.lazy_wheel import wheel_directories
    from auditor.net.pypi import PyPIClient

    from tests.fakes.server import project_doc

    fake_pypi, path = served
    config = Config(cache_dir=tmp_path / "cache", use_cache=False, timeout=(2.0, 5.0), pypi_url=fake_pypi.url,
                    index_url=fake_pypi.url + "/simple",
                    target=TargetEnvironment(python_version="3.11", sys_platform="linux", platform_machine="x86_64"))
    fake_pypi.projects["numpyish"] = project_doc("numpyish", "1.0", files={"1.0": [WHEEL]})  # listed by the index
    url = fake_pypi.url + "/files/" + WHEEL
    with RunContext(config) as ctx:
        meta = PyPIClient(ctx).core_metadata("numpyish", "1.0")
        code = vendored_in_remote_wheel(ctx, url, WHEEL, libraries_from_record)
        assert len(wheel_directories(ctx.memo)) == 1
    assert not isinstance(meta, Unknown) and meta.name == "numpyish"
    assert code == vendored_in_wheel(path)
    assert _tail_requests(fake_pypi) == 1
    shared = [s.headers.get("Range") for s in fake_pypi.log if s.path.endswith(WHEEL)]
    # Without sharing (one run each, no fact memo): the same answers, one tail request more.
    fake_pypi.log.clear()
    alone = dataclasses.replace(config, cache_dir=tmp_path / "alone")
    with RunContext(alone) as ctx:
        assert PyPIClient(ctx).core_metadata("numpyish", "1.0") == meta
    with RunContext(alone) as ctx:
        assert vendored_in_remote_wheel(ctx, url, WHEEL, libraries_from_record) == code
    assert _tail_requests(fake_pypi) == 2
    assert len([s for s in fake_pypi.log if s.path.endswith(WHEEL)]) == len(shared) + 1


def test_small_neighbouring_libraries_are_fetched_in_one_request(fake_pypi, tmp_path, config):
    """Issue 14: the heads of adjacent small library members come in one range request; the facts are the same."""
    import os

    from auditor.signals.vendored import is_library_path

    name = "neighbours-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    files = {**NUMPYISH, "numpyish/data/noise.bin": os.urandom(700_000)}  # the libraries lie outside the tail
    fake_pypi.wheels[name] = build_wheel(tmp_path / name, "numpyish", "1.0", files).read_bytes()
    url = fake_pypi.url + "/files/" + name

    def read(**kwargs):
        fake_pypi.log.clear()
        with RunContext(config) as ctx:
            code = vendored_in_remote_wheel(ctx, url, name, libraries_from_record, **kwargs)
        return code, len([s for s in fake_pypi.log if s.path.endswith(name)])

    alone, alone_requests = read()
    grouped, grouped_requests = read(is_library=is_library_path)
    assert grouped == alone and any(lib.soname for lib in grouped.libraries)
    assert alone_requests - grouped_requests >= 2, (alone_requests, grouped_requests)
    with_record_and_tail = 2
    assert grouped_requests <= with_record_and_tail + 1
