from hypothesis import given, strategies as st
from packaging.tags import Tag
from packaging.utils import canonicalize_name
from packaging.version import Version

from auditor.dist.filenames import DistFilename, InvalidFilename, filename_from_url, parse_filename, parse_url_filename


def test_wheel_and_sdist():
    w = parse_filename("Foo_Bar-1.0-cp312-cp312-manylinux_2_28_x86_64.whl")
    assert isinstance(w, DistFilename)
    assert (w.name, w.version, w.kind) == ("foo-bar", Version("1.0"), "wheel")
    assert w.tags == {Tag("cp312", "cp312", "manylinux_2_28_x86_64")}
    s = parse_filename("foo-2.0.tar.gz")
    assert isinstance(s, DistFilename) and (s.name, s.version, s.kind, s.tags) == ("foo", Version("2.0"), "sdist", frozenset())


def test_invalid_names_are_values():
    for bad in ("foo.whl", "foo-1.0.exe", "foo-notaversion-py3-none-any.whl", "", "foo-1.0"):
        assert isinstance(parse_filename(bad), InvalidFilename)


def test_url_filename():
    assert filename_from_url("https://h/a/foo-1.0.tar.gz?x=1#sha256=ab") == "foo-1.0.tar.gz"
    assert parse_url_filename("https://h/a/foo-1.0-py3-none-any.whl#frag").version == Version("1.0")
    assert isinstance(parse_url_filename("git+https://h/o/r.git@v1"), InvalidFilename)


@given(st.text(max_size=80))
def test_never_raises(text):
    assert isinstance(parse_filename(text), (DistFilename, InvalidFilename))
    assert isinstance(parse_url_filename(text), (DistFilename, InvalidFilename))


names = st.from_regex(r"[A-Za-z0-9]+([._-][A-Za-z0-9]+)*", fullmatch=True)
versions = st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}")


@given(names, versions)
def test_round_trip(name, version):
    stem = canonicalize_name(name).replace("-", "_")
    wheel = parse_filename(f"{stem}-{version}-py3-none-any.whl")
    sdist = parse_filename(f"{stem}-{version}.tar.gz")
    for parsed in (wheel, sdist):
        assert isinstance(parsed, DistFilename), parsed
        assert (parsed.name, parsed.version) == (canonicalize_name(name), Version(version))


@given(st.from_regex(r"[\w.+!-]{0,12}(-[\w.+!]{0,8}){1,5}(\.whl|\.tar\.gz|\.zip)", fullmatch=True))
def test_filename_shaped_text_never_raises(text):
    parsed = parse_filename(text)
    assert isinstance(parsed, (DistFilename, InvalidFilename))
    if isinstance(parsed, DistFilename):
        assert parsed.kind == ("wheel" if text.endswith(".whl") else "sdist")
        assert bool(parsed.tags) == (parsed.kind == "wheel")
