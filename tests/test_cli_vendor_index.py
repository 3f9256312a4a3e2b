"""torch==2.5.1+cu124 from a vendor index given with --extra-index-url, end to end through the real CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()
TORCH_WHEEL = "torch-2.5.1+cu124-cp311-cp311-linux_x86_64.whl"


@pytest.fixture
def vendor_index(fake_pypi):
    """PyPI with torch 2.5.1 and NVIDIA's CUDA wheels (owned by the nvidia organization); a PEP 691 index at
    ``/cu124/simple/`` (like download.pytorch.org/whl/cu124) with the +cu124 build."""
    fake_pypi.add("torch", "2.5.1", project_urls=(("Source", "https://github.com/pytorch/pytorch"),),
                  roles=(("Owner", "soumith"),), organization="pytorch")
    fake_pypi.add("nvidia-cublas-cu12", "12.4.5.8", roles=(), organization="nvidia")
    fake_pypi.add("nvidia-cuda-runtime-cu12", "12.4.127", roles=(), organization="nvidia")
    fake_pypi.add_index_release("cu124", "torch", "2.5.1+cu124", filename=TORCH_WHEEL, requires_dist=[
        "nvidia-cublas-cu12==12.4.5.8; platform_system == 'Linux' and platform_machine == 'x86_64'",
        "nvidia-cuda-runtime-cu12==12.4.127; platform_system == 'Linux' and platform_machine == 'x86_64'"])
    return fake_pypi


def audit(fake_pypi, tmp_path, *extra):
    req = tmp_path / "requirements.txt"
    req.write_text(f"--extra-index-url {fake_pypi.url}/cu124/simple\ntorch==2.5.1+cu124\n")
    return runner.invoke(app, ["audit", str(req), "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                               "--osv-url", fake_pypi.url, "--python-version", "3.11", "--cache-dir",
                               str(tmp_path / "cache"), "--no-history", "--no-github", "--no-gitlab", "--no-scorecard",
                               "--no-depsdev", "-f", "json", *extra])


def test_torch_cu124_from_a_vendor_index_end_to_end(vendor_index, tmp_path):
    res = audit(vendor_index, tmp_path)
    assert res.exit_code in (0, 3), res.output
    doc = json.loads(res.stdout)
    by = {p["name"]: p for p in doc["packages"]}
    assert set(by) == {"torch", "nvidia-cublas-cu12", "nvidia-cuda-runtime-cu12", "python"}
    torch = by["torch"]
    assert torch["version"] == "2.5.1+cu124"
    assert torch["origin"]["index_url"].endswith("/cu124/simple")
    assert torch["signals"]["vendor"]["build"] == "cu124"
    cublas = by["nvidia-cublas-cu12"]
    assert cublas["signals"]["vendor"]["vendor"] == "NVIDIA" and cublas["signals"]["vendor"]["organization"] == "nvidia"
    factors = {f["name"]: f for f in cublas["score"]["factors"]}
    assert factors["vendor_binary"]["value"] == "NVIDIA" and "accountable party" in factors["vendor_binary"]["detail"]
    assert "no public source by design" in factors["repo_confidence"]["value"]["unknown"]
    ids = {(f["id"], f["package"]) for f in doc["findings"]}
    assert ("AUD131", "torch") in ids and ("AUD130", "nvidia-cublas-cu12") in ids
    assert not any(i == "AUD110" and p.startswith("nvidia-") for i, p in ids)  # not "unmapped repository" noise


def diff(fake_pypi, tmp_path, base: str, head: str):
    tmp_path.mkdir(exist_ok=True)
    b, h = tmp_path / "base.txt", tmp_path / "head.txt"
    b.write_text(base)
    h.write_text(head)
    return runner.invoke(app, ["diff", str(b), str(h), "--pypi-url", fake_pypi.url, "--index-url",
                               fake_pypi.url + "/simple", "--osv-url", fake_pypi.url, "--python-version", "3.11",
                               "--cache-dir", str(tmp_path / "cache"), "--no-history", "--no-github", "--no-gitlab",
                               "--no-scorecard", "--no-depsdev", "--format", "json"])


@pytest.fixture
def two_builds(vendor_index):
    up = {"12.1.3.1": "2023-06-01T00:00:00.000000Z", "12.4.5.8": "2024-04-01T00:00:00.000000Z"}
    vendor_index.add("nvidia-cublas-cu12", "12.4.5.8", roles=(), organization="nvidia", uploads=up)
    vendor_index.add_release("nvidia-cublas-cu12", "12.1.3.1")
    vendor_index.add_index_release("cu121", "torch", "2.4.1+cu121", filename="torch-2.4.1+cu121-cp311-cp311-linux_x86_64.whl",
                                   requires_dist=["nvidia-cublas-cu12==12.1.3.1; platform_system == 'Linux'"])
    return vendor_index


def test_gate_passes_a_torch_cuda_upgrade_and_fails_a_new_vendor(two_builds, tmp_path):
    url = two_builds.url
    base = f"--extra-index-url {url}/cu121/simple\ntorch==2.4.1+cu121\n"
    head = f"--extra-index-url {url}/cu124/simple\ntorch==2.5.1+cu124\n"
    res = diff(two_builds, tmp_path, base, head)
    assert res.exit_code in (0, 3), res.output
    assert not [v for v in json.loads(res.stdout)["policy"]["violations"] if v["rule"] == "POL003"]
    res = diff(two_builds, tmp_path / "2", "torch==2.5.1\n", head)  # CPU torch -> CUDA torch: NVIDIA is new
    assert res.exit_code == 1, res.output
    pol003 = [v for v in json.loads(res.stdout)["policy"]["violations"] if v["rule"] == "POL003"]
    assert {v["package"] for v in pol003} >= {"nvidia-cublas-cu12"}
    assert all("a vendor the base does not use" in v["message"] for v in pol003)
