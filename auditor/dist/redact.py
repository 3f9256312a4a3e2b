"""Credentials in URLs, removed from any text (requirement lines, resolver and git messages).

One rule: the userinfo of every ``scheme://userinfo@`` in the text becomes
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


def _has_scheme(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with a URL scheme (a letter, then scheme characters)."""
    start = end
    while start > 0 and text[start - 1] in _SCHEME_CHARS:
        start -= 1
    return any(c in _LETTERS for c in text[start:end])


def redact_url(text: str) -> str:
    """Hide the credentials of every URL in *text* (see the module docstring for the rule).

    Args:
        text: any text: a URL, a requirement line, a resolver's or git's message.

    Returns:
        *text* with each secret userinfo replaced by ``***``; everything else unchanged.
    """
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
