"""The source interface: one input kind in, one pinned Inventory out."""

from __future__ import annotations

import abc
import functools
from typing import Any

from auditor.config import Config
from auditor.models import Inventory
from auditor.net.context import RunContext


class Source(abc.ABC):
    """An input that can be turned into a complete, pinned dependency set.

    Implementations: ``RequirementsSource`` (requirements.txt, resolved with
    uv or pip), ``EnvironmentSource`` (an installed environment), and the
    lockfile sources.  Each is named ``<Kind>Source`` and registered in
    :data:`auditor.sources.registry.SOURCES`.

    Calling convention: ``source.collect(ctx)`` with the run's
    :class:`~auditor.net.context.RunContext`.  While implementations move
    over, each declares :attr:`takes_context`:

    * ``False`` (not ported yet): its ``collect(config)`` receives
      ``ctx.config`` when called with a context;
    * ``True``: its ``collect(ctx)`` receives the context; called with a bare
      ``Config`` (older callers and tests), it gets a context built for the
      call and closed after it.
    """

    #: Short name used by ``--input-format`` and in reports.
    name: str = ""
    #: Whether this implementation's ``collect`` takes a RunContext (see the class docstring).
    takes_context: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        impl = cls.__dict__.get("collect")
        if impl is not None and not getattr(impl, "_adapted", False):
            cls.collect = _adapt(impl, cls.__dict__.get("takes_context", cls.takes_context))  # type: ignore[method-assign]

    @abc.abstractmethod
    def collect(self, ctx: RunContext) -> Inventory:
        """Read (and if needed resolve) the input.

        Args:
            ctx: the run context (configuration with the target environment,
                index URL and cache; the HTTP clients and fact memo to use).

        Returns:
            The complete pinned set with dependency edges.

        Raises:
            InputError: the input is malformed (names file and line).
            ResolutionError: the requirements cannot be resolved.
            SourceError: the input cannot be read at all.
        """


def _adapt(impl, takes_context: bool):
    """Accept a RunContext or a Config, and hand *impl* what it declares it takes."""

    @functools.wraps(impl)
    def collect(self, ctx_or_config: RunContext | Config) -> Inventory:
        if isinstance(ctx_or_config, RunContext):
            return impl(self, ctx_or_config if takes_context else ctx_or_config.config)
        if not takes_context:
            return impl(self, ctx_or_config)
        with RunContext(ctx_or_config) as ctx:
            return impl(self, ctx)

    collect._adapted = True  # type: ignore[attr-defined]
    return collect
