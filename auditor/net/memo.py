"""A persistent memo of parsed facts (SQLite in the cache directory): the lean cache.

The HTTP cache (:mod:`auditor.net.cache`) keeps raw responses only for the
services whose documents are small; the large ones (the PyPI project JSON,
up to 10 MB for aiohttp or pydantic-core; simple-index pages, hundreds of
kilobytes for torch; whole sdists) are never stored there
(:data:`auditor.net.cache.NOT_STORED`).  This memo keeps the few fields
auditor uses instead, parsed:

* entries older than *ttl* seconds are ignored (``-1``: never expire), so a
  memoized PyPI project is as fresh as the HTTP cache's copy would be;
* in offline mode age is ignored, as the HTTP cache does;
* ``Config.use_cache=False`` disables it (:meth:`FactMemo.open` returns None);
* values are JSON, zlib-compressed when longer than :data:`COMPRESS_OVER`
  bytes (a parsed project's release list compresses 4-8×).

One writer, readers that never wait: :meth:`FactMemo.put` hands the row to
one writer thread, which commits what has queued up in one transaction;
until then the row is answered from memory.  Reads use one connection per
thread in WAL mode, so they see the last commit and never wait on the
writer (SQLite's WAL: "readers do not block writers and a writer does not
block readers").  Failures never raise: a memo that cannot be opened, read
or written is skipped for the rest of the run (one warning).
"""

from __future__ import annotations

import json
import queue
import shutil
import sqlite3
import threading
import time
import weakref
import zlib
from pathlib import Path
from typing import Any

from auditor.config import Config
from auditor.net.cachefaults import FAULTS, CacheState
from auditor.dist.redact import redact

#: File name in ``Config.cache_dir`` (v2: compressed BLOB values and their sizes).
MEMO_FILE = "facts-v2.sqlite"
#: Files of earlier memo formats, removed when the memo is opened.
OLD_FILES = ("facts-v1.sqlite", "facts-v1.sqlite-wal", "facts-v1.sqlite-shm")
#: Values longer than this (bytes of JSON) are stored zlib-compressed.
COMPRESS_OVER = 512
#: Rows the writer commits in one transaction at most.
BATCH = 500

_STOP = object()
#: Memos open in this process: a new one first waits for the rows others still hold in memory.
_LIVE: "weakref.WeakSet[FactMemo]" = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


def encode(value: Any) -> bytes:
    """*value* as stored: ``b"j" + JSON`` or ``b"z" + zlib(JSON)``.  Raises TypeError/ValueError."""
    text = json.dumps(value, separators=(",", ":")).encode()
    if len(text) > COMPRESS_OVER:
        return b"z" + zlib.compress(text, 6)
    return b"j" + text


def storable_key(key: str) -> str:
    """*key* with credentials redacted and any lone surrogate (from a hostile name) escaped.

    SQLite takes only valid UTF-8 text; a distribution name read from a
    hostile file may hold a lone surrogate, which must cost a cache entry,
    never the run.
    """
    key = redact(key)  # keys name index URLs: no secret is ever stored
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        key = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return key


def decode(blob: bytes) -> Any:
    """The inverse of :func:`encode`; raises ValueError (zlib.error included) on a bad blob."""
    blob = bytes(blob)
    if blob[:1] == b"z":
        return json.loads(zlib.decompress(blob[1:]))
    if blob[:1] == b"j":
        return json.loads(blob[1:])
    raise ValueError("unknown memo encoding")


