"""The upstream repositories of bundled native libraries are read by the history collector, once each, with
one identity resolution over them and the packages' repositories (auditor/people/native_history.py).

GitHub URLs reach repositories built in the test through a ``url.<base>.insteadOf`` rule in a test-local git config.
"""

from __future__ import annotations

import pytest

from auditor.models import NativeHistories, RepositoryHistory, Unknown, VendoredCode, VendoredLibrary
from auditor.net.context import RunContext
from auditor.people.history import HistoryCollector
from auditor.people.native_history import NativeHistoryCollector
from auditor.pipeline import run_collectors
from tests.builders import package_node
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)

OPENBLAS = "https://github.com/OpenMathLib/OpenBLAS"
JANE = ("Jane Doe", "jane@example.org")


def bundles(*libs):
    return VendoredCode(tuple(VendoredLibrary(f"x.libs/{name}", 10, upstream, True, repository=repo)
                              for name, upstream, repo in libs))


@pytest.fixture
def forge(tmp_path, git_home):
    srv = tmp_path / "srv"
    app = RepoBuilder(srv / "org" / "app")
    app.commit(JANE, "2024-01-10")
    app.commit(("Bob Roe", "bob@example.org"), "2024-02-10")
    app.commit(("Jane Doe", "12345+janedoe@users.noreply.github.com"), "2024-02-11")  # her GitHub login
    blas = RepoBuilder(srv / "openmathlib" / "openblas")
    blas.commit(("J. Doe", "JANE@example.org"), "2024-03-10")  # Jane again, under another name
    blas.commit(("Dan Poe", "dan@example.org"), "2024-04-10")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    return srv


def nodes():
    openblas = ("libscipy_openblas-1.so", "OpenBLAS", OPENBLAS)
    return {
        "app": package_node("app", repo="https://github.com/org/app", signals={"vendored": bundles(
            openblas, ("libcublas.so.12", "NVIDIA cuBLAS", None), ("libmystery.so", None, None))}),
        "other": package_node("other", signals={"vendored": bundles(openblas)}),  # no repository of its own
        "plain": package_node("plain", repo="https://github.com/org/app"),
    }


def collect(config, found, disabled=frozenset()):
    ctx = RunContext(config.with_changes(disabled=disabled, as_of="2024-12-31"))
    try:
        history = HistoryCollector()
        out = run_collectors(found, ctx, [history, NativeHistoryCollector()])
        return out, history.cache.stats
    finally:
        ctx.close()


def test_native_upstreams_are_read_once_with_the_packages(config, forge):
    out, stats = collect(config, nodes())
    assert stats.clones == 2  # org/app and OpenBLAS, although two wheels bundle OpenBLAS
    app = out["app"].signals["native_history"]
    assert isinstance(app, NativeHistories)
    assert app.closed == ("NVIDIA cuBLAS",) and app.unrecognized == ("libmystery.so",)
    (url, blas), = app.repos
    assert url == OPENBLAS and isinstance(blas, RepositoryHistory) and blas.commits == 2
    assert out["other"].signals["native_history"].repos == app.repos  # the same history, read once
    assert "native_history" not in out["plain"].signals  # bundles nothing: no entry
    own = out["app"].signals["history"]
    # one identity resolution: Jane in org/app and "J. Doe" in OpenBLAS are one person
    assert len(own.person_ids() & blas.person_ids()) == 1
    assert len(own.person_ids() | blas.person_ids()) == 3
    # her GitHub login, for matching a conda-forge recipe maintainer, names the same (salted) person id in both
    assert own.login_ids() == blas.login_ids() == {"janedoe": next(iter(own.person_ids() & blas.person_ids()))}


def test_disabling_native_history_clones_no_upstream(config, forge):
    """--disable native_history: only the packages' own repositories are cloned (docs/native.md#people)."""
    out, stats = collect(config, nodes(), disabled=frozenset({"native_history"}))
    assert stats.clones == 1  # (the pipeline does not run the disabled collector; this test calls it directly)


def test_unreachable_upstream_is_unknown(config, git_home, tmp_path):
    git("config", "--global", f"url.{(tmp_path / 'nowhere').as_uri()}/.insteadOf", "https://github.com/")
    out, _ = collect(config, nodes())
    (url, blas), = out["app"].signals["native_history"].repos
    assert isinstance(blas, Unknown) and blas.fault and blas.reason.startswith("git clone failed")
    assert out["app"].signals["native_history"].faults() == [(OPENBLAS, blas.reason, blas.kind.value)]


