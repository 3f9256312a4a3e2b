"""nesting_depth: the regex scan agrees with the character loop it replaced (issue 14: SBOM depth checks)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.dist.bounded import nesting_depth


def _reference(text: str, limit: int | None = None) -> int:
    """The character-by-character scan as it was before issue 14."""
    depth = deepest = 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        elif c in "]}":
            depth = max(0, depth - 1)
        elif c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        elif c == "\n":
            quote = ""
        i += 1
    return deepest


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="\"'[]{}#\\\nab ", max_size=80), st.one_of(st.none(), st.integers(0, 6)))
def test_same_depth_as_the_character_loop(text, limit):
    assert nesting_depth(text, limit) == _reference(text, limit)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.text(alphabet="\"\\'[]{}#ab\n", max_size=5),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=3), kids, max_size=3)))
def test_json_documents(doc):
    text = json.dumps(doc)
    assert nesting_depth(text) == _reference(text)


def test_cases():
    assert nesting_depth('{"a": ["[", "\\"[", [1]]}') == 3
    assert nesting_depth("'[' [#[[\n]") == 1
    assert nesting_depth('"unterminated [[[') == 0
    assert nesting_depth("[[[[", limit=2) == 3
