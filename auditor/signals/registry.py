"""How signal facts reach the nodes: refinements applied as soon as a signal is
collected (the findings are judged later, by :mod:`auditor.judgement.findings`).

The collectors themselves are listed once, in run order, in
:data:`auditor.collectors.COLLECTOR_TABLE`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from auditor.models import PackageNode
from auditor.repos.confirm import apply_subdirectory
from auditor.signals.conda import apply_conda
from auditor.signals.provenance import apply_provenance


def _refine_provenance(node: PackageNode, value: Any) -> PackageNode:
    """Replace the repository mapping with the one a verified PEP 740 attestation names."""
    mapping = apply_provenance(node.mapping, value)
    return node if mapping is node.mapping else replace(node, mapping=mapping)


def _refine_subdirectory(node: PackageNode, value: Any) -> PackageNode:
    """Confirm, refute (root, lower confidence) or infer the mapped subdirectory from the file list."""
    mapping = apply_subdirectory(node.mapping, value)
    return node if mapping is node.mapping else replace(node, mapping=mapping)


#: ``signals`` key -> ``refine(node, value) -> node``, applied right after that
#: signal is stored, so that later collectors see the corrected node.
REFINERS: dict[str, Callable[[PackageNode, Any], PackageNode]] = {
    "provenance": _refine_provenance,
    "subdirectory": _refine_subdirectory,
    "conda": apply_conda,
}
