"""A threaded fake HTTP server on 127.0.0.1 answering from a routing function (the signal tests).

PackageNodes come from :func:`tests.builders.package_node`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

#: A route answers (status, headers, body); body may be bytes, str or JSON-able.
Route = Callable[[str, bytes], "tuple[int, dict[str, str], Any]"]


class FakeServer:
    """A threaded HTTP server answering from a routing function.

    ``handler(method, path, body) -> (status, headers, body)``; requests are
    recorded in :attr:`requests` as ``(method, path, body)``.
    """

    def __init__(self, handler: Callable[[str, str, bytes], tuple[int, dict[str, str], Any]]):
        self.handler = handler
        self.requests: list[tuple[str, str, bytes]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((method, self.path, body))
                status, headers, payload = outer.handler(method, self.path, body)
                if not isinstance(payload, (bytes, str)):
                    payload = json.dumps(payload)
                    headers = {"Content-Type": "application/json", **headers}
                data = payload.encode() if isinstance(payload, str) else payload
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
