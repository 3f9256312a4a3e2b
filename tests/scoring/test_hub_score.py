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
