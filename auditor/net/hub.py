"""The Hugging Face Hub API, through ``huggingface_hub.HfApi`` (docs/models.md).

:class:`HubClient` answers, for one run (one per :class:`~auditor.net.context.RunContext`,
:func:`hub_client`), the few things auditor asks the Hub:

* :meth:`HubClient.info`: ``model_info``/``dataset_info``/``space_info`` at a
  revision (``GET /api/{models,datasets,spaces}/ID[/revision/REV]``, models
  with ``securityStatus=1``), parsed into a plain dict of the fields auditor uses;
* :meth:`HubClient.head_sha`: the default branch's commit (``expand=["sha"]``);
* :meth:`HubClient.owner_type`: ``GET /api/organizations/NAME/overview``, then
  ``/api/users/NAME/overview``;
* :meth:`HubClient.authors`: ``list_repo_commits`` (``GET /api/{type}s/ID/commits/main``,
  ``Link``-paginated), at most :data:`MAX_PAGES` pages;
* :meth:`HubClient.members`: ``list_organization_members``, likewise bounded.

huggingface_hub talks ``httpx2``, not requests, so the HTTP layer of
:mod:`auditor.net.http` does not apply.  Its guarantees are kept by a
transport (:class:`_Guard`) under HfApi's client: the endpoint is
``Config.hub_endpoint`` (``$HF_ENDPOINT``) and no other origin is ever
asked (a ``Link`` or redirect elsewhere, or huggingface_hub's own request
for its User-Agent's "agent harness" list, is refused), so the token
(``$HF_TOKEN``) goes only there and never reaches a log, cache or report; no
request after the run's deadline or to a host whose breaker is open
(:mod:`auditor.net.hosts`); answers are read with ``Accept-Encoding:
identity`` and bounded by ``Config.max_response_bytes`` and
``Config.request_seconds``; a ``429`` (its wait read from ``Retry-After`` or
the Hub's ``RateLimit: "api";r=0;t=N``) or ``5xx`` is turned into an
:class:`~auditor.models.unknown.Unknown` at once, so huggingface_hub's own
retry loop (which sleeps up to ``Retry-After``) never waits.  A ``429``
stops asking the Hub for the rest of the run.

The fields used are kept in the fact memo (:mod:`auditor.net.memo`,
namespaces ``hub-*``) for :data:`TTL` seconds, so a warm run makes no Hub
request; offline, the memo answers whatever it has and the rest is
``unknown (offline)``.  huggingface_hub's HTTP client is process-wide: the
client factory is installed while a :class:`HubClient` is open and the
library's default restored by :meth:`HubClient.close`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from auditor.models.unknown import Unknown, UnknownKind

if TYPE_CHECKING:
    from auditor.net.context import RunContext

#: Seconds a memoized Hub fact is used (offline: forever).
TTL = 24 * 3600.0
#: Seconds a "not found" answer is remembered.
NEGATIVE_TTL = 3600.0
#: Pages of a paginated list (commits, members) read at most; the real API serves 50 commits a page.
MAX_PAGES = 10
#: 5xx answers after which the Hub is not asked again in this run.
SERVER_ERRORS_AFTER = 3
#: Key of the run's client in ``RunContext.memo``.
_KEY = "_hub_client"
#: Memo namespaces (``RunContext.request_counts`` counts their hits as the ``hub`` service's).
NAMESPACES = ("hub-info", "hub-head", "hub-owner", "hub-commits", "hub-members")


class HubStop(Exception):
    """Raised by the transport to end a call with *unknown* (never escapes this module)."""

    def __init__(self, unknown: Unknown):
        super().__init__(unknown.reason)
        self.unknown = unknown


def hub_client(ctx: "RunContext") -> "HubClient":
    """The run's :class:`HubClient`, made on first use (closed by ``RunContext.close``)."""
    with ctx._lock:
        client = ctx.memo.get(_KEY)
        if client is None:
            client = ctx.memo[_KEY] = HubClient(ctx)
        return client


