"""The signal collectors, in the order they run, and how their facts reach the nodes.

:data:`SIGNAL_COLLECTORS` is spliced into :data:`auditor.pipeline.COLLECTORS`;
:func:`apply_signals` runs after the collectors: it applies verified PEP 740
provenance to the repository mappings and judges the findings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Mapping

from auditor.collectors import Collector
from auditor.config import Config
from auditor.models import Finding, PackageNode
from auditor.signals.findings import all_findings
from auditor.signals.install import InstallCollector
from auditor.signals.names import NamesCollector
from auditor.signals.provenance import ProvenanceCollector, apply_provenance
from auditor.signals.release import ReleaseCollector
from auditor.signals.vendored import VendoredCollector
from auditor.signals.vulnerabilities import VulnerabilityCollector

#: ``(name, factory)`` rows; the name is the ``signals`` key and ``--no-<name>``.
SIGNAL_COLLECTORS: tuple[tuple[str, Callable[[Config], Collector]], ...] = (
    ("release", lambda config: ReleaseCollector()),
    ("names", lambda config: NamesCollector()),
    ("vendored", lambda config: VendoredCollector()),
    ("vulnerabilities", lambda config: VulnerabilityCollector()),
    ("install", lambda config: InstallCollector()),
    ("provenance", lambda config: ProvenanceCollector()),
)


def apply_signals(nodes: Mapping[str, PackageNode], config: Config) -> tuple[dict[str, PackageNode], list[Finding]]:
    """Nodes with provenance applied to their mappings, and the signal findings.

    Args:
        nodes: package nodes after the collectors ran.
        config: the run's configuration (unused today; kept for policy options).

    Returns:
        ``(nodes, findings)``: a new dict (nodes are frozen; changed ones are
        replaced) and the findings sorted by severity, id, package.
    """
    out: dict[str, PackageNode] = {}
    for name, node in nodes.items():
        mapping = apply_provenance(node.mapping, node.signals.get("provenance"))
        out[name] = node if mapping is node.mapping else replace(node, mapping=mapping)
    return out, all_findings(n for n in out.values() if n.distribution.origin.kind != "interpreter")
