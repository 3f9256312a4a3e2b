"""Per-host circuit breakers and the negative cache of failed hosts and URLs.

One :class:`HostHealth` per run (owned by :class:`~auditor.net.context.RunContext`,
shared by every service's :class:`~auditor.net.http.HttpClient` and by the
git cache), so a dead files host never disables a healthy API host of the same
service, and a host found dead by one service is not tried by another.

Breakers (this run):

* a name-resolution (DNS) failure opens the host's breaker at once (DNS
  answers do not change within seconds);
* other transport failures (refused, reset, timed out, TLS) open it after
  :data:`~auditor.net.ratelimit.UNREACHABLE_AFTER` lookups in a row have
  failed (each after its retries); a success closes the count again.

Negative cache (across runs): an opened breaker is written to
``Config.cache_dir / DOWN_FILE`` and honoured for :data:`NEGATIVE_TTL`
seconds; a URL answered with 5xx after every retry is remembered for
:data:`SERVER_ERROR_TTL` seconds, or for its ``Retry-After`` (capped at
:data:`MAX_NEGATIVE_TTL`).  Within that time a later run does not ask again:
the lookup answers ``unknown (<host> unreachable (cached: <first cause>))``,
kind ``unreachable`` (or ``http_error`` for a remembered 5xx).  URLs are
stored as SHA-256 digests only, so nothing a URL might carry reaches the
file.  ``Config.use_cache=False`` keeps the breakers in memory only;
offline runs never consult it (they make no requests).  Deleting the file,
or ``auditor cache clear``, forgets every entry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from pathlib import Path
from typing import Callable

from auditor.atomic import replace_file
from auditor.net.ratelimit import UNREACHABLE_AFTER

log = logging.getLogger(__name__)

#: File of the negative cache in ``Config.cache_dir``.
DOWN_FILE = "unreachable-v1.json"
#: Seconds an unreachable host (connection or DNS failure) is not asked again.
NEGATIVE_TTL = 300.0
#: Seconds a URL that answered 5xx after every retry is not asked again (no ``Retry-After``).
SERVER_ERROR_TTL = 120.0
#: Upper bound on any remembered failure, whatever ``Retry-After`` says.
MAX_NEGATIVE_TTL = 3600.0
#: Entries kept in the file at most (the oldest expiring first are dropped).
MAX_ENTRIES = 2000


def url_key(url: str) -> str:
    """The digest under which a URL's failure is stored (never the URL itself)."""
    return hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()[:32]


