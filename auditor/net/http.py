"""The one HTTP layer: cached sessions with retries, rate limits, tokens and accounting.

Every network client in auditor gets its session from :class:`HttpClient`;
nothing else imports ``requests``.  Each service (``"pypi"``, ``"github"``,
``"gitlab"``, ``"scorecard"``, ``"depsdev"``, ...) has one client per run, with:

* a persistent SQLite cache (requests-cache, :mod:`auditor.net.cache`)
  under ``Config.cache_dir / "http-cache.sqlite"``, opened once per run by
  the :class:`~auditor.net.context.RunContext` and shared by all its
  services, with per-service and per-endpoint expiry (:data:`EXPIRY`,
  :data:`URL_EXPIRY`); ``Config.use_cache=False`` switches to an in-memory
  cache for the run;
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
  response into :class:`RateBudget` (:mod:`auditor.net.ratelimit`); a 429, or a 403 that is a primary or
  secondary limit (``X-RateLimit-Remaining: 0``, ``Retry-After``, or a
  "rate limit" message), makes the client wait when the wait is at most
  :data:`MAX_RATE_LIMIT_WAIT` seconds, and otherwise stop calling that
  service for the rest of the run: later lookups are answered from the cache
  or become ``Unknown("rate limited")``;
* tokens bound to one host (:class:`HostToken`, :mod:`auditor.net.tokens`): the header is added by the
  transport adapter to each request *as it is sent*, only when the request's
  scheme and host equal the token's (so redirects to another host never
  carry it), and the response keeps the token-less request, so neither the
  cache database nor any exception or log line can contain the token;
* an explicit ``(connect, read)`` timeout on every request;
* offline mode (``Config.offline``): only cached responses are used; a miss
  answers ``Unknown("offline")``;
* a deadline (``RunContext.deadline``, from ``Config.time_budget``): once it
  has passed, every lookup answers ``Unknown(kind=DEADLINE)`` without a request;
* circuit breakers per *host*, not per service (:class:`~auditor.net.hosts.HostHealth`,
  shared by every client of a run): a host that cannot be reached
  (:data:`UNREACHABLE_AFTER` lookups in a row fail to connect, or one fails
  to resolve its name; DNS failures are not retried) is not called again this
  run, and every lookup of it reads as the failure that opened the breaker
  (``Unknown("<host>: connection failed (<cause>)")``, the same words for
  every package whichever thread failed first), while the service's other
  hosts are still asked;
* a negative cache (:mod:`auditor.net.hosts`): an unreachable host is
  remembered for ``NEGATIVE_TTL`` seconds and a URL that answered 5xx after
  every retry for ``SERVER_ERROR_TTL`` seconds or its ``Retry-After``, so a
  warm run does not wait on them again: ``Unknown("<host> unreachable
  (cached: <cause>)")``;
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
import threading
import time
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from requests.utils import parse_header_links

from auditor import __version__
from auditor.config import Config
from auditor.models import Unknown, UnknownKind
from auditor.net.hosts import HostHealth
from auditor.net.hosts import connection_cause as _connection_cause
from auditor.net.cache import AUTH_HEADERS, CACHE_FILE, DEFAULT_EXPIRY, EXPIRY, URL_EXPIRY, cached_session, open_backend
from auditor.net.decode import response_json
from auditor.net.limits import LimitExceeded
from auditor.net.ratelimit import (
    DEFAULT_SECONDARY_WAIT,
    MAX_RATE_LIMIT_WAIT,
    MAX_RATE_LIMIT_WAITS,
    UNREACHABLE_AFTER,
    Clock,
    HttpStats,
    RateBudget,
    describe_counts,
    rate_limit_wait,
)
from auditor.net.ratelimit import parse_int as _int
from auditor.net.ratelimit import retry_after as _retry_after
from auditor.net.tokens import FallbackCredentials, HostToken, default_tokens, strip_credentials
from auditor.net.transport import ServiceAdapter

__all__ = [  # re-exported names other modules and tests import from here
    "AUTH_HEADERS", "CACHE_FILE", "DEFAULT_EXPIRY", "DEFAULT_SECONDARY_WAIT", "EXPIRY", "MAX_RATE_LIMIT_WAIT",
    "MAX_RATE_LIMIT_WAITS", "MAX_RETRIES", "UNREACHABLE_AFTER", "URL_EXPIRY", "Clock", "HostToken", "HttpClient",
    "HttpStats", "RateBudget", "build_session", "default_tokens", "describe_counts",
]

log = logging.getLogger(__name__)

USER_AGENT = f"auditor/{__version__} (+https://github.com/auditor-dev/auditor)"

#: Kind of the Unknown returned once a service is stopped for the run.
_STOP_KINDS = {"rate limited": UnknownKind.RATE_LIMITED, "offline": UnknownKind.OFFLINE}

#: Retries after the first attempt, for connection errors, timeouts,
#: truncated bodies and 5xx.
MAX_RETRIES = 3
#: Backoff before retry *n* (0-based) is ``uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**n))``
#: seconds ("full jitter", AWS Architecture Blog, "Exponential Backoff And Jitter").
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RETRY_STATUSES = (500, 502, 503, 504)



def build_session(
    config: Config, service: str, client: "HttpClient | None" = None, backend: requests_cache.BaseCache | None = None
) -> requests_cache.CachedSession:
    """A cached session for *service* (a key of :data:`~auditor.net.cache.EXPIRY`).

    Args:
        config: the run's configuration (cache dir, offline, concurrency).
        service: short service name; selects the cache lifetimes.
        client: the :class:`HttpClient` whose adapter counts and authenticates
            requests; ``None`` for a bare session (no tokens, no accounting).
        backend: the run's cache backend (``RunContext.cache_backend()``);
            ``None`` opens one for this session alone (closed with it).

    Returns:
        A ``requests_cache.CachedSession``.  Credentials never reach the
        cache: they are added below the cache layer (see :class:`~auditor.net.transport.ServiceAdapter`)
        and the credential headers are also listed in ``ignored_parameters``.
    """
    session = cached_session(config, service, backend if backend is not None else open_backend(config), backend is None)
    if client is not None:
        adapter: HTTPAdapter = ServiceAdapter(client, pool_maxsize=max(32, config.concurrency))
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
        backend: the run's shared cache backend (owned and closed by the
            :class:`~auditor.net.context.RunContext`); ``None``: this client
            opens its own and closes it in :meth:`close`.
        deadline: ``time.monotonic()`` value after which no request is sent:
            lookups answer ``Unknown(kind=DEADLINE)`` (cached answers too, so
            a run's output does not depend on what happened to be cached).
        hosts: the run's per-host breakers and negative cache (shared by
            the context's clients); ``None``: this client's own, in memory.
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
        backend: requests_cache.BaseCache | None = None,
        deadline: float | None = None,
        hosts: HostHealth | None = None,
    ):
        self.config = config
        self.service = service
        self.clock = clock or Clock()
        self.tokens = default_tokens(config, service) if tokens is None else tokens
        self.fallback = FallbackCredentials(getattr(config, "keyring_provider", "disabled"))
        self.stats = HttpStats()
        self.budget = RateBudget()
        self._budget_lock = threading.Lock()
        self.hosts = hosts if hosts is not None else HostHealth()
        #: Hosts this client found (or was told) unreachable in this run.
        self.down_hosts: set[str] = set()
        self._local = threading.local()
        self._uniform = rng or random.uniform
        self.deadline = deadline
        self._owns_backend = session is None and backend is None
        self.session = session or build_session(config, service, self, backend)

    # -- hooks called by the adapter -------------------------------------------------

    def _max_bytes(self) -> int:
        return getattr(self._local, "max_bytes", None) or self.config.max_response_bytes

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
        self, url: str, headers: Mapping[str, str] | None = None, *, max_bytes: int | None = None
    ) -> requests.Response | Unknown:
        """GET *url*: the response (any status below 500 that is not a rate limit), or Unknown.

        *max_bytes* lowers the response size limit for this request (default
        ``Config.max_response_bytes``); an answer over it, or one that takes
        longer than ``Config.request_seconds`` in total, is
        ``Unknown(kind=TOO_LARGE)`` / ``Unknown(kind=TIMEOUT)``, not retried
        (:mod:`auditor.net.limits`).

        Raises nothing.  Connection errors, timeouts, truncated bodies and
        5xx are retried :data:`MAX_RETRIES` times with backoff, then become
        ``Unknown("<host>: HTTP 503 after 3 retries")`` and the like; rate
        limits become ``Unknown("rate limited")`` (see the module docstring);
        an offline cache miss becomes ``Unknown("offline")``.
        """
        hdrs = dict(headers or {})
        url = strip_credentials(url)  # sent as basic auth by the adapter, to that origin only
        if self._past_deadline():
            return self._deadline_unknown(url)
        if self.budget.stopped and not self.config.offline:
            return self._cached_only(url, hdrs, self.budget.stopped)
        if not self.config.offline:
            blocked = self._blocked(url, hdrs)
            if blocked is not None:
                return blocked
        last = ""
        rate_waits = 0
        attempt = 0
        self._local.max_bytes = max_bytes
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
            except LimitExceeded as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {exc}", kind=exc.kind)
            except requests.exceptions.ChunkedEncodingError as exc:
                last = f"response truncated ({_short(exc)})"
            except requests.exceptions.Timeout:
                last = "timed out"
            except requests.exceptions.ConnectionError as exc:
                last = f"connection failed ({_connection_cause(exc)})"
                if "name resolution" in last:  # DNS answers do not change within seconds: no retry
                    self.stats.count("failures")
                    self._note_transport_failure(url, last, immediate=True)
                    return Unknown(f"{_host(url)}: {last}", kind=UnknownKind.UNREACHABLE)
            except requests.exceptions.RequestException as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {_short(exc)}", kind=UnknownKind.UNREACHABLE)
            else:
                self.hosts.success(_host(url))
                sent = getattr(self._local, "sent", 0)
                if resp.status_code == 504 and self.config.offline and not sent:
                    self.stats.count("failures")
                    return Unknown("offline", kind=UnknownKind.OFFLINE)  # requests-cache's answer to a miss
                if getattr(resp, "from_cache", False) and not sent:
                    self.stats.count("cache_hits")
                limited = rate_limit_wait(resp, self.clock.time())
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
                    self._note_transport_failure(url, last)
                else:
                    self.hosts.server_error(url, last, retry_after)
                if not last.startswith("HTTP"):  # the breaker's words: the same for every package of the host
                    return Unknown(f"{_host(url)}: {last}", kind=UnknownKind.UNREACHABLE)
                return Unknown(f"{_host(url)}: {last} after {MAX_RETRIES} retries", kind=UnknownKind.HTTP_ERROR)
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
        url = strip_credentials(url)
        if self._past_deadline():
            return self._deadline_unknown(url)
        if not self.config.offline:
            reason = self.hosts.down(_host(url))
            if reason is not None:
                self.down_hosts.add(_host(url))
                self.stats.count("failures")
                return Unknown(reason, kind=UnknownKind.UNREACHABLE)
        attempt = 0
        self._local.max_bytes = None
        while True:
            self._local.sent = 0
            try:
                resp = self.session.post(url, data=data, headers=hdrs, timeout=self.config.timeout)
            except LimitExceeded as exc:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: {exc}", kind=exc.kind)
            except requests.exceptions.Timeout:
                self.stats.count("failures")
                return Unknown(f"{_host(url)}: timed out", kind=UnknownKind.TIMEOUT)
            except requests.exceptions.ConnectionError as exc:
                self.stats.count("failures")
                cause = _connection_cause(exc)
                self._note_transport_failure(url, f"connection failed ({cause})", immediate="name resolution" in cause)
                return Unknown(f"{_host(url)}: connection failed ({cause})", kind=UnknownKind.UNREACHABLE)
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
            resp = self._get_ok(url, hdrs)
            if isinstance(resp, Unknown):
                return resp
            if resp.status_code == 204 or not resp.content:
                return None, resp
            try:
                return response_json(resp), resp
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
        resp = self._get_ok(url, headers)
        return resp if isinstance(resp, Unknown) else resp.text

    def describe_budget(self) -> str:
        """The rate-limit budget as one line (``--verbose``)."""
        return self.budget.describe(self.clock.time())

    def close(self) -> None:
        """Close the underlying session, and its cache connection when this client opened it."""
        if self._owns_backend:
            self.session.close()
        else:  # the context's shared backend stays open for the other services
            requests.Session.close(self.session)

    def _get_ok(self, url: str, headers: Mapping[str, str] | None) -> requests.Response | Unknown:
        """GET *url*; a 4xx/5xx answer becomes Unknown (404/410: NOT_FOUND, else HTTP_ERROR, counted as a failure)."""
        resp = self.get(url, headers)
        if isinstance(resp, Unknown):
            return resp
        if resp.status_code in (404, 410):
            return Unknown(f"not found (HTTP {resp.status_code})", kind=UnknownKind.NOT_FOUND)
        if resp.status_code >= 400:
            self.stats.count("failures")
            return Unknown(f"HTTP {resp.status_code} from {_host(url)}", kind=UnknownKind.HTTP_ERROR)
        return resp

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _deadline_unknown(self, url: str) -> Unknown:
        self.stats.count("failures")
        return Unknown(f"{_host(url)}: not asked, the run's time budget was spent", kind=UnknownKind.DEADLINE)

    # -- internals -------------------------------------------------------------------

    def _note_transport_failure(self, url: str, cause: str, *, immediate: bool = False) -> None:
        """Count a failed connection to *url*'s host on the run's per-host breaker."""
        host = _host(url)
        if self.hosts.transport_failure(host, cause, immediate=immediate):
            self.down_hosts.add(host)
            log.info("%s: %s unreachable; not calling it again this run", self.service, host)

    def _blocked(self, url: str, hdrs: Mapping[str, str]) -> requests.Response | Unknown | None:
        """The answer for a URL whose host's breaker is open or whose 5xx is remembered, else None.

        A cached copy (even stale) is still served; otherwise the Unknown
        names the host and says whether the failure is from this run or cached.
        """
        host = _host(url)
        reason = self.hosts.down(host)
        if reason is not None:
            self.down_hosts.add(host)
            return self._cached_only(url, hdrs, reason)
        status = self.hosts.failed_url(url)
        if status is not None:
            return self._cached_only(url, hdrs, f"{host}: {status} (cached)", UnknownKind.HTTP_ERROR)
        return None

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

    def _stop(self, url: str, hdrs: Mapping[str, str], wait: float) -> Unknown:
        with self._budget_lock:
            self.budget.stopped = "rate limited"
        log.info("%s: rate limited (wait %.0fs > %.0fs); not calling it again this run", self.service, wait, MAX_RATE_LIMIT_WAIT)
        return self._cached_only(url, hdrs, "rate limited")

    def _cached_only(self, url: str, hdrs: Mapping[str, str], reason: str,
                     kind: UnknownKind | None = None) -> requests.Response | Unknown:
        """The cached response for *url* (even if stale), or Unknown(*reason*)."""
        kind = kind or _STOP_KINDS.get(reason, UnknownKind.UNREACHABLE)
        cache = getattr(self.session, "cache", None)
        if cache is None:
            self.stats.count("failures")
            return Unknown(reason, kind=kind)
        try:
            req = self.session.prepare_request(requests.Request("GET", url, headers=dict(hdrs)))
            cached = cache.get_response(cache.create_key(req))
        except Exception:  # pragma: no cover - best effort
            cached = None
        if cached is None:
            self.stats.count("failures")
            return Unknown(reason, kind=kind)
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


def _next_link(resp: requests.Response) -> str | None:
    header = resp.headers.get("Link")
    if not header:
        return None
    for link in parse_header_links(header):
        if "next" in str(link.get("rel", "")).split():
            return link.get("url")
    return None



def _host(url: str) -> str:
    return urlsplit(url).netloc.rpartition("@")[2] or "?"


def _short(exc: BaseException | None) -> str:
    text = str(exc) if exc else ""
    return (text.splitlines() or [type(exc).__name__ if exc else ""])[0][:160]
