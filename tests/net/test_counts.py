"""Request and cache-hit counters agree with what the server saw: a cold run counts its
requests and no cache hits, a warm run no requests and one cache hit per memoized fact."""

from __future__ import annotations

import re

from auditor.net.context import RunContext
from auditor.pipeline import run_audit
from auditor.sources.requirements import RequirementsSource

#: Which server paths each service's requests go to (tests/fakes/server.py routes).
PATHS = {"pypi": r"/pypi/[^/]+/json", "index": r"/simple/[^/]+/", "pypi-files": r"/files/.+"}


def _served(server, service: str) -> int:
    return sum(1 for _m, path, _b in server.requests if re.fullmatch(PATHS[service], path.split("?")[0]))


def test_cold_then_warm_counts(tmp_path, config, fake_pypi):
    fake_pypi.add("app", "1.0", requires_dist=["lib"])
    fake_pypi.add("lib", "2.0")
    root = tmp_path / "requirements.txt"
    root.write_text("app==1.0\nlib==2.0\n")
    with RunContext(config) as cold:
        run_audit(config, RequirementsSource(root, resolver="none"), ctx=cold)
        counts = cold.request_counts()
    for service in PATHS:
        assert counts[service]["network"] == _served(fake_pypi, service) > 0, (service, counts)
        assert counts[service]["cache_hits"] == 0, (service, counts)  # nothing was cached yet
    before = fake_pypi.network_requests
    with RunContext(config) as warm:
        run_audit(config, RequirementsSource(root, resolver="none"), ctx=warm)
        counts = warm.request_counts()
    assert fake_pypi.network_requests == before  # not one request
    for service in PATHS:
        assert counts[service]["network"] == 0, (service, counts)
    assert counts["pypi"]["cache_hits"] == 2  # one parsed project per package, from the fact memo
    assert counts["pypi-files"]["cache_hits"] == 2  # one core metadata per package
    assert counts["index"]["cache_hits"] == 4  # release files and project status per package


def test_large_documents_are_not_stored_whole(tmp_path, config, fake_pypi):
    """The PyPI JSON, index pages and files never reach the HTTP cache (net/cache.py NOT_STORED):
    their parsed fields are in the fact memo."""
    fake_pypi.add("app", "1.0")
    root = tmp_path / "requirements.txt"
    root.write_text("app==1.0\n")
    with RunContext(config) as ctx:
        run_audit(config, RequirementsSource(root, resolver="none"), ctx=ctx)
        backend = ctx.cache_backend()
        urls = [r.url for r in backend.responses.values()]
    assert not [u for u in urls if re.search(r"/pypi/[^/]+/json|/simple/|/files/", u)], urls


def test_not_found_is_remembered_for_the_index_lifetime(config, fake_pypi):
    from auditor.models import Unknown, UnknownKind
    from auditor.net.pypi import NEGATIVE_TTL, PyPIClient

    assert NEGATIVE_TTL == 3600
    with RunContext(config) as ctx:
        first = PyPIClient(ctx).project("no-such-project")
    assert isinstance(first, Unknown) and first.kind is UnknownKind.NOT_FOUND
    before = fake_pypi.network_requests
    with RunContext(config) as ctx:
        again = PyPIClient(ctx).project("no-such-project")
        assert ctx.request_counts()["pypi"]["cache_hits"] == 1
    assert again == first and fake_pypi.network_requests == before


def test_provenance_requests_start_in_the_source_stage_and_are_made_once(tmp_path, config, fake_pypi):
    """Issue 14: the integrity API is asked as soon as a pin's files are known (Collector.warm),
    not after the PyPI stage, and the collector reads that answer: one request per release."""
    fake_pypi.add("app", "1.0", requires_dist=["lib"])
    fake_pypi.add("lib", "2.0")
    root = tmp_path / "requirements.txt"
    root.write_text("app==1.0\nlib==2.0\n")
    serial = config.with_changes(concurrency=1)  # one worker: the order of requests is the order of work
    with RunContext(serial) as ctx:
        result = run_audit(serial, RequirementsSource(root, resolver="none"), ctx=ctx)
        counts = ctx.request_counts()
    paths = [path.split("?")[0] for _m, path, _b in fake_pypi.requests]
    integrity = [i for i, p in enumerate(paths) if p.startswith("/integrity/")]
    assert len(integrity) == 2 == counts["pypi-integrity"]["network"], (paths, counts)
    projects = [i for i, p in enumerate(paths) if re.fullmatch(PATHS["pypi"], p)]
    assert integrity[0] < projects[-1]  # app's provenance was asked before lib's project was fetched
    assert {n: result.nodes[n].signals["provenance"].status for n in ("app", "lib")} == {"app": "unattested",
                                                                                        "lib": "unattested"}
