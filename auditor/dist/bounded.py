"""JSON and TOML parsed with bounds on nesting depth and size.

:mod:`json` and :mod:`tomllib` recurse once per nesting level, so a
document of 100,000 ``[`` raises ``RecursionError`` (or exhausts the C
stack); integers longer than 4,300 digits raise ``ValueError``.  The
functions here turn all of that into :class:`TooDeep` / :class:`TooLarge`
(both ``ValueError``), which callers already handle as bad input:

* a cheap linear pre-scan (:func:`nesting_depth`) counts the deepest
  ``[``/``{`` nesting outside strings and refuses more than *max_depth*
  before the parser runs;
* the parser's own errors stay what they are (``json.JSONDecodeError``,
  ``tomllib.TOMLDecodeError``), and a ``RecursionError`` that slips through
  becomes :class:`TooDeep`.

Defaults: ``Config.max_depth`` (64) and ``Config.max_input_bytes``; see docs/limits.md.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from auditor.config import DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES


class TooDeep(ValueError):
    """The document nests arrays/objects/tables deeper than the limit."""


class TooLarge(ValueError):
    """The document is larger than the limit."""


#: Characters that matter outside a string: a quote opens one, brackets nest, ``#`` starts a TOML comment.
_OUTSIDE = re.compile(r"[\"'\[\]{}#]")
#: Characters that matter inside a double-quoted string: its end, or an escape (skips the next character).
_IN_DOUBLE = re.compile(r'["\\]')


def nesting_depth(text: str, limit: int | None = None) -> int:
    """The deepest nesting of ``[``/``{`` in *text*, ignoring quoted strings and ``#`` comments (TOML).

    Linear in ``len(text)``: the scan jumps from one significant character to
    the next (regular expressions), so a 300 KB SBOM costs milliseconds, not
    the ~30 ms of a loop over every character.  A backslash escapes the next
    character inside ``"..."`` only; an unterminated string or comment runs to
    the end.  An over-approximation for TOML (a table header ``[a]`` counts
    one level while it is open), which only makes the check stricter by one.
    Stops early once *limit* is exceeded.
    """
    depth = deepest = 0
    i = 0
    outside, in_double = _OUTSIDE.search, _IN_DOUBLE.search
    while True:
        m = outside(text, i)
        if m is None:
            return deepest
        j = m.start()
        c = text[j]
        i = j + 1
        if c == "[" or c == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        elif c == "]" or c == "}":
            depth = max(0, depth - 1)
        elif c == "#":
            nl = text.find("\n", j)
            if nl < 0:
                return deepest
            i = nl + 1
        elif c == "'":
            end = text.find("'", i)
            if end < 0:
                return deepest
            i = end + 1
        else:  # a double quote: to its unescaped end
            while True:
                q = in_double(text, i)
                if q is None:
                    return deepest
                if text[q.start()] == "\\":
                    i = q.start() + 2
                    continue
                i = q.start() + 1
                break


def _check(text: str, max_depth: int, max_bytes: int) -> None:
    if len(text) > max_bytes:
        raise TooLarge(f"document of {len(text)} characters is over the {max_bytes}-byte input size limit")
    if nesting_depth(text, max_depth) > max_depth:
        raise TooDeep(f"nested deeper than {max_depth} levels (nesting depth limit)")


def loads_json(text: str | bytes, max_depth: int = DEFAULT_MAX_DEPTH, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Any:
    """``json.loads`` with the depth and size bounds.

    Raises:
        TooDeep, TooLarge: a bound was broken (both ``ValueError``).
        json.JSONDecodeError: not JSON; ``ValueError``: an integer over Python's digit limit.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    _check(text, max_depth, max_bytes)
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise TooDeep(f"nested deeper than the parser can follow (limit {max_depth})") from exc


def loads_toml(text: str, max_depth: int = DEFAULT_MAX_DEPTH, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> dict[str, Any]:
    """``tomllib.loads`` with the depth and size bounds.

    Raises:
        TooDeep, TooLarge: a bound was broken (both ``ValueError``).
        tomllib.TOMLDecodeError: not TOML; ``ValueError``: an integer over Python's digit limit.
    """
    _check(text, max_depth, max_bytes)
    try:
        return tomllib.loads(text)
    except RecursionError as exc:
        raise TooDeep(f"nested deeper than the parser can follow (limit {max_depth})") from exc
