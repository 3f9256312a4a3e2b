"""Strings from outside, neutralised for the format they are written in.

Every string a report shows may come from package metadata, an index, a
forge API or git history, all written by strangers.  Each output format has
one function here, applied at its string-output points:

* :func:`terminal` (table, explain, people): C0 and C1 control characters
  (``ESC``, so every escape sequence), ``DEL``, bidirectional overrides and
  isolates (the "Trojan Source" characters, CVE-2021-42574) and lone
  surrogates are shown escaped (``\\x1b``, ``\\u202e``); :func:`text` wraps
  the result in a ``rich.text.Text`` so rich markup in it is shown, not
  interpreted.
* :func:`xml` (GraphML): characters that XML 1.0 does not allow
  (``Char`` production, https://www.w3.org/TR/xml/#charsets) become U+FFFD;
  :func:`xml_invalid` says whether any were, so the fact can be recorded.
* :func:`markdown` (Markdown reports): no raw HTML (``<``, ``>``, ``&``
  become entities), Markdown syntax characters are backslash-escaped (so
  no link, image or table cell can be forged), ``javascript:``-style
  schemes are defused, control characters are escaped as for the terminal.
* :func:`utf8` (JSON, SARIF): lone surrogates (from undecodable file
  names or ``surrogateescape``) become U+FFFD, so the output is valid UTF-8.

All functions are linear in the length of the text and never raise.
"""

from __future__ import annotations

import re

from rich.text import Text

#: Bidirectional formatting characters (Unicode TR9): embeddings, overrides,
#: isolates and marks; they reorder what a terminal or a browser shows.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: What :func:`terminal` escapes: C0 except tab and newline, DEL, C1, bidi, surrogates.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "\ud800-\udfff]")
#: The same, newline and tab included (single-line fields).
_TERMINAL_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI + "\ud800-\udfff]")
#: Characters not allowed by XML 1.0's ``Char`` production.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Markdown punctuation that is backslash-escaped (``<``, ``>``, ``&``, ``"`` become entities first).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")
#: Replaced by a space in Markdown: C0, C1, bidi, surrogates (newlines too: one cell, one line).
_MD_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI + "\ud800-\udfff]")
#: URL schemes that run code or smuggle content when a link is followed.
_BAD_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data|file)(\s*):")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: object, single_line: bool = False) -> str:
    """*value* as a string a terminal shows literally (see the module docstring).

    Args:
        value: any value; ``str(value)`` is neutralised.
        single_line: also escape newline and tab (a table cell, a name).
    """
    text = value if isinstance(value, str) else str(value)
    return (_TERMINAL_LINE if single_line else _TERMINAL).sub(_escape, text)


def text(value: object = "", style: str = "", **kwargs) -> Text:
    """A ``rich.text.Text`` of :func:`terminal` (*value*): markup and escape sequences are inert."""
    return Text(terminal(value), style=style, **kwargs)


def xml_invalid(value: str) -> bool:
    """True when *value* has a character XML 1.0 does not allow."""
    return _XML_INVALID.search(value) is not None


def xml(value: object) -> str:
    """*value* with every character XML 1.0 does not allow replaced by U+FFFD."""
    text_ = value if isinstance(value, str) else str(value)
    return _XML_INVALID.sub("\ufffd", text_)


def markdown(value: object) -> str:
    """*value* as inert GitHub-flavoured Markdown (inline, in a table cell).

    HTML-significant characters become entities, Markdown punctuation is
    backslash-escaped (no link, image, emphasis or table break can be
    formed), ``@`` becomes ``&#64;`` so it mentions nobody, a
    ``javascript:``/``vbscript:``/``data:``/``file:`` scheme loses its colon
    (``&#58;``), and control characters, bidi overrides, lone surrogates and
    newlines become spaces.
    """
    s = _MD_CONTROL.sub(" ", str(value if value is not None else ""))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = s.replace("@", "&#64;")
    s = _BAD_SCHEME.sub(lambda m: f"{m.group(1)}{m.group(2)}&#58;", s)
    return s.strip()


def utf8(value: str) -> str:
    """*value* with lone surrogates replaced by U+FFFD, so it encodes as UTF-8."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