class FactMemo:
    """``namespace + key -> JSON value`` with a write time.

    Args:
        path: the SQLite file.
        offline: ignore entry ages (``Config.offline``).

    Attributes:
        hits: lookups answered, by namespace (``RunContext.request_counts`` counts
            them as cache hits of the service the namespace stands for).
    """

    def __init__(self, path: Path, offline: bool = False):
        self.path = Path(path)
        self.offline = offline
        self.hits: dict[str, int] = {}
        self._state = CacheState("fact memo")
        self._pending: dict[tuple[str, str], tuple[bytes, float]] = {}
        self._pending_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._writer_db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._writer_db.execute("PRAGMA journal_mode=WAL")
        self._writer_db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
        self._writer_db.execute(
            "CREATE TABLE IF NOT EXISTS facts (ns TEXT, key TEXT, value BLOB NOT NULL, written REAL NOT NULL,"
            " size INTEGER NOT NULL, PRIMARY KEY (ns, key))"
        )
        self._writer_db.commit()
        self._queue: queue.Queue = queue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name="auditor-memo-writer", daemon=True)
        self._writer.start()

    @classmethod
    def open(cls, config: Config) -> "FactMemo | None":
        """The memo in ``config.cache_dir``, or None when caching is off or it cannot be opened."""
        if not config.use_cache:
            return None
        try:
            cache = Path(config.cache_dir)
            cache.mkdir(parents=True, exist_ok=True)
            for old in OLD_FILES:
                (cache / old).unlink(missing_ok=True)
            shutil.rmtree(cache / "wheel-metadata", ignore_errors=True)  # raw METADATA files: memoized parsed now
            path = cache / MEMO_FILE
            with _LIVE_LOCK:
                others = [m for m in _LIVE if m.path == path]
            for other in others:  # read-your-writes across runs of one process (an unclosed context)
                other.flush()
            memo = cls(path, config.offline)
            with _LIVE_LOCK:
                _LIVE.add(memo)
            return memo
        except FAULTS as exc:  # read-only directory, corrupt file: one warning, no memo
            CacheState("fact memo").fail(exc)
            return None

    # -- reads ----------------------------------------------------------------------

    def _reader(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def get(self, ns: str, key: str, ttl: float = -1) -> Any | None:
        """The value, or None when absent, expired (unless offline) or unreadable."""
        key = storable_key(key)
        if self._state.broken:
            return None
        with self._pending_lock:
            row: Any = self._pending.get((ns, key))
        if row is None:
            try:
                row = self._reader().execute("SELECT value, written FROM facts WHERE ns = ? AND key = ?",
                                             (ns, key)).fetchone()
            except FAULTS as exc:
                self._state.fail(exc)
                return None
        if row is None or (ttl >= 0 and not self.offline and time.time() - row[1] > ttl):
            return None
        try:
            value = decode(row[0])
        except (ValueError, zlib.error):
            return None
        with self._pending_lock:
            self.hits[ns] = self.hits.get(ns, 0) + 1
        return value

    # -- writes ---------------------------------------------------------------------

    def put(self, ns: str, key: str, value: Any) -> None:
        """Store *value* (JSON-serializable) now; committed by the writer thread soon after."""
        key = storable_key(key)
        if self._state.broken:
            return
        try:
            blob = encode(value)
        except (TypeError, ValueError):
            return
        row = (blob, time.time())
        with self._pending_lock:
            self._pending[(ns, key)] = row
        self._queue.put((ns, key, row))

    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            stop = False
            while len(batch) < BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                    break
                batch.append(more)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list) -> None:
        if not self._state.broken:
            try:
                self._writer_db.executemany(
                    "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)",
                    [(ns, key, blob, written, len(blob)) for ns, key, (blob, written) in batch])
                self._writer_db.commit()
            except FAULTS as exc:  # a full disk: one warning, then no more writes
                self._state.fail(exc)
                try:
                    self._writer_db.rollback()
                except sqlite3.Error:
                    pass
        with self._pending_lock:
            for ns, key, row in batch:
                if self._pending.get((ns, key)) is row:
                    del self._pending[(ns, key)]

    def flush(self) -> None:
        """Wait until every queued row is committed (tests; :meth:`close` does it)."""
        while self._writer.is_alive():
            with self._pending_lock:
                if not self._pending:
                    return
            time.sleep(0.005)

    # -- size -----------------------------------------------------------------------

    def stored_bytes(self) -> int:
        """Bytes of stored values (the file is somewhat larger: keys, pages, free space)."""
        try:
            row = self._reader().execute("SELECT COALESCE(SUM(size), 0) FROM facts").fetchone()
            return int(row[0])
        except FAULTS:
            return 0

    def evict(self, max_bytes: int) -> int:
        """Delete the oldest rows until the stored values take at most *max_bytes*; rows deleted.

        Call after :meth:`close`'s flush (the writer must be idle); the freed
        pages are returned to the file system with ``VACUUM``.
        """
        total = self.stored_bytes()
        if total <= max_bytes or self._state.broken:
            return 0
        try:
            rows = self._writer_db.execute("SELECT ns, key, size FROM facts ORDER BY written").fetchall()
            gone = []
            for ns, key, size in rows:
                if total <= max_bytes:
                    break
                gone.append((ns, key))
                total -= size
            self._writer_db.executemany("DELETE FROM facts WHERE ns = ? AND key = ?", gone)
            self._writer_db.commit()
            self._writer_db.execute("VACUUM")
            return len(gone)
        except FAULTS as exc:
            self._state.fail(exc)
            return 0

    def close(self, max_bytes: int | None = None) -> None:
        """Commit what is queued, stop the writer, evict down to *max_bytes* (if given), close."""
        self._queue.put(_STOP)
        self._writer.join(timeout=60)
        if max_bytes is not None:
            self.evict(max_bytes)
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for db in readers:
            try:
                db.close()
            except sqlite3.Error:  # pragma: no cover
                pass
        try:
            self._writer_db.close()
        except sqlite3.Error:  # pragma: no cover
            pass
