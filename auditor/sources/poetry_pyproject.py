"""Poetry's own dependency tables in a ``pyproject.toml``, as PEP 508 strings.

Read from the parsed document (``tomllib``):

* ``[tool.poetry.dependencies]``: the main dependencies, used when
  ``[project]`` declares none (a Poetry 1 file, or ``dependencies`` listed in
  ``project.dynamic``); ``python`` is the interpreter range, not a package;
  ``optional = true`` entries only through an extra of ``[tool.poetry.extras]``;
* ``[tool.poetry.group.<name>.dependencies]`` and the legacy
  ``[tool.poetry.dev-dependencies]`` (group ``dev``), selected like PEP 735
  groups (``--group NAME``, ``--all-groups``; all of them when nothing is selected).

Each entry is converted by ``poetry-core``'s own parser
(:meth:`poetry.core.factory.Factory.create_dependency`, then
``Dependency.to_pep_508``): ``^1.2``, ``~1.2``, ``*``, tables with
``version``/``extras``/``markers``/``python``/``platform``, and ``git``,
``path`` and ``url`` entries, which become direct references (so the audit
reports them as non-index dependencies, AUD118/AUD119).  A list of tables
(multiple constraints) gives one requirement per table.  Nothing is resolved
or executed here; a bad entry is an :class:`~auditor.errors.InputError`
naming the file and line.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Iterator

from packaging.requirements import InvalidRequirement, Requirement

from auditor.errors import InputError

#: Keys of a Poetry dependency table that poetry-core understands (others are refused, as Poetry does).
_KEYS = {"version", "extras", "markers", "python", "platform", "optional", "allow-prereleases",
         "allows-prereleases", "source", "develop", "git", "branch", "tag", "rev", "subdirectory",
         "path", "url"}


def poetry_table(doc: dict) -> dict:
    """``[tool.poetry]`` of *doc*, or an empty dict."""
    tool = doc.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    return poetry if isinstance(poetry, dict) else {}


def poetry_groups(doc: dict) -> dict[str, list[tuple[str, Any]]]:
    """``{group name: [(section, dependencies table), ...]}``: ``[tool.poetry.group.*]``, and the
    legacy ``[tool.poetry.dev-dependencies]`` as group ``dev`` (both when a file has both)."""
    poetry = poetry_table(doc)
    out: dict[str, list[tuple[str, Any]]] = {}
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for name, table in groups.items():
            deps = table.get("dependencies", {}) if isinstance(table, dict) else table
            out.setdefault(name, []).append((f"tool.poetry.group.{name}.dependencies", deps))
    if "dev-dependencies" in poetry:
        out.setdefault("dev", []).append(("tool.poetry.dev-dependencies", poetry["dev-dependencies"]))
    return out


def poetry_sources(doc: dict) -> list[str]:
    """The ``url`` of every ``[[tool.poetry.source]]`` (Poetry's package sources), in file order.

    The pyproject source hands each to the resolver as an ``--extra-index-url``
    beside PyPI: pip's merged view of every index, the one dependency
    confusion exploits (AUD122 then reads each), not Poetry's source
    priorities (``primary``/``supplemental``/``explicit``).  A source without
    a URL (PyPI itself, named ``pypi``) is skipped.
    """
    out = []
    for source in poetry_table(doc).get("source") or []:
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str) and url.startswith(("https://", "http://", "file:")) and url not in out:
            out.append(url)
    return out


def poetry_main(path: Path, doc: dict, extras: tuple[str, ...] | None) -> Iterator[tuple[str, str, Any]]:
    """``(section, name, constraint)`` of ``[tool.poetry.dependencies]`` to include.

    Optional entries come only with an extra of ``[tool.poetry.extras]`` in
    *extras* (``None``: every extra).
    """
    poetry = poetry_table(doc)
    deps = poetry.get("dependencies")
    if deps is None:
        return
    if not isinstance(deps, dict):
        raise _table_error(path, "tool.poetry.dependencies")
    chosen: set[str] = set()
    declared = poetry.get("extras") or {}
    if isinstance(declared, dict):
        for extra, names in declared.items():
            if (extras is None or extra in extras) and isinstance(names, list):
                chosen |= {str(n).lower() for n in names}
    for name, spec in deps.items():
        if name.lower() == "python":
            continue  # the interpreter range
        optional = any(isinstance(s, dict) and s.get("optional") for s in (spec if isinstance(spec, list) else [spec]))
        if optional and name.lower() not in chosen:
            continue
        yield "tool.poetry.dependencies", name, spec


def poetry_extra_entries(path: Path, doc: dict, extra: str) -> Iterator[tuple[str, str, Any]]:
    """``(section, name, constraint)`` of the ``[tool.poetry.dependencies]`` entries that
    ``[tool.poetry.extras]`` lists for *extra* (optional or not)."""
    poetry = poetry_table(doc)
    names = {str(n).lower() for n in (poetry.get("extras") or {}).get(extra) or []}
    deps = poetry.get("dependencies") or {}
    if not isinstance(deps, dict):
        raise _table_error(path, "tool.poetry.dependencies")
    for name, spec in deps.items():
        if name.lower() in names:
            yield "tool.poetry.dependencies", name, spec


def poetry_group_entries(path: Path, doc: dict, group: str) -> Iterator[tuple[str, str, Any]]:
    """``(section, name, constraint)`` of one Poetry group."""
    for section, table in poetry_groups(doc).get(group, []):
        if not isinstance(table, dict):
            raise _table_error(path, section)
        for name, spec in table.items():
            if name.lower() != "python":
                yield section, name, spec


def to_pep508(path: Path, text_lines: list[str], section: str, name: str, spec: Any) -> list[str]:
    """PEP 508 strings for one Poetry entry (``name = spec``), checked with :mod:`packaging`.

    Raises:
        InputError: an entry poetry-core or packaging refuses, naming the file and line.
    """
    from poetry.core.factory import Factory  # poetry-core: imported only for files that use Poetry tables

    specs = spec if isinstance(spec, list) else [spec]
    out = []
    for one in specs:
        where = f"[{section}] {name}"
        if not isinstance(one, (str, dict)):
            raise InputError(f"{where}: expected a version string or a table, got {type(one).__name__}", str(path),
                             poetry_line(text_lines, section, name))
        if isinstance(one, dict):
            unknown = sorted(set(one) - _KEYS)
            if unknown:
                raise InputError(f"{where}: unknown key {unknown[0]!r}", str(path), poetry_line(text_lines, section, name))
            refs = [k for k in ("branch", "tag", "rev") if k in one]
            if len(refs) > 1:
                raise InputError(f"{where}: give one of branch, tag or rev, not {' and '.join(refs)}", str(path),
                                 poetry_line(text_lines, section, name))
            one = {k: v for k, v in one.items() if k not in ("optional", "source")}
        try:
            # poetry-core warns on stderr when a path entry does not exist; the audit reports that path itself
            logging.getLogger("poetry.core.packages.path_dependency").setLevel(logging.ERROR)
            pep508 = Factory.create_dependency(name, one, root_dir=path.parent).to_pep_508()
            out.append(str(Requirement(pep508)))
        except (InvalidRequirement, ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise InputError(f"{where}: {_one_line(exc)}", str(path), poetry_line(text_lines, section, name)) from exc
        except Exception as exc:  # noqa: BLE001 - poetry-core's parse errors have no common public base
            raise InputError(f"{where}: {_one_line(exc)}", str(path), poetry_line(text_lines, section, name)) from exc
    return out


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _table_error(path: Path, section: str) -> InputError:
    return InputError(f"[{section}] must be a table", str(path))


def poetry_line(lines: list[str], section: str, name: str) -> int | None:
    """The line of ``name = ...`` inside ``[section]`` (else the section's header line, else None)."""
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in section.split(".")) + r"\s*\]")
    key = re.compile(r"""^\s*["']?""" + re.escape(name) + r"""["']?\s*=""")
    start = None
    for i, line in enumerate(lines, 1):
        if start is None:
            if header.search(line):
                start = i
            continue
        if line.lstrip().startswith("["):
            break
        if key.search(line):
            return i
    return start
