"""The signal factors' breakdown on a fixed graph, with collectors faked through the Collector interface."""

import io
import math

from auditor.collectors import Collector
from auditor.models import (
    Advisory,
    InstallFacts,
    NameSignals,
    ReleaseFacts,
    ReleaseProvenance,
    Severity,
    TrustedPublisher,
    Unknown,
    VendoredCode,
    VendoredLibrary,
    VulnerabilityReport,
)
from auditor.pipeline import run_audit
from auditor.report import explain
from tests.builders import StaticSource, dist, inventory


class StaticCollector(Collector):
    """A collector answering fixed facts (implements our interface)."""

    def __init__(self, key, values):
        self.key = key
        self.values = values

    def collect(self, ctx, nodes):
        return {n.name: self.values[n.name] for n in nodes if n.name in self.values}


def facts(version, age, since, yanked=False):
    return ReleaseFacts(version, "2024-01-01T00:00:00Z", 10.0, age, 5, yanked, version, since, "2026-11-01")


GH = "https://github.com/o/app"
COLLECTORS = [
    StaticCollector("vulnerabilities", {
        "app": VulnerabilityReport("1.0", (), "osv"),
        "lib": VulnerabilityReport("1.0", (
            Advisory("GHSA-aaaa-bbbb-cccc", ("CVE-2026-1",), "bad", ("1.1",), Severity.HIGH, "database_specific.severity HIGH"),
            Advisory("PYSEC-2026-2", (), "meh", (), None),
        ), "osv"),
    }),
    StaticCollector("provenance", {
        "app": ReleaseProvenance("verified", "app-1.0.tar.gz", (TrustedPublisher("GitHub", "o/app", "release.yml", None, GH),)),
        "lib": ReleaseProvenance("unattested", "lib-1.0.tar.gz"),
    }),
    StaticCollector("names", {"app": NameSignals(), "lib": NameSignals(similar_to=(("libs", "edit distance 1"),))}),
    StaticCollector("install", {
        "app": InstallFacts("1.0", "app-1.0-py3-none-any.whl", "app-1.0.tar.gz", False),
        "lib": InstallFacts("1.0", None, "lib-1.0.tar.gz", True, "setuptools.build_meta:__legacy__", ("setuptools",)),
    }),
    StaticCollector("release", {"app": facts("1.0", 30.0, 30.0), "lib": facts("1.0", 3000.0, 800.0, yanked=True)}),
    StaticCollector("vendored", {
        "app": Unknown("not an installed environment", fault=False),
        "lib": VendoredCode((VendoredLibrary("lib.libs/libopenblas-x.so", 100, "OpenBLAS", True),
                             VendoredLibrary("lib.libs/libgfortran-y.so.5", 50, "libgfortran (GCC)", True))),
    }),
]


def log_scale(v, sat):
    return min(1.0, math.log1p(v) / math.log1p(sat)) if v > 0 else 0.0


