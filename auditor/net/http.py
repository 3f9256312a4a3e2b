"""The one HTTP layer: cached sessions with retries, rate limits, tokens and accounting.

Every network client in auditor gets its session from :class:`HttpClient`;
nothing else imports ``requests``.  Each service (``"pypi"``, ``"github"``,
``"gitlab"``, ``"scorecard"``, ``"depsdev"``, ...) has one client per run, with:

* a persistent SQLite cache (requests-cache) shared by all services, under
  ``Config.cache_dir / "http-cache.sqlite"``, with per-service and
  per-endpoint expiry (:data:`EXPIRY`, :data:`URL_EXPIRY`);
  ``Config.use_cache=False`` switches to an in-memory cache for the run;
* conditional requests: an expired cached response that carried an ``ETag``
  or ``Last-Modified`` is revalidated with ``If-None-Match`` /
  ``If-Modified-Since``; a ``304 Not Modified`` refreshes the cached copy
  (requests-cache does this; GitHub does not count 304s against the rate
  limit, see "Use conditional requests if appropriate" in GitHub's REST
  best practices);
* bounded retries (:data:`MAX_RETRIES`) with exponential backoff and full
  jitter on connection errors, timeouts, truncated bodies and 5xx,
  honouring ``Retry-After``; every sleep goes through an injectable
  :class:`Clock` so tests use a fake one;
* rate limits: ``X-RateLimit-Limit/Remaining/Reset`` (GitHub) and
  ``RateLimit-Limit/Remaining/Reset`` (GitLab) are read from every network
  response into :class:`RateBudget`; a 429, or a 403 that is a primary or
  secondary limit (``X-RateLimit-Remaining: 0``, ``Retry-After``, or a
  "rate limit" message), makes the client wait when the wait is at most
  :data:`MAX_RATE_LIMIT_WAIT` seconds, and otherwise stop calling that
  service for the rest of the run: later lookups are answered from the cache
  or become ``Unknown("rate limited")``;
* tokens bound to one host (:class:`HostToken`): the header is added by the
  transport adapter to each request *as it is sent*, only when the request's
  scheme and host equal the token's (so redirects to another host never
  carry it), and the response keeps the token-less request, so neither the
  cache database nor any exception or log line can contain the token;
* an explicit ``(connect, read)`` timeout on every request;
* offline mode (``Config.offline``): only cached responses are used; a miss
  answers ``Unknown("offline")``;
* a service that cannot be reached (:data:`UNREACHABLE_AFTER` lookups in a
  row fail to connect or to resolve its name; DNS failures are not retried) is not called again
  this run: ``Unknown("<host> unreachable")``;
* counters (:class:`HttpStats`) of network requests, cache hits,
  revalidations, retries and waits, for ``--verbose`` (:func:`describe_counts`),
  the benchmarks and the tests that prove a warm run makes no requests.

Failures never raise out of :meth:`HttpClient.get` / :meth:`HttpClient.get_json`:
they come back as :class:`~auditor.models.Unknown` with the reason, so one
bad package cannot stop an audit.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from requests.utils import parse_header_links

from auditor import __version__
from auditor.config import Config, Secret
from auditor.models import Unknown, UnknownKind

log = logging.getLogger(__name__)

USER_AGENT = f"auditor/{__version__} (+https://github.com/auditor-dev/auditor)"

#: Retries after the first attempt, for connection errors, timeouts,
#: truncated bodies and 5xx.
MAX_RETRIES = 3
#: Backoff before retry *n* (0-based) is ``uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**n))``
#: seconds ("full jitter", AWS Architecture Blog, "Exponential Backoff And Jitter").
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RETRY_STATUSES = (500, 502, 503, 504)

#: Longest rate-limit wait (seconds) the client sits through before giving up
#: on a service for the run.  GitHub asks clients hitting a secondary limit
#: without ``Retry-After`` to wait "at least one minute" (REST docs, "Rate
#: limits for the REST API"); anything longer (e.g. a primary limit resetting
#: in 40 minutes) would make an audit look hung, so the run finishes with
#: ``unknown (rate limited)`` instead.
MAX_RATE_LIMIT_WAIT = 60.0
#: Wait when a secondary limit names no time (GitHub docs: "at least one minute").
DEFAULT_SECONDARY_WAIT = 60.0
#: Rate-limit waits one request may take before it gives up.
MAX_RATE_LIMIT_WAITS = 2
#: Consecutive lookups that end in connection failures or timeouts (each
#: after its retries) before a service is considered unreachable and not
#: called again this run: an audit without access to, say, GitHub should not
#: pay the retry backoff once per package.
UNREACHABLE_AFTER = 3

#: Cache lifetimes per service, in seconds (-1: never expires).
#: PyPI project JSON changes when a release or ownership changes: one day.
#: Distribution files and their PEP 658 metadata are immutable: forever.
#: Forge metadata changes slowly and revalidates for free (ETag): one day.
#: Scorecard results are recomputed weekly by the OpenSSF cron job.
EXPIRY = {
    "pypi": 24 * 3600,
    "pypi-files": -1,
    "index": 3600,
    "github": 24 * 3600,
    "gitlab": 24 * 3600,
    "scorecard": 7 * 24 * 3600,
    "depsdev": 24 * 3600,
}
DEFAULT_EXPIRY = 24 * 3600

#: Per-endpoint lifetimes (regular expressions searched in the URL), first match wins.
#: An account's creation date never changes: a week (the login could be renamed).
#: A deps.dev *version* is immutable except for advisories and dependents: a day (default).
URL_EXPIRY: dict[str, dict[re.Pattern, int]] = {
    "github": {
        re.compile(r"/users/[^/?]+$"): 7 * 24 * 3600,
        re.compile(r"/contents/"): 7 * 24 * 3600,
    },
    "gitlab": {
        re.compile(r"/api/v4/users(\?|/)"): 7 * 24 * 3600,
    },
}

#: Kind of the Unknown returned once a service is stopped for the run.
_STOP_KINDS = {"rate limited": UnknownKind.RATE_LIMITED, "offline": UnknownKind.OFFLINE}

CACHE_FILE = "http-cache.sqlite"

#: Request headers that carry our credentials: set only by the adapter, for the token's own origin.
AUTH_HEADERS = ("Authorization", "PRIVATE-TOKEN")


class Clock:
    """Wall-clock time and sleeping; tests pass a fake that records the sleeps."""

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for *seconds*."""
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True)
class HostToken:
    """A credential bound to one origin.

    Attributes:
        origin: ``scheme://host[:port]`` the token may be sent to (lower case).
        token: the secret.
        header: header name; the value is ``"Bearer <token>"`` for
            ``Authorization`` (GitHub and GitLab both accept it), else the raw token.
    """

    origin: str
    token: Secret
    header: str = "Authorization"

    @classmethod
    def for_base_url(cls, base_url: str, token: Secret, header: str = "Authorization") -> "HostToken":
        """Bind *token* to the origin of *base_url* (``https://api.github.com/...`` -> ``https://api.github.com``)."""
        return cls(_origin(base_url), token, header)

    def applies_to(self, url: str) -> bool:
        """True when *url* has exactly this token's scheme, host and port."""
        return _origin(url) == self.origin

    def header_value(self) -> str:
        if self.header == "Authorization":
            return f"Bearer {self.token.reveal()}"
        return self.token.reveal()


