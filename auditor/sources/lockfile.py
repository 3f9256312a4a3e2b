"""Helpers shared by the lockfile sources (uv.lock, poetry.lock, Pipfile.lock, pylock.toml).

Nothing here parses TOML or requirements by hand: TOML goes through
:mod:`tomllib`, markers and requirement strings through :mod:`packaging`.

Two ways to get dependency edges:

* **recorded**: the lockfile lists each package's dependencies (uv.lock,
  poetry.lock, pylock.toml when ``packages.dependencies`` is present); the
  edges are taken as written, extras propagated from the root;
* **computed**: the lockfile lists only the pinned set (Pipfile.lock, most
  pylock.toml files): each package's core metadata is fetched from the index
  (PEP 658, :meth:`auditor.net.pypi.PyPIClient.core_metadata`) and
  :func:`auditor.sources.edges.link` computes the edges for the target.

Universal locks (one lock for every platform) are kept whole by default
(``all_platforms=True``): every locked package stays in the inventory and
edges keep their marker text, so a package needed only on Windows is still
audited.  With ``all_platforms=False`` markers are evaluated for
``Config.target`` and packages the target never installs are dropped.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from auditor.config import DEFAULT_MAX_INPUT_BYTES
from auditor.dist.bounded import TooDeep, TooLarge, loads_toml
from auditor.config import Config
from auditor.dist.markers import marker_holds
from auditor.errors import InputError
from auditor.dist.redact import redact_url
from auditor.models import DependencyEdge, Distribution, Inventory, Origin, TargetEnvironment, Unknown
from auditor.net.context import RunContext
from auditor.sources.interface import Source
from auditor.sources.inputs import read_input

#: Placeholder metadata for distributions before the index was asked
#: (``fetch_metadata=False``); ``fault=False`` because it is a choice.
NOT_FETCHED = Unknown("core metadata not fetched (lockfile read without network)", fault=False)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> str:
    """The file's UTF-8 text: a regular file or ``-`` (standard input), at most *max_bytes* (:mod:`auditor.sources.inputs`).

    Raises:
        InputError: the file cannot be read, is not a regular file, is too large, or is not UTF-8.
    """
    try:
        return read_input(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", str(path)) from exc


def load_toml(path: Path, text: str | None = None) -> dict[str, Any]:
    """Parse a TOML file with :mod:`tomllib`.

    Args:
        path: the file (used in messages; read when *text* is None).
        text: the file's content, if already read (``--git-base`` passes
            the content of ``git show``).

    Raises:
        InputError: the file cannot be read, is not UTF-8, or is not valid
            TOML; names the file and the line (tomllib reports ``(at line
            L, column C)``; the column is kept in the message).
    """
    if text is None:
        text = read_text(path)
    try:
        return loads_toml(text)
    except (TooDeep, TooLarge) as exc:
        raise InputError(f"invalid TOML: {exc}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        if line is None:
            m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
            if m:
                line, col = int(m.group(1)), int(m.group(2))
        head = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        if line is None and "end of document" in msg:
            line = text.count("\n") + 1
        where = f" (column {col})" if col else ""
        raise InputError(f"invalid TOML: {head}{where}", str(path), line) from exc
    except ValueError as exc:  # e.g. an integer over Python's 4,300-digit limit
        raise InputError(f"invalid TOML: {_first_line(exc)}", str(path)) from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def require(cond: bool, message: str, path: Path, line: int | None = None) -> None:
    """Raise :class:`InputError` with *message* unless *cond* holds."""
    if not cond:
        raise InputError(message, str(path), line)


class LineIndex:
    """Finds the 1-based line where a package is declared in a lockfile's text.

    Used for ``Origin.line`` (and hence SARIF locations).  tomllib does not
    report positions of values, so this looks for the ``name = "..."`` key
    (TOML tables) or ``"name": {`` (JSON) that declares the package, the
    n-th occurrence for the n-th table of that name.
    """

    _TOML_NAME = re.compile(r"""^\s*name\s*=\s*(["'])(.*?)\1\s*(#.*)?$""")

    def __init__(self, text: str | None):
        self.lines = (text or "").splitlines()
        self._seen: dict[str, int] = defaultdict(int)
        self._index: dict[str, dict[str, list[int]]] = {}  # kind -> key -> lines, built on first use

    def find(self, patterns: Sequence[str], occurrence_key: str | None = None) -> int | None:
        """Line of the n-th line matching any regex in *patterns*."""
        regexes = [re.compile(p) for p in patterns]
        key = occurrence_key or "|".join(patterns)
        want = self._seen[key]
        n = 0
        for i, line in enumerate(self.lines, 1):
            if any(r.search(line) for r in regexes):
                if n == want:
                    self._seen[key] += 1
                    return i
                n += 1
        return None

    _JSON_OBJECT_KEY = re.compile(r'^\s*"([^"\\]*)"\s*:\s*\{')

    def toml_name(self, raw_name: str) -> int | None:
        """Line of ``name = "<raw_name>"`` (n-th call for the same name: n-th table)."""
        return self._nth("toml", self._TOML_NAME, 2, raw_name)

    def json_key(self, raw_key: str) -> int | None:
        """Line of ``"<raw_key>": {`` (n-th call for the same key: its n-th object)."""
        return self._nth("json", self._JSON_OBJECT_KEY, 1, raw_key)

    def _nth(self, kind: str, pattern: re.Pattern, group: int, key: str) -> int | None:
        """The line of the n-th call's match of *pattern* whose *group* is *key*, from one pass over
        the text per *kind* (a ``find`` per package scanned every line each time: a Pipfile.lock of
        8,000 packages took 110 s)."""
        index = self._index.get(kind)
        if index is None:
            index = self._index[kind] = defaultdict(list)
            for i, line in enumerate(self.lines, 1):
                m = pattern.match(line)
                if m:
                    index[m.group(group)].append(i)
        found = index.get(key, [])
        n = self._seen[f"{kind}:{key}"]
        self._seen[f"{kind}:{key}"] += 1
        return found[n] if n < len(found) else None


def requirement_text(name: str, extras: Iterable[str] = (), marker: str | None = None, specifier: str = "") -> str:
    """A PEP 508 requirement string, checked by :class:`packaging.requirements.Requirement`."""
    ex = sorted(set(extras))
    text = name + (f"[{','.join(ex)}]" if ex else "") + specifier
    if marker:
        text += f"; {marker}"
    try:
        return str(Requirement(text))
    except InvalidRequirement:
        return text


@dataclass
class Dep:
    """One recorded dependency: *target* (normalized name), with extras and marker text."""

    target: str
    requirement: str
    extras: tuple[str, ...] = ()
    marker: str | None = None
    kind: str = "runtime"
    #: the locked version it names, when the lock names one (uv.lock forks:
    #: ``{ name = "numpy", version = "2.2.2", marker = ... }``)
    version: str | None = None


def safe_origin(origin: Origin) -> Origin:
    """*origin* with credentials removed from its URLs (:func:`auditor.dist.redact.redact_url`).

    A lockfile is input from outside (often from a pull request): an index or
    archive URL in it may carry ``user:token@`` or a token query parameter,
    which must never reach a report, a cache key or a log.  Credentials for
    an index come from ``--index-url``, ``.netrc`` or keyring
    (:mod:`auditor.net.tokens`), never from the lockfile's text.
    """
    return replace(origin,
                   url=redact_url(origin.url) if origin.url else origin.url,
                   index_url=redact_url(origin.index_url) if origin.index_url else origin.index_url)


@dataclass
class LockedPackage:
    """A package as a lockfile records it, before edges are linked.

    Attributes:
        dist: the distribution (``requires`` empty until linked).
        deps: recorded base dependencies (``None`` when the lockfile
            records none and edges must be computed).
        extra_deps: recorded dependencies per extra of this package.
        files: URLs of the distribution files the lock records (wheels, sdist).
    """

    dist: Distribution
    deps: list[Dep] | None = None
    extra_deps: dict[str, list[Dep]] = field(default_factory=dict)
    files: tuple[str, ...] = ()


def link_recorded(
    root: Sequence[Dep],
    packages: Mapping[str, LockedPackage],
    target: TargetEnvironment,
    all_platforms: bool,
) -> tuple[tuple[DependencyEdge, ...], dict[str, Distribution], set[str]]:
    """Turn recorded dependencies into edges, propagating requested extras.

    Args:
        root: the root's dependencies.
        packages: locked packages by normalized name (recorded ``deps``).
        target: environment for marker evaluation.
        all_platforms: keep edges whose marker is false for *target*
            (their marker text stays on the edge).

    A dependency naming a locked ``version`` other than the one kept for its
    name (a uv.lock fork not chosen for the target) is not an edge: that
    version is not in the inventory.  With *all_platforms*, packages the
    root does not reach (needed only by such a fork) keep their own recorded
    base dependencies as edges, instead of standing without any.

    Returns:
        ``(root_edges, linked distributions by name, names reachable from the root)``.
    """
    env = target.marker_environment()
    active: dict[str, set[str]] = defaultdict(set)
    reached: set[str] = set()
    queue: deque[str] = deque()

    def keep(dep: Dep, extra: str = "") -> bool:
        return all_platforms or marker_holds(dep.marker, env, [extra] if extra else ())

    def other_fork(dep: Dep) -> bool:
        return dep.version is not None and packages[dep.target].dist.version not in (None, dep.version)

    def request(dep: Dep) -> None:
        if dep.target not in packages or other_fork(dep):
            return
        new = set(dep.extras) - active[dep.target]
        if new or dep.target not in reached:
            active[dep.target] |= new
            reached.add(dep.target)
            queue.append(dep.target)

    root_edges = []
    for dep in root:
        if dep.target in packages and keep(dep) and not other_fork(dep):
            root_edges.append(_edge(dep, None))
            request(dep)
    edges: dict[str, dict[tuple, DependencyEdge]] = defaultdict(dict)

    def drain() -> None:
        while queue:
            name = queue.popleft()
            pkg = packages[name]
            contexts: list[tuple[str | None, list[Dep]]] = [(None, pkg.deps or [])]
            contexts += [(e, pkg.extra_deps.get(e, [])) for e in sorted(active[name])]
            for via, deps in contexts:
                for dep in deps:
                    if dep.target == name:  # pkg[all] -> pkg[a, b]
                        request(dep)
                        continue
                    if dep.target not in packages or not keep(dep, via or "") or other_fork(dep):
                        continue
                    edges[name].setdefault((dep.target, dep.requirement, via), _edge(dep, via))
                    request(dep)

    drain()
    from_root = set(reached)
    if all_platforms:  # what only an unchosen fork needs still has its recorded edges
        for name in sorted(packages):
            if name not in reached:
                reached.add(name)
                queue.append(name)
                drain()
    linked = {
        n: replace(p.dist, requires=tuple(sorted(edges[n].values(), key=lambda e: (e.target, e.via_extra or "", e.requirement))))
        for n, p in packages.items()
    }
    return tuple(sorted(root_edges, key=lambda e: (e.target, e.kind, e.requirement))), linked, from_root


def _edge(dep: Dep, via: str | None) -> DependencyEdge:
    return DependencyEdge(
        target=dep.target, requirement=dep.requirement, marker=dep.marker, extras=tuple(sorted(dep.extras)),
        via_extra=via, kind=dep.kind,
    )


#: A locked version longer than this is no version (PyPI's longest are well under 100 characters);
#: every later stage parses versions, and packaging's int() stops at 4,300 digits with ValueError.
MAX_VERSION_CHARS = 256


def check_versions(dists: Iterable[Distribution]) -> None:
    """Raise :class:`InputError` (naming the file and line) for a version over :data:`MAX_VERSION_CHARS`."""
    for d in dists:
        if isinstance(d.version, str) and len(d.version) > MAX_VERSION_CHARS:
            raise InputError(f"package {d.name!r}: a version of {len(d.version)} characters is not a version",
                             d.origin.file, d.origin.line)


def fetch_metadata(dists: Sequence[Distribution], ctx: RunContext, client: Any = None,
                   files: Mapping[str, Sequence[str]] | None = None) -> list[Distribution]:
    """Fill ``metadata`` of registry distributions from the index, concurrently (``ctx.map``).

    Source: :meth:`auditor.net.pypi.PyPIClient.core_metadata` (PEP 658
    ``.metadata`` files, cached forever by the HTTP layer and memoized in the
    run memo and the fact memo).  Distributions that are not from a
    registry, or have no version, get an Unknown saying why.

    Args:
        dists: the distributions; only those whose metadata is
            :data:`NOT_FETCHED` are looked up.
        ctx: the run context (configuration, HTTP clients, memos, pool).
        client: any object with ``core_metadata(name, version, files=())
            -> CoreMetadata | Unknown`` (tests pass a fake); a
            ``PyPIClient`` on *ctx* when omitted.
        files: ``{name: [distribution file URL, ...]}`` recorded by the
            lockfile: their ``.metadata`` files are tried before the index.

    Returns:
        The distributions in the same order, with ``metadata`` filled in.
    """
    from auditor.net.simple import IndexFile

    check_versions(dists)
    default_index = client is None
    if client is None:
        from auditor.net.pypi import PyPIClient

        client = PyPIClient(ctx)
    files = files or {}
    target = ctx.config.target

    def one(d: Distribution) -> Distribution:
        if d.metadata != NOT_FETCHED:
            return d
        if d.origin.kind != "registry":
            return replace(d, metadata=Unknown(f"{d.origin.kind} distribution: no index metadata", fault=False))
        if not d.version:
            return replace(d, metadata=Unknown("version not pinned in the lockfile", fault=True))
        known = [IndexFile(filename=u.rsplit("/", 1)[-1].split("#", 1)[0], url=u.split("#", 1)[0])
                 for u in _preferred(files.get(d.name, ()), target)]
        meta = client.core_metadata(d.name, d.version, files=known)
        if default_index and (d.origin.index_url or ctx.config.index_url).rstrip("/") == ctx.config.index_url.rstrip("/"):
            # a release on the default index: collectors may start on it now
            ctx.release_known(d.name, d.version)
        return replace(d, metadata=meta)

    return ctx.map(one, dists)


#: Wheel tags that run anywhere: their metadata is the best guess for every target.
_UNIVERSAL = ("-none-any.whl",)


def _preferred(urls: Sequence[str], target: TargetEnvironment, keep: int = 2) -> list[str]:
    """The *keep* file URLs most likely to carry the target's metadata: pure
    wheels, then wheels naming the target's machine, then other wheels, then the sdist."""
    machine = target.platform_machine.lower()

    def rank(u: str) -> int:
        name = u.rsplit("/", 1)[-1].lower()
        if name.endswith(_UNIVERSAL):
            return 0
        if name.endswith(".whl") and machine in name:
            return 1
        return 2 if name.endswith(".whl") else 3

    return sorted(urls, key=rank)[:keep]


def link_computed(
    root_requirements: Sequence[str] | None,
    dists: Sequence[Distribution],
    config: Config,
    all_platforms: bool,
    root_kinds: Mapping[str, str] | None = None,
) -> tuple[tuple[DependencyEdge, ...], list[Distribution]]:
    """Edges from core metadata (``link``) for locks that record none.

    *root_kinds* gives the kind of a root edge (``group:dev``, ...) by its
    requirement text or its target name; ``runtime`` otherwise.

    With *root_requirements* ``None`` (the lock does not say what the project
    requires), the root requires every distribution nothing else requires.
    With *all_platforms*, edges are computed under the target and, for each
    of the other common platforms (``linux``, ``darwin``, ``win32``), merged;
    a root requirement, or a package's requirement outside an extra, whose
    marker holds on none of them (another Python version) is an edge too,
    with its marker text.
    """
    from auditor.sources.edges import link

    targets = [config.target]
    if all_platforms:
        for plat, machine in (("linux", "x86_64"), ("darwin", "arm64"), ("win32", "AMD64")):
            if plat != config.target.sys_platform:
                targets.append(replace(config.target, sys_platform=plat, platform_machine=machine))
    root_edges: dict[tuple, DependencyEdge] = {}
    merged: dict[str, dict[tuple, DependencyEdge]] = defaultdict(dict)
    for t in targets:
        r, linked = link(root_requirements or (), dists, t)
        for e in r:
            root_edges.setdefault((e.target, e.requirement), e)
        for d in linked:
            for e in d.requires:
                merged[d.name].setdefault((e.target, e.requirement, e.via_extra), e)
    if all_platforms:
        _other_python_edges(dists, merged)
    out = [replace(d, requires=tuple(sorted(merged[d.name].values(), key=lambda e: (e.target, e.via_extra or "")))) for d in dists]
    if all_platforms and root_requirements is not None:  # a root edge whose marker no target above meets
        present = {d.name for d in dists}
        for text in root_requirements:
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            name = str(canonicalize_name(req.name))
            if name in present and not any(k[0] == name and k[1] == text for k in root_edges):
                root_edges[(name, text)] = DependencyEdge(
                    target=name, requirement=text, marker=str(req.marker) if req.marker else None,
                    extras=tuple(sorted(str(canonicalize_name(e)) for e in req.extras)))
    if root_requirements is None:
        required = {e.target for d in out for e in d.requires}
        root_edges = {
            (d.name, ""): DependencyEdge(target=d.name, requirement=f"{d.name}=={d.version}" if d.version else d.name)
            for d in out
            if d.name not in required
        }
    kinds = root_kinds or {}
    root_edges = {k: replace(e, kind=kinds.get(e.requirement) or kinds.get(e.target) or e.kind)
                  for k, e in root_edges.items()}
    direct = {e.target for e in root_edges.values()}
    out = [replace(d, direct=d.name in direct) for d in out]
    return tuple(sorted(root_edges.values(), key=lambda e: (e.target, e.requirement))), out


def _other_python_edges(dists: Sequence[Distribution], merged: dict[str, dict[tuple, DependencyEdge]]) -> None:
    """Add to *merged* the ``Requires-Dist`` edges whose marker held on none of the platforms
    linked (``exceptiongroup; python_version < "3.11"`` for a 3.11 target), between packages the
    lock holds: the lock has the target because another Python needs it, and without the edge
    it would stand as a direct requirement of the root.  Requirements under an extra stay out
    (which extras are active is the linking's business)."""
    from auditor.models import CoreMetadata

    present = {d.name for d in dists}
    for d in dists:
        if not isinstance(d.metadata, CoreMetadata):
            continue
        have = {k[0] for k in merged[d.name]}
        for text in d.metadata.requires_dist:
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            name = str(canonicalize_name(req.name))
            if name not in present or name in have or name == d.name or (req.marker and "extra" in str(req.marker)):
                continue
            have.add(name)
            merged[d.name][(name, text, None)] = DependencyEdge(
                target=name, requirement=text, marker=str(req.marker) if req.marker else None,
                extras=tuple(sorted(str(canonicalize_name(e)) for e in req.extras)))


def inventory(
    path: Path,
    root_kind: str,
    root_edges: Sequence[DependencyEdge],
    dists: Iterable[Distribution],
    config: Config,
    resolver: str,
) -> Inventory:
    """Assemble the :class:`Inventory` (sorted by name; ``direct`` set from *root_edges*).

    Raises:
        InputError: a version over :data:`MAX_VERSION_CHARS` (:func:`check_versions`).
    """
    dists = list(dists)
    check_versions(dists)
    direct = {e.target for e in root_edges}
    ds = tuple(sorted((replace(d, direct=d.direct or d.name in direct) for d in dists), key=lambda d: d.name))
    t = config.target
    return Inventory(
        root_name=str(path),
        root_kind=root_kind,
        root_requires=tuple(root_edges),
        distributions=ds,
        target=t,
        interpreter_version=t.python_full_version or t.python_version,
        resolver=resolver,
    )


class LockfileSource(Source):
    """Shared construction of the lockfile sources (``uv.lock``, ``poetry.lock``,
    ``pylock.toml``, ``Pipfile.lock``).  Interface: :class:`Source`.

    Args:
        path: the lockfile.
        text: its content, if already read (``--git-base`` reads it from git).
        all_platforms: keep every platform's packages with their markers
            (universal locks); False keeps only what the target installs.
        fetch_metadata: fetch core metadata (repository mapping; edges when
            the lock records none).
        metadata_client: object with ``core_metadata(name, version)``
            (default: a ``PyPIClient``); tests pass a fake.
    """

    def __init__(self, path: str | Path, text: str | None = None, all_platforms: bool = True,
                 fetch_metadata: bool = True, metadata_client: Any = None):
        self.path = Path(path)
        self.text = text
        self.all_platforms = all_platforms
        self.fetch_metadata = fetch_metadata
        self.metadata_client = metadata_client

    def read(self) -> str:
        """The lockfile's text (*text* if given).

        Raises:
            InputError: the file cannot be read or is not UTF-8 text.
        """
        return self.text if self.text is not None else read_text(self.path)

    def read_toml(self) -> tuple[str, dict]:
        """``(text, document)`` of a TOML lockfile.

        Raises:
            InputError: unreadable, not UTF-8, or not valid TOML (names the line).
        """
        text = self.read()
        return text, load_toml(self.path, text)