def test_signal_breakdown_on_fixed_graph(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "solo"),))
    fake_pypi.add("lib", "1.0", roles=(("Owner", "a"), ("Owner", "b")), organization="team")
    inv = inventory(["app"], dist("app", requires=["lib"], project_urls=(("Source", GH),)), dist("lib"))
    result = run_audit(config, StaticSource(inv), collectors=COLLECTORS)

    app = {f.name: f for f in result.scores["app"].factors}
    assert app["vulnerabilities"].points == 0 and app["vulnerabilities"].value == 0
    assert app["provenance"].points == 0 and app["provenance"].value == "verified"
    assert app["name_confusion"].points == 0
    assert app["install_time"].points == 0
    assert app["project_age"].points == round(5 * (1 - log_scale(30, 365)), 2)
    assert app["release_staleness"].points == 0  # within the one-year grace
    assert app["yanked"].points == 0
    assert "vendored_native" in result.scores["app"].unknown_factors
    # the verified publisher agrees with the mapping: the mapping became verified
    assert result.nodes["app"].mapping.confidence.value == "verified"
    assert app["repo_confidence"].points == 0

    lib = {f.name: f for f in result.scores["lib"].factors}
    assert lib["vulnerabilities"].value == 2 and lib["vulnerabilities"].points == 14.0  # high: 0.7 * 20
    assert lib["provenance"].points == 5.0  # unattested: half of 10
    assert lib["name_confusion"].points == 10.0 and lib["name_confusion"].value == "libs"
    assert lib["install_time"].points == 5.0
    assert lib["project_age"].points == 0.0
    assert lib["release_staleness"].points == round(5 * log_scale(800 - 365, 1095), 2)
    assert lib["yanked"].points == 5.0
    assert lib["vendored_native"].value == 2 and lib["vendored_native"].points == round(5 * log_scale(2, 10), 2)
    factors = result.scores["lib"].factors  # unknown ones add half their weight (docs/scoring.md)
    assert result.scores["lib"].total == round(100 * sum(f.points for f in factors) / sum(f.weight for f in factors), 1)
    assert result.scores["lib"].unknown_factors == ("contributors", "active_contributors", "bus_factor", "scorecard")  # not collected here

    ids = [(f.id, f.package) for f in result.findings]
    assert ("AUD101", "lib") in ids and ("AUD105", "lib") in ids and ("AUD108", "lib") in ids
    assert [f.severity for f in result.findings if f.id == "AUD101"] == [Severity.HIGH, Severity.MEDIUM]  # rated high; unrated -> unrated_vulnerability_severity

    out = io.StringIO()
    explain.render(result, "LIB", out)
    text = out.getvalue()
    assert "lib==1.0: exposure" in text and "vulnerabilities" in text and "GHSA-aaaa-bbbb-cccc" in text
    assert "test-input -> app==1.0 -> lib==1.0" in text or "-> app==1.0 -> lib==1.0" in text
    assert "AUD108" in text and "resembles" in text


def test_explain_unknown_package_is_input_error(config, fake_pypi):
    import pytest

    from auditor.errors import InputError

    fake_pypi.add("app", "1.0")
    result = run_audit(config, StaticSource(inventory(["app"], dist("app"))), collectors=[])
    with pytest.raises(InputError, match="not in the audited set"):
        explain.render(result, "nope", io.StringIO())


def test_graph_signal_attributes_and_build_edges(config, fake_pypi, tmp_path):
    import networkx as nx

    from auditor.report import graphml

    fake_pypi.add("app", "1.0")
    fake_pypi.add("lib", "1.0")
    inv = inventory(["app"], dist("app", requires=["lib"], project_urls=(("Source", GH),)), dist("lib"))
    result = run_audit(config.with_changes(build_deps=True), StaticSource(inv), collectors=COLLECTORS)
    g = result.graph
    lib = g.nodes["lib==1.0"]
    assert (lib["advisories"], lib["worst_severity"], lib["provenance"]) == (2, "high", "unattested")
    assert lib["builds_from_source"] is True and lib["yanked"] is True and lib["bundled_libraries"] == 2
    assert lib["similar_to"] == "libs" and lib["advisory_ids"] == ["GHSA-aaaa-bbbb-cccc", "PYSEC-2026-2"]
    assert g.nodes["app==1.0"]["publisher"] == GH
    assert g.edges["lib==1.0", "build:setuptools"]["kind"] == "build"
    assert g.nodes["build:setuptools"]["kind"] == "build_requirement"
    assert result.graph.nodes["lib==1.0"]["dependents"] == 1  # build edges do not count as requires
    path = tmp_path / "g.graphml"
    with open(path, "w") as fh:
        graphml.render(result, fh)
    back = nx.read_graphml(path)
    assert back.nodes["lib==1.0"]["builds_from_source"] is True
    assert back.edges["lib==1.0", "build:setuptools"]["kind"] == "build"
