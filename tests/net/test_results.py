

def test_a_fifo_input_is_never_read_for_a_key(tmp_path):
    """A FIFO (or any special file) as input is not opened to compute a key: no hang, no caching."""
    import os

    from auditor.net.results import result_key

    fifo = tmp_path / "uv.lock"
    os.mkfifo(fifo)
    assert result_key(("audit",), fifo) is None
