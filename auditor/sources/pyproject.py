"""``pyproject.toml``: a project's declared dependencies, resolved to a pinned set.

Read with :mod:`tomllib`: PEP 621 ``[project] dependencies`` and
``optional-dependencies``, PEP 735 ``[dependency-groups]`` (groups,
``include-group`` expanded by :func:`packaging.dependency_groups.resolve_dependency_groups`),
and Poetry's ``[tool.poetry.dependencies]`` / ``[tool.poetry.group.<name>.dependencies]``
/ ``[tool.poetry.dev-dependencies]`` (converted by poetry-core:
:mod:`auditor.sources.poetry_pyproject`).
Every string is validated with :class:`packaging.requirements.Requirement`.

The declared requirements are then resolved by the requirements source
(:class:`auditor.sources.requirements.RequirementsSource`: uv ``pip
compile``, falling back to pip), which this module calls on a temporary
requirements file; no resolution happens here.
"""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from packaging.dependency_groups import resolve_dependency_groups
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from auditor.dist.redact import redact_url
from auditor.errors import AuditorError, InputError
from auditor.models import Inventory, Unknown
from auditor.net.context import RunContext
from auditor.sources.interface import Source
from auditor.sources.lockfile import LineIndex, load_toml, read_text, require
from auditor.sources.poetry_pyproject import (poetry_extra_entries, poetry_group_entries, poetry_groups, poetry_line,
                                              poetry_main, poetry_sources, poetry_table, to_pep508)


