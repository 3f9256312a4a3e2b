"""The source interface: one input kind in, one pinned Inventory out."""

from __future__ import annotations

import abc

from auditor.config import Config
from auditor.models import Inventory


class Source(abc.ABC):
    """An input that can be turned into a complete, pinned dependency set.

    Implementations: ``RequirementsSource`` (requirements.txt, resolved with
    uv or pip), ``EnvironmentSource`` (an installed environment), and the
    lockfile sources.  Each is named ``<Kind>Source`` and registered in
    :data:`auditor.sources.registry.SOURCES`.
    """

    #: Short name used by ``--input-format`` and in reports.
    name: str = ""

    @abc.abstractmethod
    def collect(self, config: Config) -> Inventory:
        """Read (and if needed resolve) the input.

        Args:
            config: the run's configuration (target environment, index URL, cache).

        Returns:
            The complete pinned set with dependency edges.

        Raises:
            InputError: the input is malformed (names file and line).
            ResolutionError: the requirements cannot be resolved.
            SourceError: the input cannot be read at all.
        """
