"""Cache faults are warnings, not failures: a full disk, a read-only directory or a corrupt database.

The HTTP cache (:mod:`auditor.net.cache`) and the fact memo
(:mod:`auditor.net.memo`) are conveniences.  When one cannot be opened,
read or written (``sqlite3.Error`` such as "database or disk is full",
"file is not a database", "attempt to write a readonly database", or an
``OSError``), auditor prints **one** warning and goes on without it for the
rest of the run: every lookup is then a cache miss and nothing is written.
Nothing waits on a lock held by a failed write, so a full disk cannot
deadlock the run: requests-cache 1.x retries ``BEGIN IMMEDIATE`` forever
on *any* ``OperationalError`` (``SQLiteDict._acquire_sqlite_lock``), which
turned a read-only or full database into a hang; :func:`tolerant` gives
each storage a bounded version that retries only while the database is
locked by another writer (at most :data:`LOCK_WAIT` seconds) and raises
any other error at once.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import MutableMapping
from contextlib import contextmanager
from typing import Any, Iterator

log = logging.getLogger(__name__)

#: The errors that mean "this cache is unusable now".
FAULTS = (sqlite3.Error, OSError)
#: Seconds a write waits for another writer's lock before the cache is given up.
LOCK_WAIT = 30.0


class CacheState:
    """Whether a cache still works; the first fault logs one warning and turns it off."""

    def __init__(self, name: str):
        self.name = name
        self.broken: str | None = None
        self._lock = threading.Lock()

    def fail(self, exc: BaseException) -> None:
        with self._lock:
            if self.broken is None:
                self.broken = f"{type(exc).__name__}: {str(exc)[:160]}"
                log.warning("auditor: %s unusable (%s); continuing without it for this run", self.name, self.broken)


class TolerantStorage(MutableMapping):
    """A requests-cache storage (``SQLiteDict``) whose faults become misses and dropped writes."""

    def __init__(self, inner: Any, state: CacheState):
        self._inner = inner
        self._state = state

    def __getitem__(self, key: Any) -> Any:
        if self._state.broken:
            raise KeyError(key)
        try:
            return self._inner[key]
        except KeyError:
            raise
        except FAULTS as exc:
            self._state.fail(exc)
            raise KeyError(key) from None

    def __setitem__(self, key: Any, value: Any) -> None:
        if self._state.broken:
            return
        try:
            self._inner[key] = value
        except FAULTS as exc:
            self._state.fail(exc)

    def __delitem__(self, key: Any) -> None:
        if self._state.broken:
            raise KeyError(key)
        try:
            del self._inner[key]
        except KeyError:
            raise
        except FAULTS as exc:
            self._state.fail(exc)
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        if self._state.broken:
            return False
        try:
            return key in self._inner
        except FAULTS as exc:
            self._state.fail(exc)
            return False

    def __iter__(self) -> Iterator[Any]:
        if self._state.broken:
            return iter(())
        try:
            return iter(list(self._inner))
        except FAULTS as exc:
            self._state.fail(exc)
            return iter(())

    def __len__(self) -> int:
        if self._state.broken:
            return 0
        try:
            return len(self._inner)
        except FAULTS as exc:
            self._state.fail(exc)
            return 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self._state.broken and name != "close":
                return None
            try:
                return attr(*args, **kwargs)
            except FAULTS as exc:
                self._state.fail(exc)
                return None

        return guarded


def _bounded_write_lock(storage: Any):
    """A replacement for ``SQLiteDict._acquire_sqlite_lock`` that never loops on a fault (module docstring)."""

    @contextmanager
    def acquire() -> Iterator[None]:
        with storage._lock:
            give_up = time.monotonic() + LOCK_WAIT
            while True:
                try:
                    storage._connection.execute("BEGIN IMMEDIATE")
                    storage._active_transaction = True
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > give_up:
                        raise
                    time.sleep(0.01)
            try:
                yield
                storage._connection.commit()
            except BaseException:
                try:
                    storage._connection.rollback()
                except sqlite3.Error:
                    pass
                raise
            finally:
                storage._active_transaction = False

    return acquire


def tolerant(backend: Any, state: CacheState) -> Any:
    """Wrap *backend*'s ``responses`` and ``redirects`` storages in :class:`TolerantStorage`; *backend* returned."""
    for attr in ("responses", "redirects"):
        inner = getattr(backend, attr, None)
        if inner is not None and not isinstance(inner, TolerantStorage):
            if hasattr(inner, "_acquire_sqlite_lock"):
                inner._acquire_sqlite_lock = _bounded_write_lock(inner)
            setattr(backend, attr, TolerantStorage(inner, state))
    return backend
