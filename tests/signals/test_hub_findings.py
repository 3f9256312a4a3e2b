"""AUD140: Hub repositories loaded at a branch or tag (auditor/judgement/hub.py)."""

from auditor.judgement.catalogue import catalogue
from auditor.judgement.hub import hub_findings
from auditor.models import Severity, Unknown, UnknownKind
from auditor.models.hub import HubReference, HubScan, SourceLocation

SHA = "0123456789abcdef0123456789abcdef01234567"


def ref(repo_id, revision=None, trust=False, line=1, kind="model"):
    return HubReference(kind, repo_id, revision, trust, None, "from_pretrained", SourceLocation("train.py", line))


def test_one_finding_per_unpinned_repository_and_none_for_pinned():
    hub = HubScan((ref("org/a"), ref("org/a", "main", line=2), ref("org/b", SHA), ref("squad", "v1.0", kind="dataset"),
                   ref("org/c", Unknown.of(UnknownKind.UNSUPPORTED, "revision= is a variable"))))
    found = hub_findings(hub)
    assert [f.id for f in found] == ["AUD140"] * 3
    messages = [f.message for f in found]
    assert messages[0].startswith("dataset squad is loaded at v1.0, not a commit (train.py:1)")
    assert messages[1] == "model org/a is loaded at default branch, main, not a commit (train.py:1, train.py:2)"
    assert "unknown (revision= is a variable)" in messages[2]
    assert all(f.package is None and f.severity is catalogue().findings["AUD140"].severity for f in found)


def test_trust_remote_code_on_a_moving_revision_is_high():
    (finding,) = hub_findings(HubScan((ref("org/code", "main", trust=True),)))
    assert finding.severity is Severity.HIGH and "trust_remote_code=True" in finding.message


def test_pinned_with_remote_code_is_not_this_finding_and_no_scan_no_findings():
    assert hub_findings(HubScan((ref("org/code", SHA, trust=True),))) == []
    assert hub_findings(None) == []