class HubClient:
    """One run's access to the Hub API.  Every method returns a value or an :class:`Unknown`; none raises.

    Attributes:
        endpoint: the API base (``Config.hub_endpoint``).
        network / failures: requests sent and failed (for ``-v``'s request counts).
    """

    def __init__(self, ctx: "RunContext"):
        self.ctx = ctx
        config = ctx.config
        self.endpoint = config.hub_endpoint.rstrip("/")
        parts = urlsplit(self.endpoint)
        self.host = parts.hostname or ""
        self._origin = (parts.scheme, self.host, parts.port)
        self._token = config.hub_token
        self._api: Any = None
        self._lock = threading.Lock()
        self._stopped: Unknown | None = None
        self._server_errors = 0
        self._local = threading.local()
        self.network = 0
        self.failures = 0
        self.cache_hits = 0

    # -- the transport under HfApi ---------------------------------------------------

    def _hf(self):
        with self._lock:
            if self._api is None:
                import httpx2
                from huggingface_hub import HfApi
                from huggingface_hub.utils import set_client_factory

                from auditor import __version__

                timeout = httpx2.Timeout(min(30.0, float(self.ctx.config.request_seconds)))
                set_client_factory(lambda: httpx2.Client(transport=_Guard(self), follow_redirects=True, timeout=timeout))
                token = self._token.reveal() if self._token else False
                self._api = HfApi(endpoint=self.endpoint, token=token, library_name="auditor",
                                  library_version=__version__)
            return self._api

    def _same_origin(self, url) -> bool:
        return (url.scheme, url.host, url.port) == self._origin

    def send(self, request, inner):
        """Send *request* through *inner* (an ``httpx2`` transport) within the run's bounds; see the module doc."""
        import httpx2

        from auditor.net.hosts import connection_cause

        if not self._same_origin(request.url):
            # Only the endpoint is asked: not a Link or redirect elsewhere, nor huggingface_hub's own
            # lookups (it fetches an "agent harness" list from huggingface.co to build its User-Agent).
            request.headers.pop("Authorization", None)
            raise HubStop(Unknown.of(UnknownKind.UNREACHABLE, f"refused: {request.url.host} is not the Hub endpoint"))
        request.headers["Accept-Encoding"] = "identity"
        if self._stopped is not None:
            raise HubStop(self._stopped)
        if self.ctx.past_deadline():
            raise HubStop(Unknown.of(UnknownKind.DEADLINE, "deadline passed before the Hub was asked"))
        host = request.url.host
        health = self.ctx.hosts()
        if (down := health.down(host)) is not None:
            raise HubStop(Unknown.of(UnknownKind.UNREACHABLE, down))
        config = self.ctx.config
        budget = float(config.request_seconds)
        if self.ctx.deadline is not None:
            budget = min(budget, max(0.0, self.ctx.deadline - time.monotonic()))
        started = time.monotonic()
        with self._lock:
            self.network += 1
        try:
            response = inner.handle_request(request)
            body = bytearray()
            try:
                for chunk in response.stream:
                    body += chunk
                    if len(body) > config.max_response_bytes:
                        raise HubStop(Unknown.of(UnknownKind.TOO_LARGE, f"answer from {host} over "
                                                 f"{config.max_response_bytes} bytes"))
                    if time.monotonic() - started > budget:
                        raise HubStop(Unknown.of(UnknownKind.TIMEOUT, f"{host} took over {budget:.0f} s"))
            finally:
                response.close()
        except HubStop:
            self._failed()
            raise
        except httpx2.TimeoutException as exc:
            self._failed()
            raise HubStop(Unknown.of(UnknownKind.TIMEOUT, f"{host} timed out")) from exc
        except httpx2.TransportError as exc:
            self._failed()
            cause = connection_cause(exc)
            health.transport_failure(host, cause, immediate=True)
            raise HubStop(Unknown.of(UnknownKind.UNREACHABLE, f"{host}: {cause}")) from exc
        health.success(host)
        status = response.status_code
        if status == 429:
            self._failed()
            after = response.headers.get("Retry-After", "")
            if not after.isdigit():  # the Hub's own header: RateLimit: "api";r=0;t=<seconds to the reset>
                from huggingface_hub.utils import parse_ratelimit_headers

                limit = parse_ratelimit_headers(response.headers)
                after = str(limit.reset_in_seconds) if limit is not None and limit.remaining == 0 else ""
            wait = f"; retry after {after} s" if after.isdigit() else ""
            self._stopped = Unknown.of(UnknownKind.RATE_LIMITED, f"rate limited by {host}{wait}")
            raise HubStop(self._stopped)
        if status >= 500:
            self._failed()
            with self._lock:
                self._server_errors += 1
                if self._server_errors >= SERVER_ERRORS_AFTER:
                    self._stopped = Unknown.of(UnknownKind.HTTP_ERROR, f"{host} answered HTTP {status} "
                                               f"{self._server_errors} times")
            raise HubStop(Unknown.of(UnknownKind.HTTP_ERROR, f"HTTP {status} from {host}"))
        headers = [(k, v) for k, v in response.headers.items()
                   if not (k.lower() == "link" and self._page_budget_spent())]
        return httpx2.Response(status, headers=headers, content=bytes(body), request=request)

    def _failed(self) -> None:
        with self._lock:
            self.failures += 1

    def _page_budget_spent(self) -> bool:
        """Called once per paginated answer: True (drop its ``Link``) once :data:`MAX_PAGES` were read."""
        left = getattr(self._local, "pages", None)
        if left is None:
            return False
        self._local.pages = left - 1
        if left - 1 <= 0:
            self._local.truncated = True
            return True
        return False

    # -- calls ------------------------------------------------------------------------

    def _call(self, fn: Callable[[], Any], what: str) -> Any:
        """``fn()`` with every failure as an :class:`Unknown` (*what* names the thing asked for)."""
        from huggingface_hub import errors as hf

        if self.ctx.config.offline:
            return Unknown.of(UnknownKind.OFFLINE, "offline")
        try:
            self._hf()
            return fn()
        except HubStop as stop:
            return stop.unknown
        except hf.RevisionNotFoundError:
            return Unknown.of(UnknownKind.NOT_FOUND, f"{what}: revision not found on the Hub")
        except hf.GatedRepoError:
            return Unknown.of(UnknownKind.HTTP_ERROR, f"{what}: gated, no access (set HF_TOKEN)")
        except hf.RepositoryNotFoundError:
            return Unknown.of(UnknownKind.NOT_FOUND, f"{what}: not found on the Hub (or private; set HF_TOKEN)")
        except hf.DisabledRepoError:
            return Unknown.of(UnknownKind.HTTP_ERROR, f"{what}: disabled on the Hub")
        except hf.OfflineModeIsEnabled:
            return Unknown.of(UnknownKind.OFFLINE, "offline (HF_HUB_OFFLINE)")
        except hf.HfHubHTTPError as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status == 404:
                return Unknown.of(UnknownKind.NOT_FOUND, f"{what}: not found on the Hub")
            return Unknown.of(UnknownKind.HTTP_ERROR, f"{what}: HTTP {status} from {self.host}")
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:  # JSON or shape
            return Unknown.of(UnknownKind.MALFORMED, f"malformed answer from {self.host} ({type(exc).__name__})")
        except Exception as exc:  # noqa: BLE001 - huggingface_hub parsing a hostile answer: one repository's fault
            return Unknown.of(UnknownKind.MALFORMED, f"unexpected answer from {self.host} ({type(exc).__name__})")

    def _memo(self, ns: str, key: str, fetch: Callable[[], Any], ttl: float = TTL) -> Any:
        """*fetch*'s value through the fact memo; not-found answers are kept :data:`NEGATIVE_TTL` seconds."""
        facts = self.ctx.facts()
        if facts is not None:
            hit = facts.get(ns, key, ttl)
            if hit is not None and not ("unknown" in hit and hit.get("until", 0) < time.time()
                                        and not self.ctx.config.offline):
                with self._lock:
                    self.cache_hits += 1
                if "unknown" in hit:
                    return Unknown.of(UnknownKind(hit["kind"]), hit["unknown"])
                return hit["value"]
        if self.ctx.config.offline:
            return Unknown.of(UnknownKind.OFFLINE, "offline")
        value = fetch()
        if facts is not None:
            if isinstance(value, Unknown):
                if value.kind is UnknownKind.NOT_FOUND:
                    facts.put(ns, key, {"unknown": value.reason, "kind": value.kind.value,
                                        "until": time.time() + NEGATIVE_TTL})
            else:
                facts.put(ns, key, {"value": value})
        return value

    def info(self, kind: str, repo_id: str, revision: str | None) -> dict | Unknown:
        """The fields of the info answer auditor uses (see :func:`info_fields`), at *revision*."""
        def fetch():
            api = self._hf()
            if kind == "model":
                call = lambda: api.model_info(repo_id, revision=revision, securityStatus=True)  # noqa: E731
            elif kind == "dataset":
                call = lambda: api.dataset_info(repo_id, revision=revision)  # noqa: E731
            else:
                call = lambda: api.space_info(repo_id, revision=revision)  # noqa: E731
            got = self._call(call, f"{kind} {repo_id}")
            return got if isinstance(got, Unknown) else self._parsed(info_fields, got)

        return self._memo("hub-info", f"{kind}:{repo_id}@{revision or ''}", fetch)

    def head_sha(self, kind: str, repo_id: str) -> str | Unknown:
        """The commit of the default branch."""
        def fetch():
            api = self._hf()
            call = {"model": api.model_info, "dataset": api.dataset_info}.get(kind, api.space_info)
            got = self._call(lambda: call(repo_id, expand=["sha"]), f"{kind} {repo_id}")
            if isinstance(got, Unknown):
                return got
            return got.sha if isinstance(got.sha, str) else Unknown.of(UnknownKind.MALFORMED, "no sha in the answer")

        return self._memo("hub-head", f"{kind}:{repo_id}", fetch)

    def owner_type(self, name: str) -> str | Unknown:
        """``"organization"`` or ``"user"``: which overview endpoint knows *name*."""
        def fetch():
            got = self._call(lambda: self._hf().get_organization_overview(name), f"organization {name}")
            if not isinstance(got, Unknown):
                return "organization"
            if not got.not_found:
                return got
            got = self._call(lambda: self._hf().get_user_overview(name), f"account {name}")
            return got if isinstance(got, Unknown) else "user"

        return self._memo("hub-owner", name, fetch)

    def _bounded_list(self, fn: Callable[[], Any], what: str) -> dict | Unknown:
        self._local.pages, self._local.truncated = MAX_PAGES, False
        try:
            got = self._call(fn, what)
        finally:
            truncated = bool(getattr(self._local, "truncated", False))
            self._local.pages = None
        return got if isinstance(got, Unknown) else {"items": got, "truncated": truncated}

    def authors(self, kind: str, repo_id: str) -> dict | Unknown:
        """``{"authors": [usernames, most recent first, unique], "commits": n, "truncated": bool}``."""
        def fetch():
            got = self._bounded_list(lambda: self._hf().list_repo_commits(repo_id, repo_type=kind),
                                     f"history of {kind} {repo_id}")
            if isinstance(got, Unknown):
                return got
            seen: dict[str, None] = {}
            for commit in got["items"]:
                for author in commit.authors or []:
                    if isinstance(author, str) and author:
                        seen.setdefault(author, None)
            return {"authors": list(seen)[:500], "commits": len(got["items"]), "truncated": got["truncated"]}

        return self._memo("hub-commits", f"{kind}:{repo_id}", fetch)

    def members(self, org: str) -> dict | Unknown:
        """``{"members": [usernames], "truncated": bool}`` of organization *org*."""
        def fetch():
            got = self._bounded_list(lambda: list(self._hf().list_organization_members(org)), f"members of {org}")
            if isinstance(got, Unknown):
                return got
            names = sorted({u.username for u in got["items"] if isinstance(u.username, str) and u.username})
            return {"members": names[:2000], "truncated": got["truncated"]}

        return self._memo("hub-members", org, fetch)

    def _parsed(self, parse: Callable[[Any], dict], value: Any) -> dict | Unknown:
        try:
            return parse(value)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return Unknown.of(UnknownKind.MALFORMED, f"malformed answer from {self.host} ({type(exc).__name__})")

    def counts(self) -> dict[str, int]:
        """``{"network", "cache_hits", "failures"}`` (and ``"rate_limited": 1``) for ``-v``."""
        out = {"network": self.network, "cache_hits": self.cache_hits, "failures": self.failures}
        if self._stopped is not None and self._stopped.kind is UnknownKind.RATE_LIMITED:
            out["rate_limited"] = 1
        return out

    def close(self) -> None:
        """Restore huggingface_hub's default HTTP client (closing ours)."""
        if self._api is not None:
            from huggingface_hub.utils import set_client_factory
            from huggingface_hub.utils._http import default_client_factory

            set_client_factory(default_client_factory)
            self._api = None


