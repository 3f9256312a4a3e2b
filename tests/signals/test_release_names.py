from auditor.models import Ownership, PyPIProject, ReleaseFacts, Unknown
from auditor.judgement.findings import all_findings, catalogue, findings_for
from auditor.signals.names import NamesCollector, related, shared_repositories, similar_names, top_projects
from auditor.signals.release import ReleaseCollector, release_facts

from tests.builders import package_node

PROJECT = PyPIProject(
    name="demo",
    ownership=Ownership(None, ()),
    release_count=4,
    first_upload="2019-01-10T08:00:00.000000Z",
    version_uploads={
        "0.9": "2019-01-10T08:00:00.000000Z",
        "1.0": "2020-06-01T12:00:00.000000Z",
        "1.1": "2021-03-01T00:00:00Z",
        "2.0": "2024-05-01T00:00:00Z",
    },
    yanked_versions=("1.1",),
)


def test_release_facts_respect_as_of():
    facts = release_facts(PROJECT, "1.0", as_of="2022-06-01")
    assert facts.uploaded == "2020-06-01T12:00:00.000000Z"
    assert facts.release_count == 3  # 2.0 is after as_of
    assert facts.last_release == "1.1"
    assert facts.yanked is False
    assert facts.reference_date == "2022-06-01"
    # measured to the end of the as_of day (23:59:59 UTC), rounded to 0.01 day
    assert (facts.project_age_days, facts.days_since_last_release, facts.version_age_days) == (1238.67, 458.0, 730.5)
    assert release_facts(PROJECT, "1.1", as_of="2022-06-01").yanked
    assert release_facts(PROJECT, "1.0.0", as_of="2022-06-01").uploaded == facts.uploaded  # PEP 440 equal
    assert release_facts(PROJECT, "9.9", as_of="2022-06-01").uploaded is None


def test_release_collector_and_findings(ctx):
    ctx.config = ctx.config.with_changes(as_of="2026-11-01")
    nodes = [package_node("demo", "1.1", project=PROJECT), package_node("gone"), package_node("nover", None, project=PROJECT)]
    out = ReleaseCollector().collect(ctx, nodes)
    assert isinstance(out["demo"], ReleaseFacts)
    assert out["gone"] == Unknown("no PyPI project facts (not fetched)", fault=False)
    assert isinstance(out["nover"], Unknown)
    ids = [f.id for f in findings_for(package_node("demo", "1.1", repo="https://github.com/a/demo", signals={"release": out["demo"]}))]
    assert ids == ["AUD105", "AUD111"]  # yanked; last release 2024-05-01 is 914 days before as_of
    young = PyPIProject(name="young", ownership=Unknown("x"), version_uploads={"0.1": "2026-10-20T00:00:00Z"})
    facts = ReleaseCollector().collect(ctx, [package_node("young", "0.1", project=young)])["young"]
    assert [f.id for f in findings_for(package_node("young", "0.1", repo="https://github.com/a/young", signals={"release": facts}))] == ["AUD112"]


def test_similar_names():
    assert top_projects()[:2] == ("boto3", "packaging")
    assert similar_names("reqeusts") == (("requests", "edit distance 1"),)
    assert similar_names("pythondateutil") == (("python-dateutil", "delimiter change"),)
    assert similar_names("dateutil-python") == (("python-dateutil", "swapped words"),)
    assert similar_names("crypt0graphy") == (("cryptography", "look-alike characters"),)
    assert similar_names("python-requests")[0] == ("requests", "added or removed python/py affix")
    assert similar_names("requests") == ()  # popular names are not typosquats
    assert similar_names("zzzqqq-unrelated") == ()


def test_shared_repository_and_names_collector(ctx):
    url = "https://github.com/pallets/markupsafe"
    nodes = [
        package_node("markupsafe", repo=url),
        package_node("totally-different", repo=url),
        package_node("scikit-learn", repo="https://github.com/scikit-learn/scikit-learn"),
        package_node("sklearn", repo="https://github.com/scikit-learn/scikit-learn"),
        package_node("reqeusts"),
    ]
    assert shared_repositories(nodes) == {"totally-different": ("markupsafe",)}
    assert related("sklearn", "scikit-learn") and not related("totally-different", "markupsafe")
    out = NamesCollector().collect(ctx, nodes)
    assert out["markupsafe"].rank is not None and out["markupsafe"].shares_repository_with == ()
    assert out["totally-different"].shares_repository_with == ("markupsafe",)
    assert out["reqeusts"].rank is None and out["reqeusts"].similar_to[0][0] == "requests"
    enriched = [package_node(n.name, repo=n.mapping.repo.url if n.mapping.repo else None, signals={"names": out[n.name]}) for n in nodes]
    found = all_findings(enriched)
    assert [(f.id, f.package) for f in found] == [
        ("AUD108", "reqeusts"),
        ("AUD109", "totally-different"),
        ("AUD110", "reqeusts"),
    ]
    assert all(f.severity == catalogue()[f.id].severity for f in found)


def test_catalogue_complete():
    cat = catalogue()
    # AUD101-AUD122, AUD130-AUD133 (16), AUD140-AUD147 (15), AUD150-AUD153 (17)
    assert list(cat) == sorted(cat) and len(cat) == 38
    for rule in cat.values():
        assert rule.title and rule.motivation and rule.remediation and "\n" not in rule.motivation


def test_opaque_only_when_facts_are_complete():
    from auditor.models import Origin

    assert [f.id for f in findings_for(package_node("closed", project=PROJECT))] == ["AUD110"]
    assert findings_for(package_node("unreachable", project=Unknown("HTTP 503 after 3 retries"))) == []
    assert [f.id for f in findings_for(package_node("local", project=PROJECT, origin=Origin(kind="path")))] == ["AUD118"]  # not AUD110


def test_interpreter_is_not_a_name_candidate(ctx):
    from auditor.models import Origin

    out = NamesCollector().collect(ctx, [package_node("python", "3.11.7", origin=Origin(kind="interpreter"))])
    assert isinstance(out["python"], Unknown) and not out["python"].fault
