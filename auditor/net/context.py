"""The run context: everything one command shares, built once from :class:`~auditor.config.Config`.

A :class:`RunContext` owns, for the length of one command (``audit``,
``explain``, ``people``, ``diff``):

* one :class:`~auditor.net.http.HttpClient` per service (its session, retry
  policy, rate budget and circuit breaker), created on first use;
* THE cache connection: one requests-cache backend (:func:`~auditor.net.cache.open_backend`)
  shared by every service, opened on first use and closed by :meth:`RunContext.close`;
* the fact memo (:class:`~auditor.net.memo.FactMemo`), opened at most once;
* the per-host circuit breakers and negative cache (:class:`~auditor.net.hosts.HostHealth`,
  :meth:`RunContext.hosts`) shared by every client and the git cache;
* the in-process memo of parsed documents (:attr:`RunContext.memo`);
* tokens (through ``config``), the offline flag, the deadline, and the
  per-run request and timing counters.

It is passed explicitly (``source.collect(ctx)``, ``collector.collect(ctx, nodes)``);
nothing in auditor keeps a session, cache or backend at module level.  This
module imports only config, models and the rest of ``net/``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

from auditor.config import Config

if TYPE_CHECKING:  # requests and requests-cache load on first use (``auditor --help`` stays fast)
    from auditor.net.hosts import HostHealth
    from auditor.net.http import HttpClient
    from auditor.net.memo import FactMemo

T = TypeVar("T")
R = TypeVar("R")

#: Marks the threads of a context's shared pool: a ``map`` called from one (nested) gets a pool of its own,
#: so that outer tasks waiting on inner ones can never hold every worker of the shared pool.
_WORKER = threading.local()

#: Key of the fact memo in :attr:`RunContext.memo` (kept for callers that looked there).
_FACTS = "_facts"
#: Key of the Hub client (net/hub.py::hub_client) in :attr:`RunContext.memo`.
_HUB = "_hub_client"
#: Fact-memo namespaces and the service whose lookup each memoized fact stands for
#: (a hit is counted as that service's cache hit in :meth:`RunContext.request_counts`).
MEMO_SERVICES = {"pypi-project": "pypi", "core-metadata": "pypi-files", "release-files": "index",
                 "project-status": "index", "build-system": "pypi-files"}


class Progress:
    """Progress callbacks; the CLI passes a rich-backed subclass, tests the no-op base."""

    def start(self, task: str, total: int) -> None:
        """A task with *total* steps begins."""

    def advance(self, task: str, steps: int = 1) -> None:
        """*steps* of *task* are done."""

    def message(self, text: str) -> None:
        """A diagnostic line (shown with ``--verbose``)."""


@dataclass
class RunContext:
    """What every stage gets: configuration, HTTP clients, caches, a bounded pool, progress.

    Args / attributes:
        config: the run's configuration.
        progress: progress reporter.
        clients: HTTP clients by service name, created on first use by :meth:`http`.
        memo: parsed facts shared by every client of this context (e.g. PyPI
            projects by name), so two audits run on one context (``auditor
            diff``) parse each document once.
        deadline: ``time.monotonic()`` value after which requests answer
            ``Unknown(kind=DEADLINE)``; by default ``now + config.time_budget``
            (no deadline when the budget is None).
        timings: seconds spent per stage (:meth:`timed`), for ``--verbose`` and benchmarks.
        collectors: collector instances to run instead of the enabled rows of
            ``auditor.collectors.COLLECTOR_TABLE`` (tests inject fakes here
            rather than patching module globals); None: the table decides.
        repository_named: ``(project_urls, home_page, download_url) -> bool``, whether a
            PyPI project's own URLs name a repository (the mapping's rule 2); the
            pipeline sets ``auditor.repos.mapping.names_repository``, and the PyPI
            client then extracts only the description links the mapping can still
            use (``auditor.net.pypi.parse_project``).  None: every link.
        warmers: ``warm(ctx, name, version)`` of the run's collectors that have
            one (set by the pipeline); :meth:`release_known` calls them.
        preload: modules the run's later stages import (set by the pipeline: the
            active collectors' readers, the graph and report libraries);
            :meth:`while_resolving` imports them while a resolver subprocess runs.
    """

    config: Config
    progress: Progress = field(default_factory=Progress)
    clients: "dict[str, HttpClient]" = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    deadline: float | None = None
    timings: dict[str, float] = field(default_factory=dict)
    collectors: Sequence[Any] | None = None
    repository_named: Callable[..., bool] | None = None
    warmers: list[Callable[["RunContext", str, str], None]] = field(default_factory=list)
    preload: Sequence[str] = ()
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _backend: Any = field(default=None, repr=False)
    _facts_opened: bool = field(default=False, repr=False)
    _hosts: Any = field(default=None, repr=False)
    _pool: Any = field(default=None, repr=False)
    _key_locks: dict[Any, threading.RLock] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        budget = self.config.time_budget
        if self.deadline is None and budget is not None:
            self.deadline = time.monotonic() + float(budget)

    # -- owned resources ---------------------------------------------------------------

    def key_lock(self, key: Any) -> threading.RLock:
        """One lock per memo *key*: a fetch that misses the memo holds it, so two threads asking for the
        same fact at once (a survey's inputs, a collector and its warm-up) make one request, not two."""
        with self._lock:
            lock = self._key_locks.get(key)
            if lock is None:
                lock = self._key_locks[key] = threading.RLock()
            return lock

    def memoized(self, key: Any, compute: Callable[[], R], keep: Callable[[R], bool] | None = None) -> R:
        """``memo[key]``, computed once by *compute* when missing: the miss runs under
        :meth:`key_lock`, so threads asking at once wait for one computation (one request).
        The value is stored when *keep* (default: always) says so; otherwise each caller
        computes it again (e.g. an Unknown worth retrying)."""
        if key in self.memo:
            return self.memo[key]
        with self.key_lock(key):
            if key in self.memo:
                return self.memo[key]
            value = compute()
            if keep is None or keep(value):
                self.memo[key] = value
            return value

    def cache_backend(self):
        """The run's one requests-cache backend (SQLite in ``config.cache_dir``, in memory with
        ``--no-cache``), opened on first use."""
        with self._lock:
            return self._backend_locked()

    def _backend_locked(self):
        if self._backend is None:
            from auditor.net.cache import open_backend

            self._backend = open_backend(self.config)
        return self._backend

    def hosts(self) -> "HostHealth":
        """The run's per-host breakers; persisted in ``config.cache_dir`` unless ``--no-cache``."""
        with self._lock:
            return self._hosts_locked()

    def _hosts_locked(self) -> "HostHealth":
        if self._hosts is None:
            from auditor.net.hosts import HostHealth

            self._hosts = HostHealth.for_cache_dir(self.config.cache_dir if self.config.use_cache else None)
        return self._hosts

    def http(self, service: str) -> "HttpClient":
        """The shared :class:`HttpClient` for *service* (one per run), on the run's cache backend."""
        with self._lock:
            client = self.clients.get(service)
            if client is None:
                from auditor.net.http import HttpClient

                client = self.clients[service] = HttpClient(
                    self.config, service, backend=self._backend_locked(), deadline=self.deadline,
                    hosts=self._hosts_locked(),
                )
            return client

    def facts(self) -> "FactMemo | None":
        """The run's persistent :class:`~auditor.net.memo.FactMemo` (None with ``--no-cache``
        or when it cannot be opened), opened once on first use and closed by :meth:`close`."""
        with self._lock:
            if not self._facts_opened:
                from auditor.net.memo import FactMemo

                self._facts_opened = True
                self.memo[_FACTS] = FactMemo.open(self.config)
            return self.memo.get(_FACTS)

    def preflight(self, urls: Iterable[str]) -> None:
        """Resolve the host names of *urls* on background threads, so that a host whose name
        does not resolve is known before the stage that needs it.

        A lookup that fails opens the host's breaker with the words a request's own failure
        would have left (``connection failed (name resolution failed)``; :mod:`auditor.net.hosts`),
        so the report is the same; what changes is that a resolver that stalls (5 s per name
        is common where the network has no DNS for it) overlaps the run's other work instead
        of stalling the stage that asks.  Skipped offline, with ``--no-cache``-less hosts
        already known down, and whenever a proxy is configured (then names are resolved by the proxy).
        """
        if self.config.offline:
            return
        import urllib.request

        if urllib.request.getproxies():
            return
        from urllib.parse import urlsplit

        health = self.hosts()
        hosts = sorted({h for h in (urlsplit(u).hostname for u in urls) if h and health.down(h) is None})

        def probe(host: str) -> None:
            import socket

            try:
                socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
            except socket.gaierror:
                health.transport_failure(host, "connection failed (name resolution failed)", immediate=True)
            except (OSError, UnicodeError):  # pragma: no cover - anything else: the request will tell
                pass

        for host in hosts:
            threading.Thread(target=probe, args=(host,), name=f"auditor-dns-{host}", daemon=True).start()

    def release_known(self, name: str, version: str) -> None:
        """A source has pinned *name* == *version* on ``config.index_url``: let the collectors
        start on it now (:attr:`warmers`; e.g. the provenance request as soon as the release's
        files are known), on the calling worker, overlapped with the source's other lookups.

        What a warmer learns goes to :attr:`memo`, where its collector finds it; a warmer that
        raises is ignored (the collector does the work again and reports what fails).
        """
        if self.config.offline or self.past_deadline():
            return
        for warm in self.warmers:
            try:
                warm(self, name, version)
            except Exception:  # noqa: BLE001 - an early start is an optimisation, never a failure
                pass

    def while_resolving(self) -> threading.Thread | None:
        """A resolver subprocess is about to run (a cold resolution: uv takes a second or more,
        while this process waits): import :attr:`preload` on a daemon thread meanwhile, so the
        stages after the source do not pay for their imports (pyelftools, cyclonedx, docutils,
        networkx: ~1 s of a cold audit's CPU).  Once per context; an import that fails is left
        for its stage to report.  Returns the thread (None when there is nothing to load)."""
        modules, self.preload = tuple(self.preload), ()
        if not modules:
            return None

        def load() -> None:
            import importlib

            for name in modules:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - the stage that needs it imports it again and reports
                    pass

        thread = threading.Thread(target=load, name="auditor-preload", daemon=True)
        thread.start()
        return thread

    def past_deadline(self) -> bool:
        """True once the run's deadline has passed (never without one)."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    # -- work -------------------------------------------------------------------------

    def map(self, fn: Callable[[T], R], items: Iterable[T], task: str | None = None) -> list[R]:
        """Apply *fn* to *items* on a bounded thread pool (``config.concurrency``), preserving order.

        Advances the progress task *task* (if given) once per item.  Top-level
        calls share one pool per context (created on first use, shut down by
        :meth:`close`): starting threads for each of a warm run's twenty-odd
        maps cost more than the work itself.  A call made from inside a task
        (nested) runs on a pool of its own, as every call did before.
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
        if getattr(_WORKER, "active", False):
            with ThreadPoolExecutor(max_workers=max(1, min(self.config.concurrency, len(items)))) as own:
                return list(own.map(run, items))

        def marked(item: T) -> R:
            _WORKER.active = True
            try:
                return run(item)
            finally:
                _WORKER.active = False

        pool = self._shared_pool()
        return list(pool.map(marked, items))

    def _shared_pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=max(1, self.config.concurrency),
                                                thread_name_prefix="auditor")
            return self._pool

    def submit(self, fn: Callable[[], R]) -> "Future[R]":
        """Run *fn* on the context's shared pool and return its future (work started early, e.g. by a
        collector's warm-up).  Wait on it from the command's own thread, never from a pool task
        (a task waiting on a queued one could hold the worker that would run it)."""
        pool = self._shared_pool()

        def marked() -> R:
            _WORKER.active = True
            try:
                return fn()
            finally:
                _WORKER.active = False

        return pool.submit(marked)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the wall time (seconds) of the ``with`` body to ``timings[stage]``."""
        started = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self.timings[stage] = round(self.timings.get(stage, 0.0) + time.monotonic() - started, 3)

    # -- accounting -------------------------------------------------------------------

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
            elif c.budget.stopped or c.down_hosts:
                counts["unreachable"] = 1
            out[name] = counts
        facts = self.memo.get(_FACTS)
        for ns, hits in sorted((facts.hits if facts is not None else {}).items()):
            service = MEMO_SERVICES.get(ns)
            if service is not None:  # a parsed fact from the memo: that service's lookup, answered without it
                out.setdefault(service, {"network": 0, "cache_hits": 0, "failures": 0})["cache_hits"] += hits
        hub = self.memo.get(_HUB)
        if hub is not None:  # huggingface_hub's own HTTP client (net/hub.py), counted by its transport
            out["hub"] = hub.counts()
        return dict(sorted(out.items()))

    def close(self) -> None:
        """Close every HTTP client, the cache backend and the fact memo (idempotent)."""
        with self._lock:
            clients = list(self.clients.values())
            backend, self._backend = self._backend, None
            facts = self.memo.pop(_FACTS, None)
            hub = self.memo.pop(_HUB, None)
            pool, self._pool = self._pool, None
        if hub is not None:
            hub.close()
        if pool is not None:
            pool.shutdown(wait=True)
        for client in clients:
            client.close()
        if backend is not None:
            backend.close()
        if facts is not None:
            facts.close(max_bytes=self._memo_budget())

    def _memo_budget(self) -> int:
        """Bytes the fact memo may keep: ``Config.cache_max_mb`` less the HTTP cache's file."""
        from auditor.net.cache import CACHE_FILE

        try:
            http = (self.config.cache_dir / CACHE_FILE).stat().st_size
        except OSError:
            http = 0
        return max(0, int(self.config.cache_max_mb) * 2**20 - http)

    def __enter__(self) -> "RunContext":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