class _Guard:
    """An ``httpx2`` transport sending through :meth:`HubClient.send`."""

    def __init__(self, client: HubClient):
        import httpx2

        self._client = client
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request):
        return self._client.send(request, self._inner)

    def close(self) -> None:
        self._inner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _text(value: Any, limit: int = 200) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _strings(value: Any, limit: int = 50) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [v[:200] for v in value if isinstance(v, str) and v][:limit]


def info_fields(info: Any) -> dict:
    """The fields auditor keeps of a ``ModelInfo``/``DatasetInfo``/``SpaceInfo`` (JSON-ready).

    ``id``, ``author``, ``sha``, ``private``, ``gated`` (False or the mode),
    ``disabled``, ``last_modified``/``created`` (ISO-8601), ``downloads``,
    ``likes``, ``library``, ``pipeline_tag``, ``license`` and ``base_models``
    (from ``cardData``), ``files`` (``siblings[].rfilename``, at most 5,000),
    ``security`` (``securityRepoStatus``: ``{"done", "flagged": [[path, level]]}`` or None).

    Raises:
        TypeError / ValueError: a field of the wrong type.
    """
    card = info.card_data
    card = card.to_dict() if hasattr(card, "to_dict") else (card if isinstance(card, dict) else {})
    licence = card.get("license")
    licence = ", ".join(_strings(licence)) or None
    siblings = info.siblings or []
    if not isinstance(siblings, list):
        raise TypeError("siblings")
    status = getattr(info, "security_repo_status", None)
    security = None
    if isinstance(status, dict):
        flagged = []
        for entry in status.get("filesWithIssues") or []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                flagged.append([entry["path"][:300], str(entry.get("level") or "flagged")[:40]])
        security = {"done": bool(status.get("scansDone")), "flagged": flagged[:100]}
    gated = info.gated
    if not isinstance(info.id, str) or (info.sha is not None and not isinstance(info.sha, str)):
        raise TypeError("id/sha")
    return {
        "id": info.id[:200],
        "author": _text(info.author),
        "sha": info.sha,
        "private": bool(info.private),
        "gated": gated if isinstance(gated, str) else bool(gated),
        "disabled": bool(info.disabled),
        "last_modified": info.last_modified.isoformat() if info.last_modified else None,
        "created": info.created_at.isoformat() if getattr(info, "created_at", None) else None,
        # a SpaceInfo has no download count (huggingface_hub 2.4 sets no such attribute)
        "downloads": downloads if isinstance(downloads := getattr(info, "downloads", None), int) else None,
        "likes": info.likes if isinstance(info.likes, int) else None,
        "library": _text(getattr(info, "library_name", None)),
        "pipeline_tag": _text(getattr(info, "pipeline_tag", None)),
        "license": licence,
        "base_models": _strings(card.get("base_model")),
        "files": [s.rfilename[:300] for s in siblings[:5000] if isinstance(s.rfilename, str)],
        "security": security,
    }
