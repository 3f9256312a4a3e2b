"""Findings from forge and deps.dev facts: new accounts (AUD113), mapping disagreement (AUD114)."""

from dataclasses import replace

from auditor.models import DepsDevVersion, ForgeAccount, ForgeFacts, PackageNode, Unknown
from auditor.repos.urls import canonical_repository
from auditor.judgement.findings import NEW_ACCOUNT_DAYS, all_findings, catalogue
from tests.builders import package_node


def node(**signals) -> PackageNode:
    return package_node("pkg", repo=canonical_repository("https://github.com/me/pkg"),
                        project=Unknown("x", fault=False), signals=signals)


def forge(**accounts) -> ForgeFacts:
    return ForgeFacts(repo=Unknown("x"), contributors=(), contributor_count=0, accounts=accounts)


def test_young_account_is_reported_old_one_is_not(monkeypatch):
    import datetime as dt

    today = dt.datetime.now(dt.timezone.utc).date()
    young = (today - dt.timedelta(days=NEW_ACCOUNT_DAYS - 10)).isoformat() + "T00:00:00Z"
    old = (today - dt.timedelta(days=3000)).isoformat() + "T00:00:00Z"
    n = node(github=forge(newbie=ForgeAccount("newbie", "User", young), veteran=ForgeAccount("veteran", "User", old),
                          ghost=Unknown("rate limited")))
    found = [f for f in all_findings([n]) if f.id == "AUD113"]
    assert [f.message for f in found] == [f"pkg: github account newbie was created {NEW_ACCOUNT_DAYS - 10} days ago"]
    assert found[0].severity.value == catalogue()["AUD113"].severity.value


def test_deps_dev_disagreement_is_a_finding():
    dd = DepsDevVersion(source_repo="https://github.com/someone-else/pkg", source_repo_provenance="SLSA_PROVENANCE",
                        verified=True, mapping_agreement="disagrees")
    found = [f for f in all_findings([node(depsdev=dd)]) if f.id == "AUD114"]
    assert len(found) == 1 and found[0].severity.value == "high"  # verified provenance
    assert "someone-else/pkg" in found[0].message and "github.com/me/pkg" in found[0].message
    agree = replace(dd, source_repo="https://github.com/me/pkg", mapping_agreement="agrees")
    assert not [f for f in all_findings([node(depsdev=agree)]) if f.id == "AUD114"]
