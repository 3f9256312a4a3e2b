"""The collector interface and the one ordered table of collectors.

A collector gathers raw facts for every package node (it never scores) and
returns them keyed by package name; the pipeline stores each result in
``PackageNode.signals[collector.key]``.  Collectors are listed once, in run
order, in :data:`COLLECTOR_TABLE` (name, needs, provides, factory); each can
be turned off by name (``--no-<name>``, ``--disable``), and must not raise
for one bad package: that package gets an :class:`~auditor.models.Unknown`
with the reason.

Order: the repository mapping is made before any collector runs
(``pipeline.collect_nodes``), and PEP 740 provenance runs first and corrects
it as soon as it is collected (:data:`auditor.signals.registry.REFINERS`), so every later collector (github, gitlab,
scorecard, depsdev, history, ...) sees the final mapping.
"""

from __future__ import annotations

import abc
import importlib
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from auditor.config import Config
from auditor.models import PackageNode
from auditor.net.context import Progress, RunContext

__all__ = ["COLLECTOR_TABLE", "Collector", "CollectorSpec", "Progress", "RunContext", "collector_spec"]


class Collector(abc.ABC):
    """An optional enricher.

    Attributes:
        key: slot name in ``PackageNode.signals`` and the ``--no-<key>`` option.
        default_enabled: whether it runs when the user says nothing.
        description: one line for ``--help`` and the docs.
    """

    key: str = ""
    default_enabled: bool = True
    description: str = ""

    @abc.abstractmethod
    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        """Gather facts for *nodes*, called as ``collector.collect(ctx, nodes)``.

        Args:
            ctx: the run context (``ctx.config``, HTTP clients, memos, ``ctx.map``).
            nodes: the package nodes, repository mapping already made.

        Returns:
            ``{package name: model or Unknown}``; packages left out get no entry.
            One bad package does not raise: it gets an Unknown with the reason.
        """

    #: Whether :meth:`warm` does anything (the pipeline registers only collectors that say so).
    warms: bool = False

    def warm(self, ctx: RunContext, name: str, version: str) -> None:
        """Optional: start on release *name* == *version* while the source stage still runs.

        Called through ``ctx.release_known`` from the source's pool as soon as a
        pin from the default index is known (its core metadata fetched), so that
        requests of this collector overlap the source stage instead of starting
        after it.  Results go to ``ctx.memo``, where :meth:`collect` looks first;
        nothing is counted twice (the request is made once).  Set :attr:`warms`
        when overriding.
        """


@dataclass(frozen=True)
class CollectorSpec:
    """One row of :data:`COLLECTOR_TABLE`.

    Attributes:
        name: ``signals`` key and the ``--no-<name>`` / ``--disable`` name.
        needs: facts it reads that earlier stages provide (``"mapping"`` is
            the repository mapping made before any collector runs).
        provides: facts it writes (its signal key; ``"mapping"`` when it corrects the mapping).
        target: ``"module:Class"`` of the :class:`Collector`, imported when the row is used.
    """

    name: str
    needs: tuple[str, ...]
    provides: tuple[str, ...]
    target: str

    def factory(self, config: Config) -> Collector:
        """A new collector instance (*config* is the run's; today no collector needs it to construct)."""
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)()


#: Every optional collector, in the order it runs.  Provenance runs first so
#: that later rows see the verified mapping; the subdirectory check
#: (repos/confirm.py: confirms, refutes or infers the mapped directory) runs
#: after the forge rows, so a rate limit they met stops it too; GitHub runs before history, which
#: reads its e-mail->login links from ``node.signals["github"]``.
COLLECTOR_TABLE: tuple[CollectorSpec, ...] = (
    CollectorSpec("provenance", ("mapping",), ("provenance", "mapping"), "auditor.signals.provenance:ProvenanceCollector"),
    # conda records and conda-forge feedstocks (docs/conda.md); a recipe's source URL maps a node left without a repository.
    CollectorSpec("conda", ("mapping",), ("conda", "mapping"), "auditor.signals.conda:CondaCollector"),
    # Forges and ecosystem services (docs/forges.md).
    CollectorSpec("github", ("mapping",), ("github",), "auditor.people.forges:GitHubCollector"),
    CollectorSpec("gitlab", ("mapping",), ("gitlab",), "auditor.people.forges:GitLabCollector"),
    CollectorSpec("subdirectory", ("mapping",), ("subdirectory", "mapping"), "auditor.repos.confirm:SubdirectoryCollector"),
    CollectorSpec("scorecard", ("mapping",), ("scorecard",), "auditor.signals.scorecard:ScorecardCollector"),
    CollectorSpec("depsdev", (), ("depsdev",), "auditor.signals.depsdev:DepsDevCollector"),
    # The wheel's bundled native libraries (docs/native.md), before history: their upstream repositories are read with
    # the packages' (one identity resolution), and native_history hands each distribution the histories of what it bundles.
    CollectorSpec("vendored", (), ("vendored",), "auditor.signals.vendored:VendoredCollector"),
    CollectorSpec("history", ("mapping", "github", "vendored"), ("history",), "auditor.people.history:HistoryCollector"),
    CollectorSpec("native_history", ("vendored", "history"), ("native_history",),
                  "auditor.people.native_history:NativeHistoryCollector"),
    # Signals (auditor/signals/).
    CollectorSpec("release", (), ("release",), "auditor.signals.release:ReleaseCollector"),
    CollectorSpec("status", (), ("status",), "auditor.signals.status:StatusCollector"),
    CollectorSpec("names", (), ("names",), "auditor.signals.names:NamesCollector"),
    CollectorSpec("indexes", (), ("indexes",), "auditor.signals.confusion:IndexesCollector"),
    CollectorSpec("vendor", (), ("vendor",), "auditor.signals.vendor:VendorCollector"),
    CollectorSpec("vulnerabilities", (), ("vulnerabilities",), "auditor.signals.vulnerabilities:VulnerabilityCollector"),
    CollectorSpec("install", (), ("install",), "auditor.signals.install:InstallCollector"),
    CollectorSpec("license", (), ("license",), "auditor.signals.license:LicenseCollector"),
)


def collector_spec(name: str) -> CollectorSpec | None:
    """The row of :data:`COLLECTOR_TABLE` named *name*, or None."""
    return next((s for s in COLLECTOR_TABLE if s.name == name), None)
