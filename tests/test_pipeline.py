"""run_audit end to end on a small inventory against the fake PyPI."""

from auditor.graph import attrs as A
from auditor.models import Confidence, Unknown
from auditor.pipeline import run_audit
from tests.builders import StaticSource, dist, inventory

GH = (("Source", "https://github.com/org/app"),)


def small(fake_pypi):
    fake_pypi.add("app", "1.0", requires_dist=["lib"], project_urls=GH, roles=(("Owner", "alice"), ("Maintainer", "bob")))
    fake_pypi.add("lib", "2.0", roles=(("Owner", "carol"),), organization="libs")
    return inventory(
        ["app"],
        dist("app", "1.0", requires=["lib>=2"], project_urls=GH, requires_python=">=3.9"),
        dist("lib", "2.0", project_urls=(("Homepage", "https://github.com/libs/lib"),)),
    )


def test_nodes_mapping_maintainers_and_interpreter(config, fake_pypi):
    result = run_audit(config, StaticSource(small(fake_pypi)))
    assert set(result.nodes) == {"app", "lib", "python"}
    app = result.nodes["app"]
    assert app.mapping.confidence == Confidence.HIGH
    assert [m.username for m in app.maintainers] == ["alice", "bob"]
    assert result.nodes["lib"].project.ownership.organization == "libs"
    py = result.nodes["python"]
    assert py.mapping.repo.url == "https://github.com/python/cpython"
    # Every distribution requires the interpreter, with its Requires-Python.
    assert result.graph.edges["app==1.0", "python==3.11.7"][A.REQUIREMENT] == "python>=3.9"
    assert not result.incomplete


def test_root_summary_counts_distinct_things(config, fake_pypi):
    result = run_audit(config, StaticSource(small(fake_pypi)))
    r = result.root
    assert (r.packages, r.direct, r.repositories, r.unmapped, r.maintainers, r.organizations) == (2, 1, 2, 0, 3, 1)  # CPython's repository: the interpreter's own line
    assert isinstance(r.contributors, Unknown)


def test_graph_shape_and_attributes(config, fake_pypi):
    g = run_audit(config, StaticSource(small(fake_pypi))).graph
    assert g.nodes[A.ROOT_ID][A.KIND] == A.ROOT
    assert g.edges[A.ROOT_ID, "app==1.0"][A.KIND] == A.REQUIRES
    assert g.edges["app==1.0", "lib==2.0"][A.REQUIREMENT] == "lib>=2"
    assert g.edges["app==1.0", "repo:https://github.com/org/app"][A.KIND] == A.SOURCE
    assert g.edges["pypi:carol", "lib==2.0"][A.ROLE] == "Owner"
    assert g.nodes["lib==2.0"][A.DEPENDENTS] == 1
    assert 0 <= g.nodes["lib==2.0"][A.SCORE] <= 100


def test_unknown_package_is_marked_and_audit_completes(config, fake_pypi):
    inv = inventory(["ghost"], dist("ghost", "0.1"))
    result = run_audit(config, StaticSource(inv))
    assert isinstance(result.nodes["ghost"].project, Unknown)
    assert result.incomplete
    assert [(m.package, m.what, m.reason) for m in result.missing] == [("ghost", "pypi", "not found on PyPI")]
    assert result.scores["ghost"].unknown_factors  # listed, not silently 0


def test_second_audit_makes_no_network_requests(config, fake_pypi):
    inv = small(fake_pypi)
    run_audit(config, StaticSource(inv))
    before = fake_pypi.network_requests
    assert before > 0
    again = run_audit(config, StaticSource(inv))
    assert fake_pypi.network_requests == before
    assert all(c["network"] == 0 for c in again.requests.values())


def test_no_cache_does_not_write_the_cache(config, fake_pypi):
    run_audit(config.with_changes(use_cache=False), StaticSource(small(fake_pypi)))
    assert not (config.cache_dir / "http-cache.sqlite").exists()
