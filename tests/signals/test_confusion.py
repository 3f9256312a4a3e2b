"""Issue 13 item 9: a name served both by a private index of the run and by PyPI (AUD122).

Two indexes on the shared fake server: the fake PyPI (``/simple/``, JSON API
``/pypi/NAME/json``) and a private index beside it (``/private/simple/``).
"""

from dataclasses import replace

import pytest

from auditor.judgement.findings import findings_for
from auditor.models import IndexCopy, Origin, Severity, SharedName, Unknown
from auditor.net.pypi import PyPIClient
from auditor.signals.confusion import IndexesCollector
from tests.builders import package_node

T = "2024-01-01T00:00:00.000000Z"


@pytest.fixture
def two_indexes(ctx, fake_pypi):
    s = fake_pypi
    ctx.config = replace(ctx.config, index_url=s.url + "/simple", pypi_url=s.url)
    s.add_project("acme-utils", "99.0", uploads={"99.0": T})       # someone registered the private name, higher
    s.add_index_release("private", "acme-utils", "1.0")
    s.add_project("acme-core", "0.0.1", uploads={"0.0.1": T})      # a placeholder below the private version
    s.add_index_release("private", "acme-core", "2.0")
    s.add_project("mirrored", "1.0")                                # the private index proxies PyPI's own file
    s.add_index_release("private", "mirrored", "1.0")
    s.add_project("public-only", "1.0")
    s.add_index_release("private", "acme-secret", "3.0")            # PyPI does not serve it: AUD120's case
    return s


def nodes_for(ctx, private, served):
    out = []
    for name, version in served:
        where = private if name in ("acme-utils", "acme-core", "acme-secret", "mirrored") else ctx.config.index_url
        project = PyPIClient(ctx).project(name)
        out.append(package_node(name, version, project=project, origin=Origin(kind="registry", index_url=where)))
    return out


def judged(node, value):
    node = replace(node, signals={"indexes": value})
    return [(f.severity, f.message, f.evidence) for f in findings_for(node) if f.id == "AUD122"]


def test_private_names_on_pypi_are_findings(ctx, two_indexes):
    private = two_indexes.url + "/private/simple"
    nodes = nodes_for(ctx, private, [("acme-utils", "1.0"), ("acme-core", "2.0"), ("mirrored", "1.0"),
                                     ("acme-secret", "3.0"), ("public-only", "1.0")])
    out = IndexesCollector().collect(ctx, nodes)
    by = {n.name: n for n in nodes}
    assert out["acme-utils"] == SharedName(("99.0",), (IndexCopy(private, ("1.0",)),), private)
    assert out["mirrored"].copies == (IndexCopy(private, ("1.0",), mirror=True),)
    assert out["public-only"].copies == ()
    assert isinstance(out["acme-secret"], Unknown) and not out["acme-secret"].fault  # AUD120 reports it

    ((sev, message, evidence),) = judged(by["acme-utils"], out["acme-utils"])
    assert sev is Severity.HIGH  # PyPI's copy is higher: pip's merged candidates install it
    assert f"acme-utils is served by {private} and by PyPI: PyPI's 99.0 is higher" in message
    assert evidence == f"{private}/acme-utils/: 1 version(s), highest 1.0; PyPI: 1 version(s), highest 99.0"
    ((sev, message, _),) = judged(by["acme-core"], out["acme-core"])
    assert sev is Severity.MEDIUM and "can publish a version above 2.0" in message
    assert judged(by["mirrored"], out["mirrored"]) == [] and judged(by["public-only"], out["public-only"]) == []


def test_a_private_name_resolved_from_pypi_is_high(ctx, two_indexes):
    """The PyPI copy already won (uv's `# from` names the public index) while the private index serves its own."""
    private = two_indexes.url + "/private/simple"
    two_indexes.add_index_release("private", "acme-core", "2.0")
    node = package_node("acme-core", "0.0.1", project=PyPIClient(ctx).project("acme-core"),
                        origin=Origin(kind="registry", index_url=ctx.config.index_url))
    helper = package_node("acme-utils", "1.0", project=PyPIClient(ctx).project("acme-utils"),
                          origin=Origin(kind="registry", index_url=private))  # the private index is one of the run's
    out = IndexesCollector().collect(ctx, [node, helper])
    ((sev, message, _),) = judged(node, out["acme-core"])
    assert sev is Severity.HIGH and message.endswith(f"the resolved 0.0.1 came from {ctx.config.index_url}")


def test_a_configured_index_that_served_nothing_is_read(ctx, two_indexes):
    """pip merged the candidates and PyPI's copy won for every package: the private index is still one of the run's."""
    from auditor.sources.interface import note_indexes

    private = two_indexes.url + "/private/simple"
    note_indexes(ctx, [ctx.config.index_url, private])  # what the requirements source does for --extra-index-url
    node = package_node("acme-utils", "99.0", project=PyPIClient(ctx).project("acme-utils"),
                        origin=Origin(kind="registry", index_url=ctx.config.index_url))
    ((sev, message, _),) = judged(node, IndexesCollector().collect(ctx, [node])["acme-utils"])
    assert sev is Severity.HIGH and message.endswith(f"the resolved 99.0 came from {ctx.config.index_url}")


