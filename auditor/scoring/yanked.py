"""Factor ``yanked``: the pinned version was yanked on PyPI (PEP 592).

Source: the ``release`` signal (``releases[version][].yanked`` in the PyPI
JSON API).  Full weight when yanked: maintainers withdraw releases that are
broken or unsafe.
"""

from auditor.models import ReleaseFacts
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "yanked"


def judge(node, facts: ReleaseFacts, spec):
    """Points for one node's ``ReleaseFacts`` (the module docstring says how)."""
    return factor(NAME, facts.yanked, 1.0 if facts.yanked else 0.0, spec,
                  f"{facts.version} is yanked" if facts.yanked else f"{facts.version} is not yanked")


score = from_signal(NAME, ReleaseFacts, judge)
