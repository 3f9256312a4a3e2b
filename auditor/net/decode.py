"""JSON bodies of HTTP answers, decoded by orjson (issue 14's cold path)."""

from __future__ import annotations

from typing import Any


def response_json(resp: Any) -> Any:
    """The JSON document of *resp*, decoded by orjson's C parser (a cold audit decodes ~70 MB of
    PyPI JSON); a body orjson refuses (not UTF-8, NaN, an integer over 64 bits) goes through
    ``resp.json()`` as before, so what is accepted does not change.

    Raises:
        ValueError: not JSON (``requests.JSONDecodeError``).
    """
    import orjson

    try:
        return orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        return resp.json()
