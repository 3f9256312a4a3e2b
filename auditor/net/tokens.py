"""Credentials bound to one origin, and which service may use which token.

Sources of credentials, as pip and uv use them:

* ``GITHUB_TOKEN``/``GH_TOKEN`` and ``GITLAB_TOKEN``, for their API origin only;
* the userinfo of ``--index-url`` / ``--pypi-url``
  (``https://user:token@host/simple``): sent as HTTP basic auth to that
  origin only (:func:`url_credentials`; the URL itself is used without it,
  so no cache key, log line or report holds the secret);
* ``~/.netrc`` (or ``$NETRC``), for a host with no other credential
  (:func:`fallback_credentials`, through ``requests.utils.get_netrc_auth``);
* the ``keyring`` library, when ``Config.keyring_provider`` is ``"import"``
  or ``"auto"`` (pip's ``--keyring-provider``), asked with the request's
  URL and then its host, as pip does.

The header is added by the transport adapter (:mod:`auditor.net.http`) to
each request *as it is sent*, only when the request's scheme and host equal
the token's, so redirects to another host never carry it and neither the
cache nor any log line or error can contain it.
"""

from __future__ import annotations

import base64
import logging
import threading
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from auditor.config import Config, Secret

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostToken:
    """A credential bound to one origin.

    Attributes:
        origin: ``scheme://host[:port]`` the token may be sent to (lower case).
        token: the secret.
        header: header name; the value is ``"<scheme> <token>"`` for
            ``Authorization`` (GitHub and GitLab both accept ``Bearer``), else the raw token.
        scheme: ``"Bearer"``, or ``"Basic"`` for index credentials (*token*
            is then ``base64(user:password)``).
    """

    origin: str
    token: Secret
    header: str = "Authorization"
    scheme: str = "Bearer"

    @classmethod
    def for_base_url(cls, base_url: str, token: Secret, header: str = "Authorization") -> "HostToken":
        """Bind *token* to the origin of *base_url* (``https://api.github.com/...`` -> ``https://api.github.com``)."""
        return cls(_origin(base_url), token, header)

    def applies_to(self, url: str) -> bool:
        """True when *url* has exactly this token's scheme, host and port."""
        return _origin(url) == self.origin

    def header_value(self) -> str:
        if self.header == "Authorization":
            return f"{self.scheme} {self.token.reveal()}"
        return self.token.reveal()

    @classmethod
    def basic(cls, origin: str, user: str, password: str) -> "HostToken":
        """HTTP basic credentials (RFC 7617) bound to *origin*."""
        raw = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        return cls(origin, Secret(raw), "Authorization", "Basic")


def url_credentials(url: str) -> tuple[str, HostToken | None]:
    """Split the userinfo off *url*: ``(url without it, basic credentials for its origin or None)``.

    ``https://user:tok%40en@host/simple`` -> ``("https://host/simple",
    HostToken.basic("https://host", "user", "tok@en"))`` (percent-escapes
    decoded, as pip does).  A URL without userinfo comes back unchanged with None.
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    if not user and not password:
        return clean, None
    return clean, HostToken.basic(_origin(clean), unquote(user), unquote(password))


def strip_credentials(url: str) -> str:
    """*url* without its userinfo (the credentials go through :func:`url_credentials`)."""
    return url_credentials(url)[0]


class FallbackCredentials:
    """``.netrc`` and keyring credentials per origin, looked up once each (thread-safe).

    Args:
        keyring_provider: pip's setting: ``"disabled"`` (default), ``"import"``
            or ``"auto"`` (both use the ``keyring`` library when it is
            installed; ``"subprocess"`` is treated as ``"import"``).
    """

    def __init__(self, keyring_provider: str = "disabled"):
        self.keyring_provider = keyring_provider
        self._found: dict[str, HostToken | None] = {}
        self._lock = threading.Lock()

    def for_url(self, url: str) -> HostToken | None:
        """Credentials for *url*'s origin from ``.netrc``, then keyring; None when there are none."""
        origin = _origin(url)
        with self._lock:
            if origin in self._found:
                return self._found[origin]
        token = self._netrc(url) or self._keyring(url)
        with self._lock:
            self._found[origin] = token
        return token

    @staticmethod
    def _netrc(url: str) -> HostToken | None:
        from requests.utils import get_netrc_auth

        try:
            auth = get_netrc_auth(url, raise_errors=False)
        except Exception:  # a malformed .netrc is no credential  # noqa: BLE001
            return None
        return HostToken.basic(_origin(url), auth[0], auth[1]) if auth else None

    def _keyring(self, url: str) -> HostToken | None:
        if self.keyring_provider in ("", "disabled", None):
            return None
        try:
            import keyring  # optional dependency, as in pip
        except ImportError:
            log.warning("keyring provider %r asked for, but the keyring library is not installed", self.keyring_provider)
            return None
        host = urlsplit(url).hostname or ""
        for service in (url, host):
            try:
                cred = keyring.get_credential(service, None)
            except Exception:  # a keyring backend failing is no credential  # noqa: BLE001
                return None
            if cred is not None and cred.password:
                return HostToken.basic(_origin(url), cred.username or "", cred.password)
        return None


def default_tokens(config: Config, service: str) -> tuple[HostToken, ...]:
    """The credentials *service* may use, each bound to its own API origin.

    ``GITHUB_TOKEN``/``GH_TOKEN`` (``Config.github_token``) goes only to
    ``Config.github_api_url``'s origin; ``GITLAB_TOKEN`` only to
    ``Config.gitlab_url``'s.  The userinfo of ``Config.index_url`` and
    ``Config.pypi_url`` becomes basic credentials for their own origin, for
    every service (bound to that origin, they reach nothing else).
    """
    out: list[HostToken] = []
    if service == "github" and config.github_token:
        out.append(HostToken.for_base_url(config.github_api_url, config.github_token))
    if service == "gitlab" and config.gitlab_token:
        out.append(HostToken.for_base_url(config.gitlab_url, config.gitlab_token))
    for url in (config.index_url, config.pypi_url):
        token = url_credentials(url)[1]
        if token is not None and token.origin not in {t.origin for t in out}:
            out.append(token)
    return tuple(out)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    netloc = (parts.netloc or "").rpartition("@")[2]  # never the userinfo
    return f"{parts.scheme.lower()}://{netloc.lower()}"
