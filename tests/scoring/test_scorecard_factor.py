"""The scorecard factor: points from the published aggregate, unknown when none."""

from auditor.models import ScorecardCheck, ScorecardResult, Unknown
from auditor.scoring import scorecard
from tests.fakes.forges import FakeRepo, make_node

SPEC = {"weight": 10}


def node_with(card):
    from dataclasses import replace

    node = make_node(FakeRepo("github.com", "o/r", "p"))
    return node if card is None else replace(node, signals={"scorecard": card})


def test_low_score_gives_points_and_names_weak_checks():
    card = ScorecardResult("github.com/o/r", "2026-11-16", 3.0, (
        ScorecardCheck("Code-Review", 0), ScorecardCheck("Maintained", 10), ScorecardCheck("Signed-Releases", Unknown("inconclusive", fault=False)),
    ))
    f = scorecard.score(node_with(card), "p==1", None, SPEC)
    assert f.points == 7.0 and f.value == 3.0
    assert f.detail == "OpenSSF Scorecard 3.0/10; weak: Code-Review 0"


def test_unknown_when_not_collected_or_unpublished():
    f = scorecard.score(node_with(None), "p==1", None, SPEC)
    assert isinstance(f.value, Unknown) and f.points == 0.5 * f.weight  # unknown points (docs/scoring.md)
    f = scorecard.score(node_with(Unknown("no Scorecard published for github.com/o/r", fault=False)), "p", None, SPEC)
    assert f.detail == f"unknown (no Scorecard published for github.com/o/r) — {0.5 * f.weight:g} unknown points"
