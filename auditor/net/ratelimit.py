"""Rate limits and circuit breakers: what a service said about its budget, and when to stop calling it.

Sources: GitHub REST docs, "Rate limits for the REST API" (``X-RateLimit-*``
headers; 403/429 with ``x-ratelimit-remaining: 0`` -> wait until
``x-ratelimit-reset``; ``retry-after`` -> wait that many seconds; otherwise
at least a minute) and GitLab docs, "Rate limits" (``RateLimit-*`` headers,
429 with ``Retry-After``).  Used by :class:`auditor.net.http.HttpClient`;
nothing here sends a request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

import requests

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


class Clock:
    """Wall-clock time and sleeping; tests pass a fake that records the sleeps."""

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for *seconds*."""
        if seconds > 0:
            time.sleep(seconds)




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


def rate_limit_wait(resp: requests.Response, now: float) -> float | None:
    """Seconds to wait when *resp* is a rate-limit answer, else None.

    Args:
        resp: a network (not cached) response; cached ones are never rate limits.
        now: epoch seconds (the client's clock).

    Source: GitHub REST docs, "Rate limits for the REST API" (403/429 with
    ``x-ratelimit-remaining: 0`` -> wait until ``x-ratelimit-reset``;
    ``retry-after`` -> wait that many seconds; otherwise at least a
    minute), GitLab docs "Rate limits" (429 with ``Retry-After`` and
    ``RateLimit-Reset``).
    """
    if resp.status_code not in (403, 429) or getattr(resp, "from_cache", False):
        return None
    wait = retry_after(resp, now)
    remaining = parse_int(resp.headers.get("X-RateLimit-Remaining", resp.headers.get("RateLimit-Remaining")))
    reset = parse_int(resp.headers.get("X-RateLimit-Reset", resp.headers.get("RateLimit-Reset")))
    if wait is not None:
        return wait
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


def retry_after(resp: requests.Response, now: float) -> float | None:
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


def parse_int(value: Any) -> int | None:
    """*value* as an int (header values), or None."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def describe_counts(requests_by_service: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One ``--verbose`` line per service from :meth:`auditor.net.context.RunContext.request_counts`.

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
