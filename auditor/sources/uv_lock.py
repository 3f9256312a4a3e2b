"""``uv.lock``: uv's universal lockfile (read with :mod:`tomllib`).

Format (uv's documentation, "The lockfile"; ``version = 1``): a list of
``[[package]]`` tables with ``name``, ``version``, ``source`` (``registry``,
``git``, ``url``, ``path``, ``directory``, ``editable`` or ``virtual``),
``dependencies`` (``{name, extra?, marker?, version?, source?}``),
``[package.optional-dependencies]`` (per extra), ``[package.dev-dependencies]``
(per PEP 735 dependency group), ``sdist``/``wheels`` with hashes, and
``resolution-markers`` when the same name is locked at several versions
(forks).  The project itself (and workspace members) have an ``editable``
or ``virtual`` source; their ``dependencies`` become the root's edges.

The edges are the lock's own; core metadata is fetched only for the
repository mapping (``fetch_metadata``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from packaging.utils import canonicalize_name
from packaging.version import Version

from auditor.dist.markers import marker_holds
from auditor.dist.redact import redact_url
from auditor.errors import InputError
from auditor.models import Distribution, Inventory, Origin
from auditor.net.context import RunContext
from auditor.sources.lockfile import Dep, LineIndex, LockedPackage, LockfileSource, NOT_FETCHED, safe_origin
from auditor.sources.lockfile import fetch_metadata, inventory, link_recorded, require, requirement_text

#: uv.lock ``version`` values this reader understands.
SUPPORTED_VERSIONS = (1,)


def _origin(source: dict[str, Any], path: Path, line: int | None) -> Origin:
    if "registry" in source:
        return Origin(kind="registry", index_url=str(source["registry"]), file=str(path), line=line)
    if "git" in source:
        try:
            url = git_url(str(source["git"]))
        except ValueError as exc:  # urlsplit: "Invalid IPv6 URL" ("https://[x/o/r")
            raise InputError(f"git source {redact_url(str(source['git']))[:200]!r} is not a URL ({exc})",
                             str(path), line) from None
        return Origin(kind="vcs", url=url, file=str(path), line=line)
    if "url" in source:
        url = str(source["url"])
        sub = source.get("subdirectory")
        return Origin(kind="url", url=url + (f"#subdirectory={sub}" if isinstance(sub, str) and sub else ""),
                      file=str(path), line=line)
    for key in ("path", "directory", "editable", "virtual"):
        if key in source:
            return Origin(kind="path", url=str(source[key]), file=str(path), line=line)
    return Origin(kind="registry", file=str(path), line=line)


def git_url(locked: str) -> str:
    """pip's spelling of a uv.lock ``git`` source: ``git+URL@COMMIT[#subdirectory=DIR]``.

    uv writes the repository URL, the reference that was asked for as a
    query (``?rev=``, ``?tag=``, ``?branch=``, plus ``subdirectory=`` and
    ``lfs=``) and the commit it resolved to as the fragment:
    ``https://github.com/o/r?tag=v1#0dacfd66...``.  An install from the lock
    checks out that commit, so the commit (not the tag or branch) is the
    reference; without a fragment, the reference asked for (if any).
    """
    parts = urlsplit(locked)
    query = dict(parse_qsl(parts.query))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    ref = parts.fragment or query.get("rev") or query.get("tag") or query.get("branch")
    url = f"git+{base}" + (f"@{ref}" if ref else "")
    sub = query.get("subdirectory")
    return url + (f"#subdirectory={sub}" if sub else "")


def _is_project(source: dict[str, Any], members: set[str], name: str) -> bool:
    """The audited project itself: an editable/virtual source at ``"."``, or a listed workspace member."""
    local = source.get("editable", source.get("virtual"))
    return local == "." or (local is not None and name in members)


class UvLockSource(LockfileSource):
    """A ``uv.lock`` file.

    Args:
        path: the lockfile.
        text: its content, if already read (``auditor diff --git-base``).
        all_platforms: keep every platform's packages (see :mod:`auditor.sources.lockfile`).
        groups: dependency groups of the project to include; ``None`` means
            all groups recorded in the lock (a lockfile audit covers what can be installed).
        fetch_metadata: fetch each registry package's core metadata (PEP 658)
            for repository mapping; ``False`` leaves it Unknown (tests, offline diff of edges).
        metadata_client: object with ``core_metadata(name, version)`` (default: a ``PyPIClient``).
    """

    name = "uv.lock"

    def __init__(self, path: str | Path, text: str | None = None, all_platforms: bool = True,
                 groups: tuple[str, ...] | None = None, fetch_metadata: bool = True, metadata_client: Any = None):
        super().__init__(path, text, all_platforms, fetch_metadata, metadata_client)
        self.groups = groups

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        config, p = ctx.config, self.path
        text, doc = self.read_toml()
        lines = LineIndex(text)
        require("version" in doc and isinstance(doc.get("package", []), list),
                "not a uv.lock file (no 'version' key or no [[package]] tables)", p)
        require(doc["version"] in SUPPORTED_VERSIONS, f"unsupported uv.lock version {doc['version']!r}", p)
        members = {str(canonicalize_name(m)) for m in (doc.get("manifest") or {}).get("members", [])}
        env = config.target.marker_environment()

        # Pick one version per name: forks are resolved for the target.
        chosen: dict[str, tuple[dict[str, Any], int | None]] = {}
        root_tables: list[dict[str, Any]] = []
        root_lines: list[int | None] = []
        for table in doc.get("package", []):
            require(isinstance(table, dict) and isinstance(table.get("name"), str),
                    "[[package]] without a string 'name'", p)
            raw = table["name"]
            line = lines.toml_name(raw)
            name = str(canonicalize_name(raw))
            source = table.get("source") or {}
            require(isinstance(source, dict), f"package {raw!r}: 'source' must be a table", p, line)
            if _is_project(source, members, name):
                root_tables.append(table)
                root_lines.append(line)
                continue
            version = table.get("version")
            require(version is None or isinstance(version, str), f"package {raw!r}: 'version' must be a string", p, line)
            if name in chosen:
                markers = table.get("resolution-markers") or []
                if any(marker_holds(m, env) for m in markers) and not any(
                    marker_holds(m, env) for m in chosen[name][0].get("resolution-markers") or []
                ):
                    chosen[name] = (table, line)
                elif _newer(version, chosen[name][0].get("version")) and not (chosen[name][0].get("resolution-markers")):
                    chosen[name] = (table, line)
                continue
            chosen[name] = (table, line)

        packages: dict[str, LockedPackage] = {}
        for name, (table, line) in chosen.items():
            source = table.get("source") or {}
            origin = safe_origin(_origin(source, p, line))
            hashes = _hashes(table)
            dist = Distribution(
                name=name, version=table.get("version"), metadata=NOT_FETCHED, origin=origin, hashes=hashes
            )
            packages[name] = LockedPackage(
                dist=dist,
                deps=[self._dep(d, p, line) for d in table.get("dependencies") or []],
                extra_deps={
                    str(canonicalize_name(e)): [self._dep(d, p, line) for d in deps]
                    for e, deps in (table.get("optional-dependencies") or {}).items()
                },
                files=_file_urls(table),
            )

        project_names = {str(canonicalize_name(t["name"])) for t in root_tables}
        for name, pkg in packages.items():
            deps = list(pkg.deps or []) + [d for ds in pkg.extra_deps.values() for d in ds]
            for dep in deps:
                require(dep.target in packages or dep.target in project_names,
                        f"package {name!r} depends on {dep.target!r}, which the lock does not contain "
                        "(truncated or hand-edited lockfile?)", p, pkg.dist.origin.line)

        root: list[Dep] = []
        for table in root_tables:
            specs = {
                str(canonicalize_name(r.get("name", ""))): r
                for r in ((table.get("metadata") or {}).get("requires-dist") or [])
                if isinstance(r, dict)
            }
            for d in table.get("dependencies") or []:
                root.append(self._dep(d, p, None, specs))
            for extra, deps in sorted((table.get("optional-dependencies") or {}).items()):
                root.extend(self._dep(d, p, None, specs, kind=f"extra:{canonicalize_name(extra)}") for d in deps)
            for group, deps in sorted((table.get("dev-dependencies") or {}).items()):
                if self.groups is None or group in self.groups:
                    root.extend(self._dep(d, p, None, kind=f"group:{group}") for d in deps)
        for dep in root:
            require(dep.target in packages or dep.target in project_names,
                    f"the project depends on {dep.target!r}, which the lock does not contain "
                    "(truncated or hand-edited lockfile?)", p, root_lines[0] if root_lines else None)
        if not root_tables:  # a lock without the project (e.g. a script lock): every package is a root
            required = {d.target for pkg in packages.values() for d in pkg.deps or []}
            root = [Dep(n, n) for n in sorted(packages) if n not in required]

        root_edges, linked, reached = link_recorded(root, packages, config.target, self.all_platforms)
        dists = [d for n, d in linked.items() if self.all_platforms or n in reached]
        if self.fetch_metadata:
            dists = fetch_metadata(dists, ctx, self.metadata_client, {n: pkg.files for n, pkg in packages.items()})
        return inventory(p, "lockfile", root_edges, dists, config, resolver="uv.lock")

    @staticmethod
    def _dep(d: Any, p: Path, line: int | None, specs: dict | None = None, kind: str = "runtime") -> Dep:
        require(isinstance(d, dict) and isinstance(d.get("name"), str), "dependency entry without a 'name'", p, line)
        target = str(canonicalize_name(d["name"]))
        extras = d.get("extra") or []
        require(isinstance(extras, list) and all(isinstance(e, str) for e in extras),
                f"dependency {d['name']!r}: 'extra' must be a list of strings", p, line)
        marker = d.get("marker")
        spec = ""
        if specs and target in specs:
            spec = str(specs[target].get("specifier") or "")
        version = d.get("version")
        return Dep(target=target, requirement=requirement_text(d["name"], extras, marker, spec),
                   extras=tuple(str(canonicalize_name(e)) for e in extras), marker=marker, kind=kind,
                   version=version if isinstance(version, str) else None)


def _hashes(table: dict[str, Any]) -> tuple[str, ...]:
    out = []
    sdist = table.get("sdist")
    if isinstance(sdist, dict) and sdist.get("hash"):
        out.append(str(sdist["hash"]))
    for w in table.get("wheels") or []:
        if isinstance(w, dict) and w.get("hash"):
            out.append(str(w["hash"]))
    return tuple(out)


def _file_urls(table: dict[str, Any]) -> tuple[str, ...]:
    files = [w for w in table.get("wheels") or [] if isinstance(w, dict)]
    if isinstance(table.get("sdist"), dict):
        files.append(table["sdist"])
    return tuple(str(f["url"]) for f in files if isinstance(f.get("url"), str))


def _newer(a: str | None, b: str | None) -> bool:
    try:
        return Version(a or "0") > Version(b or "0")
    except ValueError:  # InvalidVersion, or a release number past int()'s 4,300-digit limit
        return False
