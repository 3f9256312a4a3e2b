"""Factor ``provenance``: can the release be tied to a source repository and workflow?

Source: the ``provenance`` signal (PEP 740 attestations from PyPI's integrity
API, verified with pypi-attestations).  Verified and agreeing with the mapped
repository (or naming none to compare): 0; unattested: half; verification
failure or a publisher repository that disagrees with the mapping: full.
"""

from auditor.judgement.catalogue import catalogue
from auditor.models import ReleaseProvenance
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "provenance"

#: Fraction of the weight for an unattested release (``thresholds.unattested_fraction``:
#: the norm today, so worse than verified, better than evidence of a mismatch).
UNATTESTED_FRACTION = catalogue().threshold("unattested_fraction")


def judge(node, prov: ReleaseProvenance, spec):
    """Points for one node's ``ReleaseProvenance`` (the module docstring says how)."""
    if prov.status == "unattested":
        return factor(NAME, "unattested", UNATTESTED_FRACTION, spec, f"no PEP 740 attestations for {prov.filename}")
    if prov.status == "invalid":
        return factor(NAME, "invalid", 1.0, spec, f"attestations do not verify: {prov.detail}")
    from auditor.signals.provenance import publisher_matches

    named = [p for p in prov.publishers if p.repository_url]
    repo = node.mapping.repo
    if repo is not None and named and not any(publisher_matches(p, repo) for p in named):
        return factor(NAME, "mismatch", 1.0, spec, f"published from {named[0].repository_url}, mapped to {repo.url}")
    who = ", ".join(f"{p.kind} {p.repository or ''}".strip() for p in prov.publishers)
    return factor(NAME, "verified", 0.0, spec, f"verified Trusted Publisher: {who}")


score = from_signal(NAME, ReleaseProvenance, judge)
