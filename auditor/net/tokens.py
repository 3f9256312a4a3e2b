"""Credentials bound to one origin, and which service may use which token.

The header is added by the transport adapter (:mod:`auditor.net.http`) to
each request *as it is sent*, only when the request's scheme and host equal
the token's, so redirects to another host never carry it and neither the
cache nor any log line or error can contain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.config import Config, Secret


@dataclass(frozen=True)
class HostToken:
    """A credential bound to one origin.

    Attributes:
        origin: ``scheme://host[:port]`` the token may be sent to (lower case).
        token: the secret.
        header: header name; the value is ``"Bearer <token>"`` for
            ``Authorization`` (GitHub and GitLab both accept it), else the raw token.
    """

    origin: str
    token: Secret
    header: str = "Authorization"

    @classmethod
    def for_base_url(cls, base_url: str, token: Secret, header: str = "Authorization") -> "HostToken":
        """Bind *token* to the origin of *base_url* (``https://api.github.com/...`` -> ``https://api.github.com``)."""
        return cls(_origin(base_url), token, header)

    def applies_to(self, url: str) -> bool:
        """True when *url* has exactly this token's scheme, host and port."""
        return _origin(url) == self.origin

    def header_value(self) -> str:
        if self.header == "Authorization":
            return f"Bearer {self.token.reveal()}"
        return self.token.reveal()


def default_tokens(config: Config, service: str) -> tuple[HostToken, ...]:
    """The credentials *service* may use, each bound to its own API origin.

    ``GITHUB_TOKEN``/``GH_TOKEN`` (``Config.github_token``) goes only to
    ``Config.github_api_url``'s origin; ``GITLAB_TOKEN`` only to
    ``Config.gitlab_url``'s.  Other services get none.
    """
    if service == "github" and config.github_token:
        return (HostToken.for_base_url(config.github_api_url, config.github_token),)
    if service == "gitlab" and config.gitlab_token:
        return (HostToken.for_base_url(config.gitlab_url, config.gitlab_token),)
    return ()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"
