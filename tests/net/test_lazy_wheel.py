"""Reading METADATA out of a remote wheel with range requests."""

import io
import os
import zipfile

import pytest

from auditor.collectors import RunContext
from auditor.dist import archives
from auditor.dist.archives import ArchiveLimits, zip_member
from auditor.models import Unknown
from auditor.net.lazy_wheel import WheelDirectories, open_remote_zip
from auditor.net.pypi import PyPIClient


def make_wheel(name: str, version: str, metadata: str, padding: int = 600_000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}/big.bin", os.urandom(padding))  # incompressible: the wheel is large
        zf.writestr(f"{name}-{version}.dist-info/METADATA", metadata)
        zf.writestr(f"{name}-{version}.dist-info/RECORD", "")
    return buf.getvalue()


def test_metadata_from_remote_wheel_without_pep658_file(config, fake_pypi):
    fake_pypi.add("bigpkg", "2.0", with_metadata=False)
    text = "Metadata-Version: 2.1\nName: bigpkg\nVersion: 1.0\nRequires-Dist: numpy\n"
    fake_pypi.wheels["bigpkg-1.0-py3-none-any.whl"] = make_wheel("bigpkg", "1.0", text)
    with RunContext(config) as ctx:  # closing the run commits its fact memo
        meta = PyPIClient(ctx).core_metadata("bigpkg", "1.0")
    assert meta.requires_dist == ("numpy",)
    wheel_hits = fake_pypi.hits["/files/bigpkg-1.0-py3-none-any.whl"]
    assert 1 <= wheel_hits <= 3  # a few ranges, never the whole 600 kB file
    # Immutable: the next run reads the parsed metadata from the fact memo.
    with RunContext(config) as ctx:
        again = PyPIClient(ctx).core_metadata("bigpkg", "1.0")
    assert again == meta
    assert fake_pypi.hits["/files/bigpkg-1.0-py3-none-any.whl"] == wheel_hits


def test_not_a_zip_is_unknown(config, fake_pypi):
    fake_pypi.add("broken", "2.0", with_metadata=False)
    fake_pypi.wheels["broken-1.0-py3-none-any.whl"] = b"not a zip at all" * 100
    meta = PyPIClient(RunContext(config)).core_metadata("broken", "1.0")
    assert isinstance(meta, Unknown)


def test_zip_bomb_wheel_is_too_large_and_the_cache_stays_small(config, fake_pypi):
    """The issue's 1 MB wheel that went past 8 GB: now unknown (too large), a few MB of cache at most."""
    from auditor.models import UnknownKind
    from tests import bombs

    fake_pypi.add("bomb", "2.0", with_metadata=False)
    fake_pypi.wheels["bomb-1.0-py3-none-any.whl"] = bombs.zip_bomb("bomb-1.0.dist-info/METADATA", expanded=256 * bombs.MB)
    ctx = RunContext(config)
    meta = PyPIClient(ctx).core_metadata("bomb", "1.0")
    ctx.close()
    assert isinstance(meta, Unknown) and meta.kind == UnknownKind.TOO_LARGE, meta
    size = sum(p.stat().st_size for p in config.cache_dir.rglob("*") if p.is_file())
    assert size < 100 * bombs.MB


def _end(weight: int, entries: int):
    from auditor.dist.archives import ZipDirectory
    from auditor.net.lazy_wheel import WheelEnd

    return WheelEnd(size=weight, chunks={0: b"x" * weight}, requests=1, fetched=weight,
                    directory=ZipDirectory({}, entries))