@dataclass
class RateBudget:
    """What the service said about its rate limit, from the latest network response.

    Attributes:
        limit: requests allowed per window (``X-RateLimit-Limit`` / ``RateLimit-Limit``).
        remaining: requests left (``X-RateLimit-Remaining`` / ``RateLimit-Remaining``).
        reset: epoch seconds when the window resets (``X-RateLimit-Reset``).
        blocked_until: epoch seconds before which no request is sent (a short wait in progress).
        stopped: reason the service is no longer called this run, or ``None``.
    """

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    blocked_until: float = 0.0
    stopped: str | None = None

    def describe(self, now: float) -> str:
        """One line for ``--verbose``: ``"4982/5000 left, resets in 37 min"``."""
        if self.stopped:
            return f"stopped ({self.stopped})"
        if self.remaining is None:
            return "no rate-limit headers seen"
        text = f"{self.remaining}/{self.limit if self.limit is not None else '?'} left"
        if self.reset:
            text += f", resets in {max(0, int(self.reset - now)) // 60} min"
        return text


@dataclass
class HttpStats:
    """Request accounting for one client (thread-safe counters).

    Attributes:
        network: requests sent over the network (including revalidations and retries).
        cache_hits: responses served from the cache without any request.
        revalidated: conditional requests answered ``304 Not Modified``.
        failures: lookups that ended as Unknown.
        retries: attempts repeated after a fault (connection, timeout, 5xx, truncated body).
        rate_limit_waits: waits taken because of a rate limit.
        waited: total seconds slept (backoff and rate limits).
    """

    network: int = 0
    cache_hits: int = 0
    revalidated: int = 0
    failures: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    waited: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, attr: str, amount: float = 1) -> None:
        with self._lock:
            setattr(self, attr, getattr(self, attr) + amount)


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


