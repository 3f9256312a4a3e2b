"""single_maintainer: one account and no organization, as POL004 and the diff flag judge it."""

from auditor.scoring import single_maintainer
from tests.builders import diff_node as node

SPEC = {"weight": 15}


def test_one_account_without_organization_scores_full():
    f = single_maintainer.score(node("a", "1.0", maintainers=("solo",)), "a", None, SPEC)
    assert (f.value, f.points, f.detail) == (True, 15.0, "one account controls releases")


def test_one_account_in_an_organization_scores_nothing():
    f = single_maintainer.score(node("a", "1.0", maintainers=("solo",), org="team"), "a", None, SPEC)
    assert (f.value, f.points, f.detail) == (False, 0.0, "one account, within organization team")


def test_several_accounts_and_unknown_ownership():
    assert single_maintainer.score(node("a", "1.0", maintainers=("x", "y")), "a", None, SPEC).points == 0.0
    f = single_maintainer.score(node("a", "1.0", project=None), "a", None, SPEC)
    assert f.points == 7.5 and "503" in f.detail  # unknown: half the weight
