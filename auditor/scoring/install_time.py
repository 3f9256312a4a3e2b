"""Factor ``install_time``: installing runs the package's build backend.

Source: the ``install`` signal (simple-index files against the target's
wheel tags).  Full weight when no wheel fits the target and the sdist is
built at install time: its build backend and setup code execute with the
installing user's rights.
"""

from auditor.models import InstallFacts
from auditor.scoring._signal import signal_or_unknown
from auditor.scoring.base import factor

NAME = "install_time"


def score(node, node_id, view, spec):
    facts = signal_or_unknown(node, InstallFacts, NAME, spec)
    if not isinstance(facts, InstallFacts):
        return facts
    if facts.builds_from_source:
        return factor(NAME, True, 1.0, spec, f"builds {facts.sdist} with {facts.build_backend or 'its build backend'}")
    return factor(NAME, False, 0.0, spec, f"wheel {facts.wheel}" if facts.wheel else "no distribution to build")
