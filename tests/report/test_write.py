"""report/write.py: -o onto a new file, an existing file, a symlink, a FIFO, a device, a full disk, a signal."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from auditor.errors import ExitCode, OutputError
from auditor.report.write import emit, write_bytes
from tests.test_cli import env_args  # noqa: F401 - fixture


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_existing_file_keeps_its_mode_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o644)
    emit("new\n", target)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _names(tmp_path) == ["report.json"]


def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        emit("x", tmp_path / "new.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o604)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    emit("new", link)
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert _names(tmp_path) == ["link.md", "real.md"]


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    emit("x", link)
    assert link.is_symlink() and (tmp_path / "later.md").read_text() == "x"


def test_fifo_is_written_directly_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    emit("through the pipe\n", fifo)
    reader.join(5)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _names(tmp_path) == ["pipe"]


def test_character_device_is_written_directly():
    before = os.stat("/dev/null")
    if not stat.S_ISCHR(before.st_mode):
        pytest.skip("/dev/null on this machine is not a character device (something replaced it)")
    emit("discarded", "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_full_device_is_one_line_error():
    with pytest.raises(OutputError, match=r"/dev/full: cannot write \(No space left on device\)"):
        emit("x" * 100_000, "/dev/full")


def test_full_disk_during_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("old")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device") as info:
        write_bytes(target, b"new")
    assert info.value.exit_code == ExitCode.USAGE
    assert target.read_text() == "old" and _names(tmp_path) == ["r.json"]


def test_unwritable_directory_and_directory_target(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        emit("x", tmp_path)
    with pytest.raises(OutputError, match="cannot write"):
        emit("x", tmp_path / "missing" / "r.json")


def test_signal_during_write_leaves_no_temp_file(tmp_path):
    """SIGTERM arriving while the temporary file exists: it is removed and the process still dies of SIGTERM."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import auditor.report.write as w\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(fd)\n"
        "os.fsync = slow\n"
        "w.emit('new', Path(sys.argv[1]))\n"
    )
    target = tmp_path / "r.txt"
    target.write_text("old")
    proc = subprocess.run([sys.executable, "-c", script, str(target)], env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.returncode == -signal.SIGTERM
    assert target.read_text() == "old" and _names(tmp_path) == ["r.txt"]


def test_cli_output_onto_fifo_symlink_and_existing_file(env_args, tmp_path):  # noqa: F811
    """The real CLI with -o: an existing 0644 file, a symlink and a FIFO (the issue's floor)."""
    from typer.testing import CliRunner

    from auditor.cli import app

    runner = CliRunner()
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "existing.json"
    existing.write_text("old")
    existing.chmod(0o644)
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "-o", str(existing)])
    assert res.exit_code == 0, res.output
    assert existing.read_text().startswith("{") and stat.S_IMODE(existing.stat().st_mode) == 0o644
    link = out / "link.json"
    link.symlink_to(existing)
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "-o", str(link)])
    assert res.exit_code == 0 and link.is_symlink()
    fifo = out / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "-o", str(fifo)])
    reader.join(10)
    assert res.exit_code == 0 and got and got[0].startswith(b"{")
    assert _names(out) == ["existing.json", "fifo", "link.json"]
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "-o", "/dev/full"])
    assert res.exit_code == 2 and "No space left on device" in res.output


def test_unix_socket_is_written_directly(tmp_path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def accept():
        conn, _ = server.accept()
        with conn:
            chunks = []
            while data := conn.recv(65536):
                chunks.append(data)
            got.append(b"".join(chunks))

    reader = threading.Thread(target=accept)
    reader.start()
    emit("to the socket", path)
    reader.join(5)
    server.close()
    assert got == [b"to the socket"] and stat.S_ISSOCK(os.lstat(path).st_mode)
