"""PyPI client against the fake server: real shapes, faults, cache."""

from __future__ import annotations

from auditor.collectors import RunContext
from auditor.models import Maintainer, Unknown
from auditor.net.pypi import PyPIClient
from auditor.net.simple import choose_metadata_file, parse_simple_html
from auditor.models import TargetEnvironment


def test_project_ownership_from_recorded_scikit_learn(config):
    project = PyPIClient(RunContext(config)).project("scikit-learn")
    assert project.name == "scikit-learn"
    assert project.ownership.organization is None
    assert Maintainer("ogrisel", "Owner") in project.ownership.maintainers
    assert len(project.ownership.maintainers) == 6
    assert project.release_count >= 5
    assert project.first_upload.startswith("20")


def test_organization_and_maintainer_roles(config):
    project = PyPIClient(RunContext(config)).project("scipy")
    assert project.ownership.organization == "scipy"
    roles = {m.username: m.role for m in project.ownership.maintainers}
    assert roles["rkern"] == "Maintainer" and roles["rgommers"] == "Owner"
    # Owners are listed before Maintainers.
    assert project.ownership.maintainers[0].role == "Owner"


def test_unknown_package_is_unknown_not_error(config):
    result = PyPIClient(RunContext(config)).project("no-such-package")
    assert isinstance(result, Unknown) and result.reason == "not found on PyPI"


def test_missing_ownership_is_unknown(config, fake_pypi):
    fake_pypi.add("old", "1.0")
    del fake_pypi.projects["old"]["ownership"]
    project = PyPIClient(RunContext(config)).project("old")
    assert isinstance(project.ownership, Unknown)


def test_core_metadata_from_pep658_file(config):
    meta = PyPIClient(RunContext(config)).core_metadata("scikit-learn", "1.9.1")
    assert meta.name == "scikit-learn"
    assert any(r.startswith("numpy") for r in meta.requires_dist)
    assert ("source", "https://github.com/scikit-learn/scikit-learn") in meta.project_urls  # as recorded


def test_core_metadata_falls_back_to_json_for_latest(config, fake_pypi):
    fake_pypi.add("nometa", "2.0", requires_dist=["idna"], with_metadata=False)
    meta = PyPIClient(RunContext(config)).core_metadata("nometa", "2.0")
    assert meta.requires_dist == ("idna",)


def test_core_metadata_unknown_for_old_version_without_metadata(config, fake_pypi):
    fake_pypi.add("nometa", "2.0", with_metadata=False)
    meta = PyPIClient(RunContext(config)).core_metadata("nometa", "1.0")
    assert isinstance(meta, Unknown) and "no core metadata" in meta.reason


def test_metadata_hash_mismatch_is_rejected(config, fake_pypi):
    fake_pypi.add("tampered", "1.0", requires_dist=["evil"], with_metadata=True)
    fname = next(iter(fake_pypi.files["tampered"]))
    ctx = RunContext(config)
    client = PyPIClient(ctx)
    files = client.index_files("tampered")  # index advertises the hash of the original
    fake_pypi.files["tampered"][fname] = "Metadata-Version: 2.1\nName: tampered\nVersion: 1.0\n"
    assert files[0].metadata_sha256
    assert isinstance(client._metadata_file(files[0]), Unknown)


def test_server_error_is_retried_then_succeeds(config, fake_pypi):
    fake_pypi.faults["/pypi/joblib/json"].extend([500, 503])
    project = PyPIClient(RunContext(config)).project("joblib")
    assert not isinstance(project, Unknown)
    assert fake_pypi.hits["/pypi/joblib/json"] == 3


def test_persistent_errors_become_unknown_with_reason(config, fake_pypi):
    fake_pypi.faults["/pypi/joblib/json"].extend([503] * 10)
    project = PyPIClient(RunContext(config)).project("joblib")
    assert isinstance(project, Unknown) and "503" in project.reason


def test_truncated_json_is_refetched(config, fake_pypi):
    fake_pypi.faults["/pypi/joblib/json"].append("truncate")
    project = PyPIClient(RunContext(config)).project("joblib")
    assert not isinstance(project, Unknown)


def test_repeated_lookup_is_served_from_cache(config, fake_pypi):
    with RunContext(config) as first:  # closing a run commits its memo
        PyPIClient(first).project("joblib")
    before = fake_pypi.network_requests
    with RunContext(config) as ctx:  # a new run, same cache directory
        PyPIClient(ctx).project("joblib")
        assert fake_pypi.network_requests == before
        # served by the parsed-fact memo (auditor.net.memo), counted as the service's cache hit
        assert ctx.request_counts()["pypi"] == {"network": 0, "cache_hits": 1, "failures": 0}


def test_offline_miss_is_unknown_offline(config, fake_pypi):
    offline = config.with_changes(offline=True)
    project = PyPIClient(RunContext(offline)).project("joblib")
    assert isinstance(project, Unknown) and "offline" in project.reason
    assert fake_pypi.network_requests == 0


