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
