"""The collector interface: optional enrichers that add facts to package nodes.

A collector gathers raw facts for every package node (it never scores) and
returns them keyed by package name; the pipeline stores each result in
``PackageNode.signals[collector.key]``.  Collectors are listed in an explicit
table (:data:`auditor.pipeline.COLLECTORS`), can be turned off by name
(``--no-<name>``), and must not raise for one bad package: that package gets
an :class:`~auditor.models.Unknown` with the reason.
"""

from __future__ import annotations

import abc
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from auditor.config import Config
from auditor.models import PackageNode
from auditor.net.http import HttpClient

T = TypeVar("T")
R = TypeVar("R")


class Progress:
    """Progress callbacks; the CLI passes a rich-backed subclass, tests the no-op base."""

    def start(self, task: str, total: int) -> None:
        """A task with *total* steps begins."""

    def advance(self, task: str, steps: int = 1) -> None:
        """*steps* of *task* are done."""

    def message(self, text: str) -> None:
        """A diagnostic line (shown with ``--verbose``)."""


@dataclass
class Context:
    """What collectors get: configuration, HTTP clients, a bounded pool, progress.

    Attributes:
        config: the run's configuration.
        progress: progress reporter.
        clients: HTTP clients by service name, created on first use by :meth:`http`.
    """

    config: Config
    progress: Progress = field(default_factory=Progress)
    clients: dict[str, HttpClient] = field(default_factory=dict)
    #: Parsed facts shared by every client of this context (e.g. PyPI projects
    #: by name), so two audits run on one context (``auditor diff``) parse each
    #: document once.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def http(self, service: str) -> HttpClient:
        """The shared :class:`HttpClient` for *service* (one per run)."""
        with self._lock:
            client = self.clients.get(service)
            if client is None:
                client = self.clients[service] = HttpClient(self.config, service)
            return client

    def map(self, fn: Callable[[T], R], items: Iterable[T], task: str | None = None) -> list[R]:
        """Apply *fn* to *items* on a bounded thread pool, preserving order.

        Advances the progress task *task* (if given) once per item.
        """
        items = list(items)
        if task:
            self.progress.start(task, len(items))

        def run(item: T) -> R:
            try:
                return fn(item)
            finally:
                if task:
                    self.progress.advance(task)

        if len(items) <= 1:
            return [run(i) for i in items]
        with ThreadPoolExecutor(max_workers=max(1, min(self.config.concurrency, len(items)))) as pool:
            return list(pool.map(run, items))

    def facts(self):
        """The run's persistent :class:`~auditor.net.memo.FactMemo` (None with ``--no-cache``),
        opened on first use and closed by :meth:`close`."""
        with self._lock:
            if "_facts" not in self.memo:
                from auditor.net.memo import FactMemo

                self.memo["_facts"] = FactMemo.open(self.config)
            return self.memo["_facts"]

    def request_counts(self) -> dict[str, dict[str, int]]:
        """``{service: {"network": n, "cache_hits": n, "failures": n}}``; the counters
        ``"revalidated"`` (304s), ``"retries"``, ``"rate_limit_waits"`` appear when non-zero,
        ``"rate_limit_remaining"`` (and ``"rate_limited": 1``) where the service reports a budget."""
        out: dict[str, dict[str, int]] = {}
        for name, c in sorted(self.clients.items()):
            s = c.stats
            counts = {"network": s.network, "cache_hits": s.cache_hits, "failures": s.failures}
            for extra in ("revalidated", "retries", "rate_limit_waits"):
                if getattr(s, extra):
                    counts[extra] = getattr(s, extra)
            if c.budget.remaining is not None:
                counts["rate_limit_remaining"] = c.budget.remaining
            if c.budget.stopped == "rate limited":
                counts["rate_limited"] = 1
            elif c.budget.stopped:
                counts["unreachable"] = 1
            out[name] = counts
        return out

    def close(self) -> None:
        """Close every HTTP client (and the fact memo)."""
        for client in self.clients.values():
            client.close()
        facts = self.memo.pop("_facts", None)
        if facts is not None:
            facts.close()


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
    def collect(self, nodes: Sequence[PackageNode], ctx: Context) -> Mapping[str, Any]:
        """Gather facts for *nodes*.

        Returns:
            ``{package name: model or Unknown}``; packages left out get no entry.
        """
