"""PEP 792 project status: is the project archived, quarantined or deprecated on its index?

Facts only (the judgement is finding AUD115, :mod:`auditor.judgement.findings`).

Source: the project's page on ``Config.index_url``
(:meth:`auditor.net.pypi.PyPIClient.index_page`: PEP 691 JSON
``project-status``, or the HTML ``pypi:project-status`` meta tags).  The
page is the one the install-time and provenance signals read, fetched and
parsed once per run, so this signal costs no extra request; the status is
also kept in the persistent fact memo (namespace ``project-status``, for the
index's HTTP cache lifetime), so a warm audit parses no page for it.

This module is also the worked example of docs/architecture.md, "Adding a
signal": a model in :mod:`auditor.models.release`, this collector, and one
row of :data:`auditor.collectors.COLLECTOR_TABLE`.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import PackageNode, ProjectStatus, Unknown


def project_status(ctx: RunContext, node: PackageNode) -> ProjectStatus | Unknown:
    """The PEP 792 status of *node*'s project on the run's index, or why it is unknown.

    Only registry and installed distributions come from an index: other
    origins (VCS, URL, path, the interpreter) answer ``Unknown(..., fault=False)``,
    and so does a project PyPI does not know (already reported once as the
    node's ``pypi`` fact).
    """
    from auditor.net.cache import EXPIRY
    from auditor.net.pypi import PyPIClient

    if node.distribution.origin.kind not in ("registry", "installed"):
        return Unknown(f"{node.distribution.origin.kind} requirement: not from an index", fault=False)
    if isinstance(node.project, Unknown) and node.project.not_found:
        return Unknown(f"no PyPI project ({node.project.reason})", fault=False)
    facts = ctx.facts()
    key = f"{ctx.config.index_url}|{node.name}"
    stored = facts.get("project-status", key, EXPIRY["index"]) if facts else None
    if isinstance(stored, dict) and isinstance(stored.get("status"), str):
        return ProjectStatus(stored["status"], stored.get("reason"), bool(stored.get("stated")))
    page = PyPIClient(ctx).index_page(node.name)
    if isinstance(page, Unknown):
        return page
    status = ProjectStatus("active") if page.status is None else ProjectStatus(
        page.status.status, page.status.reason, stated=True)
    if facts is not None:
        facts.put("project-status", key, {"status": status.status, "reason": status.reason, "stated": status.stated})
    return status


class StatusCollector(Collector):
    """PEP 792 project status per node (see :class:`Collector`)."""

    key = "status"
    description = "PEP 792 project status on the index: archived, quarantined, deprecated"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, ProjectStatus | Unknown]:
        return dict(zip((n.name for n in nodes), ctx.map(lambda n: project_status(ctx, n), nodes, task="status")))
