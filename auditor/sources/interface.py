"""The source interface: one input kind in, one pinned Inventory out."""

from __future__ import annotations

import abc

from auditor.models import Inventory
from auditor.net.context import RunContext


class Source(abc.ABC):
    """An input that can be turned into a complete, pinned dependency set.

    Implementations: ``RequirementsSource`` (requirements.txt, resolved with
    uv or pip), ``EnvironmentSource`` (an installed environment), and the
    lockfile sources.  Each is named ``<Kind>Source`` and registered in
    :data:`auditor.sources.registry.SOURCES`.

    Calling convention: ``source.collect(ctx)`` with the run's
    :class:`~auditor.net.context.RunContext`; the source uses that context's
    HTTP clients, memos and pool, and never closes it (its owner does).
    """

    #: Short name used by ``--input-format`` and in reports.
    name: str = ""

    @abc.abstractmethod
    def collect(self, ctx: RunContext) -> Inventory:
        """Read (and if needed resolve) the input.

        Args:
            ctx: the run context: ``ctx.config`` (target environment, index
                URL, cache directory, offline flag) and the HTTP clients,
                memos and thread pool to use.

        Returns:
            The complete pinned set with dependency edges.

        Raises:
            InputError: the input is malformed (names file and line).
            ResolutionError: the requirements cannot be resolved.
            SourceError: the input cannot be read at all.
        """


#: ``RunContext.memo`` key of the set of index URLs (credentials redacted) the
#: run's sources told a resolver to consult (``--index-url``, ``--extra-index-url``),
#: whether or not they served a package: the dependency-confusion signal
#: (:mod:`auditor.signals.confusion`) reads every one of them.
RUN_INDEXES = ("sources", "run-indexes")


def note_indexes(ctx: RunContext, urls) -> None:
    """Add *urls* (``None`` entries skipped) to the run's :data:`RUN_INDEXES`, credentials redacted."""
    from auditor.dist.redact import redact_url

    ctx.memo.setdefault(RUN_INDEXES, set()).update(redact_url(u) for u in urls if u)


def run_indexes(ctx: RunContext) -> frozenset[str]:
    """The index URLs noted with :func:`note_indexes` in this run (empty when none)."""
    return frozenset(ctx.memo.get(RUN_INDEXES, ()))
