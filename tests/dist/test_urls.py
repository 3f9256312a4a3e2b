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


def test_parse_direct_url():
    from auditor.dist.urls import DirectUrl, parse_direct_url

    vcs = parse_direct_url({"url": "https://g/o/r", "vcs_info": {"vcs": "git", "commit_id": "abc"}})
    assert vcs == DirectUrl("vcs", "git+https://g/o/r", "abc") and vcs.pinned_url == "git+https://g/o/r@abc"
    assert parse_direct_url({"url": "https://g/o/r", "vcs_info": {"vcs": "hg"}}).pinned_url == "hg+https://g/o/r"
    d = parse_direct_url({"url": "file:///src/p", "dir_info": {"editable": True}})
    assert (d.kind, d.url, d.editable) == ("path", "file:///src/p", True)
    assert parse_direct_url({"url": "file:///w/p-1.whl", "archive_info": {}}).kind == "path"
    assert parse_direct_url({"url": "https://h/p-1.tar.gz", "archive_info": {}}).kind == "url"
