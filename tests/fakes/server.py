"""One fake server on 127.0.0.1 for the whole suite, speaking the real APIs' shapes.

A single origin serves, by path:

* PyPI: the JSON API (``/pypi/NAME/json``, with ``ownership`` roles and
  organization), the PEP 691 simple index (``/simple/NAME/``), PEP 658
  ``/files/FILE.metadata`` files and wheels with HTTP ``Range`` support;
* OSV: ``POST /v1/querybatch``, ``POST /v1/query`` and ``GET /v1/vulns/ID``;
* the Hugging Face Hub API under ``/api/`` when a ``tests/fakes/hub.py`` ``FakeHub`` is mounted;
* GitHub REST (v2022-11-28) under ``/api/v3``: repository, contributors with
  ``Link`` pagination, commits, ``contents/{path}``, ``git/trees/HEAD`` and users, with
  ``X-RateLimit-*`` headers.

Scripted faults (:meth:`FakeServer.script`) answer a path with canned
:class:`Reply` objects (status codes, ``Retry-After`` and rate-limit
headers, delays, malformed or truncated bodies) before the routes do; a
``fallback(path, headers)`` function can serve a whole API
(tests/fakes/forges.py), and a ``handler(method, path, body)`` function
any request (the signal tests' PyPI and OSV variants).
Replies carrying an ``ETag`` or ``Last-Modified`` answer ``304 Not
Modified`` to a matching conditional request, as GitHub does.  Every request
is recorded in :attr:`FakeServer.log` (alias ``seen``) and counted per path
in :attr:`FakeServer.hits`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

#: Project documents and metadata files recorded from pypi.org.
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pypi"


@dataclass
class Reply:
    """One canned answer.

    Attributes:
        status: HTTP status.
        body: JSON-serializable value, ``bytes`` or ``str``.
        headers: response headers (``Retry-After``, ``X-RateLimit-*``, ...).
        truncate: announce the full Content-Length but send only half the body, then close.
        delay: seconds to wait before answering.
        content_type: sent when the headers name none and the body is not empty.
        drip: seconds between single bytes of the body (a "slowloris" answer; 0: all at once).
        no_length: send no ``Content-Length`` and close the connection after the body.
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False
    delay: float = 0.0
    content_type: str | None = "application/json"
    drip: float = 0.0
    no_length: bool = False

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
    """One request received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


def project_doc(name: str, version: str, roles=(("Owner", "alice"),), organization=None,
                project_urls=None, requires_dist=(), uploads=None, files=None) -> dict:
    """A ``/pypi/NAME/json`` document in the real shape.

    *uploads* maps versions to upload times; *files* maps versions to
    filenames (default: one sdist per version).
    """
    uploads = uploads or {version: "2024-01-01T00:00:00.000000Z"}
    files = files or {}

    def entry(v, fn, t):
        kind = "bdist_wheel" if fn.endswith(".whl") else "sdist"
        return {"filename": fn, "packagetype": kind, "upload_time_iso_8601": t, "yanked": False,
                "url": f"/files/{fn}", "digests": {"sha256": hashlib.sha256(fn.encode()).hexdigest()},
                "requires_python": ">=3.8"}

    releases = {v: [entry(v, fn, t) for fn in files.get(v, [f"{name}-{v}.tar.gz"])] for v, t in uploads.items()}
    return {
        "info": {
            "name": name, "version": version, "summary": f"{name} summary", "home_page": None,
            "download_url": None, "project_urls": project_urls, "author": None, "author_email": None,
            "maintainer": None, "maintainer_email": None, "license": None, "requires_dist": list(requires_dist) or None,
            "requires_python": ">=3.8", "provides_extra": [], "yanked": False,
        },
        "releases": releases,
        "urls": releases.get(version, []),
        "vulnerabilities": [],
        "last_serial": 1,
        "ownership": {"organization": organization, "roles": [{"role": r, "user": u} for r, u in roles]},
    }


def metadata_text(name: str, version: str, requires_dist=(), project_urls=(), author_email=None,
                  license_expression=None, classifiers=()) -> str:
    """A core-metadata document (Metadata-Version 2.1; 2.4 with *license_expression*, PEP 639)."""
    lines = ["Metadata-Version: 2.4" if license_expression else "Metadata-Version: 2.1", f"Name: {name}",
             f"Version: {version}"]
    if author_email:
        lines.append(f"Author-email: {author_email}")
    if license_expression:
        lines.append(f"License-Expression: {license_expression}")
    lines += [f"Classifier: {c}" for c in classifiers]
    lines += [f"Project-URL: {label}, {url}" for label, url in project_urls]
    lines += [f"Requires-Dist: {r}" for r in requires_dist]
    return "\n".join(lines) + "\n"


def github_tree(paths: list[str], recursive: bool, truncated: bool = False) -> dict:
    """A GitHub ``GET /repos/{o}/{r}/git/trees/HEAD[?recursive=1]`` answer for *paths*
    (REST v2022-11-28: ``sha``, ``url``, ``tree[]`` of ``path``/``mode``/``type``/``sha``, ``truncated``).
    *truncated* lists only the first half of the entries and says so."""
    paths = sorted(paths)
    dirs = sorted({"/".join(p.split("/")[:n]) for p in paths for n in range(1, p.count("/") + 1)})
    items = [{"path": d, "mode": "040000", "type": "tree", "sha": hashlib.sha1(d.encode()).hexdigest()}
             for d in dirs] + [{"path": p, "mode": "100644", "type": "blob", "size": 10,
                                "sha": hashlib.sha1(p.encode()).hexdigest()} for p in paths]
    if not recursive:
        items = [i for i in items if "/" not in i["path"]]
    items.sort(key=lambda i: i["path"])
    truncated = recursive and truncated
    if truncated:
        items = items[: len(items) // 2]
    return {"sha": "d" * 40, "url": "https://api.github.com/repos/o/r/git/trees/" + "d" * 40,
            "tree": items, "truncated": truncated}


def github_contents(paths: list[str], texts: dict[str, str], want: str) -> tuple[int, Any]:
    """A GitHub ``GET /repos/{o}/{r}/contents/{want}`` answer: a file object (base64
    ``content``), a directory listing, or 404."""
    if want in paths:
        text = texts.get(want, "")
        return 200, {"type": "file", "name": want.rsplit("/", 1)[-1], "path": want, "size": len(text),
                     "encoding": "base64", "content": base64.b64encode(text.encode()).decode()}
    inside = [p for p in paths if p.startswith(want + "/")]
    if inside:
        return 200, [{"type": "file", "name": p.rsplit("/", 1)[-1], "path": p} for p in inside]
    return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


@dataclass
class GitHubRepo:
    """A repository the fake GitHub API knows.

    Attributes:
        path: ``owner/name``.
        contributors: ``(login, contributions)`` account contributors, most first.
        anonymous: ``(name, email, contributions)`` anonymous entries (``anon=1``).
        users: ``{login: created_at}`` for ``/users/LOGIN`` (default ``2012-03-04T05:06:07Z``).
        files: paths at HEAD (``git/trees``, ``contents``); the default is a
            root ``pyproject.toml`` declaring the repository's name.
        texts: ``(path, content)`` of files the contents API serves.
    """

    path: str
    owner_type: str = "Organization"
    contributors: tuple[tuple[str, int], ...] = ()
    anonymous: tuple[tuple[str, str, int], ...] = ()
    security: bool = True
    archived: bool = False
    created_at: str = "2015-01-01T00:00:00Z"
    pushed_at: str = "2024-11-01T00:00:00Z"
    license: str = "MIT"
    files: tuple[str, ...] = ("pyproject.toml",)
    texts: tuple[tuple[str, str], ...] = ()

    def file_texts(self) -> dict[str, str]:
        """``texts`` with the default ``pyproject.toml`` (``[project] name`` = the repository's name)."""
        return {"pyproject.toml": f'[project]\nname = "{self.path.split("/")[-1]}"\n', **dict(self.texts)}


class FakeServer:
    """The fake world on one origin; use as a context manager.

    Attributes:
        url: ``http://127.0.0.1:PORT``.
        projects: PyPI JSON documents by normalized name.
        files: ``{normalized name: {filename: metadata text}}`` (PEP 658).
        wheels: ``{filename: bytes}`` served under ``/files/`` with Range support.
        repos: GitHub repositories by lower-case ``owner/name``.
        users: ``{login: created_at}`` for ``/users/LOGIN``.
        vulns: OSV records by id; ``affects`` maps ``(name, version)`` to ids.
        indexes: further simple indexes on the same origin, ``{prefix: {name: {filename: metadata text}}}``,
            served at ``/PREFIX/simple/NAME/`` (a private index beside the fake PyPI; :meth:`add_index_release`).
        statuses: PEP 792 ``{normalized name: (status, reason or None)}``; a
            project listed here gets an API-version 1.4 page with ``project-status``.
        log: every request received (:class:`Seen`).
    """

    def __init__(self, latency: float = 0.0, fallback: Callable[[str, dict], Reply | None] | None = None,
                 load_fixtures: bool = False, per_page_default: int = 30,
                 handler: Callable[[str, str, bytes], "tuple[int, dict[str, str], Any]"] | None = None,
                 hub: Any = None):
        self.latency = latency
        self.hub = hub  # a tests/fakes/hub.py FakeHub: the Hugging Face Hub API under /api/ (not /api/v3/)
        self.fallback = fallback
        self.handler = handler
        self.hits: Counter[str] = Counter()
        self.faults: dict[str, deque] = defaultdict(deque)
        self.projects: dict[str, dict] = {}
        self.files: dict[str, dict[str, str]] = defaultdict(dict)
        self.wheels: dict[str, bytes] = {}
        self.repos: dict[str, GitHubRepo] = {}
        self.users: dict[str, str] = {}
        self.vulns: dict[str, dict] = {}
        self.affects: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.statuses: dict[str, tuple[str, str | None]] = {}
        self.indexes: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        self.scripts: dict[str, list[Reply]] = {}
        self.log: list[Seen] = []
        self.per_page_default = per_page_default
        self.rate_remaining = 5000
        self.rate_step = 1  # X-RateLimit-Remaining drops by this per GitHub request (0: a fixed budget)
        self.rate_reset = 1_700_003_600
        self._lock = threading.Lock()
        self.lock = self._lock
        if load_fixtures:
            self.load_fixtures()
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):  # noqa: N802
                state._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                state._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, client_address: None  # clients that give up (fault tests) are expected
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- lifecycle and bookkeeping ------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path: str, *replies: Reply) -> None:
        """Answer *path* (with its query string) with *replies* in order before the routes; the last repeats."""
        self.scripts[path] = list(replies)

    @property
    def seen(self) -> list[Seen]:
        """Alias of :attr:`log`."""
        return self.log

    @property
    def requests(self) -> list[tuple[str, str, bytes]]:
        """``(method, path, body)`` of every request."""
        return [(r.method, r.path, r.body) for r in self.log]

    @property
    def network_requests(self) -> int:
        """Total requests served."""
        return len(self.log)

    def add(self, *args, **kwargs) -> None:
        """``add("/path", Reply, ...)`` is :meth:`script`; ``add(name, version, ...)`` is :meth:`add_project`."""
        if args and isinstance(args[0], str) and args[0].startswith("/"):
            self.script(*args)
        else:
            self.add_project(*args, **kwargs)

    def count(self, prefix: str = "") -> int:
        """Requests received whose path starts with *prefix*."""
        return sum(1 for s in self.log if s.path.startswith(prefix))

    # -- world building -----------------------------------------------------------

    def load_fixtures(self) -> None:
        """The projects and metadata files recorded from pypi.org (``tests/fixtures/pypi``)."""
        for path in FIXTURES.glob("*.json"):
            self.projects[path.stem] = json.loads(path.read_text())
        for path in (FIXTURES / "metadata").glob("*.metadata"):
            filename = path.name[: -len(".metadata")]
            name = re.split(r"-\d", filename, maxsplit=1)[0].replace("_", "-").lower()
            self.files[name][filename] = path.read_text()

    def add_project(self, name: str, version: str, requires_dist=(), project_urls=(), roles=(("Owner", "alice"),),
                    organization=None, author_email=None, uploads=None, with_metadata: bool = True,
                    license_expression=None, classifiers=()) -> None:
        """A PyPI project whose *version* is a pure-Python wheel with PEP 658 metadata.

        *uploads* (``{version: ISO time}``) lists every release; *version* must be among them.
        """
        fname = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        uploads = uploads or {version: "2024-01-01T00:00:00.000000Z"}
        self.projects[name] = project_doc(name, version, roles=roles, organization=organization,
                                          project_urls=dict(project_urls) or None, requires_dist=requires_dist,
                                          uploads=uploads, files={version: [fname]})
        if with_metadata:
            self.files[name][fname] = metadata_text(name, version, requires_dist, project_urls, author_email,
                                                    license_expression, classifiers)

    def add_release(self, name: str, version: str, requires_dist=(), project_urls=(), author_email=None,
                    license_expression=None, classifiers=()) -> None:
        """One more wheel (with PEP 658 metadata) for a project added with :meth:`add_project`."""
        fname = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        self.files[name][fname] = metadata_text(name, version, requires_dist, project_urls, author_email,
                                                license_expression, classifiers)

    def add_wheel_files(self, name: str) -> None:
        """Serve real wheel files (METADATA = the PEP 658 text) for every release of *name* added so far,
        as an installer without PEP 658 support (pip 22.2) downloads them; listed once, with their true sha256."""
        import io
        import zipfile

        for fname, text in self.files.get(name, {}).items():
            stem = fname.split("-py")[0]
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as whl:
                whl.writestr(f"{stem}.dist-info/METADATA", text)
                whl.writestr(f"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
                whl.writestr(f"{stem}.dist-info/RECORD", "")
            self.wheels[fname] = buf.getvalue()

    def add_index_release(self, prefix: str, name: str, version: str, requires_dist=(), filename: str | None = None) -> None:
        """A wheel (with PEP 658 metadata) of *name* on the further index at ``/PREFIX/simple/``."""
        fname = filename or f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        self.indexes[prefix][name][fname] = metadata_text(name, version, requires_dist)

    def add_repo(self, repo: GitHubRepo) -> None:
        self.repos[repo.path.lower()] = repo

    def add_vuln(self, record: dict, *affected: tuple[str, str]) -> None:
        """An OSV record (real shape) affecting ``(name, version)`` pairs."""
        self.vulns[record["id"]] = record
        for key in affected:
            self.affects[key].append(record["id"])

    # -- dispatch -----------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0)) if method == "POST" else b""
        headers = {k: v for k, v in h.headers.items()}
        bare = h.path.split("?")[0]
        with self._lock:
            self.log.append(Seen(method, h.path, headers, body))
            self.hits[bare] += 1
            fault = self.faults[bare].popleft() if self.faults.get(bare) else None
            replies = self.scripts.get(h.path)
            reply = (replies.pop(0) if len(replies) > 1 else replies[0]) if replies else None
        if fault == "slow":  # the older fault names: "slow", "truncate", a status code
            time.sleep(0.3)
        elif isinstance(fault, int) or (isinstance(fault, str) and fault.isdigit()):
            reply = Reply(int(fault), {"message": "fault injected"})
        if reply is None and self.handler:
            status, out, payload = self.handler(method, h.path, body)
            reply = Reply(status, payload, dict(out),
                          content_type=None if isinstance(payload, (bytes, str)) else "application/json")
        if reply is None and self.fallback:
            reply = self.fallback(h.path, headers)
        if reply is None:
            reply = self.route(method, h.path, headers, body)
        if fault == "truncate":
            raw = reply.encoded()
            reply = Reply(reply.status, raw[: len(raw) // 2], reply.headers)
        delay = reply.delay or self.latency
        if delay:
            time.sleep(delay)
        self._send(h, reply, reply.encoded(), headers)

    def _send(self, h: BaseHTTPRequestHandler, reply: Reply, body: bytes, request_headers: dict) -> None:
        out = dict(reply.headers)
        status = reply.status
        etag = out.get("ETag")
        if status == 200 and etag and request_headers.get("If-None-Match") == etag:
            status, body = 304, b""
        elif (status == 200 and "Last-Modified" in out
              and request_headers.get("If-Modified-Since") == out["Last-Modified"]):
            status, body = 304, b""
        if body and "Content-Type" not in out and reply.content_type:
            out["Content-Type"] = reply.content_type
        h.send_response(status)
        for k, v in out.items():
            h.send_header(k, v)
        if reply.no_length:
            h.send_header("Connection", "close")
            h.close_connection = True
        else:
            h.send_header("Content-Length", str(len(body)))
        if reply.truncate:
            h.send_header("Connection", "close")
        h.end_headers()
        if reply.drip:
            try:
                for i in range(len(body)):
                    h.wfile.write(body[i:i + 1])
                    h.wfile.flush()
                    time.sleep(reply.drip)
            except OSError:  # the client gave up: what a drip test expects
                h.close_connection = True
            return
        if reply.truncate:
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(body)

    def route(self, method: str, path: str, headers: dict, body: bytes) -> Reply:
        """The answer of the fake APIs for one request."""
        parts = urlsplit(path)
        p = parts.path
        if method == "POST" or p.startswith("/v1/"):
            return self._osv(method, p, body)
        if self.hub is not None and p.startswith("/api/") and not p.startswith("/api/v3/"):
            hub = self.hub.route(path, headers, self.url)
            if hub is not None:
                return hub
        if p.startswith("/api/v3/"):
            return self._github(p[len("/api/v3"):], {k: v[0] for k, v in parse_qs(parts.query).items()})
        if p.startswith("/files/") and not p.endswith(".metadata"):
            return self._wheel(p.rsplit("/", 1)[-1], headers.get("Range"))
        return self._pypi(p)

    # -- PyPI ---------------------------------------------------------------------

    def _pypi(self, path: str) -> Reply:
        m = re.fullmatch(r"/pypi/([^/]+)/json/?", path)
        if m:
            doc = self.projects.get(m.group(1).lower())
            if doc is None:
                return Reply(404, {"message": "Not Found"})
            return Reply(200, doc)
        m = re.fullmatch(r"/([^/]+)/simple/([^/]+)/", path)
        if m and m.group(1) in self.indexes:
            files = self.indexes[m.group(1)].get(m.group(2).lower())
            if not files:
                return Reply(404, "Not Found", {"Content-Type": "text/plain"})
            doc = {"meta": {"api-version": "1.1"}, "name": m.group(2).lower(), "versions": [], "files": [
                {"filename": fn, "url": f"/{m.group(1)}/files/{fn}",
                 "hashes": {"sha256": hashlib.sha256(fn.encode()).hexdigest()},
                 "core-metadata": {"sha256": hashlib.sha256(text.encode()).hexdigest()}}
                for fn, text in sorted(files.items())]}
            return Reply(200, doc, {"Content-Type": "application/vnd.pypi.simple.v1+json"})
        m = re.fullmatch(r"/([^/]+)/files/(.+)\.metadata", path)
        if m and m.group(1) in self.indexes:
            for files in self.indexes[m.group(1)].values():
                if m.group(2) in files:
                    return Reply(200, files[m.group(2)], {"Content-Type": "binary/octet-stream"})
        m = re.fullmatch(r"/simple/([^/]+)/", path)
        if m:
            name = m.group(1).lower()
            if name not in self.files and name not in self.projects:
                return Reply(404, "Not Found", {"Content-Type": "text/plain"})
            listed = self.files.get(name, {})
            files = [
                {"filename": fn, "url": f"/files/{fn}",
                 "hashes": {"sha256": hashlib.sha256(self.wheels[fn] if fn in self.wheels else fn.encode()).hexdigest()},
                 "core-metadata": {"sha256": hashlib.sha256(text.encode()).hexdigest()}}
                for fn, text in sorted(listed.items())
            ] + [
                {"filename": fn, "url": f"/files/{fn}", "hashes": {"sha256": "0" * 64}, "core-metadata": False}
                for fn in sorted(self.wheels) if fn.replace("_", "-").lower().startswith(name + "-") and fn not in listed
            ]
            doc = {"meta": {"api-version": "1.1"}, "name": name, "files": files, "versions": []}
            if name in self.statuses:
                status, reason = self.statuses[name]
                doc["meta"]["api-version"] = "1.4"
                doc["project-status"] = {"status": status, **({"reason": reason} if reason else {})}
                if status == "quarantined":  # PEP 792: a quarantined project offers no files
                    doc["files"] = []
            return Reply(200, doc, {"Content-Type": "application/vnd.pypi.simple.v1+json"})
        m = re.fullmatch(r"/files/(.+)\.metadata", path)
        if m:
            for files in self.files.values():
                if m.group(1) in files:
                    return Reply(200, files[m.group(1)], {"Content-Type": "binary/octet-stream"})
        return Reply(404, "Not Found", {"Content-Type": "text/plain"})

    def _wheel(self, filename: str, range_header: str | None) -> Reply:
        data = self.wheels.get(filename)
        if data is None:
            return Reply(404, "Not Found", {"Content-Type": "text/plain"})
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header or "")
        if not m:
            return Reply(200, data, {"Content-Type": "application/zip"})
        if m.group(1) == "":
            start, end = max(0, len(data) - int(m.group(2))), len(data) - 1
        else:
            start, end = int(m.group(1)), min(len(data) - 1, int(m.group(2) or len(data) - 1))
        return Reply(206, data[start:end + 1], {"Content-Type": "application/zip",
                                                 "Content-Range": f"bytes {start}-{end}/{len(data)}"})

    # -- OSV ----------------------------------------------------------------------

    def _osv(self, method: str, path: str, body: bytes) -> Reply:
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            return Reply(400, {"code": 3, "message": "Invalid JSON"})

        def ids(q):
            return self.affects.get(((q.get("package") or {}).get("name", "").lower(), q.get("version")), [])

        if method == "POST" and path == "/v1/querybatch":
            results = []
            for q in doc.get("queries") or []:
                found = [{"id": i, "modified": self.vulns[i].get("modified", "2024-01-01T00:00:00Z")} for i in ids(q)]
                results.append({"vulns": found} if found else {})
            return Reply(200, {"results": results})
        if method == "POST" and path == "/v1/query":
            found = [self.vulns[i] for i in ids(doc)]
            return Reply(200, {"vulns": found} if found else {})
        m = re.fullmatch(r"/v1/vulns/(.+)", path)
        if method == "GET" and m and m.group(1) in self.vulns:
            return Reply(200, self.vulns[m.group(1)])
        return Reply(404, {"code": 5, "message": "Not Found"})

    # -- GitHub -------------------------------------------------------------------

    def _gh(self, status: int, body: Any, etag: bool = True) -> Reply:
        with self._lock:
            self.rate_remaining = max(0, self.rate_remaining - self.rate_step)
            remaining = self.rate_remaining
        raw = json.dumps(body).encode()
        headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": str(remaining),
                   "X-RateLimit-Reset": str(self.rate_reset), "X-RateLimit-Resource": "core",
                   "Content-Type": "application/json; charset=utf-8"}
        if etag and status == 200:
            headers["ETag"] = f'W/"{hashlib.sha1(raw).hexdigest()}"'
        return Reply(status, raw, headers)

    def _github(self, path: str, q: dict) -> Reply:
        segs = [unquote(s) for s in path.split("/") if s]
        if segs[:1] == ["users"] and len(segs) == 2:
            login = segs[1]
            uid = int(hashlib.sha1(login.encode()).hexdigest()[:7], 16)
            return self._gh(200, {"login": login, "id": uid, "type": "User",
                                  "created_at": self.users.get(login, "2012-03-04T05:06:07Z")})
        if segs[:1] != ["repos"] or len(segs) < 3:
            return self._gh(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        repo = self.repos.get(f"{segs[1]}/{segs[2]}".lower())
        rest = segs[3:]
        if repo is None:
            return self._gh(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        owner, name = repo.path.split("/")
        if not rest:
            return self._gh(200, {
                "id": 1, "name": name, "full_name": repo.path, "html_url": f"https://github.com/{repo.path}",
                "owner": {"login": owner, "type": repo.owner_type}, "private": False, "fork": False,
                "archived": repo.archived, "created_at": repo.created_at, "pushed_at": repo.pushed_at,
                "default_branch": "main",
                "license": {"key": repo.license.lower(), "spdx_id": repo.license, "name": f"{repo.license} License"},
            })
        if rest == ["contributors"]:
            entries = [{"login": login, "id": i + 1, "type": "User", "contributions": c}
                       for i, (login, c) in enumerate(repo.contributors)]
            if q.get("anon") == "1":
                entries += [{"email": e, "name": n, "type": "Anonymous", "contributions": c} for n, e, c in repo.anonymous]
            per_page = int(q.get("per_page", self.per_page_default))
            page = int(q.get("page", 1))
            pages = max(1, -(-len(entries) // per_page))
            reply = self._gh(200, entries[(page - 1) * per_page: page * per_page])
            base = f"{self.url}/api/v3/repos/{repo.path}/contributors?anon={q.get('anon', '0')}&per_page={per_page}"
            links = []
            if page < pages:
                links += [f'<{base}&page={page + 1}>; rel="next"', f'<{base}&page={pages}>; rel="last"']
            if page > 1:
                links += [f'<{base}&page={page - 1}>; rel="prev"', f'<{base}&page=1>; rel="first"']
            if links:
                reply.headers["Link"] = ", ".join(links)
            return reply
        if rest == ["commits"]:
            return self._gh(200, [
                {"sha": f"{i:040x}",
                 "commit": {"author": {"name": login, "email": f"{login}@example.com", "date": "2024-06-01T00:00:00Z"},
                            "committer": {"name": "GitHub", "email": "noreply@github.com", "date": "2024-06-01T00:00:00Z"}},
                 "author": {"login": login, "type": "User"}, "committer": {"login": "web-flow", "type": "User"}}
                for i, (login, _) in enumerate(repo.contributors)
            ])
        if rest[:3] == ["git", "trees", "HEAD"] and len(rest) == 3:
            return self._gh(200, github_tree(list(repo.files), q.get("recursive") == "1"))
        if rest[:1] == ["contents"]:
            if repo.security and "/".join(rest[1:]) == "SECURITY.md":
                return self._gh(200, {"type": "file", "name": "SECURITY.md", "path": "SECURITY.md", "size": 100})
            status, body = github_contents(list(repo.files), repo.file_texts(), "/".join(rest[1:]))
            return self._gh(status, body)
        return self._gh(404, {"message": "Not Found"})


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

