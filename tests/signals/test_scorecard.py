"""Scorecard enricher against a fake Scorecard API."""

from __future__ import annotations

from auditor.collectors import RunContext
from auditor.models import ScorecardResult, Unknown
from auditor.signals.scorecard import ScorecardCollector
from tests.fakes.forges import FakeForges, FakeRepo, world


def test_scorecard_checks(tmp_path):
    repos = world(2) + [FakeRepo("github.com", "nocard/x", "nocard", scorecard=False),
                        FakeRepo("bitbucket.org", "a/b", "bb")]
    with FakeForges(repos) as f:
        out = ScorecardCollector().collect(RunContext(f.config(tmp_path)), f.nodes())
        assert set(out) == {"pkg0", "pkg1", "glpkg", "nocard"}  # bitbucket: not covered
        card = out["pkg0"]
        assert isinstance(card, ScorecardResult) and card.score == 6.4
        assert card.check("code-review").score == 9
        assert card.check("Signed-Releases").score == Unknown("inconclusive", fault=False)
        assert card.check("Nope") is None
        assert out["nocard"] == Unknown("no Scorecard published for github.com/nocard/x", fault=False)
        assert f.scorecard.seen[0].path.startswith("/projects/")
