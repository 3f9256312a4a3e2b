from auditor.dist.urls import has_scheme, is_remote, is_vcs, location_kind


def test_location_kind():
    assert location_kind("git+https://github.com/o/r@v1") == "vcs"
    assert location_kind("HG+https://h/r") == "vcs"
    assert location_kind("https://h/x-1.0.tar.gz") == "url"
    for path in ("file:///abs/x", "FILE:///abs/x", "/abs/x", "./rel", "rel/x.whl"):
        assert location_kind(path) == "path", path


def test_predicates():
    assert has_scheme("file:///x") and not is_remote("file:///x")
    assert is_remote("https://h") and not is_remote("./x") and not has_scheme("x")
    assert is_vcs("bzr+lp:x") and not is_vcs("https://git.h/x")
