"""diff_audits: a pure function over two audits."""

from __future__ import annotations

import datetime as dt

from auditor.config import Config
from auditor.gate import ROOT, diff_audits
from auditor.models import Confidence, Unknown
from auditor.sources.uv_lock import UvLockSource
from tests.builders import collect, diff_node as node, view

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)


def base():
    return view(
        "base",
        node("app-lib", "1.0", maintainers=("alice", "bob"), requires=("tiny",)),
        node("tiny", "2.0", maintainers=("carol",)),
        node("old", "0.9", maintainers=("dave",)),
        root=("app-lib", "old"),
    )


def head():
    return view(
        "head",
        node("app-lib", "1.1", maintainers=("alice", "bob", "eve"), requires=("tiny", "fresh"), contacts=("Eve",)),
        node("tiny", "1.9", maintainers=("carol",)),
        node("fresh", "0.1", maintainers=("mallory",), repo=None, uploaded="2025-05-31T00:00:00Z", line=42),
        root=("app-lib",),
    )


def test_version_changes_and_edges():
    d = diff_audits(base(), head(), now=NOW)
    assert [(c.name, c.kind, c.before, c.after) for c in d.changes] == [
        ("app-lib", "upgraded", "1.0", "1.1"),
        ("fresh", "added", None, "0.1"),
        ("old", "removed", "0.9", None),
        ("tiny", "downgraded", "2.0", "1.9"),
    ]
    assert [(e.source, e.target) for e in d.edges_added] == [("app-lib", "fresh")]
    assert [(e.source, e.target) for e in d.edges_removed] == [(ROOT, "old")]


def test_exposure_delta_per_package():
    d = diff_audits(base(), head(), now=NOW)
    by = {x.name: x for x in d.deltas}
    assert set(by) == {"app-lib", "fresh", "tiny"}  # removed packages have no delta
    assert by["app-lib"].maintainers_added == ("eve",) and by["app-lib"].new_to_project == ("eve",)
    assert by["app-lib"].contacts_added == ("Eve",)
    fresh = by["fresh"]
    assert fresh.maintainers_added == ("mallory",) and fresh.single_maintainer is True
    assert fresh.repository is None and fresh.weak_mapping and fresh.confidence == Confidence.NONE
    assert fresh.age_days == 1.0 and fresh.line == 42
    assert d.new_maintainers == ("eve", "mallory")
    assert d.new_repositories == ()
    assert isinstance(d.new_people, Unknown)  # history not collected


def test_totals_before_after():
    d = diff_audits(base(), head(), now=NOW)
    assert (d.totals_before.packages, d.totals_before.maintainers, d.totals_before.repositories) == (3, 4, 3)
    assert (d.totals_after.packages, d.totals_after.maintainers, d.totals_after.repositories) == (3, 5, 2)


def test_unknown_facts_are_reported_not_zero():
    h = view("head", node("x", "1.0", project=None))
    d = diff_audits(view("base"), h, now=NOW)
    delta = d.deltas[0]
    assert isinstance(delta.maintainers, Unknown) and isinstance(delta.single_maintainer, Unknown)
    assert ("x", "maintainers", "HTTP 503 after 3 retries from pypi.org") in d.unknowns


def history(*ids):
    """A RepositoryHistory whose contributors have the resolved *ids*."""
    from auditor.models import RepositoryHistory

    return RepositoryHistory("https://github.com/a/a", None, len(ids), None, None, len(ids), 0, 0, 1, 0,
                             _person_ids=frozenset(ids))


def report(version, *advisories):
    from auditor.models import VulnerabilityReport

    return VulnerabilityReport(version, tuple(advisories), "osv")


def test_history_and_vulnerability_signals_when_present():
    from auditor.models import Advisory, Severity

    b = view("b", node("a", "1.0", signals={"history": history("p1"), "vulnerabilities": report("1.0")}))
    h = view("h", node("a", "2.0", signals={
        "history": history("p1", "p2"),
        "vulnerabilities": report("2.0", Advisory("GHSA-xxxx", summary="bad", severity=Severity.HIGH)),
    }))
    d = diff_audits(b, h, now=NOW)
    assert d.deltas[0].people_added == ("p2",)
    assert d.new_people == ("p2",)
    assert [v.id for v in d.deltas[0].vulnerabilities_added] == ["GHSA-xxxx"]
    assert d.totals_after.people == 3  # p1, p2 + the maintainer account


def test_same_inputs_give_an_empty_diff():
    d = diff_audits(base(), base(), now=NOW)
    assert d.empty and d.deltas == ()


def test_real_lockfiles_without_collection():
    cfg = Config()
    root = "tests/fixtures/lockfiles"
    b = collect(UvLockSource(f"{root}/large-base/uv.lock", fetch_metadata=False), cfg)
    h = collect(UvLockSource(f"{root}/large-head/uv.lock", fetch_metadata=False), cfg)
    d = diff_audits(b, h, now=NOW)
    assert [c.name for c in d.of_kind("added")] == ["hf-xet", "tenacity", "typing-inspection"]
    assert ("transformers", "4.49.0", "4.56.0") in [(c.name, c.before, c.after) for c in d.of_kind("upgraded")]
    assert (ROOT, "tenacity") in [(e.source, e.target) for e in d.edges_added]
    assert d.totals_before.packages == 69 and d.totals_after.packages == 72


def test_signal_models_of_the_history_and_vulnerability_collectors():
    """RepositoryHistory (resolved person ids) and VulnerabilityReport (advisories
    with id, aliases, severity or None), read with node.signal(Kind)."""
    from auditor.models import Advisory, Severity

    old = {"history": history("person:a"),
           "vulnerabilities": report("1.0", Advisory("PYSEC-1", ("CVE-1",)))}
    new = {"history": history("person:a", "person:b"),
           "vulnerabilities": report("2.0", Advisory("GHSA-1", ("CVE-1",), severity=Severity.HIGH),
                                     Advisory("GHSA-2", severity=None))}
    d = diff_audits(view("b", node("a", "1.0", signals=old)), view("h", node("a", "2.0", signals=new)), now=NOW)
    delta = d.deltas[0]
    assert delta.people_added == ("person:b",)
    # GHSA-1 is the same advisory as PYSEC-1 (alias CVE-1): not new
    assert [(v.id, str(v.severity)) for v in delta.vulnerabilities_added] == [("GHSA-2", "unknown (severity not rated)")]


def test_same_version_from_another_index_is_a_change():
    from dataclasses import replace

    from auditor.models import Origin

    a = node("internal-lib", "1.0")
    b = replace(a, distribution=replace(a.distribution, origin=Origin(kind="registry", index_url="https://evil.example/simple")))
    d = diff_audits(view("b", a), view("h", b), now=NOW)
    assert [(c.name, c.kind) for c in d.changes] == [("internal-lib", "changed")]
    same = replace(a, distribution=replace(a.distribution, origin=Origin(kind="registry", index_url="https://pypi.org/simple/")))
    assert diff_audits(view("b", a), view("h", same), now=NOW).empty