def test_wheel_directories_are_bounded_and_least_recently_used_go_first():
    from auditor.net.lazy_wheel import WheelDirectories

    memo = WheelDirectories(max_wheels=2, max_bytes=100, max_entries=10)
    memo.put("a", _end(10, 1))
    memo.put("b", _end(10, 1))
    assert memo.get("a") is not None  # a is now the most recently used
    memo.put("c", _end(10, 1))
    assert memo.get("b") is None and memo.get("a") and memo.get("c")
    memo.put("d", _end(95, 1))  # over the byte bound with the others: they go
    assert memo.get("d") and memo.get("a") is None and memo.get("c") is None and memo.bytes == 95
    memo.put("e", _end(1, 11))  # over a bound on its own: never kept
    memo.put("f", _end(101, 1))
    assert memo.get("e") is None and memo.get("f") is None and len(memo) == 1
    memo.put("g", _end(1, 9))
    memo.put("h", _end(1, 9))  # 18 entries: g goes
    assert memo.get("g") is None and memo.entries == 9 and memo.bytes == 1


def test_a_reused_directory_is_the_same_and_still_checked_against_the_limits(config, fake_pypi):
    import pytest

    from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge
    from auditor.net.lazy_wheel import WheelDirectories, open_remote_zip

    fake_pypi.wheels["dirpkg-1.0-py3-none-any.whl"] = make_wheel("dirpkg", "1.0", "Metadata-Version: 2.1\n")
    url = fake_pypi.url + "/files/dirpkg-1.0-py3-none-any.whl"
    directories = WheelDirectories()
    with RunContext(config) as ctx:
        client = ctx.http("pypi-files")
        first, zf1 = open_remote_zip(client, url, ArchiveLimits(), 8, directories)
        second, zf2 = open_remote_zip(client, url, ArchiveLimits(), 8, directories)
        assert zf2.directory is zf1.directory and zf2.namelist() == zf1.namelist()
        assert (second.requests, second.fetched, second.size) == (first.requests, first.fetched, first.size)
        assert zf2.read("dirpkg-1.0.dist-info/METADATA") == b"Metadata-Version: 2.1\n"
        with pytest.raises(ArchiveTooLarge):
            open_remote_zip(client, url, ArchiveLimits(max_members=2), 8, directories)
    assert fake_pypi.count("/files/dirpkg") == 1  # the tail (METADATA sits in it): the second open asked nothing


# ---- zipfile's private hook (dist/archives.py::directory_reuse_works): a changed one falls back ----


def _index_filled_in_place(monkeypatch):
    """A zipfile that keeps a name index made in ``__init__`` and filled by ``_RealGetContents``: the
    hook's state capture (attributes set or replaced) does not see it, so a reused directory would
    have an empty index."""
    init, real = zipfile.ZipFile.__init__, zipfile.ZipFile._RealGetContents

    def __init__(self, *args, **kwargs):
        self._index = {}
        init(self, *args, **kwargs)

    def _RealGetContents(self):  # noqa: N802
        real(self)
        self._index.update(self.NameToInfo)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", __init__)
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", _RealGetContents)
    monkeypatch.setattr(zipfile.ZipFile, "getinfo", lambda self, name: self._index[name])


#: Ways a later CPython could change the private hook, as seen from auditor.
CHANGED_HOOKS = {
    # ZipFile.__init__ calls another name: our override is never called.
    "renamed": lambda mp: mp.delattr(archives._DirectoryZip, "_RealGetContents"),
    # ZipFile.__init__ passes an argument our override does not take: TypeError on every open.
    "new signature": lambda mp: mp.setattr(archives._DirectoryZip, "_RealGetContents", lambda self, strict: None),
    "state filled in place": _index_filled_in_place,
}


@pytest.fixture
def hook(monkeypatch):
    """*monkeypatch*, with the process's answer of ``directory_reuse_works`` forgotten before and after."""
    archives.directory_reuse_works.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    archives.directory_reuse_works.cache_clear()


