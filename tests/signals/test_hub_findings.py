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
    assert messages[0] == ("dataset squad is loaded at the branch or tag 'v1.0', not at a pinned commit, "
                           "according to the static scan (train.py:1)")
    assert messages[1] == ("model org/a is loaded at its default branch and the branch or tag 'main', not at a pinned "
                           "commit, according to the static scan (train.py:1, train.py:2)")
    assert messages[2] == ("model org/c is loaded at a revision the static scan cannot read (unknown (revision= is a "
                           "variable)), not at a pinned commit, according to the static scan (train.py:1)")
    assert all(f.package is None and f.severity is catalogue().findings["AUD140"].severity for f in found)


def test_trust_remote_code_on_a_moving_revision_is_high():
    (finding,) = hub_findings(HubScan((ref("org/code", "main", trust=True),)))
    assert finding.severity is Severity.HIGH and finding.message.startswith(
        "model org/code is loaded with trust_remote_code=True at the branch or tag 'main', not at a pinned commit")


def test_the_message_names_where_each_reference_comes_from():
    cli = HubReference("model", "org/a", None, False, None, "--model", SourceLocation("<cli>", 0))
    (finding,) = hub_findings(HubScan((ref("org/a", "dev"), cli)))
    assert finding.message == ("model org/a is loaded at its default branch and the branch or tag 'dev', not at a "
                               "pinned commit, according to the static scan (train.py:1) and the --model option")


def test_pinned_with_remote_code_is_not_this_finding_and_no_scan_no_findings():
    assert hub_findings(HubScan((ref("org/code", SHA, trust=True),))) == []
    assert hub_findings(None) == []
