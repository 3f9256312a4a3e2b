"""A fake PyPI on 127.0.0.1: JSON API, PEP 691 simple pages, PEP 658 metadata files.

Responses use the real shapes (recorded from pypi.org into
``tests/fixtures/pypi``).  Tests can add projects, inject faults per path
(a queue of status codes, truncated bodies, delays) and count requests.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pypi"


def project_doc(name: str, version: str, roles=(("Owner", "alice"),), organization=None,
                project_urls=None, requires_dist=(), uploads=None) -> dict:
    """A minimal ``/pypi/NAME/json`` document in the real shape."""
    uploads = uploads or {version: "2024-01-01T00:00:00.000000Z"}
    return {
        "info": {
            "name": name, "version": version, "summary": f"{name} summary", "home_page": None,
            "download_url": None, "project_urls": project_urls, "author": None, "author_email": None,
            "maintainer": None, "maintainer_email": None, "license": None, "requires_dist": list(requires_dist) or None,
            "requires_python": ">=3.8", "provides_extra": [], "yanked": False,
        },
        "releases": {
            v: [{"filename": f"{name}-{v}.tar.gz", "packagetype": "sdist", "upload_time_iso_8601": t, "yanked": False}]
            for v, t in uploads.items()
        },
        "urls": [],
        "vulnerabilities": [],
        "last_serial": 1,
        "ownership": {"organization": organization, "roles": [{"role": r, "user": u} for r, u in roles]},
    }


def metadata_text(name: str, version: str, requires_dist=(), project_urls=(), author_email=None) -> str:
    """A core-metadata document (Metadata-Version 2.1)."""
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if author_email:
        lines.append(f"Author-email: {author_email}")
    lines += [f"Project-URL: {label}, {url}" for label, url in project_urls]
    lines += [f"Requires-Dist: {r}" for r in requires_dist]
    return "\n".join(lines) + "\n"


class FakePyPI:
    """The server's state; use as a context manager (``with FakePyPI() as pypi``).

    Attributes:
        url: base URL (``http://127.0.0.1:PORT``); JSON API at ``/pypi``, index at ``/simple``.
        projects: ``{normalized name: JSON API document}``.
        files: ``{normalized name: {filename: metadata text}}``.
        hits: Counter of request paths.
        faults: ``{path: deque of "500" | "truncate" | "slow" | int status}``, consumed per request.
    """

    def __init__(self, load_fixtures: bool = True):
        self.projects: dict[str, dict] = {}
        self.files: dict[str, dict[str, str]] = defaultdict(dict)
        self.hits: Counter[str] = Counter()
        self.faults: dict[str, deque] = defaultdict(deque)
        self.wheels: dict[str, bytes] = {}  # filename -> bytes, served with Range support
        self.lock = threading.Lock()
        if load_fixtures:
            for path in FIXTURES.glob("*.json"):
                self.projects[path.stem] = json.loads(path.read_text())
            for path in (FIXTURES / "metadata").glob("*.metadata"):
                filename = path.name[: -len(".metadata")]
                name = re.split(r"-\d", filename, maxsplit=1)[0].replace("_", "-").lower()
                self.files[name][filename] = path.read_text()

    def add(self, name: str, version: str, requires_dist=(), project_urls=(), roles=(("Owner", "alice"),),
            organization=None, author_email=None, with_metadata: bool = True) -> None:
        """Add a project with one release (a pure-Python wheel with PEP 658 metadata)."""
        self.projects[name] = project_doc(name, version, roles=roles, organization=organization,
                                          project_urls=dict(project_urls) or None, requires_dist=requires_dist)
        if with_metadata:
            fname = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
            self.files[name][fname] = metadata_text(name, version, requires_dist, project_urls, author_email)

    @property
    def network_requests(self) -> int:
        """Total requests served."""
        return sum(self.hits.values())

    def __enter__(self) -> "FakePyPI":
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                with state.lock:
                    state.hits[path] += 1
                    fault = state.faults[path].popleft() if state.faults.get(path) else None
                if fault == "slow":
                    time.sleep(0.3)
                    fault = None
                if isinstance(fault, int) or (isinstance(fault, str) and fault.isdigit()):
                    return self._send(int(fault), b'{"message": "fault injected"}', "application/json")
                wheel = state.wheels.get(path.rsplit("/", 1)[-1]) if path.startswith("/files/") else None
                if wheel is not None:
                    return self._send_range(wheel, self.headers.get("Range"))
                status, body, ctype = state.route(path, self.headers.get("Accept", ""))
                if fault == "truncate":
                    return self._send(status, body[: len(body) // 2], ctype)
                return self._send(status, body, ctype)

            def _send_range(self, data, header):
                m = re.fullmatch(r"bytes=(\d*)-(\d*)", header or "")
                if not m:
                    return self._send(200, data, "application/zip")
                if m.group(1) == "":
                    start, end = max(0, len(data) - int(m.group(2))), len(data) - 1
                else:
                    start, end = int(m.group(1)), min(len(data) - 1, int(m.group(2) or len(data) - 1))
                body = data[start:end + 1]
                self.send_response(206)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _send(self, status, body, ctype):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def route(self, path: str, accept: str) -> tuple[int, bytes, str]:
        """``(status, body, content type)`` for *path*, in PyPI's shapes."""
        m = re.fullmatch(r"/pypi/([^/]+)/json/?", path)
        if m:
            doc = self.projects.get(m.group(1).lower())
            if doc is None:
                return 404, b'{"message": "Not Found"}', "application/json"
            return 200, json.dumps(doc).encode(), "application/json"
        m = re.fullmatch(r"/simple/([^/]+)/", path)
        if m:
            name = m.group(1).lower()
            if name not in self.files and name not in self.projects:
                return 404, b"Not Found", "text/plain"
            files = [
                {
                    "filename": fn,
                    "url": f"/files/{fn}",
                    "hashes": {"sha256": "0" * 64},
                    "core-metadata": {"sha256": hashlib.sha256(text.encode()).hexdigest()},
                }
                for fn, text in sorted(self.files.get(name, {}).items())
            ] + [
                {"filename": fn, "url": f"/files/{fn}", "hashes": {"sha256": "0" * 64}, "core-metadata": False}
                for fn in sorted(self.wheels) if fn.replace("_", "-").lower().startswith(name + "-")
            ]
            doc = {"meta": {"api-version": "1.1"}, "name": name, "files": files, "versions": []}
            return 200, json.dumps(doc).encode(), "application/vnd.pypi.simple.v1+json"
        m = re.fullmatch(r"/files/(.+)\.metadata", path)
        if m:
            for files in self.files.values():
                if m.group(1) in files:
                    return 200, files[m.group(1)].encode(), "binary/octet-stream"
            return 404, b"Not Found", "text/plain"
        return 404, b"Not Found", "text/plain"
