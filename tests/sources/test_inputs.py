"""Input files: regular file or '-', size cap, depth bounds; special files get a clear error, never a hang."""

from __future__ import annotations

import io
import os

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.dist.bounded import TooDeep, loads_json, loads_toml, nesting_depth
from auditor.errors import InputError
from auditor.sources.inputs import check_input_file, read_input, read_stdin
from auditor.sources.registry import open_source

runner = CliRunner()
PYLOCK = 'lock-version = "1.0"\ncreated-by = "hand"\n\n[[packages]]\nname = "a"\nversion = "1.0"\n'


def test_fifo_and_devices_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "requirements.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        open_source(fifo)  # returns at once: nothing opens the pipe
    with pytest.raises(InputError, match="character device"):
        open_source("/dev/zero", "requirements")
    with pytest.raises(InputError, match="directory"):
        open_source(tmp_path)


def test_size_cap_on_files_and_stdin(tmp_path):
    big = tmp_path / "uv.lock"
    big.write_bytes(b"#" * 2000)
    with pytest.raises(InputError, match="input size limit"):
        check_input_file(big, max_bytes=1000)
    assert read_input(big, max_bytes=5000) == b"#" * 2000
    with pytest.raises(InputError, match="input size limit"):
        read_stdin(1000, io.BytesIO(b"x" * 1001))


@pytest.mark.parametrize("doc", ["a = " + "[" * 100_000, "a = " + "{b = " * 50_000])
def test_deep_toml_is_an_input_error(tmp_path, doc):
    lock = tmp_path / "pylock.toml"
    lock.write_text(doc)
    with pytest.raises(InputError, match="nested deeper"):
        open_source(lock).read_toml()


def test_huge_integer_and_deep_json_are_input_errors(tmp_path):
    lock = tmp_path / "pylock.toml"
    lock.write_text(PYLOCK + "size = " + "9" * 5000 + "\n")
    with pytest.raises(InputError, match="pylock.toml"):
        open_source(lock).read_toml()
    with pytest.raises(TooDeep):
        loads_json("[" * 100_000)
    assert loads_toml('a = "[[[[" # [[[[\nb = [1, [2]]\n') == {"a": "[[[[", "b": [1, [2]]}
    assert nesting_depth('{"x": "]]]", "y": [[1]]}') == 3


def test_stdin_dash_reads_a_lockfile(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PYLOCK.encode())))
    source = open_source("-", fetch_metadata=False)
    assert source.text == PYLOCK and type(source).__name__ == "PylockSource"


def test_cli_fifo_input_exits_2_at_once(env_args, tmp_path):
    fifo = tmp_path / "uv.lock"
    os.mkfifo(fifo)
    args = [a for a in env_args]
    i = args.index("--python")
    del args[i:i + 2]
    res = runner.invoke(app, ["audit", str(fifo), *args])
    assert res.exit_code == 2 and "FIFO" in res.output


def test_undecodable_metadata_is_one_unknown_not_the_end(env_args, fake_env):
    info = fake_env.install("broken", "1.0")
    (info / "METADATA").write_bytes(b"Metadata-Version: 2.1\nName: broken\nVersion: 1.0\nSummary: \xff\xfe\n")
    res = runner.invoke(app, ["audit", *env_args, "-f", "json"])
    assert res.exit_code == 3, res.output
    assert "undecodable metadata" in res.output


def test_stdin_read_from_a_private_copy_is_named_dash(monkeypatch):
    """Requirements on standard input are copied to a private temporary file for the resolver; the
    report names the input '-' (as for a lockfile read as text), never the copy's random path, so
    identical input gives identical bytes (with SOURCE_DATE_EPOCH: otherwise ``generated_at``
    differs when the two runs straddle a second)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")
    args = ["audit", "-", "--offline", "--resolver", "none", "-f", "json"]
    first = runner.invoke(app, args, input="six==1.16.0\n")
    second = runner.invoke(app, args, input="six==1.16.0\n")
    assert first.exit_code in (0, 3), first.output
    report = first.stdout[first.stdout.index("{"):]
    assert '"name": "-"' in report and "auditor-stdin" not in first.output
    assert second.stdout == first.stdout


@pytest.mark.parametrize("text, where", [("numpy==\n", "-:1: "), ("numpy>=1\n--bogus-option x\n", "-:2: "),
                                         ("-r other.txt\n", "-:1: included file not found: other.txt")])
def test_errors_in_stdin_name_dash_and_the_line(text, where):
    res = runner.invoke(app, ["audit", "-", "--offline", "-f", "json"], input=text)
    assert res.exit_code == 2
    assert where in res.output and "auditor-stdin" not in res.output


def test_stdin_is_never_answered_from_the_result_cache(tmp_path, monkeypatch):
    """'-' names no file the result cache could key on: a file called '-' in the working directory
    must not make two different standard inputs share a stored report."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("idna==3.7\n")
    args = ["audit", "-", "--offline", "--resolver", "none", "-f", "json", "--cache-dir", str(tmp_path / "c"),
            "-o", str(tmp_path / "out" / "r.json")]
    (tmp_path / "out").mkdir()
    for pin in ("six==1.16.0", "attrs==24.2.0"):
        res = runner.invoke(app, args, input=pin + "\n")
        assert res.exit_code in (0, 3), res.output
        assert pin in (tmp_path / "out" / "r.json").read_text()
    assert not (tmp_path / "c" / "results-v1").exists() or not any((tmp_path / "c" / "results-v1").iterdir())