def test_without_the_history_collector_they_are_not_collected(config):
    ctx = RunContext(config)
    try:
        out = run_collectors(nodes(), ctx, [NativeHistoryCollector()])
    finally:
        ctx.close()
    got = out["app"].signals["native_history"]
    assert isinstance(got, Unknown) and not got.fault and "not collected" in got.reason


def test_native_repositories_are_bounded_curated_first():
    from auditor.people.native_history import native_repositories

    crate = lambda n: VendoredLibrary(f"x.libs/sbom#{n}", None, n, True, repository=f"https://github.com/rs/{n}",
                                      evidence="PEP 770 SBOM x.cdx.json (CycloneDX 1.6)")
    a = package_node("a", signals={"vendored": VendoredCode((crate("zeta"), crate("alpha")))})
    b = package_node("b", signals={"vendored": VendoredCode((crate("zeta"), VendoredLibrary(
        "b.libs/libopenblas.so", 10, "OpenBLAS", True, repository=OPENBLAS)))})
    read, over = native_repositories([a, b], limit=2)
    # the curated table's first, then the crate two wheels bundle; the rest is over the limit
    assert list(read) == [OPENBLAS, "https://github.com/rs/zeta"] and over == ["https://github.com/rs/alpha"]


def test_over_the_limit_is_unknown_in_the_signal(config, forge, monkeypatch):
    monkeypatch.setattr("auditor.people.history.MAX_NATIVE_REPOSITORIES", 0)
    monkeypatch.setattr("auditor.people.native_history.MAX_NATIVE_REPOSITORIES", 0)
    out, stats = collect(config, nodes())
    (url, blas), = out["app"].signals["native_history"].repos
    assert stats.clones == 1 and isinstance(blas, Unknown) and not blas.fault
    assert blas.reason == "not read: over the 0-repository limit for native upstreams"


def test_a_survey_history_task_reads_native_upstreams_too(config, forge):
    """A survey's history stage (auditor/survey/tasks.py::collect_history) gives each package of its shard the
    upstream histories of what it bundles, as an audit does; two tasks on one worker do not mix their answers."""
    from concurrent.futures import ThreadPoolExecutor

    from auditor.survey import tasks

    cfg = config.with_changes(as_of="2024-12-31", disabled=frozenset())  # the test config leaves history out
    found = nodes()
    lone = {"lone": package_node("lone", repo="https://github.com/org/app")}
    try:
        with ThreadPoolExecutor(2) as pool:  # the embedded survey runs shards on one worker context
            first, second = pool.map(lambda ns: tasks.collect_history(list(ns.values()), cfg), (found, lone))
    finally:
        tasks.close_contexts()
    assert set(first) == {"history", "native_history"}
    assert isinstance(first["history"]["app"], RepositoryHistory)
    (url, blas), = first["native_history"]["app"].repos
    assert url == OPENBLAS and isinstance(blas, RepositoryHistory) and blas.commits == 2
    assert first["native_history"]["other"].repos == first["native_history"]["app"].repos
    assert "plain" not in first["native_history"] and second["native_history"] == {}
    assert isinstance(second["history"]["lone"], RepositoryHistory)


def test_a_survey_packages_task_leaves_native_history_to_the_history_stage(config, monkeypatch):
    """Stage 2 runs every collector but history and, when history runs, native_history (stage 3 runs both)."""
    from auditor.survey import tasks

    seen = []
    monkeypatch.setattr("auditor.pipeline.collect_nodes", lambda inventory, ctx: {})
    monkeypatch.setattr("auditor.pipeline.run_collectors", lambda nodes, ctx, active: seen.append(
        {c.key for c in active}) or nodes)
    try:
        for cfg in (config.with_changes(disabled=frozenset()), config):  # history on; history off (the test config)
            tasks.collect_packages([], cfg, cfg.target)
    finally:
        tasks.close_contexts()
    with_history, without = seen
    assert "vendored" in with_history and not {"history", "native_history"} & with_history
    assert "native_history" in without and "history" not in without
