"""``pylock.toml`` / ``pylock.<name>.toml``: the PEP 751 lockfile (read with :mod:`tomllib`).

Format (PEP 751, ``lock-version = "1.0"``): top-level ``environments``,
``requires-python``, ``extras``, ``dependency-groups``, ``default-groups``,
``created-by``; ``[[packages]]`` with ``name``, ``version``, ``marker``
(evaluated in PEP 751's lock-file context, where ``extras`` and
``dependency_groups`` are sets), ``index``, one of ``vcs``/``directory``/
``archive``/``sdist``+``wheels`` (with ``hashes``), and optionally
``dependencies``: tables naming other entries of ``packages`` (by
``name``, plus ``version`` etc. to disambiguate).

When ``dependencies`` is recorded, those edges are used; otherwise (uv's
export writes none) they are computed from core metadata with
:func:`auditor.sources.edges.link`.  PEP 751 does not record what the
project itself requires: the root requires every package nothing else
requires.  A package appearing several times (one entry per marker) is
resolved for ``Config.target``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from auditor.dist.markers import marker_holds
from auditor.models import Distribution, Inventory, Origin
from auditor.net.context import RunContext
from auditor.sources.lockfile import Dep, LineIndex, LockedPackage, LockfileSource, NOT_FETCHED, safe_origin
from auditor.sources.lockfile import fetch_metadata, inventory, link_computed, link_recorded, require
from auditor.sources.requirement_lines import file_version
from auditor.sources.resolve import read_local_project

#: File names PEP 751 allows: ``pylock.toml`` or ``pylock.<name>.toml``.
FILENAME_RE = re.compile(r"^pylock\.([^.]+\.)?toml$")


def _origin(table: dict[str, Any], path: Path, line: int | None) -> Origin:
    f = str(path)
    if isinstance(table.get("vcs"), dict):
        v = table["vcs"]
        url = v.get("url") or v.get("path") or ""
        ref = v.get("commit-id") or v.get("requested-revision")
        sub = v.get("subdirectory")
        return Origin(kind="vcs", url=f"{v.get('type', 'git')}+{url}" + (f"@{ref}" if ref else "")
                      + (f"#subdirectory={sub}" if isinstance(sub, str) and sub else ""), file=f, line=line)
    if isinstance(table.get("directory"), dict):
        return Origin(kind="path", url=str(table["directory"].get("path")), file=f, line=line)
    if isinstance(table.get("archive"), dict):
        a = table["archive"]
        return Origin(kind="url" if a.get("url") else "path", url=str(a.get("url") or a.get("path")), file=f, line=line)
    return Origin(kind="registry", index_url=table.get("index") or "https://pypi.org/simple", file=f, line=line)


def _hashes(table: dict[str, Any]) -> tuple[str, ...]:
    files = []
    if isinstance(table.get("sdist"), dict):
        files.append(table["sdist"])
    files += [w for w in table.get("wheels") or [] if isinstance(w, dict)]
    if isinstance(table.get("archive"), dict):
        files.append(table["archive"])
    return tuple(f"{algo}:{h}" for fl in files for algo, h in sorted((fl.get("hashes") or {}).items()))


def _file_urls(table: dict[str, Any]) -> tuple[str, ...]:
    files = [w for w in table.get("wheels") or [] if isinstance(w, dict)]
    if isinstance(table.get("sdist"), dict):
        files.append(table["sdist"])
    return tuple(str(f["url"]) for f in files if isinstance(f.get("url"), str))


class PylockSource(LockfileSource):
    """A PEP 751 ``pylock.toml`` file.

    Args:
        path: the lockfile.
        text: its content, if already read (``--git-base``).
        all_platforms: keep every entry, whatever its marker.
        fetch_metadata: fetch core metadata (repository mapping; and the
            edges when the lock records none).
    """

    name = "pylock.toml"

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        config, p = ctx.config, self.path
        text, doc = self.read_toml()
        require("lock-version" in doc and isinstance(doc.get("packages"), list),
                "not a pylock.toml file (no 'lock-version' or no [[packages]])", p)
        require(str(doc["lock-version"]).split(".")[0] == "1",
                f"unsupported lock-version {doc['lock-version']!r} (PEP 751 readers must reject major != 1)", p)
        env = config.target.marker_environment()
        groups = [str(g) for g in doc.get("default-groups") or []]
        lines = LineIndex(text)
        chosen: dict[str, tuple[dict[str, Any], int | None, bool]] = {}
        for table in doc["packages"]:
            require(isinstance(table, dict) and isinstance(table.get("name"), str), "[[packages]] without a 'name'", p)
            line = lines.toml_name(table["name"])
            name = str(canonicalize_name(table["name"]))
            marker = table.get("marker")
            require(marker is None or isinstance(marker, str), f"package {table['name']!r}: 'marker' must be a string", p, line)
            holds = marker_holds(marker, env, (), groups, lock_context=True)
            if not holds and not self.all_platforms:
                continue
            if name not in chosen or (holds and not chosen[name][2]):
                chosen[name] = (table, line, holds)
        recorded = any("dependencies" in t for t, _l, _h in chosen.values())
        packages: dict[str, LockedPackage] = {}
        for name, (table, line, _holds) in chosen.items():
            version = table.get("version")
            if version is None and isinstance(table.get("archive"), dict):  # optional for a direct reference
                a = table["archive"]  # pip lock writes none: the archive's file name states it
                version = file_version(str(a.get("url") or a.get("path") or ""), name)
            directory = table.get("directory")
            if version is None and isinstance(directory, dict) and isinstance(directory.get("path"), str) \
                    and self.text is None:  # a local project (uv export writes none): its static pyproject.toml
                meta = read_local_project(p.parent / directory["path"])
                version = meta.version if meta is not None and meta.version else None
            dist = Distribution(name=name, version=version, metadata=NOT_FETCHED,
                                origin=safe_origin(_origin(table, p, line)), hashes=_hashes(table))
            deps = None
            if recorded:
                deps = []
                for d in table.get("dependencies") or []:
                    require(isinstance(d, dict) and isinstance(d.get("name"), str),
                            f"package {table['name']!r}: dependency without a 'name'", p, line)
                    t = str(canonicalize_name(d["name"]))
                    deps.append(Dep(t, t, marker=chosen.get(t, ({},))[0].get("marker")))
            packages[name] = LockedPackage(dist=dist, deps=deps, files=_file_urls(table))
        if recorded:
            required = {d.target for pkg in packages.values() for d in pkg.deps or []}
            root = [Dep(n, n, marker=_marker_of(chosen, n), kind=_kind_of(_marker_of(chosen, n), groups))
                    for n in sorted(packages) if n not in required]
            root_edges, linked, _reached = link_recorded(root, packages, config.target, True)
            dists = list(linked.values())
            if self.fetch_metadata:
                dists = fetch_metadata(dists, ctx, self.metadata_client, {n: pkg.files for n, pkg in packages.items()})
        else:
            dists = [pkg.dist for pkg in packages.values()]
            if self.fetch_metadata:
                dists = fetch_metadata(dists, ctx, self.metadata_client, {n: pkg.files for n, pkg in packages.items()})
            root_edges, dists = link_computed(None, dists, config, self.all_platforms)
        root_edges = tuple(replace(e, marker=_marker_of(chosen, e.target), kind=_kind_of(_marker_of(chosen, e.target), groups))
                           for e in root_edges)
        return inventory(p, "lockfile", root_edges, dists, config, resolver=f"pylock.toml ({doc.get('created-by', 'unknown tool')})")


_IN_GROUPS = re.compile(r"""['"]([^'"]+)['"]\s+in\s+dependency_groups""")
_IN_EXTRAS = re.compile(r"""['"]([^'"]+)['"]\s+in\s+extras""")


def _kind_of(marker: str | None, default_groups: list[str]) -> str:
    """The edge kind a PEP 751 marker implies: ``group:<g>`` when it names only dependency
    groups that are not default (``'dev' in dependency_groups``), ``extra:<e>`` when it names
    extras and no group, else ``runtime``.  PEP 751 records no groups per package: its markers do."""
    if not marker:
        return "runtime"
    named = _IN_GROUPS.findall(marker)
    if named and not set(named) & set(default_groups):
        return f"group:{canonicalize_name(sorted(named)[0])}"
    extras = _IN_EXTRAS.findall(marker)
    if extras and not named:
        return f"extra:{canonicalize_name(sorted(extras)[0])}"
    return "runtime"


def _marker_of(chosen: dict[str, tuple[dict[str, Any], int | None, bool]], name: str) -> str | None:
    """The ``marker`` of the chosen entry for *name*."""
    m = chosen[name][0].get("marker")
    return m if isinstance(m, str) else None
