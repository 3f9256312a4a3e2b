"""A programmable HTTP server on 127.0.0.1 for the network tests and benchmarks.

Routes map a request path (with its query string) to replies, consumed in
order (the last one repeats).  Every request is recorded with its headers so
tests can count requests and check what was sent.  Replies carrying an
``ETag`` or ``Last-Modified`` answer ``304 Not Modified`` to a matching
conditional request, as GitHub does (keeping the rate-limit headers).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit


@dataclass
class Reply:
    """One canned answer.

    Attributes:
        status: HTTP status.
        body: JSON-serializable value, ``bytes`` or ``str``.
        headers: response headers.
        truncate: announce the full Content-Length but send only half the body, then close.
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


class FakeServer:
    """Threaded HTTP server; use as a context manager.

    Args:
        latency: seconds each request sleeps before answering (benchmarks).
        fallback: ``fn(path, headers) -> Reply | None`` for paths without a route.
    """

    def __init__(self, latency: float = 0.0, fallback: Callable[[str, dict], Reply | None] | None = None):
        self.latency = latency
        self.fallback = fallback
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, path: str, *replies: Reply) -> None:
        """Answer *path* (with query string) with *replies* in order; the last repeats."""
        self.routes[path] = list(replies)

    def count(self, prefix: str = "") -> int:
        """Requests received whose path starts with *prefix*."""
        return sum(1 for s in self.seen if s.path.startswith(prefix))

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        headers = {k: v for k, v in h.headers.items()}
        with self._lock:
            self.seen.append(Seen("GET", path, headers))
            replies = self.routes.get(path)
            reply = None
            if replies:
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if reply is None and self.fallback:
            reply = self.fallback(path, headers)
        if reply is None:
            reply = Reply(404, {"message": "Not Found"})
        if self.latency:
            time.sleep(self.latency)
        status, body, out_headers = reply.status, reply.encoded(), dict(reply.headers)
        etag = out_headers.get("ETag")
        if status == 200 and etag and headers.get("If-None-Match") == etag:
            status, body = 304, b""
        elif status == 200 and "Last-Modified" in out_headers and headers.get("If-Modified-Since") == out_headers["Last-Modified"]:
            status, body = 304, b""
        h.send_response(status)
        if body and "Content-Type" not in out_headers:
            out_headers["Content-Type"] = "application/json; charset=utf-8"
        for k, v in out_headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        if reply.truncate:
            h.send_header("Connection", "close")
        h.end_headers()
        if reply.truncate:
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(body)


class FakeClock:
    """A clock whose sleeps return at once and are recorded."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(round(seconds, 3))
            self.now += seconds


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
