"""Factor ``install_time``: installing runs the package's build backend.

Source: the ``install`` signal (simple-index files against the target's
wheel tags).  Full weight when no wheel fits the target and the sdist is
built at install time: its build backend and setup code execute with the
installing user's rights.
"""

from auditor.models import InstallFacts
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "install_time"


def judge(node, facts: InstallFacts, spec):
    """Points for one node's ``InstallFacts`` (the module docstring says how)."""
    if facts.builds_from_source:
        return factor(NAME, True, 1.0, spec, f"builds {facts.sdist} with {facts.build_backend or 'its build backend'}")
    return factor(NAME, False, 0.0, spec, f"wheel {facts.wheel}" if facts.wheel else "no distribution to build")


score = from_signal(NAME, InstallFacts, judge)