def test_one_index_costs_nothing(ctx, two_indexes):
    node = package_node("public-only", "1.0", project=PyPIClient(ctx).project("public-only"),
                        origin=Origin(kind="registry", index_url=ctx.config.index_url))
    before = len(two_indexes.log)
    assert IndexesCollector().collect(ctx, [node]) == {} and len(two_indexes.log) == before


def test_an_unreadable_private_page_is_unknown(ctx, two_indexes):
    from tests.fakes.server import Reply

    private = two_indexes.url + "/private/simple"
    two_indexes.script("/private/simple/acme-utils/", Reply(401, {"message": "auth"}))
    (node,) = nodes_for(ctx, private, [("acme-utils", "1.0")])
    value = IndexesCollector().collect(ctx, [node])["acme-utils"]
    assert isinstance(value, Unknown) and "401" in value.reason and private in value.reason


def test_shown_in_every_format(config, fake_pypi):
    """End to end: the finding is in the table, JSON, Markdown, SARIF and GraphML's findings."""
    import json

    from auditor.pipeline import run_audit
    from auditor.report import registry
    from tests.builders import StaticSource, dist, inventory

    fake_pypi.add_project("acme-utils", "99.0", uploads={"99.0": T})
    fake_pypi.add_index_release("private", "acme-utils", "1.0")
    private = fake_pypi.url + "/private/simple"
    d = replace(dist("acme-utils", "1.0"), origin=Origin(kind="registry", index_url=private))
    config = replace(config, index_url=fake_pypi.url + "/simple", pypi_url=fake_pypi.url, osv_url=fake_pypi.url)
    result = run_audit(config, StaticSource(inventory(["acme-utils"], d)), collectors=[IndexesCollector()])
    assert [(f.id, f.severity) for f in result.findings if f.id == "AUD122"] == [("AUD122", Severity.HIGH)]
    doc = json.loads(registry.render("audit", "json", result))
    assert "AUD122" in {f["id"] for f in doc["findings"]}
    sarif = json.loads(registry.render("audit", "sarif", result))
    assert [r["level"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "AUD122"] == ["error"]
    assert "AUD122" in registry.render("audit", "markdown", result)
    assert "AUD122" in registry.render("audit", "table", result, color=False, width=200)


@pytest.mark.parametrize("resolver", ["uv", "pip"])
def test_requirements_with_an_extra_index_end_to_end(tmp_path, config, fake_pypi, resolver):
    """The real resolvers on two fake indexes: uv takes the private copy (extra index first), pip the higher
    PyPI one; both runs report AUD122 high and say which index served the resolved version."""
    from auditor.pipeline import run_audit
    from auditor.sources.requirements import RequirementsSource

    fake_pypi.add_project("acme-utils", "99.0", uploads={"99.0": T})
    fake_pypi.add_wheel_files("acme-utils")  # the CI's pip 22.2 has no PEP 658: it downloads the wheel
    fake_pypi.add_index_release("private", "acme-utils", "1.0")
    public, private = fake_pypi.url + "/simple", fake_pypi.url + "/private/simple"
    req = tmp_path / "requirements.txt"
    req.write_text(f"--index-url {public}\n--extra-index-url {private}\nacme-utils\n")
    config = replace(config, index_url=public, pypi_url=fake_pypi.url, osv_url=fake_pypi.url, cache_dir=tmp_path / "c")
    result = run_audit(config, RequirementsSource(req, resolver=resolver), collectors=[IndexesCollector()])
    (f,) = [f for f in result.findings if f.id == "AUD122"]
    version, came = ("1.0", private) if resolver == "uv" else ("99.0", public)
    assert result.nodes["acme-utils"].distribution.version == version
    assert f.severity is Severity.HIGH and f.message.endswith(f"the resolved {version} came from {came}")


def test_a_pipfile_lock_notes_every_source(tmp_path, ctx):
    """pipenv hands every `_meta.sources` index to pip: each is one of the run's indexes."""
    import json

    from auditor.sources.interface import run_indexes
    from auditor.sources.pipfile_lock import PipfileLockSource

    doc = {"_meta": {"sources": [{"name": "pypi", "url": "https://pypi.org/simple"},
                                 {"name": "acme", "url": "https://user:secret@pkgs.acme.example/simple"}]},
           "default": {"acme-utils": {"version": "==1.0", "index": "acme"}}, "develop": {}}
    p = tmp_path / "Pipfile.lock"
    p.write_text(json.dumps(doc, indent=4))
    inv = PipfileLockSource(p, fetch_metadata=False).collect(ctx)
    index = inv.by_name()["acme-utils"].origin.index_url
    assert "pkgs.acme.example" in index and "secret" not in index  # the origin (and so every report) too
    noted = run_indexes(ctx)
    assert "https://pypi.org/simple" in noted and any("pkgs.acme.example" in u for u in noted)
    assert not any("secret" in u for u in noted)  # credentials redacted
