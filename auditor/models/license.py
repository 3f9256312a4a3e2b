"""The licence a release declares in its core metadata (signal ``license``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class DeclaredLicense:
    """The licence a release declares, as an SPDX expression when it can be read as one.

    Source: the release's core metadata (PEP 658 ``.metadata``, the wheel's
    ``METADATA`` or the installed ``METADATA``): ``License-Expression``
    (PEP 639), else a ``License`` field that is itself a valid SPDX
    expression, else the ``License ::`` Trove classifiers (mapped by
    :data:`auditor.dist.licenses.CLASSIFIERS`), else the ``License`` text.
    Expressions are normalised by ``packaging.licenses.canonicalize_license_expression``.

    Attributes:
        expression: the canonical SPDX expression (``"MIT OR Apache-2.0"``);
            ``None`` when none can be stated (see *problem*).
        ids: the SPDX licence ids it names (``LicenseRef-*`` included; an
            exception after ``WITH`` is not an id), sorted; with several
            classifiers and no expression, the ids they map to.
        source: ``"License-Expression"``, ``"License"``, ``"classifiers"``,
            or ``None`` when nothing is declared.
        declared: what the metadata says, as written (the expression, the
            ``License`` field's first line, or the classifiers joined with
            ``"; "``), at most 200 characters.
        problem: why *expression* is ``None``: nothing declared, not a valid
            SPDX expression, a classifier that names no single SPDX licence,
            or several classifiers whose combination is not stated; ``None``
            when *expression* is set.
    """

    KEY: ClassVar[str] = "license"

    expression: str | None
    ids: tuple[str, ...] = ()
    source: str | None = None
    declared: str = ""
    problem: str | None = None

    @property
    def declared_nothing(self) -> bool:
        """True when the metadata has no licence field and no licence classifier."""
        return self.source is None
