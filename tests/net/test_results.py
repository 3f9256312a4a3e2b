

def test_a_fifo_input_is_never_read_for_a_key(tmp_path):
    """A FIFO (or any special file) as input is not opened to compute a key: no hang, no caching."""
    import os

    from auditor.net.results import result_key

    fifo = tmp_path / "uv.lock"
    os.mkfifo(fifo)
    assert result_key(("audit",), fifo) is None


def test_the_key_covers_auditors_own_files(tmp_path):
    """An editable checkout whose code changed (or a reinstall of the same version) must not be
    answered by the old code's report: the key covers the size and mtime of auditor's own files,
    not only its version string; bytecode caches are left out."""
    import os

    from auditor.net.results import code_fingerprint

    pkg = tmp_path / "auditor"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    first = code_fingerprint(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert code_fingerprint(pkg) == first
    os.utime(pkg / "sub" / "b.py", ns=(1, 1))
    assert code_fingerprint(pkg) != first
    assert code_fingerprint() == code_fingerprint()  # the installed package's: once a process
