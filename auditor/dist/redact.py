"""Credentials removed from any text: URLs, requirement lines, resolver and git messages, headers.

:func:`redact` is the one redaction function; it is applied wherever a URL
or a header is stored, logged or shown.  It hides three kinds of secret:

1. URL userinfo (below);
2. the values of token-like query parameters (:data:`SECRET_PARAMS`:
   ``?access_token=...``, ``&X-Amz-Signature=...``, ``&sig=...``), which
   become ``***``;
3. the values of credential headers written as text (``Authorization:
   Bearer ...``, ``Proxy-Authorization``, ``Private-Token``, ``X-Api-Key``,
   in ``Name: value`` or ``'Name': 'value'`` spelling), which become ``***``.

The userinfo rule: the userinfo of every ``scheme://userinfo@`` in the text becomes
``***`` (``https://user:tok@h`` -> ``https://***@h``, ``https://tok@h`` ->
``https://***@h``), except two spellings that carry no secret: ``git@``
(the SSH convention, ``ssh://git@github.com/o/r``) and a lone ``${VAR}``
reference (pip's environment-variable syntax; the text keeps the
reference, never its value).

Linear time on any input: the pattern starts at the literal ``://`` and its
character classes stop at ``/``, ``@``, ``:`` or whitespace, so no two
attempts scan the same characters twice, and there is no nested quantifier.
The scheme before ``://`` (RFC 3986: a letter, then letters, digits, ``+``,
``-``, ``.``) is checked by walking back over it, which is bounded by the
previous ``://`` as well.
"""

from __future__ import annotations

import re

#: ``://``, the user part, an optional ``:password``, then ``@``.
_USERINFO = re.compile(r"://(?P<user>[^/@\s:]*)(?::(?P<password>[^/@\s]*))?@")
#: A user part that is not a secret: the SSH convention or one ``${VAR}`` reference.
_PUBLIC_USER = re.compile(r"git|\$\{[A-Z0-9_]+\}")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

REDACTED = "***"

#: Query parameters whose value is a secret (compared case-insensitively):
#: OAuth (RFC 6750 ``access_token``), API keys, pre-signed URLs (AWS SigV4
#: ``X-Amz-Signature``/``X-Amz-Credential``/``X-Amz-Security-Token``, Azure SAS ``sig``, GCS ``X-Goog-Signature``).
SECRET_PARAMS = (
    "access_token", "refresh_token", "id_token", "token", "private_token", "api_key", "apikey", "key",
    "secret", "client_secret", "password", "passwd", "pwd", "auth", "sig", "signature",
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential",
)
#: ``?name=`` or ``&name=`` (or ``;``), then the value up to the next separator.  One
#: alternation of literals, then a class that stops at the separators: linear.
_QUERY = re.compile(
    r"(?i)([?&;](?:" + "|".join(re.escape(p) for p in SECRET_PARAMS) + r")=)[^&;#\s\"'<>]*"
)
#: A credential header as text: its name, ``:`` or ``=`` (optionally quoted), an
#: optional scheme word, then the value up to whitespace, a quote or a comma.
_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization|private-token|x-api-key|job-token|cookie)(['\"]?[ \t]*[:=][ \t]*['\"]?)"
    r"(?:(bearer|basic|token|digest)[ \t]+)?[^\s'\",]+"
)


def _has_scheme(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with a URL scheme (a letter, then scheme characters)."""
    start = end
    while start > 0 and text[start - 1] in _SCHEME_CHARS:
        start -= 1
    return any(c in _LETTERS for c in text[start:end])


def redact(text: str) -> str:
    """Hide every secret in *text*: URL userinfo, token-like query parameters, credential headers.

    Linear time in ``len(text)`` (see the module docstring).

    Args:
        text: any text: a URL, a requirement line, a resolver's or git's message, a header dump.

    Returns:
        *text* with each secret replaced by ``***``; everything else unchanged.
    """
    if not isinstance(text, str):
        return text
    if "=" in text:
        text = _QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    if ":" in text or "=" in text:
        text = _HEADER.sub(_header_repl, text)
    return _redact_userinfo(text)


def _header_repl(m: re.Match[str]) -> str:
    scheme = f"{m.group(3)} " if m.group(3) else ""
    return f"{m.group(1)}{m.group(2)}{scheme}{REDACTED}"


#: The historical name: every caller of ``redact_url`` gets the full :func:`redact`.
def redact_url(text: str) -> str:
    """Same as :func:`redact` (kept for the callers that name URLs)."""
    return redact(text)


def _redact_userinfo(text: str) -> str:
    """Hide the userinfo of every URL in *text* (the module docstring's rule)."""
    if "://" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        if not _has_scheme(text, m.start()):
            return m.group(0)
        if m.group("password") is None and _PUBLIC_USER.fullmatch(m.group("user")):
            return m.group(0)
        return f"://{REDACTED}@"

    return _USERINFO.sub(repl, text)


def strip_userinfo(text: str) -> str:
    """Remove the whole non-empty userinfo (``git@`` included) of every URL in *text*.

    For names derived from a URL (a cache directory), where no user part
    should appear at all; same linear-time scan as :func:`redact_url`.
    """
    if "://" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        if not _has_scheme(text, m.start()) or (m.group("password") is None and not m.group("user")):
            return m.group(0)
        return "://"

    return _USERINFO.sub(repl, text)