def declared_requirements(path: Path, text: str, extras: tuple[str, ...] | None = None,
                          groups: tuple[str, ...] | None = None, where: dict[str, int] | None = None,
                          kinds: dict[str, str] | None = None) -> list[str]:
    """The PEP 508 strings a ``pyproject.toml`` declares.

    Args:
        path: the file (for messages).
        text: its content.
        extras: optional-dependency extras (PEP 621, and Poetry's ``[tool.poetry.extras]``) to include;
            ``None`` means all.
        groups: dependency groups (PEP 735 ``[dependency-groups]`` and Poetry's
            ``[tool.poetry.group.<name>]``, legacy ``dev-dependencies`` as ``dev``)
            to include; ``None`` means all.
        where: filled with ``{requirement: line}`` for the requirements whose
            line is known from Poetry's tables (written as ``name = spec``, not quoted).
        kinds: filled with ``{normalized name: edge kind}``: ``runtime`` (``dependencies``),
            ``extra:<name>``, ``group:<name>``; the first section naming a package wins.

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
    poetry = poetry_table(doc)
    own_name = project.get("name") or poetry.get("name")
    own = canonicalize_name(str(own_name)) if own_name else None
    text_lines = text.splitlines()
    optional = project.get("optional-dependencies") or {}
    require(isinstance(optional, dict), "[project.optional-dependencies] must be a table", path)
    expanded: set[str] = set()
    kind = ["runtime"]  # the edge kind of what add() is given now

    def add(req: Any, where: str) -> None:
        if not isinstance(req, str):
            raise InputError(f"{where}: requirement must be a string, got {type(req).__name__}", str(path))
        try:
            parsed = Requirement(req)
        except InvalidRequirement as exc:
            line = lines.find([_quoted(req)])
            raise InputError(f"{where}: invalid requirement {req!r} ({exc})", str(path), line) from exc
        if own is not None and canonicalize_name(parsed.name) == own:
            # The project's own extras ("proj[dev]"): resolved here, from this file, never from an index.
            for extra in sorted(parsed.extras):
                if extra in expanded:
                    continue
                expanded.add(extra)
                if extra not in optional and extra in poetry_extras:  # Poetry: [tool.poetry.extras] names optional deps
                    for section, name, spec in poetry_extra_entries(path, doc, extra):
                        add_poetry(section, name, spec, parsed.marker)
                    continue
                require(extra in optional, f"{where}: {parsed.name}[{extra}] names no optional-dependencies extra", path)
                for r in optional[extra] or []:
                    add(_with_marker(r, parsed.marker), f"project.optional-dependencies.{extra}")
            return
        if kinds is not None:
            kinds.setdefault(str(canonicalize_name(parsed.name)), kind[0])
        if req not in out:
            out.append(req)

    poetry_extras = poetry.get("extras") if isinstance(poetry.get("extras"), dict) else {}

    def add_poetry(section: str, name: str, spec: Any, marker: Any = None) -> None:
        line = poetry_line(text_lines, section, name)
        for r in to_pep508(path, text_lines, section, name, spec):
            r = _with_marker(r, marker)
            if where is not None and line is not None:
                where.setdefault(r, line)
            add(r, section)

    deps = project.get("dependencies") or []
    require(isinstance(deps, list), "[project] dependencies must be an array", path)
    for r in deps:
        add(r, "project.dependencies")
    if poetry and ("dependencies" not in project or "dependencies" in (project.get("dynamic") or [])):
        for section, name, spec in poetry_main(path, doc, extras):  # a Poetry 1 file: its own main table
            add_poetry(section, name, spec)
    for extra, reqs in optional.items():
        if extras is None or extra in extras:
            require(isinstance(reqs, list), f"optional-dependencies.{extra} must be an array", path)
            kind[0] = f"extra:{canonicalize_name(extra)}"
            for r in reqs:
                add(r, f"project.optional-dependencies.{extra}")
    dg = doc.get("dependency-groups") or {}
    require(isinstance(dg, dict), "[dependency-groups] must be a table", path)
    wanted = [g for g in dg if groups is None or g in groups]
    pg = poetry_groups(doc)
    if groups is not None:
        missing = [g for g in groups if g not in dg and g not in pg]
        require(not missing, f"no dependency group named {', '.join(missing)}", path)
    if wanted:
        try:
            resolve_dependency_groups(dg, *wanted)  # validates every wanted group at once
        except (ValueError, TypeError, LookupError, ExceptionGroup) as exc:
            first = exc.exceptions[0] if isinstance(exc, ExceptionGroup) else exc
            raise InputError(f"[dependency-groups]: {first}", str(path), lines.find([r"^\s*\[dependency-groups\]"])) from exc
        for group in wanted:  # which group names each requirement (an include-group names it too)
            kind[0] = f"group:{canonicalize_name(group)}"
            for r in resolve_dependency_groups(dg, group):
                add(r, "dependency-groups")
    for group in pg:
        if groups is None or group in groups:
            kind[0] = f"group:{canonicalize_name(group)}"
            for section, name, spec in poetry_group_entries(path, doc, group):
                add_poetry(section, name, spec)
    sources = uv_sources(path, doc, lines)
    if not sources:
        return out
    rewritten = []
    for r in out:
        new = _with_source(r, sources)
        if new != r and where is not None:  # the line is the one that declares the original
            line = where.get(r) or requirement_line(lines, r)
            if line is not None:
                where.setdefault(new, line)
        rewritten.append(new)
    return rewritten


def uv_sources(path: Path, doc: dict[str, Any], lines: LineIndex | None = None) -> dict[str, str]:
    """``{normalized name: direct reference URL}`` from ``[tool.uv.sources]``: where uv takes
    a dependency from instead of the index (uv's documentation, "Dependency sources").

    ``git`` (with ``rev``/``tag``/``branch`` and ``subdirectory``) becomes
    ``git+URL@REF#subdirectory=DIR``, ``url`` the URL, ``path`` an absolute
    ``file://`` URL (relative to the pyproject.toml; ``-e /abs/path`` with
    ``editable = true``), ``workspace = true`` ``-e`` and the directory of the
    workspace member of that name (``[tool.uv.workspace] members``, globs
    allowed; uv installs members editable).  ``index`` sources and lists of sources with
    markers are not rewritten: those names are resolved from the index.

    Each reference becomes one line of the resolver's requirements file, so
    one that is not a single valid line is refused: a control character (a
    line break in ``rev`` would add ``--index-url`` or ``-r`` lines), or a git
    or URL reference :class:`~packaging.requirements.Requirement` rejects.

    Raises:
        InputError: such a reference (names the file and the entry's line in *lines*).
    """
    uv = ((doc.get("tool") or {}).get("uv") or {}) if isinstance(doc.get("tool"), dict) else {}
    table = uv.get("sources") if isinstance(uv, dict) else None
    if not isinstance(table, dict):
        return {}
    base = path.resolve().parent
    out: dict[str, str] = {}
    members: dict[str, Path] | None = None  # the workspace's, read when a source first asks
    for name, src in table.items():
        if not isinstance(src, dict):
            continue
        key = str(canonicalize_name(name))
        if isinstance(src.get("git"), str):
            ref = next((src[k] for k in ("rev", "tag", "branch") if isinstance(src.get(k), str)), None)
            sub = src.get("subdirectory")
            out[key] = f"git+{src['git']}" + (f"@{ref}" if ref else "") + (f"#subdirectory={sub}" if isinstance(sub, str) else "")
        elif isinstance(src.get("url"), str):
            out[key] = src["url"]
        elif isinstance(src.get("path"), str):
            _check_reference(path, lines, name, src["path"], local=True)  # a NUL makes resolve() raise ValueError
            local = (base / src["path"]).resolve()
            out[key] = f"-e {local}" if src.get("editable") is True else local.as_uri()
        elif src.get("workspace") is True:
            if members is None:
                members = _workspace_members(base, uv)
            member = members.get(key)
            if member is not None:  # uv installs workspace members editable
                out[key] = f"-e {member}"
        if key in out:
            _check_reference(path, lines, name, out[key], local=out[key].startswith("-e "))
    return out


def _check_reference(path: Path, lines: LineIndex | None, name: str, reference: str, local: bool = False) -> None:
    """Refuse a ``[tool.uv.sources]`` *reference* (a URL, or a *local* path) that is not one valid requirements line."""
    import re

    problem = None
    if re.search(r"[\x00-\x1f\x7f]", reference):
        problem = "contains a control character"
    elif re.search(r"[\ud800-\udfff]", reference):  # resolve() cannot encode it
        problem = "contains a control character (a lone surrogate)"
    elif not local:
        try:
            Requirement(f"{name} @ {reference}")
        except InvalidRequirement:
            problem = "is not a valid direct reference"
    if problem is not None:
        line = lines.find([rf"^\s*[\"']?{re.escape(name)}[\"']?\s*="]) if lines is not None else None
        raise InputError(f"[tool.uv.sources] {name}: {redact_url(reference)!r} {problem}", str(path), line)


#: At most this many paths (and patterns) are looked at for ``[tool.uv.workspace] members``, in all.
MAX_WORKSPACE_MATCHES = 1000


def _workspace_members(base: Path, uv: dict[str, Any]) -> dict[str, Path]:
    """``{normalized name: directory}`` of the workspace members (each match's pyproject.toml
    ``[project] name``; the first match of a name wins), read once for every ``workspace = true``
    source.  At most :data:`MAX_WORKSPACE_MATCHES` paths are looked at in all, over every pattern:
    a members list of 10,000 ``"*"`` patterns, asked once per source, read each match again and again."""
    workspace = uv.get("workspace") if isinstance(uv.get("workspace"), dict) else {}
    members = workspace.get("members")
    found: dict[str, Path] = {}
    budget = MAX_WORKSPACE_MATCHES
    for pattern in members if isinstance(members, list) else []:
        # A pattern from the input: inside the project (no '..', not absolute), and a bounded walk.
        if budget <= 0:
            break
        if not isinstance(pattern, str) or pattern.startswith(("/", "\\")) or ".." in Path(pattern).parts:
            continue
        budget -= 1  # a pattern that matches nothing still costs a walk
        try:
            matches = sorted(itertools.islice(base.glob(pattern), max(budget, 0)))
        except (ValueError, NotImplementedError, OSError):  # "Invalid pattern: '**' can only be ..."
            continue
        budget -= len(matches)
        for candidate in matches:
            try:
                doc = load_toml(candidate / "pyproject.toml")
            except InputError:
                continue
            own = (doc.get("project") or {}).get("name") if isinstance(doc.get("project"), dict) else None
            if isinstance(own, str):
                found.setdefault(str(canonicalize_name(own)), candidate.resolve())
    return found


def _with_source(req: str, sources: dict[str, str]) -> str:
    """*req* as the direct reference ``[tool.uv.sources]`` gives its name, extras and marker kept."""
    parsed = Requirement(req)
    url = sources.get(str(canonicalize_name(parsed.name)))
    if url is None or parsed.url:
        return req
    extras = f"[{','.join(sorted(parsed.extras))}]" if parsed.extras else ""
    marker = f" ; {parsed.marker}" if parsed.marker else ""
    if url.startswith("-e "):  # an editable local project: pip's "-e /path[extras] ; marker" line
        return f"{url}{extras}{marker}"
    return f"{parsed.name}{extras} @ {url}{marker}"


def _with_marker(req: Any, marker: Any) -> Any:
    """*req* restricted by the marker of the self-reference that pulled it in (``proj[gpu]; sys_platform == 'linux'``)."""
    if marker is None or not isinstance(req, str):
        return req
    try:
        parsed = Requirement(req)
    except InvalidRequirement:
        return req  # add() reports it
    parsed.marker = Marker(f"({parsed.marker}) and ({marker})") if parsed.marker else marker
    return str(parsed)


def requirement_line(lines: LineIndex, req: str) -> int | None:
    """The line declaring *req*: the quoted string itself, else (packaging rewrote it: a PEP 735
    group's ``'3.9'`` comes back as ``"3.9"``) the first quoted string starting with its name."""
    found = lines.find([_quoted(req)])
    if found is not None:
        return found
    try:
        name = Requirement(req).name
    except InvalidRequirement:
        return None
    import re

    spelled = "[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", name))
    return lines.find([rf"""["']\s*{spelled}\s*(?![-_.\w])"""], f"name:{name}")


