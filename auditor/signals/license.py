"""The licence each release declares: ``License-Expression``, ``License`` or the licence classifiers.

Facts only (the judgements are findings AUD151-AUD153 in
:mod:`auditor.judgement.findings` and policy rules POL016/POL017 in
:mod:`auditor.gate.evaluate`).  Source: the release's core metadata, already
on the node (``Distribution.metadata``), read by
:func:`auditor.dist.licenses.declared_license`; no request is made.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import DeclaredLicense, PackageNode, Unknown, UnknownKind


def node_license(node: PackageNode) -> DeclaredLicense | Unknown:
    """*node*'s declared licence, or why it is unknown (no core metadata: already reported as that gap)."""
    from auditor.dist.licenses import declared_license

    meta = node.distribution.metadata
    if isinstance(meta, Unknown):
        return Unknown(f"no core metadata ({meta.reason})", fault=False, kind=UnknownKind.NOT_COLLECTED)
    if meta is None:
        return Unknown("no core metadata", fault=False, kind=UnknownKind.NOT_COLLECTED)
    return declared_license(meta)


class LicenseCollector(Collector):
    """Declared licence per node (see :class:`Collector`)."""

    key = "license"
    description = "licence declared in core metadata (License-Expression, License, classifiers)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, DeclaredLicense | Unknown]:
        return {node.name: node_license(node) for node in nodes}
