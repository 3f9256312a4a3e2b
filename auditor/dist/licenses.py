"""Licences in core metadata: SPDX expressions (PEP 639) and the ``License ::`` Trove classifiers.

Pure functions over :mod:`packaging.licenses` (packaging >= 24.2), which
validates and normalises an SPDX expression against the SPDX licence list it
ships (``canonicalize_license_expression``).  auditor parses the normalised
expression into a small tree only to decide a policy's allow/deny lists
(:func:`acceptable`; semantics in docs/policy.md#licences).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Union

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from auditor.models import CoreMetadata, DeclaredLicense

#: Longest declaration kept or parsed (characters).
MAX_DECLARED = 200

#: ``License ::`` Trove classifiers that name exactly one SPDX licence (the classifier list of
#: https://pypi.org/classifiers/, mapped to https://spdx.org/licenses/). Classifiers that name a
#: family without a version ("BSD License", "Apache Software License", "GNU General Public
#: License (GPL)", "Public Domain", "OSI Approved") are deliberately absent: they state no
#: single SPDX licence, and guessing one would print a licence the project never declared.
CLASSIFIERS: dict[str, str] = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Zero-Clause BSD (0BSD)": "0BSD",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
    "License :: OSI Approved :: Attribution Assurance License": "AAL",
    "License :: OSI Approved :: Blue Oak Model License (BlueOak-1.0.0)": "BlueOak-1.0.0",
    "License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "License :: OSI Approved :: CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)": "CECILL-2.1",
    "License :: OSI Approved :: Common Development and Distribution License 1.0 (CDDL-1.0)": "CDDL-1.0",
    "License :: OSI Approved :: Eclipse Public License 1.0 (EPL-1.0)": "EPL-1.0",
    "License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "License :: OSI Approved :: European Union Public Licence 1.0 (EUPL 1.0)": "EUPL-1.0",
    "License :: OSI Approved :: European Union Public Licence 1.1 (EUPL 1.1)": "EUPL-1.1",
    "License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "License :: OSI Approved :: Microsoft Public License": "MS-PL",
    "License :: OSI Approved :: Microsoft Reciprocal License": "MS-RL",
    "License :: OSI Approved :: Mozilla Public License 1.0 (MPL)": "MPL-1.0",
    "License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: Mulan Permissive Software License v2 (MulanPSL-2.0)": "MulanPSL-2.0",
    "License :: OSI Approved :: Open Software License 3.0 (OSL-3.0)": "OSL-3.0",
    "License :: OSI Approved :: PostgreSQL License": "PostgreSQL",
    "License :: OSI Approved :: Python License (CNRI Python License)": "CNRI-Python",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Sun Industry Standards Source License (SISSL)": "SISSL",
    "License :: OSI Approved :: Universal Permissive License (UPL)": "UPL-1.0",
    "License :: OSI Approved :: University of Illinois/NCSA Open Source License": "NCSA",
    "License :: OSI Approved :: W3C License": "W3C",
    "License :: OSI Approved :: zlib/libpng License": "Zlib",
}


@dataclass(frozen=True)
class Term:
    """One licence of an expression: ``id`` (``MIT``, ``LicenseRef-x``) and its ``WITH`` exception, if any."""

    id: str
    exception: str | None = None

    def __str__(self) -> str:
        return f"{self.id} WITH {self.exception}" if self.exception else self.id


@dataclass(frozen=True)
class Combined:
    """``AND`` (every part applies) or ``OR`` (the user chooses one part) of two or more parts."""

    op: str
    parts: tuple["Node", ...]


Node = Union[Term, Combined]


def canonical(expression: str) -> str:
    """The normalised SPDX expression (``mit or apache-2.0`` -> ``MIT OR Apache-2.0``).

    Raises:
        ValueError: not a valid SPDX expression (an unknown id, bad syntax), or longer than :data:`MAX_DECLARED`.
    """
    if len(expression) > MAX_DECLARED:
        raise ValueError(f"longer than {MAX_DECLARED} characters")
    try:
        return canonicalize_license_expression(expression)
    except InvalidLicenseExpression as exc:
        raise ValueError(str(exc)) from None


def parse(expression: str) -> Node:
    """The tree of a canonical expression (:func:`canonical` first): ``WITH`` binds tightest, then ``AND``, then ``OR``.

    Raises:
        ValueError: not a canonical expression.
    """
    tokens = expression.replace("(", " ( ").replace(")", " ) ").split()
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("unexpected end of expression")
        pos += 1
        return tokens[pos - 1]

    def primary() -> Node:
        token = take()
        if token == "(":
            node = either()
            if take() != ")":
                raise ValueError("unbalanced parentheses")
            return node
        if token in ("AND", "OR", "WITH", ")"):
            raise ValueError(f"unexpected {token}")
        if peek() == "WITH":
            take()
            return Term(token, take())
        return Term(token)

    def chain(op: str, lower: Callable[[], Node]) -> Node:
        parts = [lower()]
        while peek() == op:
            take()
            parts.append(lower())
        return parts[0] if len(parts) == 1 else Combined(op, tuple(parts))

    def both() -> Node:
        return chain("AND", primary)

    def either() -> Node:
        return chain("OR", both)

    tree = either()
    if pos != len(tokens):
        raise ValueError(f"unexpected {tokens[pos]}")
    return tree


def terms(node: Node) -> list[Term]:
    """Every licence of *node*, left to right."""
    if isinstance(node, Term):
        return [node]
    return [t for part in node.parts for t in terms(part)]


def satisfiable(node: Node, accepted: Callable[[Term], bool]) -> bool:
    """Whether some choice among *node*'s ``OR`` alternatives uses only *accepted* licences (``AND``: all parts)."""
    if isinstance(node, Term):
        return accepted(node)
    results = (satisfiable(part, accepted) for part in node.parts)
    return all(results) if node.op == "AND" else any(results)


