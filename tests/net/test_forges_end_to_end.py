"""All four enrichers together: cold, warm, offline, expiry revalidation, token hygiene."""

from __future__ import annotations

import json

from auditor.collectors import RunContext
from auditor.config import Secret
from auditor.models import Unknown
from auditor.net.http import CACHE_FILE
from auditor.people.forges import GitHubCollector, GitLabCollector
from auditor.signals.depsdev import DepsDevCollector
from auditor.signals.scorecard import ScorecardCollector
from tests.fakes.forges import FakeForges, world

COLLECTORS = (GitHubCollector(), GitLabCollector(), ScorecardCollector(), DepsDevCollector())
GH_TOKEN = "ghp_ThisMustNeverBeStoredAnywhere0001"
GL_TOKEN = "glpat-ThisMustNeverBeStoredEither0002"


def run_all(ctx, nodes):
    return {c.key: c.collect(ctx, nodes) for c in COLLECTORS}


def test_cold_then_warm_makes_no_requests(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_PEOPLE_SALT", "fixed")  # same e-mail hashes in both runs
    with FakeForges(world(4)) as f:
        cfg = f.config(tmp_path)
        cold_ctx = RunContext(cfg)
        cold = run_all(cold_ctx, f.nodes())
        cold_ctx.close()
        n = f.total_requests()
        assert n > 0
        warm_ctx = RunContext(cfg)
        warm = run_all(warm_ctx, f.nodes())
        assert f.total_requests() == n  # not one request
        assert warm == cold
        counts = warm_ctx.request_counts()
        assert all(c["network"] == 0 for c in counts.values()) and sum(c["cache_hits"] for c in counts.values()) > 0


def test_offline_cold_cache_gives_offline_unknowns(tmp_path):
    with FakeForges(world(2)) as f:
        ctx = RunContext(f.config(tmp_path, offline=True))
        out = run_all(ctx, f.nodes())
        assert f.total_requests() == 0
        assert out["github"]["pkg0"] == Unknown("offline")
        assert out["scorecard"]["pkg0"] == Unknown("offline")
        assert out["depsdev"]["pkg0"] == Unknown("offline")
        assert out["gitlab"]["glpkg"] == Unknown("offline")


def test_expired_entries_revalidate_with_etag(tmp_path):
    with FakeForges(world(1)) as f:
        cfg = f.config(tmp_path)
        ctx = RunContext(cfg)
        GitHubCollector().collect(ctx, f.nodes())
        ctx.close()
        before = f.github.count()
        ctx2 = RunContext(cfg)
        gh = ctx2.http("github")
        gh.session.settings.always_revalidate = True  # as if every entry had expired
        GitHubCollector().collect(ctx2, f.nodes())
        again = f.github.seen[before:]
        assert again and all("If-None-Match" in s.headers for s in again if "/contents/" not in s.path)
        assert gh.stats.revalidated == sum("If-None-Match" in s.headers for s in again) > 0


def test_tokens_reach_only_their_hosts_and_never_the_cache_or_outputs(tmp_path):
    with FakeForges(world(2)) as f:
        cfg = f.config(tmp_path, github_token=Secret(GH_TOKEN), gitlab_token=Secret(GL_TOKEN), verbose=True)
        ctx = RunContext(cfg)
        out = run_all(ctx, f.nodes())
        ctx.close()
        assert all(s.headers.get("Authorization") == f"Bearer {GH_TOKEN}" for s in f.github.seen)
        assert all(s.headers.get("Authorization") == f"Bearer {GL_TOKEN}" for s in f.gitlab.seen)
        for server in (f.scorecard, f.depsdev):
            assert all("Authorization" not in s.headers for s in server.seen)
        blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(CACHE_FILE))
        assert blob and GH_TOKEN.encode() not in blob and GL_TOKEN.encode() not in blob
        text = repr(out) + repr(cfg) + json.dumps(ctx.request_counts())
        assert GH_TOKEN not in text and GL_TOKEN not in text
