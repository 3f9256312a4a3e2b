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
    result = run_audit(config, StaticSource(inv))
    factors = {f.name: f for f in result.scores["app"].factors}
    assert factors["maintainers"].value == 1
    assert factors["maintainers"].points == round(20 * math.log(2) / math.log(11), 2)
    assert factors["single_maintainer"].points == 15
    assert factors["organization"].points == 5
    assert factors["repo_confidence"].points == 2.0  # high: 0.1 * 20
    assert factors["blast_radius"].value == 0
    assert "contributors" in result.scores["app"].unknown_factors
    known_weight = 20 + 15 + 5 + 20 + 25
    expected = round(100 * (factors["maintainers"].points + 15 + 5 + 2.0 + 0) / known_weight, 1)
    assert result.scores["app"].total == expected
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
