"""Where a survey's tasks run: a local thread pool (the default) or a Dask distributed cluster.

Both runners take the same task functions (:mod:`auditor.survey.tasks`) and
hand back futures; the survey gathers every result in the client process
(workers never write a shared store of results).

* :class:`LocalRunner`: a ``concurrent.futures`` thread pool in this process.
  One process means one RunContext for every task (one fact memo, one
  SQLite connection set, no pickling), which is what a 2-core machine wants:
  the tasks wait on the network and on uv subprocesses, and the judging
  runs in the client anyway.  (Dask's own threaded scheduler is the same
  thread pool behind a task graph; a graph is not needed because each
  stage's tasks are known only when the previous stage is done.)
* :class:`DaskRunner`: ``distributed.Client(address)``; tasks carry a key
  (so a task resubmitted after a worker died is the same task, counted
  once), ``retries`` for exceptions, and optionally a preferred worker
  (``workers=[address]``, ``allow_other_workers=True``): the history shards
  go back to the worker that holds their clones while it is alive.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import as_completed as _cf_as_completed
from typing import Any, Callable, Iterable, Iterator


class LocalRunner:
    """Tasks on a thread pool of *workers* threads in this process."""

    name = "local"

    def __init__(self, workers: int = 4):
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="auditor-survey")

    def workers(self) -> list[str]:
        """Worker addresses for affinity (none: one process)."""
        return []

    def submit(self, fn: Callable[..., Any], *args: Any, key: str, worker: str | None = None) -> Future:
        """Run ``fn(*args)``; *key* and *worker* only matter on a cluster."""
        return self.pool.submit(fn, *args)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        """The futures as they finish."""
        return _cf_as_completed(list(futures))

    def close(self) -> None:
        """Wait for running tasks and stop the pool; close this process's contexts (flushes the fact memo)."""
        from auditor.survey.tasks import close_contexts

        self.pool.shutdown(wait=True, cancel_futures=True)
        close_contexts()


class DaskRunner:
    """Tasks on the Dask distributed cluster whose scheduler is at *address* (``tcp://HOST:PORT``),
    or on *client* (tests pass a ``LocalCluster``'s)."""

    name = "dask"

    def __init__(self, address: str | None = None, client: Any = None, retries: int = 2):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - the test extra installs it
            from auditor.errors import ConfigError

            raise ConfigError("--scheduler needs Dask: auditor's 'dask' extra, from its checkout (pip install '.[dask]'; "
                              "'auditor' on PyPI is another project)") from exc
        self.own = client is None
        self.client = client if client is not None else Client(address, timeout="30s")
        self.retries = retries
        self._lock = threading.Lock()

    def workers(self) -> list[str]:
        """The cluster's worker addresses, sorted (the history shards' affinity table)."""
        try:
            info = self.client.scheduler_info(n_workers=-1)  # all workers (newer Dask lists 5 by default)
        except TypeError:  # pragma: no cover - Dask before n_workers=
            info = self.client.scheduler_info()
        return sorted(info.get("workers", {}))

    def submit(self, fn: Callable[..., Any], *args: Any, key: str, worker: str | None = None) -> Any:
        """Submit ``fn(*args)`` under *key*; with *worker*, preferably there (another if it is gone)."""
        extra: dict[str, Any] = {"workers": [worker], "allow_other_workers": True} if worker else {}
        return self.client.submit(fn, *args, key=key, pure=False, retries=self.retries, **extra)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        """The futures as they finish."""
        from distributed import as_completed

        return iter(as_completed(list(futures)))

    def close(self) -> None:
        """Disconnect (a client made here only); the cluster keeps running."""
        if self.own:
            self.client.close()