class _ServiceAdapter(HTTPAdapter):
    """Transport adapter: adds the host-bound token per hop, counts sends, reads rate limits."""

    def __init__(self, client: "HttpClient", pool_maxsize: int):
        super().__init__(max_retries=0, pool_connections=32, pool_maxsize=pool_maxsize)
        self._client = client

    def send(self, request, **kwargs):  # type: ignore[override]
        client = self._client
        sent = request.copy()
        for name in AUTH_HEADERS:
            sent.headers.pop(name, None)
        for tok in client.tokens:
            if tok.applies_to(sent.url or ""):
                sent.headers[tok.header] = tok.header_value()
                break
        client._note_send()
        try:
            resp = super().send(sent, **kwargs)
        except requests.exceptions.RequestException as exc:
            exc.request = request  # the token-less original
            raise
        resp.request = request  # keep the token out of the cache and of callers' hands
        client._observe(resp)
        return resp


def build_session(config: Config, service: str, client: "HttpClient | None" = None) -> requests_cache.CachedSession:
    """A cached session for *service* (a key of :data:`EXPIRY`).

    Args:
        config: the run's configuration (cache dir, offline, concurrency).
        service: short service name; selects the cache lifetimes.
        client: the :class:`HttpClient` whose adapter counts and authenticates
            requests; ``None`` for a bare session (no tokens, no accounting).

    Returns:
        A ``requests_cache.CachedSession``.  Credentials never reach the
        cache: they are added below the cache layer (see :class:`_ServiceAdapter`)
        and the credential headers are also listed in ``ignored_parameters``.
    """
    session = requests_cache.CachedSession(
        backend=_cache_backend(config),
        expire_after=EXPIRY.get(service, DEFAULT_EXPIRY),
        urls_expire_after=URL_EXPIRY.get(service),
        allowable_codes=(200, 404, 410),
        stale_if_error=config.offline,
        cache_control=False,
        ignored_parameters=list(AUTH_HEADERS) + ["Proxy-Authorization", "access_token", "private_token"],
        match_headers=["Accept"],
    )
    if config.offline:
        session.settings.only_if_cached = True
        session.settings.stale_if_error = True
        session.settings.expire_after = -1
        session.settings.urls_expire_after = None
    if client is not None:
        adapter: HTTPAdapter = _ServiceAdapter(client, pool_maxsize=max(32, config.concurrency))
    else:
        adapter = HTTPAdapter(max_retries=0, pool_connections=32, pool_maxsize=max(32, config.concurrency))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    # trust_env stays on: proxies and REQUESTS_CA_BUNDLE come from the environment.
    return session


