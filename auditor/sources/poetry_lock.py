"""``poetry.lock``: Poetry's lockfile (read with :mod:`tomllib`).

Format (Poetry's lock format, ``[metadata] lock-version`` 1.x and 2.x):
``[[package]]`` tables with ``name``, ``version``, ``files`` (hashes),
optional ``markers`` and ``groups`` (2.1), ``[package.source]`` (``type`` =
``legacy``/``git``/``url``/``directory``/``file``; lock-version 1.x keeps the
hashes in ``[metadata.files]`` instead, and Poetry 0.12's locks, bare SHA-256
digests in ``[metadata.hashes]``),
``[package.dependencies]`` mapping a name to a constraint string, a table
(``version``, ``markers``, ``extras``, ``optional``) or a list of tables,
and ``[package.extras]`` mapping an extra to PEP 508 strings in Poetry's
``name (>=1.0)`` form (valid PEP 508, parsed by :mod:`packaging`).

The lock does not record what the project itself requires (that is in
``pyproject.toml``): the root's edges go to every package no other locked
package depends on.  Poetry's ``python`` constraint on a dependency uses
Poetry's own syntax (``^3.8``) and is not evaluated; ``markers`` are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from auditor.errors import InputError
from auditor.models import Distribution, Inventory, Origin
from auditor.net.context import RunContext
from auditor.sources.lockfile import Dep, LineIndex, LockedPackage, LockfileSource, NOT_FETCHED, safe_origin
from auditor.sources.lockfile import fetch_metadata, inventory, link_recorded, load_toml, require, requirement_text


#: Names Poetry before 1.1 left out of every lock (``Provider.UNSAFE_PACKAGES``): a
#: dependency on them is recorded, but they are the environment's own, never locked.
UNLOCKED = frozenset({"setuptools", "distribute", "pip"})


def _origin(source: Any, path: Path, line: int | None) -> Origin:
    if not isinstance(source, dict) or not source.get("type"):
        return Origin(kind="registry", index_url="https://pypi.org/simple", file=str(path), line=line)
    kind = source.get("type")
    url = str(source.get("url") or "")
    if kind == "legacy":
        return Origin(kind="registry", index_url=url, file=str(path), line=line)
    if kind == "git":
        ref = source.get("resolved_reference") or source.get("reference")
        return Origin(kind="vcs", url=f"git+{url}" + (f"@{ref}" if ref else ""), file=str(path), line=line)
    if kind == "url":
        return Origin(kind="url", url=url, file=str(path), line=line)
    return Origin(kind="path", url=url, file=str(path), line=line)


def _deps(name: str, spec: Any, p: Path, line: int | None) -> list[Dep]:
    """Poetry dependency value(s) -> recorded deps (``optional`` ones are skipped here:
    they apply only through an extra, listed in ``[package.extras]``)."""
    target = str(canonicalize_name(name))
    items = spec if isinstance(spec, list) else [spec]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Dep(target, requirement_text(name, (), None, _pep440(item))))
            continue
        require(isinstance(item, dict), f"dependency {name!r}: expected a string or a table", p, line)
        if item.get("optional"):
            continue
        extras = tuple(str(canonicalize_name(e)) for e in item.get("extras") or [])
        marker = item.get("markers")
        out.append(Dep(target, requirement_text(name, extras, marker, _pep440(str(item.get("version") or ""))),
                       extras=extras, marker=marker))
    return out


def _pep440(constraint: str) -> str:
    """A Poetry constraint as a PEP 440 specifier when it already is one, else ``""``
    (``*``, ``^1.2``, ``~1.2`` are Poetry syntax; the version is pinned anyway)."""
    c = constraint.strip()
    if not c or c == "*" or c[0] in "^~" and not c.startswith("~="):
        return ""
    try:
        Requirement(f"x{c}" if c[0] in "<>=!~" else f"x=={c}")
    except InvalidRequirement:
        return ""
    return c if c[0] in "<>=!~" else f"=={c}"


def _extra_deps(strings: list[Any], p: Path, line: int | None) -> list[Dep]:
    out = []
    for s in strings:
        try:
            req = Requirement(str(s))
        except InvalidRequirement as exc:
            raise_line = line
            require(False, f"invalid requirement in [package.extras]: {s!r} ({exc})", p, raise_line)
            continue
        out.append(Dep(str(canonicalize_name(req.name)), str(req), extras=tuple(sorted(req.extras)),
                       marker=str(req.marker) if req.marker else None))
    return out


def _undepended_root(doc: dict[str, Any], packages: dict[str, LockedPackage]) -> list[Dep]:
    """Root deps when the project's own requirements are unknown: every package
    no other package depends on (base or extra dependencies)."""
    required = {d.target for pkg in packages.values() for d in pkg.deps or []}
    required |= {d.target for pkg in packages.values() for ds in pkg.extra_deps.values() for d in ds}
    tables = {str(canonicalize_name(t["name"])): t for t in doc["package"]}
    root = []
    for n in sorted(packages):
        if n in required:
            continue
        t = tables[n]
        marker = next((t[k] for k in ("markers", "marker") if isinstance(t.get(k), str)), None)  # "marker": Poetry 0.12
        category = t.get("category")  # lock-version 1.x: "main" or "dev"; 2.1 writes groups
        groups = t.get("groups") or ([category] if isinstance(category, str) else None)
        groups = [g for g in groups if isinstance(g, str)] if isinstance(groups, list) else None
        kind = "runtime" if not groups or "main" in groups else f"group:{sorted(groups)[0]}"
        root.append(Dep(n, requirement_text(n, (), marker), marker=marker, kind=kind))
    return root


def pyproject_root(pyproject: Path) -> list[Dep] | None:
    """The project's requirements from the ``pyproject.toml`` next to the lock:
    PEP 621 ``dependencies`` (``runtime``), ``optional-dependencies``
    (``extra:<name>``), PEP 735 groups and Poetry's
    ``[tool.poetry.dependencies]`` / ``[tool.poetry.group.<g>.dependencies]``
    (``group:<g>``).  None when there is no readable file."""
    if not pyproject.is_file():
        return None
    try:
        doc = load_toml(pyproject)
    except InputError:
        return None
    out: list[Dep] = []

    def add(text: str, kind: str) -> None:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            return
        out.append(Dep(str(canonicalize_name(req.name)), str(req), extras=tuple(sorted(req.extras)),
                       marker=str(req.marker) if req.marker else None, kind=kind))

    project = doc.get("project") or {}
    for r in project.get("dependencies") or []:
        add(str(r), "runtime")
    for extra, reqs in (project.get("optional-dependencies") or {}).items():
        for r in reqs or []:
            add(str(r), f"extra:{extra}")
    for group, reqs in (doc.get("dependency-groups") or {}).items():
        for r in reqs or []:
            if isinstance(r, str):
                add(r, f"group:{group}")
    poetry = (doc.get("tool") or {}).get("poetry") or {}
    sections = [("runtime", poetry.get("dependencies") or {})]
    sections += [(f"group:{g}", (t or {}).get("dependencies") or {}) for g, t in (poetry.get("group") or {}).items()]
    for kind, deps in sections:
        for name, spec in deps.items():
            if name.lower() == "python":
                continue
            extras = spec.get("extras", []) if isinstance(spec, dict) else []
            marker = spec.get("markers") if isinstance(spec, dict) else None
            add(requirement_text(name, extras, marker), kind)
    return out or None


class PoetryLockSource(LockfileSource):
    """A ``poetry.lock`` file.

    Args:
        path: the lockfile.
        text: its content, if already read (``--git-base``).
        all_platforms: keep every platform's packages (see :mod:`auditor.sources.lockfile`).
        fetch_metadata: fetch core metadata for repository mapping.
        metadata_client: object with ``core_metadata(name, version)`` (default: a ``PyPIClient``).
    """

    name = "poetry.lock"

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        config, p = ctx.config, self.path
        text, doc = self.read_toml()
        require(isinstance(doc.get("package"), list) and "metadata" in doc,
                "not a poetry.lock file (no [[package]] tables or no [metadata])", p)
        lines = LineIndex(text)
        # lock-version 1.x kept file hashes in [metadata.files] instead of per package
        metadata = doc["metadata"]
        require(isinstance(metadata, dict), "[metadata] must be a table", p)
        legacy_files = metadata.get("files") or {}
        # and before that (Poetry 0.12, 2018) in [metadata.hashes]: bare SHA-256 digests
        legacy_hashes = metadata.get("hashes") or {}
        require(isinstance(legacy_files, dict), "[metadata.files] must be a table", p)
        require(isinstance(legacy_hashes, dict), "[metadata.hashes] must be a table", p)
        packages: dict[str, LockedPackage] = {}
        for table in doc["package"]:
            require(isinstance(table, dict) and isinstance(table.get("name"), str), "[[package]] without a 'name'", p)
            raw = table["name"]
            line = lines.toml_name(raw)
            name = str(canonicalize_name(raw))
            version = table.get("version")
            require(isinstance(version, str), f"package {raw!r}: 'version' must be a string", p, line)
            files = table.get("files") or legacy_files.get(raw) or legacy_files.get(name) or []
            digests = legacy_hashes.get(raw) or legacy_hashes.get(name) or []
            require(isinstance(files, list) and isinstance(digests, list),
                    f"package {raw!r}: its files or hashes must be an array", p, line)
            hashes = tuple(str(f["hash"]) for f in files if isinstance(f, dict) and f.get("hash"))
            hashes = hashes or tuple(f"sha256:{h}" for h in digests if isinstance(h, str))
            deps_table = table.get("dependencies") or {}
            require(isinstance(deps_table, dict), f"package {raw!r}: [package.dependencies] must be a table", p, line)
            deps = [d for n, spec in deps_table.items() for d in _deps(n, spec, p, line)]
            extras = {
                str(canonicalize_name(e)): _extra_deps(list(v or []), p, line)
                for e, v in (table.get("extras") or {}).items()
            }
            packages[name] = LockedPackage(
                dist=Distribution(name=name, version=version, metadata=NOT_FETCHED,
                                  origin=safe_origin(_origin(table.get("source"), p, line)), hashes=hashes),
                deps=deps,
                extra_deps=extras,
            )
        for name, pkg in packages.items():
            for dep in pkg.deps or []:
                # a dependency without a marker applies everywhere, so Poetry must have locked it
                # (Poetry before 1.1 never locked its UNSAFE_PACKAGES: setuptools, distribute, pip)
                require(dep.target in packages or dep.marker is not None or dep.target in UNLOCKED,
                        f"package {name!r} depends on {dep.target!r}, which the lock does not contain "
                        "(truncated or hand-edited lockfile?)", p, pkg.dist.origin.line)
        root = self._declared_root(packages) if self.text is None else None
        if root is None:
            root = _undepended_root(doc, packages)
        root_edges, linked, reached = link_recorded(root, packages, config.target, self.all_platforms)
        dists = [d for n, d in linked.items() if self.all_platforms or n in reached]
        if self.fetch_metadata:
            dists = fetch_metadata(dists, ctx, self.metadata_client)
        return inventory(p, "lockfile", root_edges, dists, config, resolver="poetry.lock")

    def _declared_root(self, packages: dict[str, LockedPackage]) -> list[Dep] | None:
        root = pyproject_root(self.path.with_name("pyproject.toml"))
        if root is None or not any(d.target in packages for d in root):
            return None
        return root
