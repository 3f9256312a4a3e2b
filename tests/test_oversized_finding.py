"""Issue 11: an artifact over the size bounds is itself a finding (AUD121), not only an unknown."""

from auditor.judgement.findings import findings_for
from auditor.models import InstallFacts, Severity, Unknown, UnknownKind
from tests.builders import package_node


def aud121(node):
    return [(f.severity, f.message) for f in findings_for(node) if f.id == "AUD121"]


def test_a_too_large_fact_is_a_finding_once_per_package():
    bomb = Unknown("x-1.0.tar.gz: archive decompresses to more than 67108864 bytes", kind=UnknownKind.TOO_LARGE)
    node = package_node("x", "1.0", signals={
        "install": InstallFacts(version="1.0", wheel=None, sdist="x-1.0.tar.gz", builds_from_source=True,
                                build_backend=bomb),
        "vendored": Unknown("x-1.0-py3-none-any.whl: answer larger than 67108864 bytes", kind=UnknownKind.TOO_LARGE),
    })
    [(severity, message)] = aud121(node)
    assert severity is Severity.MEDIUM
    assert message.startswith("x: ") and message.endswith("(and 1 more)")


def test_other_unknowns_are_not_oversized():
    node = package_node("y", "1.0", signals={"vendored": Unknown("HTTP 503", kind=UnknownKind.HTTP_ERROR)})
    assert aud121(node) == []
