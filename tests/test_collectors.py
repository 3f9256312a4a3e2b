"""The one ordered collector table; provenance first, so later collectors see the final mapping."""

import dataclasses

import pytest

from auditor import pipeline
from auditor.collectors import COLLECTOR_TABLE, Collector
from auditor.models import Confidence, ReleaseProvenance, TrustedPublisher
from auditor.net.context import RunContext
from auditor.pipeline import FrozenDict, run_audit
from tests.builders import StaticSource, dist, inventory


def test_table_is_ordered_and_complete():
    names = [s.name for s in COLLECTOR_TABLE]
    assert len(names) == len(set(names))
    assert names[0] == "provenance"
    provided = {"mapping"}
    for spec in COLLECTOR_TABLE:
        assert set(spec.needs) <= provided, spec.name
        assert spec.name in spec.provides
        provided.update(spec.provides)
        assert spec.factory(None).key == spec.name
    view = [row[0] for row in pipeline.COLLECTORS]  # the (name, factory) view; conftest narrows it
    assert view == [n for n in names if n in view]


class Fixed(Collector):
    def __init__(self, key, values):
        self.key, self.values = key, values

    def collect(self, ctx, nodes):
        return {n.name: self.values[n.name] for n in nodes if n.name in self.values}


class SeesMapping(Collector):
    key = "probe"

    def collect(self, ctx, nodes):
        assert isinstance(ctx, RunContext)
        return {n.name: n.mapping.repo.url if n.mapping.repo else None for n in nodes}


ATTESTED = "https://github.com/real/app"


def test_later_collectors_see_the_provenance_mapping(config, fake_pypi):
    fake_pypi.add("app", "1.0")
    inv = inventory(["app"], dist("app"))  # no repository in the metadata: the attestation names it
    pub = TrustedPublisher("GitHub", "real/app", "release.yml", None, ATTESTED)
    prov = Fixed("provenance", {"app": ReleaseProvenance("verified", "app-1.0.tar.gz", (pub,))})
    result = run_audit(config, StaticSource(inv), collectors=[prov, SeesMapping()])
    app = result.nodes["app"]
    assert app.mapping.confidence == Confidence.VERIFIED and app.mapping.repo.url == ATTESTED
    assert app.signals["probe"] == ATTESTED


def test_collect_takes_the_context_then_the_nodes(config):
    with RunContext(config) as ctx:
        assert SeesMapping().collect(ctx, []) == {}


def test_audit_result_is_frozen(config, fake_pypi):
    fake_pypi.add("app", "1.0")
    result = run_audit(config, StaticSource(inventory(["app"], dist("app"))), collectors=[])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings = ()
    assert isinstance(result.nodes, FrozenDict) and isinstance(result.findings, tuple)
    with pytest.raises(TypeError):
        result.nodes["x"] = result.nodes["app"]
    with pytest.raises(TypeError):
        result.requests.clear()
    with pytest.raises(Exception):
        result.graph.add_node("x")
    assert dict(result.nodes) == result.nodes  # still a dict for json and comparisons


def test_context_can_carry_the_collectors(config, fake_pypi):
    fake_pypi.add("app", "1.0")
    with RunContext(config, collectors=[Fixed("release", {"app": "x"})]) as ctx:
        result = run_audit(config, StaticSource(inventory(["app"], dist("app"))), ctx=ctx)
    assert result.nodes["app"].signals == {"release": "x"}
    assert {"source", "pypi", "release"} <= set(result.timings)
