"""``Pipfile.lock``: Pipenv's lockfile (JSON, read with :mod:`json`).

Format (pipenv, ``_meta.pipfile-spec`` 6): ``_meta`` (``sources``,
``requires``, ``hash``), then ``default``, ``develop`` and one object per
custom package category (a Pipfile ``[docs]`` table is locked as ``"docs"``)
mapping a name to ``{"version": "==1.2", "hashes": [...], "markers": "...",
"extras": [...], "index": "..."}`` (or ``git``/``ref``, ``path``, ``file``
for direct references).  Pipenv writes ``"version": "*"`` for a package it
did not pin (e.g. one whose marker excluded the locking platform), and
recent versions write PEP 751 lock-file markers in non-default sections
(``('dev' in dependency_groups) and (python_version >= '3.10')``).

The lock records no dependency edges: they are computed from each
package's core metadata (PEP 658, via the index) with
:func:`auditor.sources.edges.link`.  The root's requirements are the
``Pipfile`` entries next to the lock when there is one (every category,
with version, extras and markers, including pipenv's marker keys such as
``sys_platform = "== 'linux'"``), else every package nothing else requires.
Root edges from ``[dev-packages]``/``develop`` are of kind ``group:dev``,
from a custom category ``group:<category>``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from auditor.dist.bounded import loads_json
from auditor.dist.markers import marker_holds
from auditor.errors import InputError
from auditor.models import Distribution, Inventory, Origin
from auditor.net.context import RunContext
from auditor.dist.redact import redact_url
from auditor.sources.interface import note_indexes
from auditor.sources.lockfile import LineIndex, LockfileSource, NOT_FETCHED, safe_origin
from auditor.sources.lockfile import fetch_metadata, inventory, link_computed, load_toml, read_text, require
from auditor.sources.lockfile import requirement_text

SECTIONS = ("default", "develop")


def _origin(entry: dict[str, Any], sources: dict[str, str], path: Path, line: int | None) -> Origin:
    if "git" in entry:
        ref = entry.get("ref")
        return Origin(kind="vcs", url=f"git+{entry['git']}" + (f"@{ref}" if ref else ""), file=str(path), line=line)
    if "path" in entry:
        return Origin(kind="path", url=str(entry["path"]), file=str(path), line=line)
    if "file" in entry:
        return Origin(kind="url", url=str(entry["file"]), file=str(path), line=line)
    index = sources.get(str(entry.get("index") or ""), next(iter(sources.values()), "https://pypi.org/simple"))
    return Origin(kind="registry", index_url=redact_url(index), file=str(path), line=line)  # never a credential


def _pinned(version: Any) -> str | None:
    if isinstance(version, str) and version.startswith("==="):
        return version[3:]
    if isinstance(version, str) and version.startswith("=="):
        return version[2:]
    return None


#: Pipfile tables that are not package categories.
_NOT_CATEGORIES = ("source", "requires", "scripts", "pipenv")

#: Marker variables a Pipfile entry may give as keys (pipenv ``PipenvMarkers``):
#: ``sys_platform = "== 'linux'"`` means ``sys_platform == 'linux'``.
_MARKER_KEYS = ("os_name", "sys_platform", "platform_machine", "platform_python_implementation",
                "platform_release", "platform_system", "platform_version", "python_version",
                "python_full_version", "implementation_name", "implementation_version")


def section_kind(section: str) -> str:
    """The edge kind of a Pipfile category / Pipfile.lock section: ``packages`` and
    ``default`` are ``runtime``, ``dev-packages`` and ``develop`` are ``group:dev``,
    a custom category ``docs`` is ``group:docs``."""
    if section in ("packages", "default"):
        return "runtime"
    return "group:dev" if section in ("dev-packages", "develop") else f"group:{section}"


def _pipfile_marker(spec: dict[str, Any]) -> str | None:
    """The PEP 508 marker of a Pipfile table entry: ``markers`` and the marker-variable keys, joined by ``and``."""
    parts = [f"{k} {spec[k]}" for k in _MARKER_KEYS if isinstance(spec.get(k), str)]
    if isinstance(spec.get("markers"), str) and spec["markers"].strip():
        parts.append(spec["markers"])
    if not parts:
        return None
    return " and ".join(f"({p})" for p in parts) if len(parts) > 1 else parts[0]


def _pipfile_specifier(spec: Any) -> str:
    """The version specifier of a Pipfile entry (``"*"`` and non-PEP 440 values give ``""``)."""
    version = spec.get("version") if isinstance(spec, dict) else spec
    if not isinstance(version, str) or version.strip() in ("", "*"):
        return ""
    version = version.strip()
    try:  # pipenv reads a bare version ("26.1.*") as "==26.1.*"
        return str(SpecifierSet(f"=={version}" if version[0].isdigit() else version))
    except InvalidSpecifier:
        return ""


def pipfile_requirements(pipfile: Path) -> list[tuple[str, str]] | None:
    """``(requirement, edge kind)`` of every package named in a ``Pipfile`` next to
    the lock (``[packages]``, ``[dev-packages]`` and custom categories, with
    version, extras and markers), or None when there is no readable Pipfile.

    Raises:
        InputError: an entry's ``extras`` is not a list of strings, or the entry is no
            PEP 508 requirement (a marker key ``sys_platform = "garbage"``); names the Pipfile.
    """
    if not pipfile.is_file():
        return None
    try:
        text = read_text(pipfile)
        doc = load_toml(pipfile, text)
    except InputError:
        return None
    lines = LineIndex(text)
    out = []
    for section, entries in doc.items():
        if section in _NOT_CATEGORIES or not isinstance(entries, dict):
            continue
        for name, spec in entries.items():
            extras = spec.get("extras", []) if isinstance(spec, dict) else []
            if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
                raise InputError(f"[{section}] {name}: 'extras' must be a list of strings", str(pipfile))
            marker = _pipfile_marker(spec) if isinstance(spec, dict) else None
            req = requirement_text(name, extras, marker, _pipfile_specifier(spec))
            try:  # pipenv refuses the Pipfile too; unparsed, the entry would silently be no root edge
                Requirement(req)
            except InvalidRequirement as exc:
                why = str(exc).splitlines()[0][:120]
                line = lines.find([rf"""^\s*["']?{_re(name)}["']?\s*="""])
                raise InputError(f"[{section}] {name}: not a requirement: {req[:200]!r} ({why})", str(pipfile), line) from None
            out.append((req, section_kind(section)))
    return out


class PipfileLockSource(LockfileSource):
    """A ``Pipfile.lock`` file.

    Args:
        path: the lockfile.
        text: its content, if already read (``--git-base``; the adjacent
            ``Pipfile`` is then not read).
        all_platforms: keep packages whose marker excludes the target.
        develop: include the ``develop`` section (custom categories are always included).
        fetch_metadata: fetch core metadata (needed for edges; ``False``
            gives an inventory without edges, for tests).
    """

    name = "Pipfile.lock"

    def __init__(self, path: str | Path, text: str | None = None, all_platforms: bool = True,
                 develop: bool = True, fetch_metadata: bool = True, metadata_client: Any = None):
        super().__init__(path, text, all_platforms, fetch_metadata, metadata_client)
        self.develop = develop

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        config = ctx.config
        p = self.path
        text = self.read()
        try:
            doc = loads_json(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", str(p), exc.lineno) from exc
        except ValueError as exc:  # too deep, too large, an integer over the digit limit
            raise InputError(f"invalid JSON: {str(exc)[:200]}", str(p)) from exc
        require(isinstance(doc, dict) and "_meta" in doc and "default" in doc,
                "not a Pipfile.lock file (no '_meta' or 'default' object)", p)
        sources = {
            str(s.get("name")): str(s.get("url"))
            for s in (doc["_meta"].get("sources") or [])
            if isinstance(s, dict)
        }
        note_indexes(ctx, sources.values())  # pipenv hands every source to pip: each is read for AUD122
        env = config.target.marker_environment()
        lines = LineIndex(text)
        dists: dict[str, Distribution] = {}
        # default, develop, then custom categories (pipenv: a Pipfile [docs] table is locked as "docs")
        # (in the file's order, default first: its version wins, and lines are found in that order)
        sections = sorted((k for k in doc if k in SECTIONS or (k != "_meta" and isinstance(doc[k], dict))),
                          key=lambda k: k != "default")
        groups = {section_kind(s).split(":", 1)[1] for s in sections if s != "default"}
        for section in sections:
            if section == "develop" and not self.develop:
                continue
            entries = doc.get(section) or {}
            require(isinstance(entries, dict), f"'{section}' must be an object", p)
            for raw, entry in entries.items():
                line = lines.json_key(raw)
                require(isinstance(entry, dict), f"package {raw!r}: expected an object", p, line)
                name = str(canonicalize_name(raw))
                if name in dists:
                    continue  # pipenv installs the default section's version over another section's
                if not self.all_platforms and not _holds(entry.get("markers"), env, groups):
                    continue
                hashes = tuple(str(h) for h in entry.get("hashes") or [])
                dists[name] = Distribution(
                    name=name, version=_pinned(entry.get("version")), metadata=NOT_FETCHED,
                    origin=safe_origin(_origin(entry, sources, p, line)), hashes=hashes,
                )
        declared = None if self.text is not None else pipfile_requirements(p.with_name("Pipfile"))
        items = list(dists.values())
        if self.fetch_metadata:
            items = fetch_metadata(items, ctx, self.metadata_client)
        roots = [r for r, _k in declared] if declared is not None else None
        kinds = dict(reversed(declared)) if declared is not None else {}  # the first section naming it wins
        if declared is None:  # no Pipfile: each undepended package's kind is its lock section's
            kinds = {n: section_kind(s) for s in reversed(sections) for n in map(canonicalize_name, doc.get(s) or {})}
        root_edges, linked = link_computed(roots, items, config, self.all_platforms, root_kinds=kinds)
        return inventory(p, "lockfile", root_edges, linked, config, resolver="Pipfile.lock")


def _holds(marker: Any, env: dict[str, str], groups: set[str]) -> bool:
    """Whether a Pipfile.lock entry's marker holds for the target.  pipenv writes
    PEP 751 lock-file markers in non-default sections (``('dev' in dependency_groups)
    and (sys_platform == 'win32')``): those are evaluated in the lock-file context
    with every section of the audit active, as pipenv itself reads them."""
    if isinstance(marker, str) and "dependency_groups" in marker:
        return marker_holds(marker, env, (), groups, lock_context=True)
    return marker_holds(marker, env)


def _re(s: str) -> str:
    import re

    return re.escape(s)