def listed(term: Term, names: Iterable[str]) -> bool:
    """Whether a policy list *names* (canonical ids, or ``ID WITH EXCEPTION``) covers *term*:
    the id itself, or the id with exactly this exception."""
    names = set(names)
    return term.id in names or (term.exception is not None and str(term) in names)


def declared_license(meta: CoreMetadata) -> DeclaredLicense:
    """What *meta* declares (see :class:`~auditor.models.DeclaredLicense` for the order of the sources)."""
    if meta.license_expression:
        text = meta.license_expression.strip()
        try:
            expression = canonical(text)
        except ValueError as exc:
            return DeclaredLicense(None, (), "License-Expression", text[:MAX_DECLARED],
                                   f"License-Expression is not a valid SPDX expression: {exc}"[:300])
        return DeclaredLicense(expression, _ids(expression), "License-Expression", text[:MAX_DECLARED])
    legacy = (meta.license or "").strip()
    if legacy:
        try:
            expression = canonical(legacy)
        except ValueError:
            pass
        else:
            return DeclaredLicense(expression, _ids(expression), "License", legacy[:MAX_DECLARED])
    if meta.license_classifiers:
        declared = "; ".join(meta.license_classifiers)[:MAX_DECLARED]
        mapped = [CLASSIFIERS.get(c) for c in meta.license_classifiers]
        ids = tuple(sorted({i for i in mapped if i}))
        vague = [c for c, i in zip(meta.license_classifiers, mapped) if i is None]
        if len(mapped) == 1 and not vague:
            return DeclaredLicense(ids[0], ids, "classifiers", declared)
        if vague:
            problem = f"the classifier {vague[0]!r} names no single SPDX licence"
        else:
            problem = "several licence classifiers; the metadata does not say whether they apply together or as a choice"
        return DeclaredLicense(None, ids, "classifiers", declared, problem)
    if legacy:
        return DeclaredLicense(None, (), "License", legacy[:MAX_DECLARED],
                               "the License field is not an SPDX expression (free text)")
    return DeclaredLicense(None, (), None, "", "no licence declared (no License-Expression, License or licence classifier)")


def _ids(expression: str) -> tuple[str, ...]:
    return tuple(sorted({t.id for t in terms(parse(expression))}))
