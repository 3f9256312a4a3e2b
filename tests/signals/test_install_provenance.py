import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from auditor.models import Confidence, Origin, ReleaseProvenance, TargetEnvironment, Unknown
from auditor.judgement.findings import findings_for
from auditor.signals.install import InstallCollector, best_wheel, build_edges, read_build_system
from auditor.signals.index import ReleaseFile
from auditor.signals.provenance import ProvenanceCollector, apply_provenance, verify_provenance

from tests.builders import package_node
from tests.fakes.server import FakeServer

FIX = Path(__file__).parent / "fixtures" / "provenance"
# Real PEP 740 provenance of pypi-attestations 0.0.19 (sdist), published by GitHub
# trailofbits/pypi-attestations release.yml; copied from the pypi-attestations
# 0.0.30 sdist, test/assets/ (see fixtures/README.md).  sha256 of the sdist:
PA_FILE = "pypi_attestations-0.0.19.tar.gz"
PA_SHA = "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3"
GCB_FILE = "gcb_attestation_test-0.0.0.tar.gz"
GCB_SHA = "461317362419124b6012e855423a9078d6de8aed3e74fa78cc74d669b23dc6cf"


def sdist_bytes(top: str, pyproject: str | None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        files = {f"{top}/PKG-INFO": b"Metadata-Version: 2.1\nName: x\n", f"{top}/setup.py": b"raise SystemExit('never run')\n"}
        if pyproject is not None:
            files[f"{top}/pyproject.toml"] = pyproject.encode()
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


SDIST = sdist_bytes(
    "onlysdist-1.0",
    '[build-system]\nrequires = ["hatchling>=1.21", "hatch-vcs; python_version >= \'3.8\'"]\nbuild-backend = "hatchling.build"\n',
)


def simple_entry(filename, sha, provenance="absent"):
    entry = {"filename": filename, "url": f"../../files/{filename}", "hashes": {"sha256": sha}, "yanked": False}
    if provenance != "absent":
        entry["provenance"] = provenance
    return entry


def handler(method, path, body):
    pages = {
        "/simple/pypi-attestations/": [simple_entry(PA_FILE, PA_SHA), simple_entry("pypi_attestations-0.0.18.tar.gz", "00")],
        "/simple/gcb-attestation-test/": [simple_entry(GCB_FILE, GCB_SHA)],
        "/simple/onlysdist/": [
            simple_entry("onlysdist-1.0.tar.gz", hashlib.sha256(SDIST).hexdigest(), None),
            simple_entry("onlysdist-1.0-cp311-cp311-win_amd64.whl", "aa", None),
        ],
        "/simple/wheelpkg/": [
            simple_entry("wheelpkg-2.0.tar.gz", "bb"),
            simple_entry("wheelpkg-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "cc"),
            simple_entry("wheelpkg-2.0-py3-none-any.whl", "dd"),
            simple_entry("wheelpkg-2.0-cp311-cp311-manylinux_2_39_x86_64.whl", "ee"),
        ],
        "/simple/tampered/": [simple_entry(PA_FILE, "0" * 64)],  # right name, wrong digest
    }
    if path == "/simple/htmlonly/":  # a PEP 503 mirror: hashes in fragments, PEP 740 data-provenance
        html = (f'<html><body><a href="/files/{PA_FILE}#sha256={PA_SHA}" '
                f'data-provenance="/integrity/pypi-attestations/0.0.19/{PA_FILE}/provenance">{PA_FILE}</a></body></html>')
        return 200, {"Content-Type": "text/html"}, html
    if path in pages:
        doc = {"meta": {"api-version": "1.1"}, "name": path.split("/")[2], "files": pages[path]}
        return 200, {"Content-Type": "application/vnd.pypi.simple.v1+json"}, json.dumps(doc)
    if path == "/files/onlysdist-1.0.tar.gz":
        return 200, {"Content-Type": "application/octet-stream"}, SDIST
    if path == f"/integrity/pypi-attestations/0.0.19/{PA_FILE}/provenance":
        return 200, {"Content-Type": "application/vnd.pypi.integrity.v1+json"}, (FIX / f"{PA_FILE}.provenance").read_text()
    if path == f"/integrity/gcb-attestation-test/0.0.0/{GCB_FILE}/provenance":
        return 200, {"Content-Type": "application/vnd.pypi.integrity.v1+json"}, (FIX / f"{GCB_FILE}.provenance").read_text()
    if path == f"/integrity/tampered/0.0.19/{PA_FILE}/provenance":
        return 200, {}, (FIX / f"{PA_FILE}.provenance").read_text()
    return 404, {}, {"message": "Not Found"}


@pytest.fixture
def server(ctx, config):
    with FakeServer(handler=handler) as srv:
        ctx.config = config.with_changes(index_url=srv.url + "/simple", pypi_url=srv.url)
        yield srv


def test_wheel_or_sdist(server, ctx):
    nodes = [package_node("onlysdist", "1.0"), package_node("wheelpkg", "2.0"), package_node("missing", "1.0"), package_node("vcs", "1", origin=Origin(kind="vcs"))]
    out = InstallCollector().collect(ctx, nodes)
    only = out["onlysdist"]
    assert only.builds_from_source and only.wheel is None and only.sdist == "onlysdist-1.0.tar.gz"
    assert only.build_backend == "hatchling.build"
    assert only.build_requires == ("hatchling>=1.21", "hatch-vcs; python_version >= '3.8'")
    assert [e.target for e in build_edges(only)] == ["hatchling", "hatch-vcs"]
    assert {e.kind for e in build_edges(only)} == {"build"}
    wheel = out["wheelpkg"]
    # glibc 2.39 wheel is newer than the assumed target glibc: the 2_17 binary wheel wins over the pure one
    assert not wheel.builds_from_source and wheel.wheel.startswith("wheelpkg-2.0-cp311-cp311-manylinux_2_17")
    assert wheel.build_backend is None  # sdist not downloaded unless needed or --build-deps
    assert out["missing"] == Unknown("not found on the index")
    assert isinstance(out["vcs"], Unknown) and not out["vcs"].fault
    (finding,) = [f for f in findings_for(package_node("onlysdist", "1.0", signals={"install": only})) if f.id == "AUD106"]
    assert "hatchling.build" in finding.message
    # windows target gets the win_amd64 wheel
    ctx.config = ctx.config.with_changes(target=TargetEnvironment(sys_platform="win32", platform_machine="AMD64"))
    assert not InstallCollector().collect(ctx, [package_node("onlysdist", "1.0")])["onlysdist"].builds_from_source


def test_legacy_build_system_defaults():
    assert read_build_system(sdist_bytes("x-1", None), "x-1.tar.gz") == ("setuptools.build_meta:__legacy__", ("setuptools>=40.8.0", "wheel"), ())
    in_tree = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n'
    assert read_build_system(sdist_bytes("x-1", in_tree), "x-1.tar.gz") == ("backend", (), ("_build",))
    assert read_build_system(sdist_bytes("x-1", "[tool.black]\n"), "x-1.tar.gz")[0] == "setuptools.build_meta:__legacy__"
    with pytest.raises(ValueError):
        read_build_system(sdist_bytes("x-1", "[build-system\n"), "x-1.tar.gz")


def test_best_wheel_python_tags():
    files = [ReleaseFile("p-1-cp312-cp312-manylinux_2_17_x86_64.whl", "u", None, "wheel")]
    assert best_wheel(files, TargetEnvironment(python_version="3.11")) is None
    assert best_wheel(files, TargetEnvironment(python_version="3.12")) is files[0]


def test_provenance_collector(server, ctx):
    gh = "https://github.com/trailofbits/pypi-attestations"
    nodes = [
        package_node("pypi-attestations", "0.0.19", repo=gh),
        package_node("gcb-attestation-test", "0.0.0"),
        package_node("onlysdist", "1.0"),
        package_node("wheelpkg", "2.0"),
        package_node("tampered", "0.0.19"),
    ]
    out = ProvenanceCollector().collect(ctx, nodes)
    pa = out["pypi-attestations"]
    assert pa.status == "verified" and pa.filename == PA_FILE
    (pub,) = pa.publishers
    assert (pub.kind, pub.repository, pub.workflow, pub.repository_url) == ("GitHub", "trailofbits/pypi-attestations", "release.yml", gh)
    assert pa.predicate_types == ("https://docs.pypi.org/attestations/publish/v1",)
    assert out["gcb-attestation-test"].status == "verified"
    assert out["gcb-attestation-test"].publishers[0].kind == "Google"
    assert out["onlysdist"].status == "unattested" and "null" in out["onlysdist"].detail  # no integrity request
    assert out["wheelpkg"].status == "unattested"  # integrity API 404
    assert out["tampered"].status == "invalid" and "digest" in out["tampered"].detail
    paths = [p for _, p, _ in server.requests]
    assert not any(p.startswith("/integrity/onlysdist") for p in paths)

    # agreeing publisher -> mapping verified; no finding
    mapped = apply_provenance(nodes[0].mapping, pa)
    assert mapped.confidence is Confidence.VERIFIED and "release.yml" in mapped.evidence
    assert [f.id for f in findings_for(package_node("pypi-attestations", "0.0.19", repo=gh, signals={"provenance": pa}))] == []
    # disagreeing -> unchanged mapping, high-severity AUD102
    other = package_node("pypi-attestations", "0.0.19", repo="https://github.com/someone/else", signals={"provenance": pa})
    assert apply_provenance(other.mapping, pa) == other.mapping
    (f,) = findings_for(other)
    assert f.id == "AUD102" and f.severity.value == "high" and gh in f.message
    # no mapping -> the publisher's repository, verified
    filled = apply_provenance(package_node("x").mapping, pa)
    assert filled.repo.url == gh and filled.confidence is Confidence.VERIFIED
    # unattested and invalid findings
    assert [f.id for f in findings_for(package_node("wheelpkg", "2.0", repo=gh, signals={"provenance": out["wheelpkg"]}))] == ["AUD104"]
    assert [f.id for f in findings_for(package_node("t", "1", repo=gh, signals={"provenance": out["tampered"]}))] == ["AUD103"]


def test_html_index_with_data_provenance(server, ctx):
    out = ProvenanceCollector().collect(ctx, [package_node("htmlonly", "0.0.19")])
    assert out["htmlonly"].status == "verified"
    assert InstallCollector().collect(ctx, [package_node("htmlonly", "0.0.19")])["htmlonly"].builds_from_source  # sdist only


def test_malformed_provenance_is_invalid_not_crash():
    result = verify_provenance({"version": 1, "attestation_bundles": [{"publisher": {"kind": "GitHub"}}]}, PA_FILE, PA_SHA)
    assert isinstance(result, ReleaseProvenance) and result.status == "invalid"


def test_warm_run_reads_release_files_from_the_fact_memo(tmp_path):
    from auditor.collectors import RunContext
    from auditor.config import Config

    with FakeServer(handler=handler) as srv:
        cfg = Config(cache_dir=tmp_path / "c", index_url=srv.url + "/simple", pypi_url=srv.url)
        results = []
        for _ in range(2):
            ctx = RunContext(config=cfg)
            nodes = [package_node("pypi-attestations", "0.0.19"), package_node("wheelpkg", "2.0")]
            results.append((InstallCollector().collect(ctx, nodes), ProvenanceCollector().collect(ctx, nodes)))
            ctx.close()
        index_hits = [p for _, p, _ in srv.requests if p.startswith("/simple/")]
    assert results[0] == results[1]
    assert sorted(index_hits) == ["/simple/pypi-attestations/", "/simple/wheelpkg/"]  # first run only, once each
