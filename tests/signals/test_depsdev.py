"""deps.dev enricher against a fake deps.dev API."""

from __future__ import annotations

from auditor.collectors import RunContext
from auditor.models import DepsDevVersion, Unknown
from auditor.net.depsdev import repo_key
from auditor.signals.depsdev import DepsDevCollector
from tests.fakes.forges import FakeForges, FakeRepo


def test_depsdev_versions_and_mapping_agreement(tmp_path):
    repos = [
        FakeRepo("github.com", "psf/requests", "requests", version="2.31.0", verified=True),
        FakeRepo("github.com", "me/fork", "forked", depsdev_repo="github.com/upstream/real"),
        FakeRepo("github.com", "x/pkg0", "pkg0"),
    ]
    with FakeForges(repos) as f:
        nodes = f.nodes()
        out = DepsDevCollector().collect(RunContext(f.config(tmp_path)), nodes)
        req = out["requests"]
        assert isinstance(req, DepsDevVersion)
        assert req.source_repo == "https://github.com/psf/requests" and req.verified
        assert req.source_repo_provenance == "PYPI_PUBLISH_ATTESTATION"
        assert req.mapping_agreement == "agrees"
        assert req.dependents == 120 and req.direct_dependents == 30
        assert out["forked"].mapping_agreement == "disagrees" and not out["forked"].verified
        assert out["pkg0"].advisories == ("GHSA-xxxx-yyyy-zzzz",)
        assert f.depsdev.count("/v3/systems/pypi/packages/requests/versions/2.31.0") == 1
        assert f.depsdev.count("/v3alpha/systems/pypi/packages/requests/versions/2.31.0:dependents") == 1


def test_unknown_package(tmp_path):
    with FakeForges([FakeRepo("github.com", "a/b", "known")]) as f:
        node = f.nodes()[0]
        from dataclasses import replace

        other = replace(node, distribution=replace(node.distribution, name="private-pkg"))
        out = DepsDevCollector().collect(RunContext(f.config(tmp_path)), [other])
        assert out["private-pkg"] == Unknown("not known to deps.dev", fault=False)


def test_repo_key():
    assert repo_key("git+https://GitHub.com/Psf/Requests.git#egg=x") == "github.com/psf/requests"
    assert repo_key("git@github.com:psf/requests.git") == "github.com/psf/requests"
    assert repo_key("github.com/psf/requests/tree/main/sub") == "github.com/psf/requests"
    assert repo_key(None) is None