def _open_twice(config, fake_pypi, name: str):
    """What two opens of one remote wheel in one run read, and the requests they cost."""
    if f"{name}-1.0-py3-none-any.whl" not in fake_pypi.wheels:  # a second call reads the same bytes
        fake_pypi.wheels[f"{name}-1.0-py3-none-any.whl"] = make_wheel(name, "1.0", f"Metadata-Version: 2.1\nName: {name}\n")
    url = f"{fake_pypi.url}/files/{name}-1.0-py3-none-any.whl"
    directories, facts = WheelDirectories(), []
    with RunContext(config) as ctx:
        for _ in range(2):
            _, zf = open_remote_zip(ctx.http("pypi-files"), url, ArchiveLimits(), 8, directories)
            with zf:
                facts.append((zf.namelist(), zf.comment, zf.start_dir,
                              [(i.filename, i.header_offset, i.compress_size, i.file_size, i.CRC, i.compress_type)
                               for i in zf.infolist()],
                              zip_member(zf, f"{name}-1.0.dist-info/METADATA", ArchiveLimits())))
    return facts, fake_pypi.count(f"/files/{name}-")


@pytest.mark.parametrize("change", sorted(CHANGED_HOOKS))
def test_a_changed_zipfile_hook_falls_back_to_parsing_on_every_open_with_the_same_facts(hook, config, fake_pypi,
                                                                                        change):
    assert archives.directory_reuse_works()
    fast, fast_requests = _open_twice(config, fake_pypi, "fast")
    assert fast[0] == fast[1] and fast_requests == 1  # the second open starts from the kept directory
    CHANGED_HOOKS[change](hook)
    archives.directory_reuse_works.cache_clear()
    assert not archives.directory_reuse_works()
    slow, slow_requests = _open_twice(config, fake_pypi, "fast")  # the same wheel
    assert slow == fast and slow_requests - fast_requests == 2  # nothing kept: one tail request per open


def test_the_in_place_change_would_lose_members_without_the_check(hook, config, fake_pypi):
    """The simulated change is a real one: trusting the hook anyway, the reused directory's index is empty."""
    _index_filled_in_place(hook)
    hook.setattr(archives, "directory_reuse_works", lambda: True)
    with pytest.raises(KeyError):
        _open_twice(config, fake_pypi, "lost")


