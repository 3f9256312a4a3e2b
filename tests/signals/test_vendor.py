"""Vendor binaries (signals/vendor.py): the table, local-version builds, AUD130/AUD131 instead of AUD110."""

import dataclasses
import fnmatch

import pytest

from auditor.judgement.findings import findings_for
from auditor.signals.vendor import VendorCollector, classify, vendor_table

from tests.builders import package_node

#: The CUDA wheels torch 2.5.1+cu124 pulls in (its METADATA, Requires-Dist).
TORCH_CUDA = ["nvidia-cuda-nvrtc-cu12", "nvidia-cuda-runtime-cu12", "nvidia-cuda-cupti-cu12", "nvidia-cudnn-cu12",
              "nvidia-cublas-cu12", "nvidia-cufft-cu12", "nvidia-curand-cu12", "nvidia-cusolver-cu12",
              "nvidia-cusparse-cu12", "nvidia-nccl-cu12", "nvidia-nvtx-cu12", "nvidia-nvjitlink-cu12"]


@pytest.mark.parametrize("name", TORCH_CUDA)
def test_the_torch_cuda_wheel_set_is_nvidia(name):
    v = classify(name, "12.4.127")
    assert v.vendor == "NVIDIA" and v.organization == "nvidia" and v.build is None and "vendor-binaries.yaml" in v.evidence


@pytest.mark.parametrize("name,version,build", [("torch", "2.5.1+cu124", "cu124"), ("torch", "2.5.1+cpu", "cpu"),
                                                ("torchvision", "0.20.1+rocm6.2", "rocm6.2"),
                                                ("jaxlib", "0.4.30+cuda12.cudnn89", "cuda12.cudnn89")])
def test_local_version_builds(name, version, build):
    v = classify(name, version)
    assert v.build == build and v.vendor is None


@pytest.mark.parametrize("name,version", [("torch", "2.5.1"), ("nvidia-ml-py", "12.560.30"), ("numpy", "1.0+local"),
                                          ("requests", "not a version")])
def test_ordinary_distributions_are_not_vendor_binaries(name, version):
    assert classify(name, version) == classify("requests", "2.0")
    assert classify(name, version).vendor is None and classify(name, version).build is None


def test_findings_name_the_vendor_instead_of_a_missing_repository(ctx):
    nodes = [package_node("nvidia-cublas-cu12", "12.4.5.8", maintainers=("nv",), org="nvidia"),
             package_node("torch", "2.5.1+cu124", repo="https://github.com/pytorch/pytorch", maintainers=("a", "b")),
             package_node("opaque", "1.0", maintainers=("x",))]
    signals = VendorCollector().collect(ctx, nodes)
    found = {n.name: findings_for(dataclasses.replace(n, signals={"vendor": signals[n.name]})) for n in nodes}
    assert [f.id for f in found["nvidia-cublas-cu12"]] == ["AUD130"]  # not AUD110
    assert "NVIDIA" in found["nvidia-cublas-cu12"][0].message and "organization nvidia" in found["nvidia-cublas-cu12"][0].message
    assert [f.id for f in found["torch"]] == ["AUD131"]
    assert [f.id for f in found["opaque"]] == ["AUD110"]  # an ordinary unmapped package still is


def test_vendor_table_format():
    for entry in vendor_table():
        assert set(entry) == {"match", "vendor", "organization", "source"}, entry
        assert entry["vendor"] and entry["source"]
    # no entry swallows NVIDIA's open-source Python packages
    assert not any(fnmatch.fnmatchcase("nvidia-ml-py", e["match"]) for e in vendor_table())
