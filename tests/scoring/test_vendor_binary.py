"""Factor vendor_binary: the vendor is the accountable party; repo_confidence does not apply to its binaries."""

from auditor.models import UnknownKind, VendorBinary
from auditor.scoring import repo_confidence, vendor_binary
from auditor.scoring.aggregate import load_weights
from auditor.scoring.base import applicable
from auditor.signals.vendor import classify
from tests.builders import package_node

W = load_weights()


def test_vendor_binary_published_by_an_organization():
    node = package_node("nvidia-cublas-cu12", "12.4.5.8", org="nvidia", maintainers=(),
                        signals={"vendor": classify("nvidia-cublas-cu12", "12.4.5.8")})
    f = vendor_binary.score(node, "n", None, W["vendor_binary"])
    assert f.value == "NVIDIA" and f.weight == 20 and f.points == 12.0  # 0.6 of 20: an accountable organization
    assert "NVIDIA is the accountable party" in f.detail and "PyPI organization nvidia" in f.detail
    rc = repo_confidence.score(node, "n", None, W["repo_confidence"])
    assert rc.value.kind is UnknownKind.NOT_APPLICABLE and not applicable(rc) and "vendor_binary" in rc.value.reason


def test_vendor_without_organization_carries_the_full_weight():
    node = package_node("mkl", "2025.0", signals={"vendor": VendorBinary(vendor="Intel", evidence="t")})
    assert vendor_binary.score(node, "n", None, W["vendor_binary"]).points == 20.0


def test_ordinary_and_unclassified_packages_are_not_scored_by_it():
    for signals in ({"vendor": VendorBinary()}, {"vendor": VendorBinary(build="cu124")}, {}):
        f = vendor_binary.score(package_node("torch", "2.5.1+cu124", signals=signals), "n", None, W["vendor_binary"])
        assert f.weight == 0 and f.points == 0 and not applicable(f)
    mapped = package_node("torch", "2.5.1", repo="https://github.com/pytorch/pytorch", signals={"vendor": VendorBinary()})
    assert applicable(repo_confidence.score(mapped, "n", None, W["repo_confidence"]))
