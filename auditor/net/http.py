"""The one HTTP layer: cached sessions with retries, timeouts and accounting.

Every network client in auditor gets its session from :class:`HttpClient`;
nothing else imports ``requests``.  Each client has:

* a persistent SQLite cache (requests-cache) shared by all services, under
  ``Config.cache_dir / "http-cache.sqlite"``, with per-service expiry;
  ``Config.use_cache=False`` switches to an in-memory cache for the run;
* bounded retries with exponential backoff on connection errors, timeouts
  and 5xx (urllib3 ``Retry``), honouring ``Retry-After``;
* an explicit ``(connect, read)`` timeout on every request;
* offline mode (``Config.offline``): only cached responses are used; a miss
  answers ``Unknown("offline")``;
* counters of network requests and cache hits, for ``--verbose`` output,
  the benchmarks, and the tests that prove a warm run makes no requests.

Failures never raise out of :meth:`HttpClient.get_json`: they come back as
:class:`~auditor.models.Unknown` with the reason, so one bad package cannot
stop an audit.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from auditor import __version__
from auditor.config import Config
from auditor.models import Unknown

log = logging.getLogger(__name__)

USER_AGENT = f"auditor/{__version__} (+https://github.com/auditor-dev/auditor)"

#: Retries after the first attempt, for connection errors, timeouts and 5xx.
MAX_RETRIES = 3
#: urllib3 backoff factor: sleeps 0, 2*f, 4*f, ... seconds between retries (capped at 120 s).
BACKOFF_FACTOR = 0.5
RETRY_STATUSES = (500, 502, 503, 504)

#: Cache lifetimes per service, in seconds (-1: never expires).
#: PyPI project JSON changes when a release or ownership changes: one day.
#: Distribution files and their PEP 658 metadata are immutable: forever.
EXPIRY = {
    "pypi": 24 * 3600,
    "pypi-files": -1,
    "index": 3600,
}
DEFAULT_EXPIRY = 24 * 3600

CACHE_FILE = "http-cache.sqlite"


@dataclass
class HttpStats:
    """Request accounting for one client (thread-safe counters).

    Attributes:
        network: requests that went to the network (including revalidations).
        cache_hits: responses served from the cache without a request.
        failures: requests that ended as Unknown.
    """

    network: int = 0
    cache_hits: int = 0
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, attr: str) -> None:
        with self._lock:
            setattr(self, attr, getattr(self, attr) + 1)


#: One SQLite backend per cache file in this process.  Every service's
#: session shares it, so all writes go through one connection guarded by one
#: lock.  Separate connections to the same file made threads wait in
#: SQLite's busy handler (up to ``busy_timeout``, 30 s per write) and turned a
#: 5 s cold audit into 60-120 s (measured with benchmarks/bench_audit.py).
_BACKENDS: dict[str, requests_cache.SQLiteCache] = {}
_BACKENDS_LOCK = threading.Lock()


def _cache_backend(config: Config):
    if not config.use_cache:
        return requests_cache.backends.BaseCache()  # in-memory dicts
    path = str((Path(config.cache_dir) / CACHE_FILE).resolve())
    with _BACKENDS_LOCK:
        backend = _BACKENDS.get(path)
        if backend is None:
            Path(config.cache_dir).mkdir(parents=True, exist_ok=True)
            backend = _BACKENDS[path] = requests_cache.SQLiteCache(path, wal=True, busy_timeout=30000)
        return backend


def build_session(config: Config, service: str) -> requests_cache.CachedSession:
    """A cached, retrying session for *service* (a key of :data:`EXPIRY`).

    Args:
        config: the run's configuration (cache dir, offline, timeouts).
        service: short service name; selects the cache lifetime.

    Returns:
        A ``requests_cache.CachedSession``.  Authorization headers are never
        stored in the cache (requests-cache redacts ``Authorization``).
    """
    session = requests_cache.CachedSession(
        backend=_cache_backend(config),
        expire_after=EXPIRY.get(service, DEFAULT_EXPIRY),
        allowable_codes=(200, 404, 410),
        stale_if_error=config.offline,
        cache_control=False,
        ignored_parameters=["Authorization", "PRIVATE-TOKEN", "access_token"],
        match_headers=["Accept"],
    )
    if config.offline:
        session.settings.only_if_cached = True
        session.settings.stale_if_error = True
        session.settings.expire_after = -1
    retry = Retry(
        total=MAX_RETRIES,
        connect=MAX_RETRIES,
        read=MAX_RETRIES,
        status=MAX_RETRIES,
        backoff_factor=BACKOFF_FACTOR,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=32, pool_maxsize=max(32, config.concurrency))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class HttpClient:
    """A service's HTTP client: cached GETs that answer data or Unknown.

    Args:
        config: the run's configuration.
        service: service name (``"pypi"``, ``"pypi-files"``, ...).
        session: an existing session to use (tests); built from *config* if omitted.
    """

    def __init__(self, config: Config, service: str, session: requests.Session | None = None):
        self.config = config
        self.service = service
        self.session = session or build_session(config, service)
        self.stats = HttpStats()

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> requests.Response | Unknown:
        """GET *url*; the response (any status), or Unknown on a transport failure.

        Raises nothing: connection errors, timeouts and exhausted retries
        become ``Unknown("<reason>")``; an offline cache miss becomes
        ``Unknown("offline", fault=True)``.
        """
        last: Exception | None = None
        for _attempt in range(2):  # a second try for bodies cut short mid-transfer
            try:
                resp = self.session.get(url, headers=dict(headers or {}), timeout=self.config.timeout)
            except requests.exceptions.ChunkedEncodingError as exc:  # truncated body
                last = exc
                continue
            except requests.exceptions.RetryError as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: retries exhausted ({_short(exc)})")
            except requests.exceptions.Timeout:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: timed out")
            except requests.exceptions.ConnectionError as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: connection failed ({_short(exc)})")
            except requests.exceptions.RequestException as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {_short(exc)}")
            if getattr(resp, "from_cache", False):
                self.stats.count("cache_hits")
            else:
                self.stats.count("network")
            if resp.status_code == 504 and self.config.offline:  # requests-cache's answer to an offline miss
                return Unknown("offline")
            return resp
        self.stats.count("failures")
        return Unknown(f"{_host(url)}: response truncated ({_short(last)})")

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> Any | Unknown:
        """GET *url* and decode JSON.

        Returns:
            The decoded JSON value, or Unknown with the reason:
            ``"not found (HTTP 404)"``, ``"HTTP 503 after 3 retries"``,
            ``"invalid JSON"`` (after evicting the bad cached copy and
            retrying once), ``"offline"``, or a transport failure.
        """
        hdrs = {"Accept": "application/json", **(headers or {})}
        for attempt in range(2):
            resp = self.get(url, hdrs)
            if isinstance(resp, Unknown):
                return resp
            if resp.status_code in (404, 410):
                return Unknown(f"not found (HTTP {resp.status_code})", fault=True)
            if resp.status_code >= 400:
                self.stats.count("failures")
                retried = f" after {MAX_RETRIES} retries" if resp.status_code in RETRY_STATUSES else ""
                return Unknown(f"HTTP {resp.status_code}{retried} from {_host(url)}")
            try:
                return resp.json()
            except (ValueError, json.JSONDecodeError):
                self._evict(resp)
                if attempt == 0 and not self.config.offline:
                    continue
                self.stats.count("failures")
                return Unknown(f"invalid JSON from {_host(url)}")
        return Unknown(f"invalid JSON from {_host(url)}")  # pragma: no cover

    def get_text(self, url: str, headers: Mapping[str, str] | None = None) -> str | Unknown:
        """GET *url* and return the body as text; Unknown on 4xx/5xx or transport failure."""
        resp = self.get(url, headers)
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code in (404, 410):
            return Unknown(f"not found (HTTP {resp.status_code})")
        if resp.status_code >= 400:
            self.stats.count("failures")
            return Unknown(f"HTTP {resp.status_code} from {_host(url)}")
        return resp.text

    def _evict(self, resp: requests.Response) -> None:
        cache = getattr(self.session, "cache", None)
        key = getattr(resp, "cache_key", None)
        if cache is not None and key:
            try:
                cache.delete(key)
            except Exception:  # pragma: no cover - best effort
                log.debug("could not evict %s", key)

    def close(self) -> None:
        """Close the underlying session and its cache connection."""
        self.session.close()


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def _short(exc: BaseException | None) -> str:
    text = str(exc) if exc else ""
    return (text.splitlines() or [type(exc).__name__ if exc else ""])[0][:160]
