"""The transport adapter under every service's cached session.

Moved out of :mod:`auditor.net.http` (which builds the sessions): for each
request actually sent (never for a cache hit) it

* removes any credential header and adds the one credential bound to the
  request's origin (:mod:`auditor.net.tokens`), per hop, so a redirect to
  another host carries none; with no configured credential for the origin,
  ``.netrc`` and then keyring are asked (pip's order);
* counts the send and reads rate-limit headers (through the client's hooks);
* bounds the answer (:mod:`auditor.net.limits`): a watchdog on the total
  request time, the ``Content-Length`` and the streamed bytes.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from auditor.net.cache import AUTH_HEADERS
from auditor.net.limits import POOL_CLASSES, Watch, bound


class ServiceAdapter(HTTPAdapter):
    """Transport adapter: adds the host-bound token per hop, counts sends, reads rate limits."""

    def __init__(self, client: Any, pool_maxsize: int):
        super().__init__(max_retries=0, pool_connections=32, pool_maxsize=pool_maxsize)
        self._client = client

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[override]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(POOL_CLASSES)  # connections the watchdog can close

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