class HttpClient:
    """A service's HTTP client: cached GETs that answer data or Unknown.

    Args:
        config: the run's configuration.
        service: service name (``"pypi"``, ``"pypi-files"``, ``"github"``, ...).
        session: an existing session to use (tests); built from *config* if omitted.
        tokens: credentials and the one origin each may be sent to; by
            default taken from *config* for the ``github`` and ``gitlab`` services.
        clock: time source and sleeper (tests pass a fake).
        rng: jitter source (tests pass ``random.Random(seed)`` or a constant).
    """

    def __init__(
        self,
        config: Config,
        service: str,
        session: requests.Session | None = None,
        *,
        tokens: tuple[HostToken, ...] | None = None,
        clock: Clock | None = None,
        rng: Callable[[float, float], float] | None = None,
    ):
        self.config = config
        self.service = service
        self.clock = clock or Clock()
        self.tokens = default_tokens(config, service) if tokens is None else tokens
        self.stats = HttpStats()
        self.budget = RateBudget()
        self._budget_lock = threading.Lock()
        self._transport_failures = 0
        self._local = threading.local()
        self._uniform = rng or random.uniform
        self.session = session or build_session(config, service, self)

    # -- hooks called by the adapter -------------------------------------------------

    def _note_send(self) -> None:
        self.stats.count("network")
        self._local.sent = getattr(self._local, "sent", 0) + 1

    def _observe(self, resp: requests.Response) -> None:
        if resp.status_code == 304:
            self.stats.count("revalidated")
        h = resp.headers
        remaining = _int(h.get("X-RateLimit-Remaining", h.get("RateLimit-Remaining")))
        if remaining is None:
            return
        with self._budget_lock:
            self.budget.remaining = remaining
            self.budget.limit = _int(h.get("X-RateLimit-Limit", h.get("RateLimit-Limit")))
            reset = _int(h.get("X-RateLimit-Reset", h.get("RateLimit-Reset")))
            self.budget.reset = float(reset) if reset is not None else None

    # -- public API ------------------------------------------------------------------

    def get(
        self, url: str, headers: Mapping[str, str] | None = None
    ) -> requests.Response | Unknown:
        """GET *url*: the response (any status below 500 that is not a rate limit), or Unknown.

        Raises nothing.  Connection errors, timeouts, truncated bodies and
        5xx are retried :data:`MAX_RETRIES` times with backoff, then become
        ``Unknown("<host>: HTTP 503 after 3 retries")`` and the like; rate
        limits become ``Unknown("rate limited")`` (see the module docstring);
        an offline cache miss becomes ``Unknown("offline")``.
        """
        hdrs = dict(headers or {})
        if self.budget.stopped and not self.config.offline:
            return self._cached_only(url, hdrs, self.budget.stopped)
        last = ""
        rate_waits = 0
        attempt = 0
        while True:
            self._local.sent = 0
            retry_after: float | None = None
            wait_reason = self._wait_for_budget()
            if wait_reason:
                return self._cached_only(url, hdrs, wait_reason)
            try:
                resp = self.session.get(url, headers=hdrs, timeout=self.config.timeout)
                if not getattr(resp, "from_cache", False):
                    _ = resp.content  # read the body now: a truncated one raises here
            except requests.exceptions.ChunkedEncodingError as exc:
                last = f"response truncated ({_short(exc)})"
            except requests.exceptions.Timeout:
                last = "timed out"
            except requests.exceptions.ConnectionError as exc:
                last = f"connection failed ({_connection_cause(exc)})"
                if "name resolution" in last:  # DNS answers do not change within seconds: no retry
                    self.stats.count("failures")
                    self._note_transport_failure(url)
                    return Unknown(f"{_host(url)}: {last}", kind=UnknownKind.UNREACHABLE)
            except requests.exceptions.RequestException as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {_short(exc)}", kind=UnknownKind.UNREACHABLE)
            else:
                self._transport_failures = 0
                sent = getattr(self._local, "sent", 0)
                if resp.status_code == 504 and self.config.offline and not sent:
                    self.stats.count("failures")
                    return Unknown("offline", kind=UnknownKind.OFFLINE)  # requests-cache's answer to a miss
                if getattr(resp, "from_cache", False) and not sent:
                    self.stats.count("cache_hits")
                limited = self._rate_limit_wait(resp)
                if limited is not None:
                    if limited <= MAX_RATE_LIMIT_WAIT and rate_waits < MAX_RATE_LIMIT_WAITS:
                        rate_waits += 1
                        self.stats.count("rate_limit_waits")
                        self._block_for(limited)
                        continue
                    return self._stop(url, hdrs, limited)
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                last = f"HTTP {resp.status_code}"
                retry_after = _retry_after(resp, self.clock.time())
            if attempt >= MAX_RETRIES:
                self.stats.count("failures")
                if not last.startswith("HTTP"):
                    self._note_transport_failure(url)
                return Unknown(f"{_host(url)}: {last} after {MAX_RETRIES} retries",
                               kind=UnknownKind.HTTP_ERROR if last.startswith("HTTP") else UnknownKind.UNREACHABLE)
            delay = self._uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))
            if last.startswith("HTTP") and retry_after is not None:
                delay = min(max(delay, retry_after), MAX_RATE_LIMIT_WAIT)
            attempt += 1
            self.stats.count("retries")
            log.debug("%s: %s; retry %d in %.2fs", self.service, last, attempt, delay)
            self._sleep(delay)

    def post(self, url: str, data: bytes | str, headers: Mapping[str, str] | None = None) -> requests.Response | Unknown:
        """POST *data* to an idempotent query API (OSV); the response, or Unknown on a transport failure.

        Cached like :meth:`get` when the session's cache allows POST
        (requests-cache keys include the body).  429 and 5xx answers are
        retried :data:`MAX_RETRIES` times with the same backoff as :meth:`get`
        (honouring ``Retry-After`` up to :data:`MAX_RATE_LIMIT_WAIT`); the
        last answer is returned as is, for the caller to judge.
        """
        hdrs = dict(headers or {})
        attempt = 0
        while True:
            self._local.sent = 0
            try:
                resp = self.session.post(url, data=data, headers=hdrs, timeout=self.config.timeout)
            except requests.exceptions.Timeout:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: timed out", kind=UnknownKind.TIMEOUT)
            except requests.exceptions.ConnectionError as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: connection failed ({_connection_cause(exc)})", kind=UnknownKind.UNREACHABLE)
            except requests.exceptions.RequestException as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {_short(exc)}", kind=UnknownKind.UNREACHABLE)
            sent = getattr(self._local, "sent", 0)
            if resp.status_code == 504 and self.config.offline and not sent:
                self.stats.count("failures")
                return Unknown("offline", kind=UnknownKind.OFFLINE)
            if getattr(resp, "from_cache", False) and not sent:
                self.stats.count("cache_hits")
            if resp.status_code not in (429, *RETRY_STATUSES) or attempt >= MAX_RETRIES or self.config.offline:
                return resp
            delay = self._uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))
            retry_after = _retry_after(resp, self.clock.time())
            if retry_after is not None:
                delay = min(max(delay, retry_after), MAX_RATE_LIMIT_WAIT)
            attempt += 1
            self.stats.count("retries")
            self._sleep(delay)

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> Any | Unknown:
        """GET *url* and decode JSON.

        Returns:
            The decoded JSON value, or Unknown with the reason:
            ``"not found (HTTP 404)"``, ``"<host>: HTTP 503 after 3 retries"``,
            ``"invalid JSON from <host>"`` (after evicting the bad cached copy
            and retrying once), ``"rate limited"``, ``"offline"``, or a
            transport failure.
        """
        resp = self.get_json_response(url, headers)
        return resp[0] if isinstance(resp, tuple) else resp

    def get_json_response(
        self, url: str, headers: Mapping[str, str] | None = None
    ) -> tuple[Any, requests.Response] | Unknown:
        """Like :meth:`get_json`, also returning the response (for ``Link`` headers)."""
        hdrs = {"Accept": "application/json", **(headers or {})}
        for attempt in range(2):
            resp = self.get(url, hdrs)
            if isinstance(resp, Unknown):
                return resp
            if resp.status_code in (404, 410):
                return Unknown(f"not found (HTTP {resp.status_code})", kind=UnknownKind.NOT_FOUND)
            if resp.status_code >= 400:
                self.stats.count("failures")
                return Unknown(f"HTTP {resp.status_code} from {_host(url)}", kind=UnknownKind.HTTP_ERROR)
            if resp.status_code == 204 or not resp.content:
                return None, resp
            try:
                return resp.json(), resp
            except (ValueError, json.JSONDecodeError):
                self._evict(resp)
                if attempt == 0 and not self.config.offline:
                    continue
                self.stats.count("failures")
                return Unknown(f"invalid JSON from {_host(url)}", kind=UnknownKind.MALFORMED)
        return Unknown(f"invalid JSON from {_host(url)}", kind=UnknownKind.MALFORMED)  # pragma: no cover

    def get_json_pages(
        self, url: str, headers: Mapping[str, str] | None = None, max_pages: int = 10
    ) -> tuple[list[Any], bool] | Unknown:
        """Follow ``Link: <...>; rel="next"`` pagination (RFC 8288) and concatenate JSON arrays.

        Args:
            url: the first page.
            max_pages: stop after this many pages.

        Returns:
            ``(items, complete)``: every item of every page, and False when
            *max_pages* stopped the walk; Unknown when any page fails (a
            partial list would be silently wrong).
        """
        items: list[Any] = []
        next_url: str | None = url
        pages = 0
        while next_url and pages < max_pages:
            got = self.get_json_response(next_url, headers)
            if isinstance(got, Unknown):
                return got
            data, resp = got
            if data is None:
                break
            if not isinstance(data, list):
                return Unknown(f"unexpected JSON (not a list) from {_host(url)}", kind=UnknownKind.MALFORMED)
            items.extend(data)
            pages += 1
            next_url = _next_link(resp)
        return items, not next_url

    def get_text(self, url: str, headers: Mapping[str, str] | None = None) -> str | Unknown:
        """GET *url* and return the body as text; Unknown on 4xx/5xx or transport failure."""
        resp = self.get(url, headers)
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code in (404, 410):
            return Unknown(f"not found (HTTP {resp.status_code})", kind=UnknownKind.NOT_FOUND)
        if resp.status_code >= 400:
            self.stats.count("failures")
            return Unknown(f"HTTP {resp.status_code} from {_host(url)}", kind=UnknownKind.HTTP_ERROR)
        return resp.text

    def describe_budget(self) -> str:
        """The rate-limit budget as one line (``--verbose``)."""
        return self.budget.describe(self.clock.time())

    def close(self) -> None:
        """Close the underlying session and its cache connection."""
        self.session.close()

    # -- internals -------------------------------------------------------------------

    def _note_transport_failure(self, url: str) -> None:
        with self._budget_lock:
            self._transport_failures += 1
            if self._transport_failures >= UNREACHABLE_AFTER and not self.budget.stopped:
                self.budget.stopped = f"{_host(url)} unreachable"
                log.info("%s: %s; not calling it again this run", self.service, self.budget.stopped)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.stats.count("waited", seconds)
            self.clock.sleep(seconds)

    def _block_for(self, seconds: float) -> None:
        with self._budget_lock:
            self.budget.blocked_until = max(self.budget.blocked_until, self.clock.time() + seconds)
        self._sleep(seconds)

    def _wait_for_budget(self) -> str | None:
        """Before a request: sit out a short block or an exhausted window; a reason to stop, or None."""
        if self.config.offline:
            return None
        with self._budget_lock:
            b = self.budget
            if b.stopped:
                return b.stopped
            now = self.clock.time()
            wait = b.blocked_until - now
            if b.remaining == 0 and b.reset and b.reset > now:
                wait = max(wait, b.reset - now)
            if wait > MAX_RATE_LIMIT_WAIT:
                b.stopped = "rate limited"
                log.info("%s: rate limit exhausted until %s; not calling it again this run", self.service, b.reset)
                return b.stopped
        if wait > 0:
            self.stats.count("rate_limit_waits")
            self._sleep(wait)
        return None

    def _rate_limit_wait(self, resp: requests.Response) -> float | None:
        """Seconds to wait when *resp* is a rate-limit answer, else None.

        Source: GitHub REST docs, "Rate limits for the REST API" (403/429 with
        ``x-ratelimit-remaining: 0`` -> wait until ``x-ratelimit-reset``;
        ``retry-after`` -> wait that many seconds; otherwise at least a
        minute), GitLab docs "Rate limits" (429 with ``Retry-After`` and
        ``RateLimit-Reset``).
        """
        if resp.status_code not in (403, 429) or getattr(resp, "from_cache", False):
            return None
        now = self.clock.time()
        retry_after = _retry_after(resp, now)
        remaining = _int(resp.headers.get("X-RateLimit-Remaining", resp.headers.get("RateLimit-Remaining")))
        reset = _int(resp.headers.get("X-RateLimit-Reset", resp.headers.get("RateLimit-Reset")))
        if retry_after is not None:
            return retry_after
        if remaining == 0 and reset is not None:
            return max(0.0, reset - now) + 1.0
        if resp.status_code == 429:
            return DEFAULT_SECONDARY_WAIT
        try:
            text = resp.text[:2000].lower()
        except Exception:  # pragma: no cover - undecodable body
            text = ""
        if "rate limit" in text:
            return DEFAULT_SECONDARY_WAIT
        return None  # an ordinary 403 (permissions, blocked repository)

    def _stop(self, url: str, hdrs: Mapping[str, str], wait: float) -> Unknown:
        with self._budget_lock:
            self.budget.stopped = "rate limited"
        log.info("%s: rate limited (wait %.0fs > %.0fs); not calling it again this run", self.service, wait, MAX_RATE_LIMIT_WAIT)
        return self._cached_only(url, hdrs, "rate limited")

    def _cached_only(self, url: str, hdrs: Mapping[str, str], reason: str) -> requests.Response | Unknown:
        """The cached response for *url* (even if stale), or Unknown(*reason*)."""
        cache = getattr(self.session, "cache", None)
        if cache is None:
            return Unknown(reason, kind=_STOP_KINDS.get(reason, UnknownKind.UNREACHABLE))
        try:
            req = self.session.prepare_request(requests.Request("GET", url, headers=dict(hdrs)))
            cached = cache.get_response(cache.create_key(req))
        except Exception:  # pragma: no cover - best effort
            cached = None
        if cached is None:
            self.stats.count("failures")
            return Unknown(reason, kind=_STOP_KINDS.get(reason, UnknownKind.UNREACHABLE))
        self.stats.count("cache_hits")
        return cached

    def _evict(self, resp: requests.Response) -> None:
        cache = getattr(self.session, "cache", None)
        key = getattr(resp, "cache_key", None)
        if cache is not None and key:
            try:
                cache.delete(key)
            except Exception:  # pragma: no cover - best effort
                log.debug("could not evict %s", key)


