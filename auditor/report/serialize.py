"""Turning models into JSON-compatible values (shared by the JSON-based formats)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Mapping

from auditor.models import Unknown


def to_jsonable(value: Any) -> Any:
    """A JSON-compatible copy of *value*.

    Dataclasses become objects of their fields; enums their value; tuples and
    sets lists (sets sorted); :class:`Unknown` becomes ``{"unknown": reason}``
    so that a missing value can never be mistaken for 0 or an empty list.
    """
    if isinstance(value, Unknown):
        return {"unknown": value.reason}
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value) if not f.name.startswith("_")}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
