"""Factor ``yanked``: the pinned version was yanked on PyPI (PEP 592).

Source: the ``release`` signal (``releases[version][].yanked`` in the PyPI
JSON API).  Full weight when yanked: maintainers withdraw releases that are
broken or unsafe.
"""

from auditor.models import ReleaseFacts
from auditor.scoring._signal import signal_or_unknown
from auditor.scoring.base import factor

NAME = "yanked"


def score(node, node_id, view, spec):
    facts = signal_or_unknown(node, ReleaseFacts, NAME, spec)
    if not isinstance(facts, ReleaseFacts):
        return facts
    return factor(NAME, facts.yanked, 1.0 if facts.yanked else 0.0, spec,
                  f"{facts.version} is yanked" if facts.yanked else f"{facts.version} is not yanked")