def _quoted(text: str) -> str:
    import re

    return re.escape(f'"{text}"') + "|" + re.escape(f"'{text}'")


class PyprojectSource(Source):
    """A ``pyproject.toml``'s dependencies, resolved.

    Args:
        path: the file.
        text: its content, if already read (``--git-base``).
        extras / groups: which optional-dependency extras and dependency
            groups to include (``None``: all).  ``--extra NAME``, ``--group
            NAME`` and ``--all-groups`` on the command line: when any is
            given, only the named extras and groups are included
            (``--all-groups``: every group).
        resolver / allow_build: as for :class:`~auditor.sources.requirements.RequirementsSource`.
    """

    name = "pyproject.toml"

    def __init__(self, path: str | Path, text: str | None = None, extras: tuple[str, ...] | None = None,
                 groups: tuple[str, ...] | None = None, all_groups: bool = False, resolver: str = "auto",
                 allow_build: bool = False, **_ignored: Any):
        self.path = Path(path)
        self.text = text
        if extras is not None or groups is not None or all_groups:
            extras, groups = tuple(extras or ()), (None if all_groups else tuple(groups or ()))
        self.extras = extras
        self.groups = groups
        self.resolver = resolver
        self.allow_build = allow_build

    def requirements(self) -> list[str]:
        """The declared requirement strings (see :func:`declared_requirements`)."""
        text = self.text if self.text is not None else read_text(self.path)
        self._lines: dict[str, int] = {}
        self._kinds: dict[str, str] = {}
        return declared_requirements(self.path, text, self.extras, self.groups, self._lines, self._kinds)

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
        text = self.text if self.text is not None else read_text(self.path)
        with tempfile.TemporaryDirectory(prefix="auditor-pyproject-") as tmp:
            req_file = Path(tmp) / "requirements.in"
            sources = [f"--extra-index-url {url}\n" for url in poetry_sources(load_toml(self.path, text))]
            for line in sources + reqs:  # one line each: a line break would add options or includes
                if any(c in line.rstrip("\n") for c in "\r\n\x00"):
                    raise InputError(f"a requirement or index URL spans lines: {redact_url(line.strip())!r}",
                                     str(self.path))
            req_file.write_text("".join(sources) + "".join(f"{r}\n" for r in reqs), encoding="utf-8")
            try:
                inv = RequirementsSource(req_file, resolver=self.resolver, allow_build=self.allow_build).collect(ctx)
            except AuditorError as exc:  # the user's path, never the temporary file's
                exc.args = tuple(self._user_text(a, tmp) if isinstance(a, str) else a for a in exc.args)
                for attr in ("file", "message"):
                    if isinstance(getattr(exc, attr, None), str):
                        setattr(exc, attr, self._user_text(getattr(exc, attr), tmp))
                raise
        return self._user_paths(inv, tmp, LineIndex(text), reqs, len(sources))

    def _user_text(self, text: str, tmp: str) -> str:
        return text.replace(str(Path(tmp) / "requirements.in"), str(self.path)).replace(tmp, str(self.path.parent))

    def _user_paths(self, inv: Inventory, tmp: str, lines: LineIndex, reqs: list[str], skip: int = 0) -> Inventory:
        """*inv* with the temporary requirements file replaced by the pyproject.toml and its lines."""
        dists = []
        for d in inv.distributions:
            origin = d.origin
            if origin.file and tmp in origin.file:
                n = (origin.line or 0) - skip  # the temporary file's option lines come first
                req = reqs[n - 1] if 0 < n <= len(reqs) else None
                line = (self._lines.get(req) or requirement_line(lines, req)) if req else None
                origin = replace(origin, file=str(self.path), line=line)
            meta = d.metadata
            if isinstance(meta, Unknown) and tmp in meta.reason:
                meta = replace(meta, reason=self._user_text(meta.reason, tmp))
            dists.append(replace(d, origin=origin, metadata=meta))
        gaps = tuple((w, self._user_text(r, tmp)) for w, r in inv.gaps)
        kinds = getattr(self, "_kinds", {})
        root = tuple(replace(e, kind=kinds.get(e.target, e.kind)) for e in inv.root_requires)
        return replace(inv, distributions=tuple(dists), gaps=gaps, root_name=str(self.path), root_kind="pyproject",
                       root_requires=root)