def default_tokens(config: Config, service: str) -> tuple[HostToken, ...]:
    """The credentials *service* may use, each bound to its own API origin.

    ``GITHUB_TOKEN``/``GH_TOKEN`` (``Config.github_token``) goes only to
    ``Config.github_api_url``'s origin; ``GITLAB_TOKEN`` only to
    ``Config.gitlab_url``'s.  Other services get none.
    """
    if service == "github" and config.github_token:
        return (HostToken.for_base_url(config.github_api_url, config.github_token),)
    if service == "gitlab" and config.gitlab_token:
        return (HostToken.for_base_url(config.gitlab_url, config.gitlab_token),)
    return ()


def _next_link(resp: requests.Response) -> str | None:
    header = resp.headers.get("Link")
    if not header:
        return None
    for link in parse_header_links(header):
        if "next" in str(link.get("rel", "")).split():
            return link.get("url")
    return None


def _retry_after(resp: requests.Response, now: float) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or HTTP-date, RFC 9110 §10.2.3), or None."""
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _connection_cause(exc: BaseException) -> str:
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
    return _short(exc)


def _short(exc: BaseException | None) -> str:
    text = str(exc) if exc else ""
    return (text.splitlines() or [type(exc).__name__ if exc else ""])[0][:160]


def describe_counts(requests_by_service: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One ``--verbose`` line per service from :meth:`auditor.collectors.Context.request_counts`.

    Example: ``"github: 312 requests (12 revalidated by 304), 40 cache hits, 0 failed;
    rate limit: 4688 left"``; ``"rate limit: stopped (rate limited)"`` when the service was given up.
    """
    lines = []
    for name, c in sorted(requests_by_service.items()):
        line = f"{name}: {c.get('network', 0)} requests"
        if c.get("revalidated"):
            line += f" ({c['revalidated']} revalidated by 304)"
        line += f", {c.get('cache_hits', 0)} cache hits, {c.get('failures', 0)} failed"
        if c.get("retries"):
            line += f", {c['retries']} retries"
        if c.get("rate_limit_waits"):
            line += f", {c['rate_limit_waits']} rate-limit waits"
        if c.get("rate_limited"):
            line += "; rate limit: stopped (rate limited)"
        elif c.get("unreachable"):
            line += "; stopped (unreachable)"
        elif "rate_limit_remaining" in c:
            line += f"; rate limit: {c['rate_limit_remaining']} left"
        lines.append(line)
    return lines
