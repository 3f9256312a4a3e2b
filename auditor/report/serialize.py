"""Turning models into JSON-compatible values, and JSON text, for the JSON-based formats.

:func:`to_jsonable` is the one conversion.  :func:`dumps_indented` writes a
converted value as the bytes ``json.dumps(value, indent=2,
ensure_ascii=False)`` would give, through orjson's C encoder (the standard
library uses its C encoder only without ``indent``: its pure-Python indented
encoder was most of the time of a 10,000-package JSON report, issue 14).
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from typing import Any, Callable

import orjson

from auditor.models import Unknown

# How values of one type are converted (the checks of to_jsonable, in its order, made once per type).
_UNKNOWN, _ENUM, _DATACLASS, _FROZEN, _MAPPING, _SET, _SEQUENCE, _SCALAR, _OTHER = range(9)
_KINDS: dict[type, tuple[int, tuple[str, ...]]] = {}


def _kind(t: type) -> tuple[int, tuple[str, ...]]:
    found = _KINDS.get(t)
    if found is not None:
        return found
    names: tuple[str, ...] = ()
    if issubclass(t, Unknown):
        kind = _UNKNOWN
    elif issubclass(t, enum.Enum):
        kind = _ENUM
    elif dataclasses.is_dataclass(t) and not issubclass(t, type):
        kind = _FROZEN if t.__dataclass_params__.frozen else _DATACLASS  # type: ignore[attr-defined]
        names = tuple(f.name for f in dataclasses.fields(t) if not f.name.startswith("_"))
    elif issubclass(t, Mapping):
        kind = _MAPPING
    elif issubclass(t, (set, frozenset)):
        kind = _SET
    elif issubclass(t, (list, tuple)):
        kind = _SEQUENCE
    elif issubclass(t, (str, int, float, bool)) or t is type(None):
        kind = _SCALAR
    else:
        kind = _OTHER
    _KINDS[t] = found = (kind, names)
    return found


def _converter(on_float: Callable[[float], Any], shared: dict[int, tuple[Any, Any]] | None = None
               ) -> Callable[[Any], Any]:
    """A :func:`to_jsonable` that passes every exact ``float`` through *on_float*.

    With *shared*, a frozen dataclass instance met again is converted once:
    ``{id: (instance, value)}`` (the instance is held, so its id is not
    reused; emptied past :data:`_SHARED_MAX` entries).  The values are then
    shared between records: only for a tree that is serialized, never changed.
    """

    def convert(value: Any) -> Any:
        t = type(value)
        if t is str or t is int or t is bool or value is None:
            return value
        if t is float:
            return on_float(value)
        kind, names = _kind(t)
        if kind == _FROZEN:
            if shared is None:
                return fields(value, names)
            hit = shared.get(id(value))
            if hit is not None:
                return hit[1]
            out = fields(value, names)
            if len(shared) >= _SHARED_MAX:
                shared.clear()
            shared[id(value)] = (value, out)
            return out
        if kind == _DATACLASS:
            return fields(value, names)
        if kind == _UNKNOWN:
            return {"unknown": value.reason}
        if kind == _SEQUENCE:
            # plain values inline (no call): most items of a record's lists are strings or numbers
            return [v if (tv := type(v)) is str or tv is int or tv is bool or v is None else convert(v)
                    for v in value]
        if kind == _MAPPING:
            return {str(k): v if (tv := type(v)) is str or tv is int or tv is bool or v is None else convert(v)
                    for k, v in value.items()}
        if kind == _ENUM:
            return value.value
        if kind == _SET:
            return sorted(convert(v) for v in value)
        if kind == _SCALAR:
            return value
        return str(value)

    def fields(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
        # {name: convert(getattr(value, name))}, plain values inline (no call): most fields are strings or numbers
        out = {}
        for name in names:
            v = getattr(value, name)
            tv = type(v)
            if tv is str or tv is int or tv is bool or v is None:
                out[name] = v
            elif tv is float and (v == 0.0 or 1e-4 <= abs(v) < 1e16):  # every on_float leaves these as they are
                out[name] = v
            else:
                out[name] = convert(v)
        return out

    return convert


to_jsonable: Callable[[Any], Any] = _converter(lambda v: v)
to_jsonable.__doc__ = """A JSON-compatible copy of *value*.

Dataclasses become objects of their fields (those not starting with ``_``);
enums their value; tuples and sets lists (sets sorted); :class:`Unknown`
becomes ``{"unknown": reason}`` so that a missing value can never be
mistaken for 0 or an empty list; other objects their ``str()``.
"""


def _exact_float(value: float) -> Any:
    # orjson and repr() agree on every finite float written without an exponent by repr()
    # (1e-4 <= |v| < 1e16, and zero); the rest (1e-05, nan, inf) is written by the standard library.
    # (_converter's fields() passes that same range through without calling this.)
    if value == 0.0 or 1e-4 <= abs(value) < 1e16:
        return value
    return orjson.Fragment(json.dumps(value).encode())


#: :func:`to_jsonable` for :func:`dumps_indented`: the same tree, floats orjson would spell differently as fragments.
to_orjson: Callable[[Any], Any] = _converter(_exact_float)

#: Entries a converter from :func:`orjson_converter` keeps before starting over.
_SHARED_MAX = 4096


def orjson_converter() -> Callable[[Any], Any]:
    """A :data:`to_orjson` for one document: frozen instances met again (a shared unknown
    :class:`~auditor.models.Factor`) are converted once and their value reused."""
    return _converter(_exact_float, {})


def dumps_indented(value: Any, level: int = 0, plain: Callable[[], Any] | None = None) -> str:
    """*value* as ``json.dumps(value, indent=2, ensure_ascii=False)`` would write it.

    Args:
        value: a tree from :func:`to_orjson` (or of plain JSON types).
        level: indentation level the text is nested at (its lines after the
            first are indented by ``2 * level`` more spaces, as the standard
            library writes a value inside a container).
        plain: called for the same value as :func:`to_jsonable` gives it,
            when orjson cannot write the tree: a string with a lone surrogate,
            an integer beyond 64 bits, a key that is not a string.  Then the
            standard library writes it (identical text, a lone surrogate
            included, as before: the output helper replaces it).  Without *plain*, *value*
            itself is used (it must then hold no fragment).

    Raises:
        TypeError / ValueError: what ``json.dumps`` raises for a value it cannot write.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:
        text = json.dumps(value if plain is None else plain(), indent=2, ensure_ascii=False)
    if level and "\n" in text:  # a JSON text holds a raw newline only between tokens
        text = text.replace("\n", "\n" + "  " * level)
    return text
