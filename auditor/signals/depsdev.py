"""deps.dev enricher: ``signals["depsdev"]`` is a :class:`~auditor.models.DepsDevVersion`.

For every pinned distribution: deps.dev's declared source repository and
whether provenance verifies it, advisories, dependents count, and whether
deps.dev's repository agrees with our own mapping (``mapping_agreement``),
which repository mapping and the reports use as evidence.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import PackageNode
from auditor.net.depsdev import DepsDevClient

#: ``Origin.kind`` values whose distribution is a PyPI release deps.dev may know.
PYPI_ORIGINS = ("registry", "installed")


class DepsDevCollector(Collector):
    """Interface: :class:`~auditor.collectors.Collector`."""

    key = "depsdev"
    description = "deps.dev: declared source repository and its provenance, advisories, dependents"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        client = DepsDevClient(ctx.http("depsdev"), ctx.config.depsdev_url)
        # Only distributions that come from an index (deps.dev knows PyPI releases, not
        # local paths, VCS checkouts or the interpreter).
        todo = [n for n in nodes if n.distribution.version and n.distribution.origin.kind in PYPI_ORIGINS]

        def one(node: PackageNode):
            repo = getattr(node.mapping, "repo", None)
            return client.version(node.name, node.distribution.version or "", repo.url if repo else None)

        return {n.name: r for n, r in zip(todo, ctx.map(one, todo, task="deps.dev"))}
