"""Judgement values: severities, score factors, scores and findings.

Frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from auditor.models.unknown import Unknown


class Severity(str, enum.Enum):
    """Severity of a finding, in SARIF-compatible order (highest first)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for ``critical`` up to 4 for ``info``."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Factor:
    """One contribution to an exposure score.

    Attributes:
        name: stable factor id (``"maintainers"``, ``"blast_radius"``, ...).
        value: the measured input (a JSON scalar) or Unknown.
        points: points added to the score (for an unknown value, the factor's
            ``unknown`` fraction of its weight: docs/scoring.md).
        weight: the maximum points this factor can give.
        detail: one-line explanation of how value became points.
    """

    name: str
    value: Any
    points: float
    weight: float
    detail: str = ""


@dataclass(frozen=True)
class Score:
    """An exposure score in [0, 100] and the factors that made it.

    Attributes:
        total: sum of factor points, rescaled to [0, 100] over the weights of
            the applicable factors (an unknown factor adds its documented
            unknown points, ``docs/scoring.md``); Unknown when the package is
            not scored (the interpreter) or no factor applies.
        factors: every factor, known or not, in a fixed order.
        unknown_factors: names of factors whose value was unknown.
        known: applicable factors whose value is known.
        applicable: factors with a non-zero weight whose fact exists for this
            package (an Unknown of kind ``not_applicable`` does not).
    """

    total: float | Unknown
    factors: tuple[Factor, ...]
    unknown_factors: tuple[str, ...] = ()
    known: int = 0
    applicable: int = 0

    @property
    def coverage(self) -> str:
        """``"known/applicable"``, e.g. ``"12/17"``: how much of the score rests on facts."""
        return f"{self.known}/{self.applicable}"


@dataclass(frozen=True)
class Finding:
    """A judged fact worth a reviewer's attention.

    Attributes:
        id: stable rule id (``"AUD001"``-style), shared by every output format.
        severity: see :class:`Severity`.
        message: one line, plain text (formatters escape it).
        package: normalized name of the package it concerns, or ``None`` for the root.
        evidence: where the fact came from.
    """

    id: str
    severity: Severity
    message: str
    package: str | None = None
    evidence: str | None = None
