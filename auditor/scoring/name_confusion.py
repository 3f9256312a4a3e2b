"""Factor ``name_confusion``: the name imitates a popular project, or borrows a repository.

Source: the ``names`` signal (top PyPI projects list; repository mappings of
the audit).  Full weight for a typosquatting candidate; ``shared_fraction``
(catalogue ``factors:``; 0.5) of it for a repository also claimed by unrelated names.
"""

from auditor.models import NameSignals
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor

NAME = "name_confusion"


def judge(node, names: NameSignals, spec):
    """Points for one node's ``NameSignals`` (the module docstring says how)."""
    if names.similar_to:
        popular, technique = names.similar_to[0]
        return factor(NAME, popular, 1.0, spec, f"resembles {popular} ({technique})")
    if names.shares_repository_with:
        return factor(NAME, list(names.shares_repository_with), spec["shared_fraction"], spec,
                      f"repository also claimed by {', '.join(names.shares_repository_with)}")
    rank = f"download rank {names.rank}" if names.rank else "not among the most downloaded projects"
    return factor(NAME, "none", 0.0, spec, f"no confusable name ({rank})")


score = from_signal(NAME, NameSignals, judge)