class HostHealth:
    """Circuit breakers per host for one run, with a negative cache on disk.

    Args:
        path: the JSON file (``None``: memory only, nothing persisted).
        now: wall-clock seconds (``time.time``; tests pass a fake).
        threshold: transport failures in a row that open a host's breaker.
    """

    def __init__(self, path: Path | None = None, now: Callable[[], float] = time.time,
                 threshold: int = UNREACHABLE_AFTER):
        self.path = Path(path) if path is not None else None
        self._now = now
        self.threshold = threshold
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open: dict[str, str] = {}  # host -> reason, opened in this run
        self._cached: dict[str, dict] | None = None  # key -> {"until", "reason"}, from disk

    @classmethod
    def for_cache_dir(cls, cache_dir: Path | None) -> "HostHealth":
        """The run's breakers, persisted under *cache_dir* (memory only when None)."""
        return cls(Path(cache_dir) / DOWN_FILE if cache_dir is not None else None)

    # -- queries -------------------------------------------------------------------------

    def down(self, host: str) -> str | None:
        """Why *host* must not be asked now, or None.

        ``"<host>: <cause>"`` (the words of the failure that opened it) when
        its breaker opened in this run;
        ``"<host> unreachable (cached: <cause>)"`` when an earlier run's
        failure is still within its time to live.
        """
        with self._lock:
            if host in self._open:
                # the same words as the failure that opened the breaker, so that a package's
                # reason does not depend on which thread failed first
                return f"{host}: {self._open[host]}"
            entry = self._load().get("h:" + host)
        if entry is not None and entry["until"] > self._now():
            return f"{host} unreachable (cached: {entry['reason']})"
        return None

    def failed_url(self, url: str) -> str | None:
        """The remembered 5xx answer for *url* (``"HTTP 503"``), while within its time to live."""
        with self._lock:
            entry = self._load().get("u:" + url_key(url))
        if entry is not None and entry["until"] > self._now():
            return entry["reason"]
        return None

    def opened(self) -> set[str]:
        """Hosts whose breaker opened in this run."""
        with self._lock:
            return set(self._open)

    # -- updates -------------------------------------------------------------------------

    def success(self, host: str) -> None:
        """A request to *host* got an answer: its run of failures ends."""
        if self._failures.get(host):
            with self._lock:
                self._failures.pop(host, None)

    def transport_failure(self, host: str, cause: str, *, immediate: bool = False) -> bool:
        """Count a lookup of *host* that failed to connect; True when this opened its breaker.

        Args:
            cause: short cause (``"connection refused"``, ``"name resolution failed"``).
            immediate: open the breaker now (DNS failures).
        """
        with self._lock:
            if host in self._open:
                return False
            n = self._failures[host] = self._failures.get(host, 0) + 1
            if not immediate and n < self.threshold:
                return False
            self._open[host] = cause
        log.info("%s unreachable (%s); not asked again for %.0f s", host, cause, NEGATIVE_TTL)
        self._remember("h:" + host, cause, NEGATIVE_TTL)
        return True

    def server_error(self, url: str, status: str, retry_after: float | None = None) -> None:
        """Remember that *url* answered *status* (``"HTTP 503"``) after every retry."""
        ttl = SERVER_ERROR_TTL if retry_after is None else min(max(retry_after, 1.0), MAX_NEGATIVE_TTL)
        self._remember("u:" + url_key(url), status, ttl)

    # -- persistence ---------------------------------------------------------------------

    def _load(self) -> dict[str, dict]:
        """The on-disk entries (read once per run; caller holds the lock)."""
        if self._cached is None:
            self._cached = {}
            if self.path is not None:
                self._cached = _read(self.path)
        return self._cached

    def _remember(self, key: str, reason: str, ttl: float) -> None:
        until = self._now() + min(ttl, MAX_NEGATIVE_TTL)
        with self._lock:
            self._load()[key] = {"until": until, "reason": reason}
            if self.path is None:
                return
            merged = {**_read(self.path), key: {"until": until, "reason": reason}}
        now = self._now()
        live = sorted(((k, v) for k, v in merged.items() if v["until"] > now), key=lambda kv: -kv[1]["until"])
        try:
            _write(self.path, dict(live[:MAX_ENTRIES]))
        except OSError as exc:  # a cache that cannot be written is only slower
            log.debug("negative cache not written: %s", exc)


def connection_cause(exc: BaseException) -> str:
    """A short cause for a connection failure (urllib3's messages repeat the URL and pool)."""
    text = str(exc)
    for needle, cause in (
        ("NameResolution", "name resolution failed"),
        ("Name or service not known", "name resolution failed"),
        ("refused", "connection refused"),
        ("reset by peer", "connection reset"),
        ("RemoteDisconnected", "server closed the connection"),
        ("SSLError", "TLS error"),
        ("CERTIFICATE", "TLS certificate error"),
        ("ProxyError", "proxy error"),
        ("timed out", "timed out"),
    ):
        if needle in text:
            return cause
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]


def _read(path: Path) -> dict[str, dict]:
    """Valid entries of the file (anything malformed is dropped, never raised)."""
    try:
        if path.stat().st_size > 4_000_000:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    if isinstance(data, dict):
        for k, v in data.items():
            if (isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("until"), (int, float))
                    and isinstance(v.get("reason"), str)):
                out[k] = {"until": float(v["until"]), "reason": v["reason"][:200]}
    return out


def _write(path: Path, entries: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps(entries, sort_keys=True).encode("utf-8"))
