"""``pyproject.toml``: a project's declared dependencies, resolved to a pinned set.

Read with :mod:`tomllib`: PEP 621 ``[project] dependencies`` and
``optional-dependencies``, and PEP 735 ``[dependency-groups]`` (groups,
``include-group`` expanded by :func:`packaging.dependency_groups.resolve_dependency_groups`).
Every string is validated with :class:`packaging.requirements.Requirement`.

The declared requirements are then resolved by the requirements source
(:class:`auditor.sources.requirements.RequirementsSource`: uv ``pip
compile``, falling back to pip), which this module calls on a temporary
requirements file; no resolution happens here.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from packaging.dependency_groups import resolve_dependency_groups
from packaging.requirements import InvalidRequirement, Requirement

from auditor.errors import InputError
from auditor.models import Inventory
from auditor.net.context import RunContext
from auditor.sources.interface import Source
from auditor.sources.lockfile import LineIndex, load_toml, read_text, require


def declared_requirements(path: Path, text: str, extras: tuple[str, ...] | None = None,
                          groups: tuple[str, ...] | None = None) -> list[str]:
    """The PEP 508 strings a ``pyproject.toml`` declares.

    Args:
        path: the file (for messages).
        text: its content.
        extras: optional-dependency extras to include; ``None`` means all.
        groups: dependency groups to include; ``None`` means all.

    Returns:
        Requirement strings, in file order, deduplicated.

    Raises:
        InputError: invalid TOML, wrong types, invalid requirement strings,
            unknown or cyclic dependency groups (with the line when found).
    """
    doc = load_toml(path, text)
    lines = LineIndex(text)
    project = doc.get("project") or {}
    require(isinstance(project, dict), "[project] must be a table", path)
    out: list[str] = []

    def add(req: Any, where: str) -> None:
        if not isinstance(req, str):
            raise InputError(f"{where}: requirement must be a string, got {type(req).__name__}", str(path))
        try:
            Requirement(req)
        except InvalidRequirement as exc:
            line = lines.find([_quoted(req)])
            raise InputError(f"{where}: invalid requirement {req!r} ({exc})", str(path), line) from exc
        if req not in out:
            out.append(req)

    deps = project.get("dependencies") or []
    require(isinstance(deps, list), "[project] dependencies must be an array", path)
    for r in deps:
        add(r, "project.dependencies")
    optional = project.get("optional-dependencies") or {}
    require(isinstance(optional, dict), "[project.optional-dependencies] must be a table", path)
    for extra, reqs in optional.items():
        if extras is None or extra in extras:
            require(isinstance(reqs, list), f"optional-dependencies.{extra} must be an array", path)
            for r in reqs:
                add(r, f"project.optional-dependencies.{extra}")
    dg = doc.get("dependency-groups") or {}
    require(isinstance(dg, dict), "[dependency-groups] must be a table", path)
    wanted = [g for g in dg if groups is None or g in groups]
    if groups is not None:
        missing = [g for g in groups if g not in dg]
        require(not missing, f"no dependency group named {', '.join(missing)}", path)
    if wanted:
        try:
            resolved = resolve_dependency_groups(dg, *wanted)
        except (ValueError, TypeError, LookupError, ExceptionGroup) as exc:
            first = exc.exceptions[0] if isinstance(exc, ExceptionGroup) else exc
            raise InputError(f"[dependency-groups]: {first}", str(path), lines.find([r"^\s*\[dependency-groups\]"])) from exc
        for r in resolved:
            add(r, "dependency-groups")
    return out


def _quoted(text: str) -> str:
    import re

    return re.escape(f'"{text}"') + "|" + re.escape(f"'{text}'")


class PyprojectSource(Source):
    """A ``pyproject.toml``'s dependencies, resolved.

    Args:
        path: the file.
        text: its content, if already read (``--git-base``).
        extras / groups: which optional-dependency extras and dependency
            groups to include (``None``: all).
    """

    name = "pyproject.toml"

    def __init__(self, path: str | Path, text: str | None = None, extras: tuple[str, ...] | None = None,
                 groups: tuple[str, ...] | None = None, **_ignored: Any):
        self.path = Path(path)
        self.text = text
        self.extras = extras
        self.groups = groups

    def requirements(self) -> list[str]:
        """The declared requirement strings (see :func:`declared_requirements`)."""
        text = self.text if self.text is not None else read_text(self.path)
        return declared_requirements(self.path, text, self.extras, self.groups)

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`; resolution by ``RequirementsSource``.

        Raises:
            InputError: see :func:`declared_requirements`; or the
                requirements source is not available in this build.
            ResolutionError: the resolver cannot satisfy the requirements.
        """
        reqs = self.requirements()
        try:
            from auditor.sources.requirements import RequirementsSource
        except ImportError as exc:
            raise InputError("pyproject.toml needs the requirements source (resolver) which is not available",
                             str(self.path)) from exc
        with tempfile.TemporaryDirectory(prefix="auditor-pyproject-") as tmp:
            req_file = Path(tmp) / "requirements.in"
            req_file.write_text("".join(f"{r}\n" for r in reqs), encoding="utf-8")
            inv = RequirementsSource(req_file).collect(ctx)
        return replace(inv, root_name=str(self.path), root_kind="pyproject")
