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
from auditor.report.write import emit, emit_report, write_bytes


def _streamed(text: str, output) -> None:
    """The CLI's path for audit reports: the renderer streams into the file (issue 14)."""
    emit_report(lambda out: out.write(text), output)


#: Every rule below holds for a rendered text (emit) and for a streamed report (emit_report).
WRITERS = pytest.mark.parametrize("emit", [emit, _streamed], ids=["emit", "emit_report"])


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@WRITERS
def test_existing_file_keeps_its_mode_and_leaves_no_temp(tmp_path, emit):
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o644)
    emit("new\n", target)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _names(tmp_path) == ["report.json"]


@WRITERS
def test_new_file_gets_the_umask_mode(tmp_path, emit):
    old = os.umask(0o027)
    try:
        emit("x", tmp_path / "new.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@WRITERS
def test_symlink_is_followed_and_stays_a_link(tmp_path, emit):
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o604)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    emit("new", link)
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert _names(tmp_path) == ["link.md", "real.md"]


@WRITERS
def test_dangling_symlink_creates_its_target(tmp_path, emit):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    emit("x", link)
    assert link.is_symlink() and (tmp_path / "later.md").read_text() == "x"


@WRITERS
def test_fifo_is_written_directly_never_replaced(tmp_path, emit):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    emit("through the pipe\n", fifo)
    reader.join(5)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _names(tmp_path) == ["pipe"]


@WRITERS
def test_character_device_is_written_directly(emit):
    before = os.stat("/dev/null")
    if not stat.S_ISCHR(before.st_mode):
        pytest.skip("/dev/null on this machine is not a character device (something replaced it), so there is "
                    "no character device to write to; the FIFO test covers special files")
    emit("discarded", "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@WRITERS
def test_full_device_is_one_line_error(emit):
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


@WRITERS
def test_unwritable_directory_and_directory_target(tmp_path, emit):
    with pytest.raises(OutputError, match="is a directory"):
        emit("x", tmp_path)
    with pytest.raises(OutputError, match="cannot write"):
        emit("x", tmp_path / "missing" / "r.json")


@pytest.mark.parametrize("call", ["w.emit('new', Path(sys.argv[1]))\n",
                                  "w.emit_report(lambda out: out.write('new'), Path(sys.argv[1]))\n"])
def test_signal_during_write_leaves_no_temp_file(tmp_path, call):
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
        + call
    )
    target = tmp_path / "r.txt"
    target.write_text("old")
    proc = subprocess.run([sys.executable, "-c", script, str(target)], env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.returncode == -signal.SIGTERM
    assert target.read_text() == "old" and _names(tmp_path) == ["r.txt"]


def test_cli_output_onto_fifo_symlink_and_existing_file(env_args, tmp_path):
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


def test_streamed_report_is_emits_bytes_with_lone_surrogates_replaced(tmp_path):
    text = "caf\u00e9 \ud800 pair \ud83d\ude00 end\n" * 3
    emit(text, tmp_path / "a.txt")
    kept = emit_report(lambda out: [out.write(line + "\n") for line in text.splitlines()], tmp_path / "b.txt")
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    assert kept == (tmp_path / "b.txt").read_text(encoding="utf-8") and "\ud800" not in kept


def test_streamed_report_text_is_returned_only_up_to_keep(tmp_path):
    assert emit_report(lambda out: out.write("x" * 10), tmp_path / "r.txt", keep=10) == "x" * 10
    assert emit_report(lambda out: out.write("x" * 11), tmp_path / "r.txt", keep=10) is None
    assert (tmp_path / "r.txt").read_text() == "x" * 11
    assert emit_report(lambda out: out.write("y" * 11), "/dev/null", keep=10) is None


def test_a_renderer_failing_midway_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")

    def render(out):
        out.write("partial" * 10_000)
        raise RuntimeError("formatter bug")

    with pytest.raises(RuntimeError, match="formatter bug"):
        emit_report(render, target)
    assert target.read_text() == "old" and _names(tmp_path) == ["r.json"]


def test_full_disk_while_streaming_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("old")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        emit_report(lambda out: out.write("new"), target)
    assert target.read_text() == "old" and _names(tmp_path) == ["r.json"]
