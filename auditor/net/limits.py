"""Bounds on every HTTP answer: bytes per response and total seconds per request.

The transport adapter of :mod:`auditor.net.http` calls :func:`guard` for each
request it sends:

* **bytes**: a ``Content-Length`` above the limit is refused before the body
  is read; while the body streams, the *decoded* bytes are counted (so a gzip
  bomb sent with ``Content-Encoding: gzip`` stops at the limit, urllib3 2
  decompressing at most one chunk ahead) and reading stops at the limit;
* **time**: a watchdog timer shuts the request's socket down when the
  request's total time (connect, headers and every read together) passes
  its limit.  A server that sends one byte every few seconds never trips a
  per-read timeout; it trips this one.

A breach raises :class:`LimitExceeded` (a ``requests`` exception, so the
client's error handling sees it), which :class:`~auditor.net.http.HttpClient`
turns into ``Unknown(kind=TOO_LARGE)`` or ``Unknown(kind=TIMEOUT)`` without
retrying.  The limits come from ``Config.max_response_bytes`` and
``Config.request_seconds`` (docs/limits.md).
"""

from __future__ import annotations

import socket
import threading
from typing import Any, Iterator

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from auditor.models import UnknownKind

#: Bytes read per chunk while streaming a body, whatever size the caller asks for: requests'
#: ``Response.content`` asks for 10 KiB chunks, and a cold audit reads ~70 MB of JSON through
#: this stream, where urllib3's per-chunk work cost ~0.3 s of CPU at that size (issue 14).  The
#: size limit is checked per chunk, so at most one chunk is read past it.
CHUNK = 256 * 1024

_active = threading.local()


class LimitExceeded(requests.exceptions.RequestException):
    """An answer broke a bound: *kind* is ``TOO_LARGE`` or ``TIMEOUT``; the message says which."""

    def __init__(self, message: str, kind: UnknownKind):
        super().__init__(message)
        self.kind = kind


class _Registering:
    """Connection mix-in: records itself for the watchdog of the request being sent on this thread."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = getattr(_active, "watch", None)
        if watch is not None:
            watch.connections.append(self)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class GuardedHTTPConnection(_Registering, HTTPConnection):
    """``HTTPConnection`` that the request watchdog can shut down."""


class GuardedHTTPSConnection(_Registering, HTTPSConnection):
    """``HTTPSConnection`` that the request watchdog can shut down."""


class GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


#: ``PoolManager.pool_classes_by_scheme`` for the adapter.
POOL_CLASSES = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}


class Watch:
    """The watchdog of one request: a timer that shuts its sockets down after *seconds*."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.connections: list[Any] = []
        self.fired = False
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> "Watch":
        _active.watch = self
        self._timer.start()
        return self

    def detach(self) -> None:
        """Stop recording connections for this thread (the request has been sent)."""
        if getattr(_active, "watch", None) is self:
            _active.watch = None

    def stop(self) -> None:
        """The request is over: cancel the timer."""
        with self._lock:
            self._done = True
        self._timer.cancel()
        self.detach()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            for conn in self.connections:
                sock = getattr(conn, "sock", None)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

    def error(self) -> LimitExceeded:
        return LimitExceeded(f"no complete answer within {self.seconds:g} s (request time limit)", UnknownKind.TIMEOUT)


class _BoundedRaw:
    """A response's ``raw`` stream that counts decoded bytes and ends the watch when done."""

    def __init__(self, raw: Any, max_bytes: int, watch: Watch):
        self._raw = raw
        self._max = max_bytes
        self._watch = watch
        self._seen = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def _count(self, data: bytes) -> bytes:
        self._seen += len(data)
        if self._seen > self._max:
            self._abort()
            raise LimitExceeded(f"answer larger than {self._max} bytes (response size limit)", UnknownKind.TOO_LARGE)
        return data

    def _abort(self) -> None:
        self._watch.stop()
        try:
            self._raw.close()
        except Exception:  # noqa: BLE001 - closing a broken stream
            pass

    def stream(self, amt: int = CHUNK, decode_content: bool | None = None) -> Iterator[bytes]:
        try:
            for chunk in self._raw.stream(CHUNK, decode_content=decode_content):  # *amt* ignored: see CHUNK
                yield self._count(chunk)
        except LimitExceeded:
            raise
        except Exception as exc:
            if self._watch.fired:
                raise self._watch.error() from exc
            raise
        finally:
            self._watch.stop()

    def read(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        try:
            data = self._raw.read(amt, *args, **kwargs)
        except Exception as exc:
            if self._watch.fired:
                raise self._watch.error() from exc
            raise
        if not data or amt is None:
            self._watch.stop()
        return self._count(data)


def check_length(resp: requests.Response, max_bytes: int) -> None:
    """Refuse an answer whose ``Content-Length`` is above *max_bytes*, before reading it.

    Raises:
        LimitExceeded: kind ``TOO_LARGE``.
    """
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and len(length.strip()) < 20 and int(length) > max_bytes:
        resp.close()
        raise LimitExceeded(f"answer of {int(length)} bytes is over the {max_bytes}-byte response size limit",
                            UnknownKind.TOO_LARGE)


def bound(resp: requests.Response, max_bytes: int, watch: Watch) -> requests.Response:
    """Check *resp*'s length and make its body stream bounded (see the module docstring)."""
    try:
        check_length(resp, max_bytes)
    except LimitExceeded:
        watch.stop()
        raise
    resp.raw = _BoundedRaw(resp.raw, max_bytes, watch)
    return resp