def test_offline_uses_cached_data(config, fake_pypi):
    with RunContext(config) as ctx:  # closing the run commits its fact memo
        PyPIClient(ctx).project("joblib")
    before = fake_pypi.network_requests
    with RunContext(config.with_changes(offline=True)) as ctx:
        project = PyPIClient(ctx).project("joblib")
    assert not isinstance(project, Unknown)
    assert fake_pypi.network_requests == before


def test_html_index_with_pep658_attributes():
    html = (
        '<a href="../../files/a-1.0-py3-none-any.whl#sha256=00" data-core-metadata="sha256=abc"'
        ' data-upload-time="2024-01-01T00:00:00Z">a-1.0-py3-none-any.whl</a>'
        '<a href="https://x/a-1.0.tar.gz" data-yanked="">a-1.0.tar.gz</a>'
    )
    files = parse_simple_html(html, "https://idx/simple/a/")
    assert files[0].url == "https://idx/files/a-1.0-py3-none-any.whl"
    assert files[0].core_metadata is True and files[0].metadata_sha256 == "abc"
    assert files[1].yanked and files[1].core_metadata is None


def test_wheel_choice_prefers_target_interpreter_and_platform():
    from auditor.net.simple import IndexFile

    names = [
        "p-1.0.tar.gz",
        "p-1.0-cp314-cp314t-manylinux_2_28_x86_64.whl",
        "p-1.0-cp311-cp311-win_amd64.whl",
        "p-1.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "p-2.0-cp311-cp311-manylinux_2_28_x86_64.whl",
    ]
    files = [IndexFile(n, f"https://x/{n}") for n in names]
    chosen = choose_metadata_file(files, "1.0", TargetEnvironment("3.11", "linux", "x86_64"))
    assert chosen[0].filename == "p-1.0-cp311-cp311-manylinux_2_28_x86_64.whl"
    assert chosen[-1].filename == "p-1.0.tar.gz"
    assert all("2.0" not in f.filename for f in chosen)


def test_facts_memoized_once_under_one_key(config, fake_pypi):
    import sqlite3

    from auditor.net.memo import MEMO_FILE
    from auditor.net.pypi import INDEX_PAGE_NS, METADATA_NS, PROJECT_NS, metadata_key, project_key

    fake_pypi.add("one", "1.0", requires_dist=["idna"])
    with RunContext(config) as ctx:
        client = PyPIClient(ctx)
        meta = client.core_metadata("one", "1.0")
        project = client.project("one")
        assert client.core_metadata("one", "1.0") is meta and client.project("one") is project
        run_keys = {k for k in ctx.memo if isinstance(k, tuple)}
        assert run_keys == {(METADATA_NS, metadata_key(config, "one", "1.0")), (PROJECT_NS, project_key("one", None)),
                            (INDEX_PAGE_NS, config.index_url, "one")}  # the page, parsed once per run
    db = sqlite3.connect(config.cache_dir / MEMO_FILE)
    rows = db.execute("SELECT ns, key FROM facts ORDER BY ns").fetchall()
    db.close()
    assert rows == [(METADATA_NS, metadata_key(config, "one", "1.0")), (PROJECT_NS, project_key("one", None))]


def test_another_index_is_read_on_the_same_context(config, fake_pypi):
    """``PyPIClient(ctx, index_url=...)`` (a requirements file's own --index-url) reads that index
    through the run's clients and memo, under keys that name it."""
    from auditor.net.pypi import INDEX_PAGE_NS, METADATA_NS, metadata_key

    fake_pypi.add("one", "1.0", requires_dist=["idna"])
    mirror = config.index_url + "/"  # the same server under another spelling
    with RunContext(config) as ctx:
        meta = PyPIClient(ctx, index_url=mirror).core_metadata("one", "1.0")
        assert meta.requires_dist == ("idna",)
        mirrored = config.with_changes(index_url=mirror)
        assert {k for k in ctx.memo if isinstance(k, tuple)} == {
            (METADATA_NS, metadata_key(mirrored, "one", "1.0")), (INDEX_PAGE_NS, mirror, "one")}
        assert PyPIClient(ctx, index_url=config.index_url).config is config


def test_one_request_per_fact_when_threads_ask_at_once(config, fake_pypi):
    """Eight threads asking for one release at once (a survey's inputs, a collector and its warm-up)
    make one index-page request and one metadata request, not one each (``RunContext.key_lock``)."""
    from concurrent.futures import ThreadPoolExecutor

    fake_pypi.add("one", "1.0", requires_dist=["idna"])
    fake_pypi.latency = 0.05  # every answer slow enough for the threads to overlap
    with RunContext(config) as ctx:
        client = PyPIClient(ctx)
        with ThreadPoolExecutor(8) as pool:
            pages = list(pool.map(lambda _: client.index_page("one"), range(8)))
            metas = list(pool.map(lambda _: client.core_metadata("one", "1.0"), range(8)))
    assert all(p is pages[0] for p in pages) and all(m == metas[0] for m in metas)
    assert metas[0].requires_dist == ("idna",)
    assert fake_pypi.count("/simple/one") == 1
    assert sum(1 for s in fake_pypi.log if s.path.endswith(".metadata")) == 1
