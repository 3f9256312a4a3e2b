"""An :class:`Unknown` value: a fact that could not be determined, with its kind and reason.

Nothing here does I/O.  A fact that could not be collected is an
:class:`Unknown`, never ``None`` or ``0``: reports render it as
``unknown (<reason>)`` and list its :class:`UnknownKind`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeVar, Union

T = TypeVar("T")


class UnknownKind(str, enum.Enum):
    """Why a fact is unknown: the typed cause, tested instead of the reason's text.

    The first group are faults (something failed; the audit is incomplete);
    ``not_applicable``, ``disabled`` and ``not_collected`` are by design.
    """

    NOT_FOUND = "not_found"            #: the service answered 404 / "no such project"
    OFFLINE = "offline"                #: --offline and nothing cached
    RATE_LIMITED = "rate_limited"      #: the service's rate limit is spent
    TIMEOUT = "timeout"                #: a request or operation timed out
    TOO_LARGE = "too_large"            #: the artifact or answer exceeds a size limit
    UNREACHABLE = "unreachable"        #: connection failed, DNS, or the host's breaker is open
    MALFORMED = "malformed"            #: the answer or file does not have the expected shape
    DEADLINE = "deadline"              #: the audit's deadline passed before this was collected
    HTTP_ERROR = "http_error"          #: an HTTP status other than 404 / 429 (e.g. 5xx after retries)
    UNSUPPORTED = "unsupported"        #: a format or source this version cannot read
    ERROR = "error"                    #: any other failure
    NOT_APPLICABLE = "not_applicable"  #: the fact does not exist for this node (e.g. no repository)
    DISABLED = "disabled"              #: the user turned the collector off
    NOT_COLLECTED = "not_collected"    #: the fact was not gathered in this run (e.g. a skipped stage)
    NOT_PUBLIC = "not_public"          #: the source does not publish it (a PyPI organization's members)


#: Kinds that mean "missing by design", not a fault.
BY_DESIGN = frozenset({UnknownKind.NOT_APPLICABLE, UnknownKind.DISABLED, UnknownKind.NOT_COLLECTED,
                       UnknownKind.NOT_PUBLIC})


@dataclass(frozen=True)
class Unknown:
    """A value that could not be determined.

    Attributes:
        reason: short human-readable cause, e.g. ``"not found on PyPI"``,
            ``"offline"``, ``"rate limited"``, ``"HTTP 503 after 3 retries"``.
        fault: ``True`` when the value is missing because something failed
            (network, bad data) and the audit is therefore incomplete;
            ``False`` when it is missing by design or by the user's choice
            (a disabled collector, a package with no public source).
        kind: the typed cause (:class:`UnknownKind`); code tests this, never
            the text of *reason*.
    """

    reason: str
    fault: bool = True
    #: Not part of equality: two Unknowns with the same reason and fault are the same fact as shown.
    kind: UnknownKind = field(default=UnknownKind.ERROR, compare=False)

    def __str__(self) -> str:
        return f"unknown ({self.reason})"

    @classmethod
    def of(cls, kind: UnknownKind, reason: str) -> "Unknown":
        """An Unknown of *kind*; ``fault`` follows the kind (False for :data:`BY_DESIGN`)."""
        return cls(reason, kind not in BY_DESIGN, kind)

    @property
    def not_found(self) -> bool:
        """True when the service said the thing does not exist (kind ``not_found``)."""
        return self.kind is UnknownKind.NOT_FOUND


#: ``Known[int]`` reads as "an int, or Unknown with the reason".
Known = Union[T, Unknown]


def is_unknown(value: object) -> bool:
    """Return True when *value* is an :class:`Unknown`."""
    return isinstance(value, Unknown)
