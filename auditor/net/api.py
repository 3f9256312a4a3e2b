"""What the JSON API clients of ``net/`` share: a base URL read through one of
the run's HTTP clients (:class:`~auditor.net.http.HttpClient`), and the check
that an answer is the JSON object the client expects.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from auditor.models import Unknown, UnknownKind

T = TypeVar("T")

#: What a parser raises when an answer has a shape it does not expect (a
#: string where a list belongs, null where an object belongs, a huge integer).
SHAPE_ERRORS = (TypeError, AttributeError, KeyError, ValueError, IndexError, OverflowError, RecursionError)


def parsed(parse: Callable[..., T], doc: Any, *args: Any, source: str) -> T | Unknown:
    """``parse(doc, *args)``, or ``Unknown("malformed answer from SOURCE", kind=MALFORMED)``.

    Every parser of a service answer is called through this, so a service
    answering with the wrong JSON types makes that one fact unknown, never
    the audit fail.  *source* names the host (and the answer type).
    """
    try:
        return parse(doc, *args)
    except SHAPE_ERRORS as exc:
        return Unknown(f"malformed answer from {source} ({type(exc).__name__}: {str(exc)[:120]})",
                       kind=UnknownKind.MALFORMED)
from auditor.net.http import HttpClient


def json_object(
    doc: Any | Unknown, *, gone: Unknown, unexpected: str, key: str | None = None, of: type = object
) -> Mapping[str, Any] | Unknown:
    """*doc*, an answer of :meth:`HttpClient.get_json`, when it is a JSON object.

    Args:
        gone: what to answer when the service said 404/410 (the thing does
            not exist there; usually ``fault=False``).
        unexpected: the reason when the answer has another shape, e.g.
            ``"GitHub answered an unexpected user document"``.
        key: a member the object must have, of type *of*.

    Returns:
        *doc*; *gone*; any other Unknown of the request as it is; or
        ``Unknown(unexpected, kind=MALFORMED)``.
    """
    if isinstance(doc, Unknown):
        return gone if doc.not_found else doc
    if not isinstance(doc, Mapping) or (key is not None and not (key in doc and isinstance(doc[key], of))):
        return Unknown(unexpected, kind=UnknownKind.MALFORMED)
    return doc


class ApiClient:
    """Lookups against one JSON API base URL.

    Args:
        http: the run's client for the service (cache, retries, rate limit, token).
        base_url: the API's root, e.g. ``https://api.deps.dev`` or a mirror
            (a trailing ``/`` is dropped).
    """

    #: The service's name in ``"<service> answered an unexpected <what> document"``.
    service = "the API"
    #: Headers sent with every :meth:`_object` request.
    headers: Mapping[str, str] | None = None

    def __init__(self, http: HttpClient, base_url: str):
        self.http = http
        self.base = base_url.rstrip("/")

    def _object(
        self, url: str, *, gone: str, what: str = "", key: str | None = None, of: type = object
    ) -> Mapping[str, Any] | Unknown:
        """GET *url* as a JSON object with *key* (see :func:`json_object`).

        Returns:
            The object; ``Unknown(gone, fault=False)`` on 404/410;
            ``"<service> answered an unexpected <what> document"`` (kind
            ``malformed``) for another shape; or the request's Unknown.
        """
        unexpected = f"{self.service} answered an unexpected {what + ' ' if what else ''}document"
        doc = self.http.get_json(url, self.headers)
        return json_object(doc, gone=Unknown(gone, fault=False), unexpected=unexpected, key=key, of=of)
