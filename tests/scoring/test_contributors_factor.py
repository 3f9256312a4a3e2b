"""The ``contributors`` factor counts every author: the forge-comparable
``contributors`` and the ``unlinkable_authors`` beside them (issue 12)."""

from auditor.models import RepositoryHistory
from auditor.scoring.contributors import judge


def history(contributors: int, unlinkable: int) -> RepositoryHistory:
    return RepositoryHistory(url="https://github.com/o/r", as_of=None, commits=10, first_commit=None,
                             last_commit=None, contributors=contributors, active_contributors=0, committers=0,
                             bus_factor=0, excluded_bots=0, unlinkable_authors=unlinkable)


def test_unlinkable_authors_count_as_people_who_wrote_code():
    spec = {"weight": 10, "saturation": 100}
    with_unlinkable = judge(None, history(3, 2), spec)
    assert with_unlinkable.value == 5 and with_unlinkable.detail == "5 people committed"
    assert with_unlinkable.points == judge(None, history(5, 0), spec).points
