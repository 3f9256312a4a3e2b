"""Factor ``blast_radius``: how much of this graph a compromise reaches.

Source: the dependency graph.  The value is the number of distributions in
the audited set that depend on the node, directly or transitively; points
are that count as a fraction of the other distributions, plus a floor for
direct requirements of the root (the root itself is compromised too).
"""

from auditor.scoring.base import factor

NAME = "blast_radius"


def score(node, node_id, view, spec):
    n = view.dependents.get(node_id, 0)
    others = max(1, view.package_count - 1)
    fraction = n / others
    return factor(NAME, n, fraction, spec, f"{n} of {others} other packages depend on it")
