"""OpenSSF Scorecard enricher: ``signals["scorecard"]`` is a :class:`~auditor.models.ScorecardResult`.

Source: the Scorecard API (``Config.scorecard_url``), results of the weekly
OpenSSF scan; only repositories on :data:`~auditor.net.scorecard.SCORECARD_HOSTS`
are looked up, each once.  Packages without such a repository get no entry.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import PackageNode
from auditor.net.scorecard import SCORECARD_HOSTS, ScorecardClient


class ScorecardCollector(Collector):
    """Interface: :class:`~auditor.collectors.Collector`."""

    key = "scorecard"
    description = "OpenSSF Scorecard: the repository's published security checks"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        client = ScorecardClient(ctx.http("scorecard"), ctx.config.scorecard_url)
        by_repo: dict[tuple[str, str], list[PackageNode]] = {}
        for node in nodes:
            repo = getattr(node.mapping, "repo", None)
            if repo is not None and repo.host in SCORECARD_HOSTS:
                by_repo.setdefault((repo.host, repo.path.lower()), []).append(node)
        keys = sorted(by_repo)
        results = ctx.map(lambda k: client.result(*k), keys, task="Scorecard")
        return {node.name: res for key, res in zip(keys, results) for node in by_repo[key]}