def test_a_server_that_ignores_range_costs_one_bounded_answer(config, fake_pypi):
    """An index whose file host ignores ``Range`` (``python -m http.server`` does) answers 200 with the
    whole wheel.  A wheel within the first request's 256 KiB is read from that answer; a larger one is
    refused on its Content-Length (it used to be read whole, up to the 64 MiB response limit, and dropped)."""
    from auditor.net.lazy_wheel import CHUNK, wheel_metadata
    from tests.fakes.server import Reply

    for name, padding in (("small", 1_000), ("large", 600_000)):
        data = make_wheel(name, "1.0", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", padding=padding)
        fake_pypi.wheels[f"{name}-1.0-py3-none-any.whl"] = data  # listed on the index
        fake_pypi.script(f"/files/{name}-1.0-py3-none-any.whl", Reply(200, data, {"Content-Type": "application/zip"}))
    with RunContext(config) as ctx:
        client = ctx.http("pypi-files")
        small = wheel_metadata(client, f"{fake_pypi.url}/files/small-1.0-py3-none-any.whl", "small-1.0-py3-none-any.whl", None)
        large = wheel_metadata(client, f"{fake_pypi.url}/files/large-1.0-py3-none-any.whl", "large-1.0-py3-none-any.whl", None)
    assert small == b"Metadata-Version: 2.1\nName: small\nVersion: 1.0\n" and fake_pypi.count("/files/small-") == 1
    assert isinstance(large, Unknown) and fake_pypi.count("/files/large-") == 1  # no retry
    assert f"the server ignores Range: more than the {CHUNK} bytes asked for" in large.reason
    assert f"over the {CHUNK}-byte response size limit" in large.reason  # refused before the body was read
    fake_pypi.add("large", "2.0", with_metadata=False)  # 1.0 is not the latest: no JSON API fallback
    with RunContext(config) as ctx:
        meta = PyPIClient(ctx).core_metadata("large", "1.0")
    # The reason names the wheel's trouble (it said "no core metadata published ... (no PEP 658 metadata file)").
    assert isinstance(meta, Unknown) and meta.reason.startswith(
        "core metadata of large 1.0 not read: no PEP 658 metadata file, and its wheel: large-1.0-py3-none-any.whl: "
        "range requests not possible (the server ignores Range")


def test_a_range_answered_with_more_than_asked_is_refused(config, fake_pypi):
    """After the tail, each range request accepts only the bytes it asked for."""
    import pytest

    from auditor.net.lazy_wheel import RangeFile, RangeUnsupported
    from tests.fakes.server import Reply

    data = make_wheel("mid", "1.0", "Metadata-Version: 2.1\n")
    fake_pypi.wheels["mid-1.0-py3-none-any.whl"] = data
    with RunContext(config) as ctx:
        remote = RangeFile(ctx.http("pypi-files"), f"{fake_pypi.url}/files/mid-1.0-py3-none-any.whl")
        assert remote.fetch(0, 4) == b"PK\x03\x04"
        fake_pypi.script("/files/mid-1.0-py3-none-any.whl", Reply(206, data, {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}))
        with pytest.raises(RangeUnsupported, match="more than the 4 bytes asked for"):
            remote.fetch(0, 4)


def _patch_central_directory(data: bytes, member: str, **fields: int) -> bytes:
    """*data* (a zip) with *member*'s central-directory ``version`` (needed to extract), ``flags`` or
    ``method`` set: what a hostile or newer tool may write."""
    import struct

    offsets = {"version": 6, "flags": 8, "method": 10}
    out, at = bytearray(data), 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        (length,) = struct.unpack("<H", out[at + 28:at + 30])
        if out[at + 46:at + 46 + length] == member.encode():
            for field, value in fields.items():
                out[at + offsets[field]:at + offsets[field] + 2] = struct.pack("<H", value)
        at += 4
    return bytes(out)


@pytest.mark.parametrize(("fields", "reason"), [
    ({"flags": 0x1}, "odd-1.0.dist-info/METADATA: encrypted member"),  # zipfile: RuntimeError, password required
    ({"method": 93}, "odd-1.0.dist-info/METADATA: That compression method is not supported"),  # zstd before Python 3.14
    ({"version": 99}, "unsupported zip (zip file version 9.9)"),  # zipfile refuses the whole directory
])
def test_a_wheel_zipfile_cannot_read_is_unknown_not_a_crash(config, fake_pypi, tmp_path, fields, reason):
    """zipfile raises RuntimeError or NotImplementedError for these, which escaped wheel_metadata and
    ended the whole audit with "internal error" (exit 4); now the wheel is unreadable data."""
    from typer.testing import CliRunner

    from auditor.cli import app
    from auditor.net.lazy_wheel import wheel_metadata

    fake_pypi.add("odd", "2.0", with_metadata=False)  # 1.0 is not the latest: no JSON API fallback
    data = make_wheel("odd", "1.0", "Metadata-Version: 2.1\nName: odd\nVersion: 1.0\n", padding=1000)
    fake_pypi.wheels["odd-1.0-py3-none-any.whl"] = _patch_central_directory(data, "odd-1.0.dist-info/METADATA", **fields)
    with RunContext(config) as ctx:
        got = wheel_metadata(ctx.http("pypi-files"), f"{fake_pypi.url}/files/odd-1.0-py3-none-any.whl", "odd.whl", None)
    assert isinstance(got, Unknown) and got.reason == f"odd.whl: not a readable wheel ({reason})"
    (tmp_path / "requirements.txt").write_text("odd==1.0\n")
    res = CliRunner().invoke(app, ["audit", str(tmp_path / "requirements.txt"), "--resolver", "none",
                                   "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
                                   "--osv-url", fake_pypi.url, "--cache-dir", str(tmp_path / "cli-cache"),
                                   "--no-history", "-f", "json"])
    assert res.exit_code == 3, res.output  # the audit goes on; the metadata is a gap
