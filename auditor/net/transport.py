"""The transport adapter under every service's cached session.

Moved out of :mod:`auditor.net.http` (which builds the sessions): for each
request actually sent (never for a cache hit) it

* removes any credential header and adds the one credential bound to the
  request's origin (:mod:`auditor.net.tokens`), per hop, so a redirect to
  another host carries none; with no configured credential for the origin,
  ``.netrc`` and then keyring are asked (pip's order);
* counts the send and reads rate-limit headers (through the client's hooks);
* bounds the answer (:mod:`auditor.net.limits`): a watchdog on the total
  request time, the ``Content-Length`` and the streamed bytes;
* verifies TLS with one ``ssl.SSLContext`` per CA bundle (:func:`trust_context`)
  instead of loading the bundle again for every new connection (requests hands
  urllib3 a path, which costs ~25 ms of CPU per connection: ~0.9 s in a cold audit).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from auditor.net.cache import AUTH_HEADERS
from auditor.net.limits import POOL_CLASSES, Watch, bound


_CONTEXT_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _context_for(path: str, is_dir: bool, stamp: tuple[int, int]) -> Any:
    from urllib3.util.ssl_ import create_urllib3_context

    context = create_urllib3_context()  # what urllib3 builds per connection, built once
    context.load_verify_locations(capath=path) if is_dir else context.load_verify_locations(cafile=path)
    return context


def trust_context(verify: Any) -> Any:
    """The shared ``ssl.SSLContext`` trusting the CA bundle requests chose (*verify*: ``True`` is
    certifi's bundle, a string is ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` / the session's
    ``verify``), or ``None`` when verification is off or the path does not exist (requests then
    raises as usual).  Keyed by the path and its modification time and size, so a replaced
    bundle is read again."""
    if verify is False or verify is None:
        return None
    if verify is True:
        from requests.utils import DEFAULT_CA_BUNDLE_PATH

        verify = DEFAULT_CA_BUNDLE_PATH
    try:
        st = os.stat(verify)
    except (OSError, TypeError, ValueError):
        return None
    import stat

    with _CONTEXT_LOCK:  # the first requests of a run start together: load the bundle once
        return _context_for(str(verify), stat.S_ISDIR(st.st_mode), (st.st_mtime_ns, st.st_size))


class ServiceAdapter(HTTPAdapter):
    """Transport adapter: adds the host-bound token per hop, counts sends, reads rate limits."""

    def __init__(self, client: Any, pool_maxsize: int):
        super().__init__(max_retries=0, pool_connections=32, pool_maxsize=pool_maxsize)
        self._client = client

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[override]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(POOL_CLASSES)  # connections the watchdog can close

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[override]
        host, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        context = trust_context(verify) if (request.url or "").lower().startswith("https:") else None
        if context is not None:  # one context per bundle; the pool key carries it, not the path
            pool_kwargs.pop("ca_certs", None)
            pool_kwargs.pop("ca_cert_dir", None)
            pool_kwargs["ssl_context"] = context
        return host, pool_kwargs

    def cert_verify(self, conn, url, verify, cert):  # type: ignore[override]
        super().cert_verify(conn, url, verify, cert)
        if (getattr(conn, "conn_kw", None) or {}).get("ssl_context") is not None:
            conn.ca_certs = None  # the pool's ssl_context already trusts the bundle: never load it per connection
            conn.ca_cert_dir = None

    def send(self, request, **kwargs):  # type: ignore[override]
        client = self._client
        sent = request.copy()
        for name in AUTH_HEADERS:
            sent.headers.pop(name, None)
        for tok in client.tokens:
            if tok.applies_to(sent.url or ""):
                sent.headers[tok.header] = tok.header_value()
                break
        else:  # no configured credential for this origin: .netrc, then keyring (pip's order)
            found = client.fallback.for_url(sent.url or "")
            if found is not None:
                sent.headers[found.header] = found.header_value()
        client._note_send()
        watch = Watch(client.config.request_seconds).start()  # total time: connect + headers + body (net/limits.py)
        try:
            resp = super().send(sent, **kwargs)
        except requests.exceptions.RequestException as exc:
            watch.stop()
            if watch.fired:
                exc = watch.error()
            exc.request = request  # the token-less original
            raise exc
        except BaseException:
            watch.stop()
            raise
        finally:
            watch.detach()
        resp.request = request  # keep the token out of the cache and of callers' hands
        client._observe(resp)
        return bound(resp, client._max_bytes(), watch)  # Content-Length and streamed bytes capped
