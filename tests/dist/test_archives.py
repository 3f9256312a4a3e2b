"""dist/archives.py: bombs stay bombs on disk, never in memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, open_zip, tar_member, zip_member
from tests import bombs

SMALL = ArchiveLimits(max_bytes=16 * bombs.MB, max_ratio=200, max_members=1000)


def test_zip_bomb_member_stops_at_the_limit():
    data = bombs.zip_bomb(expanded=64 * bombs.MB)
    with open_zip(io.BytesIO(data), SMALL) as zf, pytest.raises(ArchiveTooLarge, match="archive size limit"):
        zip_member(zf, "pkg-1.0.dist-info/METADATA", SMALL)


def test_zip_ratio_limit():
    data = bombs.zip_bomb(expanded=8 * bombs.MB)
    with open_zip(io.BytesIO(data), SMALL) as zf, pytest.raises(ArchiveTooLarge, match="compression ratio limit"):
        zip_member(zf, "pkg-1.0.dist-info/METADATA", SMALL)


def test_zip_member_count_refused_before_listing():
    data = bombs.zip_many_members(2000)
    with pytest.raises(ArchiveTooLarge, match="declares 2000 members"):
        open_zip(io.BytesIO(data), SMALL)


def test_ordinary_zip_reads_normally():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/METADATA", "Name: a\n" * 100)
    with open_zip(io.BytesIO(buf.getvalue()), SMALL) as zf:
        assert zip_member(zf, "a/METADATA", SMALL) == b"Name: a\n" * 100


def test_tar_gz_bomb_counts_skipped_bytes():
    data = bombs.tar_gz_bomb(expanded=64 * bombs.MB)
    with pytest.raises(ArchiveTooLarge):
        tar_member(data, lambda m: m.name.endswith("pyproject.toml"), SMALL)
    roomy = ArchiveLimits(max_bytes=128 * bombs.MB, max_ratio=10_000, max_members=10)
    assert b"setuptools" in tar_member(data, lambda m: m.name.endswith("pyproject.toml"), roomy)


def test_tar_member_count():
    data = bombs.tar_many_members(1500)
    with pytest.raises(ArchiveTooLarge, match="member limit"):
        tar_member(data, lambda m: m.name.endswith("pyproject.toml"), SMALL)


def test_install_signal_reads_a_bomb_as_too_large():
    from auditor.signals.install import read_build_system

    with pytest.raises(ArchiveTooLarge):
        read_build_system(bombs.tar_gz_bomb(expanded=64 * bombs.MB), "pkg-1.0.tar.gz", SMALL)


_RSS_SCRIPT = r"""
import io, json, resource, sys
from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, open_zip, tar_member, zip_member
from auditor.signals.install import read_build_system
from tests import bombs
out = {}
def run(name, fn):
    try:
        fn(); out[name] = "read"
    except ArchiveTooLarge as exc:
        out[name] = "too large"
def zb():
    with open_zip(io.BytesIO(bombs.zip_bomb(expanded=192 * bombs.MB))) as zf:
        zip_member(zf, "pkg-1.0.dist-info/METADATA")
run("zip bomb", zb)
# member-count bombs against a 20,000-member limit (the default is higher): the same code path, a quarter of the build time
FEW = ArchiveLimits(max_members=20_000)
run("zip members", lambda: open_zip(io.BytesIO(bombs.zip_many_members(25_000)), FEW))
run("tar.gz bomb", lambda: read_build_system(bombs.tar_gz_bomb(expanded=192 * bombs.MB), "p-1.tar.gz"))
run("tar members", lambda: read_build_system(bombs.tar_many_members(22_000), "p-1.tar.gz", FEW))
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def test_every_bomb_stays_under_512_mb_rss():
    """The issue's floor, in a fresh process so peak RSS is the bombs' alone."""
    proc = subprocess.run([sys.executable, "-c", _RSS_SCRIPT], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.getcwd()}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {k: v for k, v in out.items() if k != "maxrss_mb"} == {
        "zip bomb": "too large", "zip members": "too large", "tar.gz bomb": "too large", "tar members": "too large"}
    assert out["maxrss_mb"] < 512, out
