"""Git history end to end: run_audit, the graph, scores, GraphML, and ``auditor people``.

GitHub URLs from the fake PyPI reach repositories built in the test through a
``url.<base>.insteadOf`` rule in a test-local git config.
"""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.graph import attrs as A
from auditor.pipeline import run_audit
from auditor.report import graphml, json_report
from tests.builders import StaticSource, dist, inventory
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)

JANE = ("Jane Doe", "jane@example.org")
BOB = ("Bob Roe", "bob@example.org")
CAROL = ("Carol Poe", "carol@example.org")
APP_URLS = (("Source", "https://github.com/org/app"),)
LIB_URLS = (("Source", "https://github.com/libs/lib"),)


@pytest.fixture
def forge(tmp_path, git_home):
    srv = tmp_path / "srv"
    app_repo = RepoBuilder(srv / "org" / "app")
    app_repo.commit(JANE, "2024-01-10")
    app_repo.commit(BOB, "2024-02-10")
    lib_repo = RepoBuilder(srv / "libs" / "lib")
    lib_repo.commit(CAROL, "2020-01-10")
    lib_repo.commit(("J. Doe", "JANE@example.org"), "2024-03-10")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    return srv


def small(fake_pypi):
    fake_pypi.add("app", "1.0", requires_dist=["lib"], project_urls=APP_URLS, roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0", project_urls=LIB_URLS, roles=(("Owner", "carol"),))
    return inventory(["app"], dist("app", "1.0", requires=["lib"], project_urls=APP_URLS),
                     dist("lib", "2.0", project_urls=LIB_URLS))


def test_run_audit_with_history(config, fake_pypi, forge):
    cfg = config.with_changes(disabled=frozenset(), as_of="2024-12-31", people=True)
    result = run_audit(cfg, StaticSource(small(fake_pypi)))
    assert not result.incomplete, result.missing
    assert result.root.contributors == 3              # Jane counted once across app and lib
    assert result.root.contributors_overcount == 1
    g = result.graph
    app_n, lib_n = g.nodes["app==1.0"], g.nodes["lib==2.0"]
    assert (app_n[A.CONTRIBUTORS], app_n[A.ACTIVE_CONTRIBUTORS], app_n[A.BUS_FACTOR]) == (2, 2, 1)
    assert (lib_n[A.CONTRIBUTORS], lib_n[A.ACTIVE_CONTRIBUTORS], lib_n[A.BUS_FACTOR]) == (2, 1, 1)
    assert (app_n[A.PEOPLE_REACH], app_n[A.PEOPLE_NAIVE_SUM], app_n[A.PEOPLE_OVERCOUNT]) == (3, 4, 1)
    assert lib_n[A.PEOPLE_REACH] == 2
    assert A.PEOPLE_REACH not in g.nodes["python==3.11.7"]   # interpreter history is not collected
    persons = [n for n, k in g.nodes(data=A.KIND) if k == A.PERSON]
    assert len(persons) == 3
    jane = next(n for n in persons if "Jane Doe" in g.nodes[n][A.NAMES])
    assert sorted(v for _, v in g.out_edges(jane)) == ["repo:https://github.com/libs/lib",
                                                      "repo:https://github.com/org/app"]
    assert all(e.startswith("hash:") for e in g.nodes[jane][A.EMAILS])
    factors = {f.name: f for f in result.scores["app"].factors}
    assert factors["contributors"].value == 2
    assert factors["active_contributors"].value == 2
    assert factors["bus_factor"].value == 1 and factors["bus_factor"].points == factors["bus_factor"].weight

    doc = json.loads(_render(json_report.render, result))
    assert doc["summary"]["contributors"] == 3 and doc["summary"]["contributors_overcount"] == 1
    assert "jane@example.org" not in json.dumps(doc)
    back = nx.read_graphml(io.StringIO(_render(graphml.render, result)))
    assert back.nodes[jane][A.KIND] == A.PERSON and back.nodes["app==1.0"][A.PEOPLE_REACH] == 3

    again = run_audit(cfg, StaticSource(small(fake_pypi)))    # fresh clones: no git network call
    assert again.root.contributors == 3


def test_as_of_before_everything_active(config, fake_pypi, forge):
    cfg = config.with_changes(disabled=frozenset(), as_of="2020-06-30")
    result = run_audit(cfg, StaticSource(small(fake_pypi)))
    assert result.root.contributors == 1               # only Carol, in lib
    assert result.graph.nodes["app==1.0"][A.CONTRIBUTORS] == 0
    assert result.graph.nodes["app==1.0"][A.BUS_FACTOR] == 0
    bus = {f.name: f for f in result.scores["app"].factors}["bus_factor"]
    assert "dormant" in bus.detail


def test_unreachable_repository_makes_the_audit_incomplete_not_failed(config, fake_pypi, git_home, tmp_path):
    git("config", "--global", f"url.{(tmp_path / 'nowhere').as_uri()}/.insteadOf", "https://github.com/")
    result = run_audit(config.with_changes(disabled=frozenset()), StaticSource(small(fake_pypi)))
    assert result.incomplete
    assert {(m.package, m.what) for m in result.missing} == {("app", "history"), ("lib", "history")}
    assert result.missing[0].reason.startswith("git clone failed")
    assert "contributors" in result.scores["app"].unknown_factors


def _render(fn, result) -> str:
    out = io.StringIO()
    fn(result, out)
    return out.getvalue()


runner = CliRunner()


@pytest.fixture
def cli_args(fake_env, fake_pypi, tmp_path, forge):
    fake_pypi.add("app", "1.0", requires_dist=["lib"], project_urls=APP_URLS, roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0", project_urls=LIB_URLS)
    fake_env.install("app", "1.0", requires_dist=["lib"], project_urls=APP_URLS)
    fake_env.install("lib", "2.0", project_urls=LIB_URLS)
    return ["--python", fake_env.python, "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
            "--cache-dir", str(tmp_path / "cache"), "--as-of", "2024-12-31"]


def test_cli_people(cli_args):
    res = runner.invoke(app, ["people", "lib", *cli_args], env={"COLUMNS": "200"})  # names whole, whatever the terminal
    assert res.exit_code == 0, res.output
    assert "<root> -> app -> lib" in res.output
    assert "Jane Doe" in res.output and "Carol Poe" in res.output
    assert "jane@example.org" not in res.output
    res = runner.invoke(app, ["people", "lib", *cli_args, "--format", "json", "--show-emails"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["paths"] == [["<root>", "app", "lib"]]
    jane = next(p for p in doc["people"] if "Jane Doe" in p["names"])
    assert jane["emails"] == ["jane@example.org"] and jane["also_on_path"] == ["app"]
    assert doc["history"]["contributors"] == 2


def test_cli_people_errors(cli_args):
    res = runner.invoke(app, ["people", "nosuch", *cli_args])
    assert res.exit_code == 2 and "not in the audited set" in res.output
    res = runner.invoke(app, ["audit", *cli_args, "--as-of", "yesterday"])
    assert res.exit_code == 2 and "--as-of" in res.output


def test_cli_audit_people_graphml(cli_args, tmp_path):
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["audit", *cli_args, "--people", "-f", "graphml", "-o", str(out)])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    assert sum(1 for _, k in g.nodes(data="kind") if k == "person") == 3
    assert g.nodes["<root>"]["people_reach"] == 3


def test_diff_sees_new_people_through_history(config, fake_pypi, forge):
    from auditor.gate import diff_audits

    cfg = config.with_changes(disabled=frozenset(), as_of="2024-12-31")
    head_inv = small(fake_pypi)
    base_inv = inventory(["app"], dist("app", "1.0", project_urls=APP_URLS))
    base = run_audit(cfg, StaticSource(base_inv))
    head = run_audit(cfg, StaticSource(head_inv))
    d = diff_audits(base, head)
    # Carol is new; Jane (in app and lib, merged across repositories) is not
    assert len(d.new_people) == 1


def test_people_table_shows_markup_in_names_literally(config, fake_pypi, forge):
    from auditor.report.people import people_view, render_table

    lib = forge / "libs" / "lib"
    git("commit", "-q", "--allow-empty", "-m", "x", cwd=lib, env={
        "GIT_AUTHOR_NAME": "[bold red]Mallory[/] <script>", "GIT_AUTHOR_EMAIL": "m@evil.example",
        "GIT_COMMITTER_NAME": "[bold red]Mallory[/] <script>", "GIT_COMMITTER_EMAIL": "m@evil.example",
        "GIT_AUTHOR_DATE": "@1717243200 +0000", "GIT_COMMITTER_DATE": "@1717243200 +0000"})
    cfg = config.with_changes(disabled=frozenset(), as_of="2024-12-31", people=True)
    result = run_audit(cfg, StaticSource(small(fake_pypi)))
    out = io.StringIO()
    render_table(people_view(result, "lib"), out, color=False)
    assert "[bold red]Mallory[/]" in out.getvalue()


def test_people_table_shows_unlinkable_authors_beside_contributors(config, fake_pypi, forge):
    from auditor.report.people import people_view, render_table

    lib = forge / "libs" / "lib"
    git("commit", "-q", "--allow-empty", "-m", "x", cwd=lib, env={
        "GIT_AUTHOR_NAME": "Old Timer", "GIT_AUTHOR_EMAIL": "oldtimer@localhost",
        "GIT_COMMITTER_NAME": "Old Timer", "GIT_COMMITTER_EMAIL": "oldtimer@localhost",
        "GIT_AUTHOR_DATE": "@1717243200 +0000", "GIT_COMMITTER_DATE": "@1717243200 +0000"})
    cfg = config.with_changes(disabled=frozenset(), as_of="2024-12-31", people=True)
    result = run_audit(cfg, StaticSource(small(fake_pypi)))
    view = people_view(result, "lib")
    out = io.StringIO()
    render_table(view, out, color=False, width=300)
    n = view.history.contributors
    assert view.history.unlinkable_authors == 1
    assert f"{n} contributors (+1 authors with addresses no forge account can hold)" in out.getvalue()
