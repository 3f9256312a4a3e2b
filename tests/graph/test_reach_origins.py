"""People reach over every origin (auditor/graph/reach.py): git histories, Hub accounts, conda-forge recipe
maintainers and native upstream histories, each person once, merged only on evidence (docs/people.md#people-reach)."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from auditor.graph import attrs as A
from auditor.models import (CondaPackage, CondaRecord, NativeHistories, RepositoryHistory, Unknown, UnknownKind,
                            VendoredCode, VendoredLibrary)
from auditor.models.hub import HubReference, HubScan, SourceLocation
from auditor.models.hub_facts import HubFacts, HubRepoFacts, classify_files
from auditor.pipeline import assemble
from auditor.report import cyclonedx, graphml, json_report
from auditor.report.totals import people_text, summary_text
from auditor.scoring.aggregate import load_weights
from tests.builders import inventory, package_node

OPENBLAS = "https://github.com/OpenMathLib/OpenBLAS"
JANE, BOB, DAN = "person:jane", "person:bob", "person:dan"


def history(url, ids, logins=()):
    return RepositoryHistory(url=url, as_of=None, commits=10, first_commit=None, last_commit=None, contributors=len(ids),
                             active_contributors=len(ids), committers=1, bus_factor=1, excluded_bots=0,
                             people_all_roles=len(ids), _person_ids=frozenset(ids), _login_ids=tuple(logins))


def hub_facts(repo_id, authors, members):
    return HubRepoFacts("model", repo_id, repo_id, None, repo_id.split("/")[0], "organization", False, False, False,
                        "a" * 40, None, None, None, 1, 1, "transformers", None, "mit", (),
                        classify_files(["model.safetensors"], "model", repo_id), None, authors, members)


def ref(repo_id):
    return HubReference("model", repo_id, None, False, None, "from_pretrained", SourceLocation("train.py", 3))


def world(*, native=None, hub_unknown=Unknown("huggingface.co unreachable", kind=UnknownKind.UNREACHABLE)):
    """app (git: Jane, Bob; bundles OpenBLAS: Jane, Dan; and closed cuBLAS) -> cpkg (conda-forge: recipe maintainers
    janedoe = Jane's GitHub login, carol-gh, a team); the project loads org/bert (authors janedoe, eve; members eve,
    frank) and org/broken (facts unknown)."""
    vendored = VendoredCode((
        VendoredLibrary("app.libs/libscipy_openblas-1.so", 10, "OpenBLAS", True, repository=OPENBLAS),
        VendoredLibrary("app.libs/libcublas.so.12", 10, "NVIDIA cuBLAS", True),))
    native = native if native is not None else NativeHistories(repos=((OPENBLAS, history(OPENBLAS, {JANE, DAN})),),
                                                               closed=("NVIDIA cuBLAS",))
    app = package_node("app", "1.0", repo="https://github.com/org/app", requires=["cpkg"], signals={
        "history": history("https://github.com/org/app", {JANE, BOB}, [("janedoe", JANE)]),
        "vendored": vendored, "native_history": native})
    record = CondaRecord("cpkg", "1.0", "h0_0", "https://conda.anaconda.org/conda-forge/", "linux-64")
    cpkg = package_node("cpkg", "1.0", signals={
        "history": Unknown("no source repository", fault=False, kind=UnknownKind.NOT_APPLICABLE),
        "conda": CondaPackage(record, ("conda",), None, feedstock="https://github.com/conda-forge/cpkg-feedstock",
                              recipe_maintainers=("JaneDoe", "carol-gh", "conda-forge/core"))})
    inv = inventory(["app"], app.distribution, cpkg.distribution)
    nodes = {"app": app, "cpkg": cpkg}
    scan = HubScan(references=(ref("org/bert"), ref("org/broken")), files=1)
    facts = HubFacts({"model:org/bert": hub_facts("org/bert", ("janedoe", "eve"), ("eve", "frank")),
                      "model:org/broken": hub_unknown}, referenced=frozenset({"model:org/bert", "model:org/broken"}))
    return inv, nodes, scan, facts


@pytest.fixture
def result(config):
    inv, nodes, scan, facts = world()
    return assemble(config, inv, nodes, load_weights(None), hub=scan, hub_facts=facts)


def test_every_origin_counts_each_person_once(result):
    reach = result.root.people
    parts = {p.origin: p for p in reach.parts}
    assert {o: p.people for o, p in parts.items()} == {"git": 2, "hub": 3, "conda": 2, "native": 2}
    # Jane: git (app), conda (her GitHub login janedoe is in app's history), native (OpenBLAS); hf:janedoe is apart.
    # Distinct: Jane, Bob, github:carol-gh, Dan, hf:janedoe, hf:eve, hf:frank.
    assert reach.people == 7 and reach.overlap == 2
    assert result.graph.nodes[A.ROOT_ID][A.PEOPLE_REACH] == 7
    assert result.root.contributors == 2 and result.root.contributors_overcount == 0  # the git part, as before


def test_a_hub_account_is_not_merged_with_a_github_login_of_the_same_name(result):
    # "janedoe" on the Hub and "janedoe" on GitHub: no verified e-mail, no explicit link, so two people.
    assert result.root.people.part("hub").people == 3
    assert result.root.people.people == 7  # would be 6 if hf:janedoe were merged with Jane


def test_a_recipe_maintainer_merges_only_by_the_same_github_login(config):
    inv, nodes, scan, facts = world()
    app = nodes["app"]
    nodes["app"] = app.__class__(**{**app.__dict__, "signals": {
        **app.signals, "history": history("https://github.com/org/app", {JANE, BOB})}})  # no login known for Jane
    got = assemble(config, inv, nodes, load_weights(None), hub=scan, hub_facts=facts).root.people
    assert got.part("conda").people == 2 and got.people == 8  # github:janedoe is then a person of its own


def test_unknown_parts_say_at_least_with_their_reasons(result):
    reach = result.root.people
    assert reach.at_least
    assert reach.part("hub").unknown == ("model:org/broken: huggingface.co unreachable",)
    assert reach.part("git").unknown == ("cpkg==1.0: no source repository",)
    assert reach.part("conda").notes == ("cpkg: team conda-forge/core (members not listed)",)
    assert reach.part("native").notes == ("NVIDIA cuBLAS: closed source, no public repository",)
    text = people_text(reach)
    assert text.startswith("people reach: at least 7 (git/forge contributors 2, Hugging Face Hub accounts 3, "
                           "conda-forge recipe maintainers 2, native library upstream contributors 2; 2 in more than one origin)")
    assert "unknown: git/forge contributors of 1 package (no source repository)" in text
    assert "Hugging Face Hub accounts of 1 Hub repository (huggingface.co unreachable)" in text
    assert "NVIDIA cuBLAS" not in text and "closed source, no public repository" in text
    assert text in summary_text(result)


def test_unreadable_native_upstream_is_unknown_not_zero(config):
    failed = NativeHistories(repos=((OPENBLAS, Unknown("git clone failed: unreachable", kind=UnknownKind.UNREACHABLE)),))
    inv, nodes, scan, facts = world(native=failed)
    res = assemble(config, inv, nodes, load_weights(None), hub=scan, hub_facts=facts)
    native = res.root.people.part("native")
    assert native.people == 0 and native.unknown == (f"{OPENBLAS}: git clone failed: unreachable",)
    assert ("app", f"native_history.{OPENBLAS}") in {(m.package, m.what) for m in res.missing}  # exit 3
    assert res.graph.nodes["native:OpenBLAS"][A.UNKNOWN][A.CONTRIBUTORS] == "git clone failed: unreachable"


def test_per_node_reach_and_history_on_native_nodes(result):
    g = result.graph
    assert g.nodes["native:OpenBLAS"][A.CONTRIBUTORS] == 2 and g.nodes["native:OpenBLAS"][A.PEOPLE_REACH] == 2
    assert g.nodes["model:org/bert"][A.PEOPLE_REACH] == 3
    # app: its git people, cpkg's recipe maintainers, OpenBLAS's people: Jane, Bob, carol-gh, Dan
    assert g.nodes["app==1.0"][A.PEOPLE_REACH] == 4
    assert "hub_people" not in g.nodes[A.ROOT_ID]  # retired: the Hub part of people reach replaces it


def test_derived_from_does_not_count(config):
    inv, nodes, scan, facts = world()
    base = hub_facts("org/base", ("basewriter",), None)
    facts = HubFacts({**facts.repos, "model:org/base": base}, derived=(("model:org/bert", "model:org/base"),),
                     referenced=facts.referenced)
    res = assemble(config, inv, nodes, load_weights(None), hub=scan, hub_facts=facts)
    assert res.graph.has_edge("model:org/bert", "model:org/base")
    assert res.root.people.people == 7  # a base model's writers cannot change the fine-tuned files


def _render(fn, result, **kw):
    out = io.StringIO()
    fn(result, out, **kw)
    return out.getvalue()


def test_every_format_carries_the_breakdown(result):
    doc = json.loads(_render(json_report.render, result))
    people = doc["summary"]["people"]
    assert people["people"] == 7 and people["at_least"] is True
    assert [p["origin"] for p in people["parts"]] == ["git", "hub", "conda", "native"]
    from auditor.report import audit_sarif
    sarif = audit_sarif.document(result)
    assert sarif["runs"][0]["properties"]["summary"]["people"]["people"] == 7
    props = {p.name: p.value for p in cyclonedx.bom(result).metadata.properties}
    assert props["auditor:summary:people"] == "at least 7"
    assert props["auditor:summary:people:hub"] == "at least 3" and props["auditor:summary:people:conda"] == "2"
    assert props["auditor:summary:people:hub:unknown"] == "1 (huggingface.co unreachable)"
    back = nx.read_graphml(io.StringIO(_render(graphml.render, result)))
    assert back.nodes[A.ROOT_ID][A.PEOPLE_REACH] == 7
