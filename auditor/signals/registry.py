"""How signal facts reach the nodes: refinements applied as soon as a signal is
collected, and the findings judged after all collectors ran.

The collectors themselves are listed once, in run order, in
:data:`auditor.collectors.COLLECTOR_TABLE`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping

from auditor.config import Config
from auditor.models import Finding, PackageNode
from auditor.signals.findings import all_findings
from auditor.signals.provenance import apply_provenance


def _refine_provenance(node: PackageNode, value: Any) -> PackageNode:
    """Replace the repository mapping with the one a verified PEP 740 attestation names."""
    mapping = apply_provenance(node.mapping, value)
    return node if mapping is node.mapping else replace(node, mapping=mapping)


#: ``signals`` key -> ``refine(node, value) -> node``, applied right after that
#: signal is stored, so that later collectors see the corrected node.
REFINERS: dict[str, Callable[[PackageNode, Any], PackageNode]] = {
    "provenance": _refine_provenance,
}


def apply_signals(nodes: Mapping[str, PackageNode], config: Config) -> tuple[dict[str, PackageNode], list[Finding]]:
    """The nodes and the signal findings.

    Provenance has already been applied to the mappings (:data:`REFINERS`,
    when the provenance collector ran).

    Args:
        nodes: package nodes after the collectors ran.
        config: the run's configuration (unused today; kept for policy options).

    Returns:
        ``(nodes, findings)``: the nodes as a new dict, and the findings sorted
        by severity, id, package (interpreter excluded).
    """
    out = dict(nodes)
    return out, all_findings(n for n in out.values() if n.distribution.origin.kind != "interpreter")
