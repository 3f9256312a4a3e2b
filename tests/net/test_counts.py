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
