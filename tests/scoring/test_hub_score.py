"""scoring/hub.py: a Hub repository's exposure score from its references and the Hub's facts."""

from auditor.models.hub import HubReference, SourceLocation
from auditor.models.hub_facts import HubRepoFacts, SecurityScan, classify_files
from auditor.models.unknown import Unknown, UnknownKind
from auditor.scoring.hub import score_hub, score_hub_repo

SHA = "a" * 40


def ref(revision=None, trust=False):
    return HubReference("model", "org/m", revision, trust, None, "from_pretrained", SourceLocation("t.py", 1))


def facts(files=("model.safetensors",), owner_type="organization", authors=("a", "b"), members=("c",),
          license="mit", security=None):
    return HubRepoFacts("model", "org/m", "org/m", None, "org", owner_type, False, False, False, SHA, None, None, None,
                        1, 1, "transformers", None, license, (), classify_files(list(files), "model", "org/m"),
                        security, authors, members)


def points(score):
    return {f.name: f.points for f in score.factors}


def test_pinned_safe_organization_scores_low():
    s = score_hub_repo([ref(SHA)], facts())
    assert points(s)["hub_revision"] == 0 and points(s)["hub_code_on_load"] == 0 and points(s)["hub_owner"] == 0
    assert 0 < s.total < 15 and s.coverage == "5/5"  # only the three people


def test_every_risk_raises_the_score():
    risky = score_hub_repo([ref(None, trust=True)], facts(files=("pytorch_model.bin", "modeling.py"), owner_type="user",
                                                          license=None, security=SecurityScan(True, (("x.bin", "unsafe"),))))
    assert risky.total > 80
    assert "trust_remote_code" in next(f.detail for f in risky.factors if f.name == "hub_code_on_load")


def test_unknown_facts_are_half_weight_and_listed():
    s = score_hub_repo([ref()], Unknown.of(UnknownKind.OFFLINE, "offline"))
    assert set(s.unknown_factors) == {"hub_code_on_load", "hub_owner", "hub_people", "hub_license"}
    assert s.coverage == "1/5" and points(s)["hub_owner"] == 7.5
    assert score_hub([ref()], None)["model:org/m"].unknown_factors  # --disable hub: not collected, still counted


def test_weights_file_sets_hub_factors(tmp_path):
    import pytest

    from auditor.errors import ConfigError
    from auditor.judgement.catalogue import catalogue
    from auditor.scoring.aggregate import load_weights

    assert not set(catalogue().factors) & set(catalogue().hub_factors)  # one namespace for --weights
    path = tmp_path / "w.yml"
    path.write_text("hub_revision: {weight: 0}\nhub_owner: {weight: 45, unknown: 1}\n")
    weights = load_weights(path)
    pinned_off = score_hub_repo([ref()], facts(), weights)
    assert points(pinned_off)["hub_revision"] == 0 and pinned_off.total < score_hub_repo([ref()], facts()).total
    unknown = score_hub_repo([ref()], Unknown.of(UnknownKind.OFFLINE, "offline"), weights)
    assert points(unknown)["hub_owner"] == 45  # the unknown fraction is a key here too
    assert score_hub([ref()], {"model:org/m": facts()}, weights)["model:org/m"] == pinned_off
    assert score_hub_repo([ref()], facts(), load_weights()) == score_hub_repo([ref()], facts())
    for text, message in (("hub_nope: {weight: 1}\n", "unknown factor 'hub_nope'"),
                          ("hub_owner: {wieght: 1}\n", "unknown key 'wieght'"),
                          ("hub_people: {saturation: -5}\n", "non-negative number")):
        path.write_text(text)
        with pytest.raises(ConfigError, match=message):
            load_weights(path)
