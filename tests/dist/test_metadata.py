from auditor.dist.metadata import from_json_info, from_pyproject, parse_core_metadata


def test_parse_core_metadata_bytes_and_text():
    doc = b"Metadata-Version: 2.1\nName: x\nVersion: 1.0\nRequires-Dist: a>=1\nProject-URL: Source, https://h/x\n"
    for raw in (doc, doc.decode()):
        meta = parse_core_metadata(raw)
        assert (meta.name, meta.version, meta.requires_dist) == ("x", "1.0", ("a>=1",))
        assert meta.project_urls == (("Source", "https://h/x"),)


def test_lenient_on_garbage():
    meta = parse_core_metadata(b"\xff\xfe not metadata")
    assert meta.name == "" and meta.version == ""


def test_json_info_pip_report_urls():
    meta = from_json_info({"name": "x", "version": "1", "project_urls": ["Home, https://h"]})
    assert meta.project_urls == (("Home", "https://h"),)


def test_from_pyproject():
    meta = from_pyproject({"name": "p", "version": "1", "dependencies": ["a"],
                           "optional-dependencies": {"t": ["b; python_version<'4'"]}})
    assert meta.requires_dist == ("a", "(b); extra == \"t\"")
    assert meta.provides_extra == ("t",)
    assert from_pyproject({"name": "p", "dynamic": ["version", "dependencies"], "dependencies": ["a"]}).version == ""
    assert from_pyproject({"version": "1"}) is None


def test_dist_info_members():
    from auditor.dist.metadata import dist_info_members

    names = ["x/__init__.py", "x-1.0.dist-info/RECORD", "x-1.0.dist-info/METADATA", "a/b.dist-info/METADATA",
             ".dist-info/METADATA"]
    assert dist_info_members(names) == ["x-1.0.dist-info/METADATA"]
    assert dist_info_members(names, "RECORD") == ["x-1.0.dist-info/RECORD"]
