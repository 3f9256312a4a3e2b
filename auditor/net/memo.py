"""A persistent memo of parsed facts (SQLite in the cache directory).

The HTTP cache (:mod:`auditor.net.http`) keeps raw responses; decoding them
again on every run costs more than the lookup itself for large documents
(the PyPI JSON of aiohttp or pydantic-core is 10 MB).  This memo keeps the
small parsed result instead, under the same lifetime rules:

* entries older than *ttl* seconds are ignored (``-1``: never expire), so a
  memoized PyPI project is as fresh as the HTTP cache's copy would be;
* in offline mode age is ignored, as the HTTP cache does;
* ``Config.use_cache=False`` disables it (:meth:`FactMemo.open` returns None).

Values are JSON; callers convert their models.  Failures never raise: a
memo that cannot be opened or read is simply skipped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from auditor.config import Config
from auditor.net.cachefaults import FAULTS, CacheState
from auditor.dist.redact import redact

MEMO_FILE = "facts-v1.sqlite"


class FactMemo:
    """``namespace + key -> JSON value`` with a write time.

    Args:
        path: the SQLite file.
        offline: ignore entry ages (``Config.offline``).
    """

    def __init__(self, path: Path, offline: bool = False):
        self.offline = offline
        self._lock = threading.Lock()
        self._state = CacheState("fact memo")
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS facts (ns TEXT, key TEXT, value TEXT NOT NULL, written REAL NOT NULL,"
            " PRIMARY KEY (ns, key))"
        )

    @classmethod
    def open(cls, config: Config) -> "FactMemo | None":
        """The memo in ``config.cache_dir``, or None when caching is off or it cannot be opened."""
        if not config.use_cache:
            return None
        try:
            Path(config.cache_dir).mkdir(parents=True, exist_ok=True)
            return cls(Path(config.cache_dir) / MEMO_FILE, config.offline)
        except FAULTS as exc:  # read-only directory, corrupt file: one warning, no memo
            CacheState("fact memo").fail(exc)
            return None

    def get(self, ns: str, key: str, ttl: float = -1) -> Any | None:
        """The value, or None when absent, expired (unless offline) or unreadable."""
        key = redact(key)  # keys name index URLs: no secret is ever stored
        if self._state.broken:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT value, written FROM facts WHERE ns = ? AND key = ?", (ns, key)).fetchone()
        except FAULTS as exc:
            self._state.fail(exc)
            return None
        if row is None:
            return None
        if ttl >= 0 and not self.offline and time.time() - row[1] > ttl:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def put(self, ns: str, key: str, value: Any) -> None:
        """Store *value* (JSON-serializable) now."""
        key = redact(key)
        try:
            text = json.dumps(value, separators=(",", ":"))
            with self._lock:
                if self._state.broken:
                    return
                self._db.execute("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", (ns, key, text, time.time()))
                self._db.commit()
        except (TypeError, ValueError):
            pass
        except FAULTS as exc:  # a full disk: one warning, then no more writes (no lock left held)
            self._state.fail(exc)
            try:
                self._db.rollback()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
