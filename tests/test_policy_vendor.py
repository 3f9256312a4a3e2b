"""The default policy and vendor binaries (issue 16): a torch + CUDA upgrade passes; a new vendor fails."""

from auditor.gate import Verdict, diff_audits, evaluate, load_policy
from auditor.models import VendorBinary
from auditor.signals.vendor import classify
from tests.builders import diff_node, view
from tests.test_diff import NOW

TODAY = NOW.date()


def _node(name, version, **kw):
    """A lockfile package with the vendor signal the collector would give it."""
    repo = kw.pop("repo", "auto" if classify(name, version).vendor is None else None)
    signals = kw.pop("signals", {"vendor": classify(name, version)})
    return diff_node(name, version, repo=repo, signals=signals, maintainers=("a", "b"), **kw)


def _pol003(b, h):
    result = evaluate(load_policy(), diff_audits(b, h, now=NOW), today=TODAY)
    return result, [v for v in result.failing if v.rule == "POL003"]


def test_a_torch_cuda_upgrade_that_adds_cuda_wheels_passes():
    b = view("b", _node("torch", "2.4.1+cu121", requires=("nvidia-cublas-cu12",)),
             _node("nvidia-cublas-cu12", "12.1.3.1", org="nvidia"))
    h = view("h", _node("torch", "2.5.1+cu124", requires=("nvidia-cublas-cu12", "nvidia-nvjitlink-cu12")),
             _node("nvidia-cublas-cu12", "12.4.5.8", org="nvidia"),
             _node("nvidia-nvjitlink-cu12", "12.4.127", org="nvidia"))
    result, pol003 = _pol003(b, h)
    assert pol003 == [] and result.verdict is Verdict.PASS


def test_a_new_vendor_fails():
    b = view("b", _node("torch", "2.4.1"))
    h = view("h", _node("torch", "2.4.1"), _node("nvidia-cublas-cu12", "12.4.5.8", org="nvidia"))
    _, pol003 = _pol003(b, h)
    assert [v.package for v in pol003] == ["nvidia-cublas-cu12"]
    assert "closed NVIDIA binary, a vendor the base does not use" in pol003[0].message


def test_a_package_that_becomes_closed_fails():
    b = view("b", _node("blas-wheel", "1.0", signals={"vendor": VendorBinary()}))
    h = view("h", _node("blas-wheel", "1.1", repo=None, signals={"vendor": VendorBinary(vendor="Acme", evidence="t")}))
    _, pol003 = _pol003(b, h)
    assert [v.package for v in pol003] == ["blas-wheel"] and "becomes a closed Acme binary" in pol003[0].message


def test_an_ordinary_new_unmapped_package_still_fails():
    b = view("b", _node("torch", "2.4.1"))
    h = view("h", _node("torch", "2.4.1"), _node("opaque", "1.0", repo=None))
    _, pol003 = _pol003(b, h)
    assert [v.package for v in pol003] == ["opaque"]
