"""The score breakdown on a fixed graph, and weights validation."""

import math

import pytest

from auditor.errors import ConfigError
from auditor.pipeline import run_audit
from auditor.scoring.aggregate import load_weights
from tests.builders import StaticSource, dist, inventory


def test_breakdown_on_fixed_graph(config, fake_pypi, tmp_path):
    fake_pypi.add("app", "1.0", roles=(("Owner", "solo"),))
    fake_pypi.add("lib", "1.0", roles=(("Owner", "a"), ("Owner", "b")), organization="team")
    inv = inventory(
        ["app"],
        dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),)),
        dist("lib"),
    )
    result = run_audit(config, StaticSource(inv), collectors=[])  # signal factors: tests/scoring/test_signal_factors.py
    factors = {f.name: f for f in result.scores["app"].factors}
    assert factors["maintainers"].value == 1
    assert factors["maintainers"].points == round(20 * math.log(2) / math.log(11), 2)
    assert factors["single_maintainer"].points == 15
    assert factors["organization"].points == 5
    assert factors["repo_confidence"].points == 2.0  # high: 0.1 * 20
    assert factors["blast_radius"].value == 0
    assert "contributors" in result.scores["app"].unknown_factors
    score = result.scores["app"]
    unknown = [f for f in score.factors if f.name in score.unknown_factors]
    assert all(f.points == round(f.weight * 0.5, 2) for f in unknown)  # docs/scoring.md: half the weight
    all_weight = sum(f.weight for f in score.factors)
    expected = round(100 * (factors["maintainers"].points + 15 + 5 + 2.0 + 0 + sum(f.points for f in unknown)) / all_weight, 1)
    assert score.total == expected
    assert (score.known, score.applicable, score.coverage) == (5, 17, "5/17")
    lib = {f.name: f for f in result.scores["lib"].factors}
    assert lib["blast_radius"].value == 1 and lib["blast_radius"].points == 25.0
    assert lib["organization"].points == 0 and lib["repo_confidence"].points == 20  # no repository found


def test_user_weights_override(tmp_path):
    path = tmp_path / "w.yml"
    path.write_text("blast_radius: {weight: 50}\n")
    assert load_weights(path)["blast_radius"]["weight"] == 50
    assert load_weights(path)["maintainers"]["weight"] == 20


@pytest.mark.parametrize(
    "text, message",
    [
        ("nope: {weight: 1}\n", "unknown factor 'nope'"),
        ("maintainers: {wieght: 1}\n", "unknown key 'wieght'"),
        ("maintainers: {weight: -1}\n", "non-negative number"),
        ("maintainers: {weight: lots}\n", "non-negative number"),
        ("- a\n", "must be a mapping"),
    ],
)
def test_bad_weights_files(tmp_path, text, message):
    path = tmp_path / "w.yml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_weights(path)


def test_unknown_never_ranks_safest(config, fake_pypi):
    """Issue 13: a package we know nothing about scores above a well-known, low-exposure one."""
    fake_pypi.add("known", "1.0", roles=tuple(("Owner", f"u{i}") for i in range(3)), organization="team",
                  project_urls=(("Source", "https://github.com/o/known"),))
    inv = inventory(["known", "mystery"], dist("known", project_urls=(("Source", "https://github.com/o/known"),)),
                    dist("mystery"))  # mystery: not on the fake PyPI -> every PyPI fact unknown
    result = run_audit(config, StaticSource(inv), collectors=[])
    known, mystery = result.scores["known"], result.scores["mystery"]
    assert mystery.total > known.total
    assert mystery.known < known.known and mystery.applicable == known.applicable


def test_interpreter_is_not_scored(config, fake_pypi):
    fake_pypi.add("app", "1.0", roles=(("Owner", "solo"),))
    result = run_audit(config, StaticSource(inventory(["app"], dist("app"))), collectors=[])
    python = result.scores["python"]
    assert python.total.kind.value == "not_applicable" and "own section" in python.total.reason
    assert result.ranked()[0].name == "app"


def test_unknown_fraction_is_a_weight_key(tmp_path):
    path = tmp_path / "w.yml"
    path.write_text("scorecard: {unknown: 1}\n")
    assert load_weights(path)["scorecard"]["unknown"] == 1
    assert load_weights()["maintainers"]["unknown"] == 0.5
