"""PEP 770 SBOMs in ``.dist-info/sboms/``: CycloneDX components win over file-name and SONAME guesses."""

from __future__ import annotations

import json
import zipfile

import networkx as nx
import pytest

from auditor.dist.sbom import MAX_SBOM_BYTES, SbomUnreadable, is_sbom_path, read_sbom
from auditor.graph.native import add_native_nodes
from auditor.models import Origin
from auditor.pipeline import missing_data
from auditor.signals.vendored import VendoredCollector, vendored_in_wheel
from tests.builders import package_node
from tests.elfs import shared_object
from tests.signals.test_vendored import build_wheel

DI = "numpyish-1.0.dist-info"

CDX = {
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "metadata": {"component": {"type": "library", "name": "numpyish", "version": "1.0"}},
    "components": [
        {"type": "library", "name": "OpenBLAS", "version": "0.3.28",
         "purl": "pkg:github/OpenMathLib/OpenBLAS@v0.3.28",
         "externalReferences": [{"type": "vcs", "url": "https://github.com/OpenMathLib/OpenBLAS"}]},
        {"type": "library", "name": "libgfortran", "version": "14.2.0"},
        {"type": "library", "name": "zlib", "version": "1.3.1", "purl": "pkg:github/madler/zlib@v1.3.1"},
        {"type": "library", "name": "requests", "version": "2.32.3", "purl": "pkg:pypi/requests@2.32.3"},
    ],
}


def wheel_with(tmp_path, sboms: dict[str, bytes]):
    files = {
        "numpyish/__init__.py": b"",
        "numpyish.libs/libscipy_openblas64_-ff651d7f.so": shared_object(
            "libscipy_openblas64_-ff651d7f.so", ("libgfortran-040039e1.so.5.0.0",)),
        "numpyish.libs/libgfortran-040039e1.so.5.0.0": shared_object("libgfortran-040039e1.so.5.0.0", ()),
        **{f"{DI}/sboms/{name}": data for name, data in sboms.items()},
    }
    return build_wheel(tmp_path / "numpyish-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "numpyish", "1.0", files)


def test_cyclonedx_components_win_and_unmatched_ones_are_listed(tmp_path):
    code = vendored_in_wheel(wheel_with(tmp_path, {"auditwheel.cdx.json": json.dumps(CDX).encode()}))
    libs = {lib.path: lib for lib in code.libraries}
    evidence = f"PEP 770 SBOM {DI}/sboms/auditwheel.cdx.json (CycloneDX 1.6)"
    openblas = libs["numpyish.libs/libscipy_openblas64_-ff651d7f.so"]
    assert (openblas.upstream, openblas.version, openblas.evidence) == ("OpenBLAS", "0.3.28", evidence)
    assert openblas.repository == "https://github.com/openmathlib/openblas"  # the SBOM's vcs reference, canonical
    gfortran = libs["numpyish.libs/libgfortran-040039e1.so.5.0.0"]
    assert gfortran.version == "14.2.0" and gfortran.soname == "libgfortran-040039e1.so.5.0.0"  # SBOM beats SONAME
    zlib = libs[f"{DI}/sboms/auditwheel.cdx.json#zlib"]  # no file: statically linked
    assert zlib.upstream == "zlib" and zlib.repository == "https://github.com/madler/zlib" and zlib.bundled
    assert "named by the SBOM only" in zlib.linking_unknown
    assert not any("requests" in p for p in libs)  # a PyPI component is not native code
    assert code.sboms == (f"{DI}/sboms/auditwheel.cdx.json (CycloneDX 1.6, 3 components)",) and code.sbom_unknown == ()
    g = nx.DiGraph()
    g.add_node("numpyish==1.0")
    add_native_nodes(g, {"numpyish": package_node("numpyish", signals={"vendored": code})}, {"numpyish": "numpyish==1.0"})
    assert {"native:OpenBLAS", "native:zlib"} <= set(g) and g.nodes["native:zlib"]["repo_url"].endswith("madler/zlib")


def test_installed_distribution_reads_its_sboms_too(tmp_path, ctx):
    wheel = wheel_with(tmp_path, {"a.cdx.json": json.dumps(CDX).encode()})
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    node = package_node("numpyish", origin=Origin(kind="installed", file=str(site / DI)))
    out = VendoredCollector().collect(ctx, [node])["numpyish"]
    assert out == vendored_in_wheel(wheel)  # the same answer from the installed files and from the archive
    assert out.sboms and any(lib.evidence for lib in out.libraries)


def test_spdx_and_broken_sboms_are_unknown_and_counted_missing(tmp_path):
    spdx = json.dumps({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": []}).encode()
    code = vendored_in_wheel(wheel_with(tmp_path, {"a.spdx.json": spdx, "b.cdx.json": b"{not json",
                                                   "c.json": b'{"bomFormat": "other"}'}))
    assert code.sbom_unknown == (f"{DI}/sboms/a.spdx.json: unsupported format (SPDX)",
                                 f"{DI}/sboms/b.cdx.json: not JSON (Expecting property name enclosed in double "
                                 "quotes: line 1 column 2 (char 1))",
                                 f"{DI}/sboms/c.json: unsupported format (neither CycloneDX nor SPDX)")
    libs = {lib.path: lib for lib in code.libraries}
    assert libs["numpyish.libs/libscipy_openblas64_-ff651d7f.so"].evidence is None  # the guesses stand
    node = package_node("numpyish", signals={"vendored": code})
    assert [m.what for m in missing_data(_inventory(), {"numpyish": node})] == ["vendored.sbom"] * 3


def test_sbom_bounds():
    with pytest.raises(SbomUnreadable, match="byte SBOM limit"):
        read_sbom(b" " * (MAX_SBOM_BYTES + 1))
    with pytest.raises(SbomUnreadable, match="not JSON"):
        read_sbom(b"[" * 100 + b"]" * 100)  # deeper than the bounded reader allows
    assert is_sbom_path(f"{DI}/sboms/x.json") and not is_sbom_path(f"{DI}/sboms/sub/x.json")
    assert not is_sbom_path("pkg/sboms/x.json")


def _inventory():
    from auditor.models import Inventory, TargetEnvironment

    return Inventory("x", "requirements", (), (), TargetEnvironment(), "3.11")
