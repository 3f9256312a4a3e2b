"""Edge linking: markers evaluated for the target, extras propagated."""

from auditor.models import CoreMetadata, Distribution, TargetEnvironment, Unknown
from auditor.sources.edges import link


def dist(name, *requires, version="1.0"):
    return Distribution(name, version, CoreMetadata(name, version, requires_dist=tuple(requires)))


def edges_of(dists):
    return {d.name: sorted((e.target, e.via_extra) for e in d.requires) for d in dists}


LINUX = TargetEnvironment("3.11", "linux", "x86_64")
WINDOWS = TargetEnvironment("3.11", "win32", "AMD64")


def test_extras_requested_by_root_activate_optional_requirements():
    dists = [
        dist("requests", "urllib3<3", "idna", 'PySocks!=1.5.7,>=1.5.6; extra == "socks"'),
        dist("urllib3"), dist("idna"), dist("pysocks"),
    ]
    root, linked = link(["requests[socks]>=2"], dists, LINUX)
    assert [(e.target, e.extras) for e in root] == [("requests", ("socks",))]
    assert edges_of(linked)["requests"] == [("idna", None), ("pysocks", "socks"), ("urllib3", None)]


def test_extra_not_requested_adds_no_edge():
    dists = [dist("requests", 'PySocks; extra == "socks"'), dist("pysocks")]
    _root, linked = link(["requests"], dists, LINUX)
    assert edges_of(linked)["requests"] == []


def test_markers_are_evaluated_for_the_target_platform():
    dists = [dist("click", 'colorama; platform_system == "Windows"'), dist("colorama")]
    assert edges_of(link(["click"], dists, LINUX)[1])["click"] == []
    assert edges_of(link(["click"], dists, WINDOWS)[1])["click"] == [("colorama", None)]


def test_extras_propagate_transitively_and_through_self_references():
    dists = [
        dist("a", "b[x]"),
        dist("b", 'b[y]; extra == "x"', 'c; extra == "y"'),
        dist("c"),
    ]
    _root, linked = link(["a"], dists, LINUX)
    assert edges_of(linked) == {"a": [("b", None)], "b": [("c", "y")], "c": []}


def test_root_marker_false_drops_root_edge():
    root, _ = link(['numpy; python_version < "3.0"'], [dist("numpy")], LINUX)
    assert root == ()


def test_unknown_metadata_means_no_outgoing_edges():
    dists = [Distribution("x", "1", Unknown("no metadata")), dist("y")]
    _root, linked = link(["x"], dists, LINUX)
    assert edges_of(linked) == {"x": [], "y": []}


def test_requirement_string_and_marker_are_kept_verbatim():
    dists = [dist("a", 'b>=2; python_version >= "3.8"'), dist("b")]
    _root, linked = link(["a"], dists, LINUX)
    edge = linked[0].requires[0]
    assert edge.requirement == 'b>=2; python_version >= "3.8"'
    assert edge.marker == 'python_version >= "3.8"'
