"""requirements.txt input: parse (pip's syntax), resolve (uv or pip), link.

Parsing uses ``pip-requirements-parser`` (nexB), a vendored copy of pip's
own requirements-file parser, with :mod:`packaging.requirements` for PEP 508.
``-r``/``-c`` includes are followed here (not by the library) so that a
missing include names the including file and line.  Resolution is done by a
real resolver (:mod:`auditor.sources.resolve`); metadata comes from the
resolver's report (pip), a local wheel (find-links), or the index
(:meth:`auditor.net.pypi.PyPIClient.core_metadata`); edges are computed by
:func:`auditor.sources.edges.link`.  See docs/inputs.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement

from auditor.config import Config
from auditor.errors import InputError, ResolutionError
from auditor.models import (
    CoreMetadata,
    DependencyEdge,
    Distribution,
    Inventory,
    Origin,
    Unknown,
    normalize_name,
)
from auditor.dist.filenames import DistFilename, filename_from_url, parse_url_filename
from auditor.dist.redact import redact_url
from auditor.sources.interface import Source
from auditor.sources.resolve import (
    Pin,
    Resolution,
    ResolveRequest,
    find_local_wheel,
    needs_build,
    read_local_project,
    read_wheel_metadata,
    resolve_cached,
)

#: Subdirectory of ``Config.cache_dir`` holding remembered resolutions.
RESOLUTION_CACHE_DIR = "resolutions"

#: Hash algorithms pip accepts for ``--hash`` (pip ``STRONG_HASHES``).
ALLOWED_HASHES = ("sha256", "sha384", "sha512")

_HASH_RE = re.compile(r"^(sha256|sha384|sha512):[0-9a-fA-F]+$")
_VCS_RE = re.compile(r"^(git|hg|svn|bzr)\+", re.IGNORECASE)
_REMOTE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


# --------------------------------------------------------------------------
# Parsed model (internal to the input stage)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementLine:
    """One requirement of a requirements file, after pip's syntax is undone.

    Attributes:
        requirement: PEP 508 text: ``"requests[socks]>=2.0; python_version >= '3.8'"``,
            or ``"name @ url"`` for direct references (``url`` alone when unnamed).
        name: PEP 503 normalized name, or ``None`` for an unnamed URL/path
            whose name could not be learned without building it.
        kind: ``"registry"``, ``"url"``, ``"vcs"`` or ``"path"``.
        url: the direct reference; local paths are made absolute
            ``file://`` URLs (relative paths are relative to the file's directory).
        extras: requested extras, normalized and sorted.
        marker: environment-marker text, or ``None``.
        specifier: version specifier text (``">=2.0"``), ``""`` if none.
        hashes: ``--hash`` values (``"sha256:<hex>"``).
        editable: ``-e``.
        constraint: it comes from a ``-c`` file (limits versions, adds nothing).
        file: the file it is written in.
        line: 1-based line of its first physical line in *file*.
    """

    requirement: str
    name: str | None
    kind: str
    url: str | None
    extras: tuple[str, ...]
    marker: str | None
    specifier: str
    hashes: tuple[str, ...]
    editable: bool
    constraint: bool
    file: str
    line: int

    @property
    def pinned_version(self) -> str | None:
        """The exact version for ``==X`` (no wildcard) or ``===X``, else None."""
        if self.kind != "registry" or not self.name:
            return None
        try:
            specs = list(Requirement(self.requirement).specifier)
        except InvalidRequirement:  # pragma: no cover - validated while parsing
            return None
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            return specs[0].version
        return None

    def resolver_line(self) -> str:
        """The line handed to the resolver (no hashes, no ``-e``: neither changes the pins)."""
        return self.requirement


@dataclass(frozen=True)
class RequirementsOptions:
    """Index options found in the files (the last one wins for ``--index-url``).

    Attributes:
        index_url: ``-i/--index-url``.
        extra_index_urls: ``--extra-index-url`` values, in order.
        find_links: ``-f/--find-links`` values; local paths made absolute
            (relative to the file when such a path exists there, as pip does).
        no_index: ``--no-index``.
        pre: ``--pre``.
        ignored: other options seen, as ``(option, file, line)``: they do not
            change which versions are chosen for an audit (``--trusted-host``,
            ``--prefer-binary``, ``--only-binary``, ...).
    """

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    pre: bool = False
    ignored: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class ParsedRequirements:
    """A requirements file with its includes flattened.

    Attributes:
        requirements: requirement lines in reading order (includes inline).
        constraints: lines of ``-c`` files.
        options: index options.
        files: every file read, the root first.
    """

    requirements: tuple[RequirementLine, ...]
    constraints: tuple[RequirementLine, ...]
    options: RequirementsOptions
    files: tuple[str, ...]


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


def _one_line(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "invalid line"
    first = first.replace("pip_requirements_parser: error: ", "")
    return re.sub(r":\s*:", ":", first).strip()


def _path_url(value: str, base: Path) -> str:
    """An absolute ``file://`` URL for a local path or ``file:`` URL, relative to *base*."""
    if value.lower().startswith("file:"):
        parts = urlsplit(value)
        path = Path(unquote(parts.path))
        frag = f"#{parts.fragment}" if parts.fragment else ""
        if not path.is_absolute():  # "file:./x" is a relative path
            path = base / path
        return path.resolve().as_uri() + frag
    path, _, frag = value.partition("#")
    return (base / path).resolve().as_uri() + (f"#{frag}" if frag else "")


def _name_for_location(url: str, kind: str) -> str | None:
    """A name for an unnamed direct reference, learned without building:
    ``#egg=``, a wheel/sdist file name, or a local ``pyproject.toml``."""
    m = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", url)
    if m:
        return normalize_name(m.group(1))
    parsed = parse_url_filename(unquote(filename_from_url(url)))
    if isinstance(parsed, DistFilename):
        return normalize_name(str(parsed.name))
    if kind == "path":
        meta = read_local_project(Path(unquote(urlsplit(url).path)))
        if meta is not None and meta.name:
            return normalize_name(meta.name)
    return None


def _requirement_line(r, file: Path, constraint: bool, lineno: int | None = None) -> RequirementLine:
    """Convert one pip-requirements-parser requirement; raises InputError on a bad value."""
    where = dict(file=str(file), line=lineno or r.line_number)
    for h in r.hash_options or ():
        if not _HASH_RE.match(h):
            raise InputError(
                f"invalid --hash {h!r}: expected <algorithm>:<hex digest> with one of {', '.join(ALLOWED_HASHES)}",
                **where,
            )
    if r.invalid_options:
        raise InputError(f"invalid per-requirement option(s): {', '.join(map(str, r.invalid_options))}", **where)
    extras = tuple(sorted(normalize_name(e) for e in (r.extras or ())))
    marker = str(r.marker) if r.marker is not None else None
    name = normalize_name(r.name) if r.name else None
    link = r.link.url if r.link is not None else None
    if link is None:
        if r.req is None:  # pragma: no cover - the library reports these as invalid lines
            raise InputError("requirement without a name or URL", **where)
        text = str(r.req)
        if marker and r.req.marker is None:
            text += f"; {marker}"
        return RequirementLine(
            requirement=text,
            name=name,
            kind="registry",
            url=None,
            extras=extras,
            marker=marker,
            specifier=str(r.req.specifier),
            hashes=tuple(r.hash_options or ()),
            editable=bool(r.is_editable),
            constraint=constraint,
            **where,
        )
    if _VCS_RE.match(link):
        kind, url = "vcs", link
    elif _REMOTE_RE.match(link) and not link.lower().startswith("file:"):
        kind, url = "url", link
    else:
        kind, url = "path", _path_url(link, file.parent)
    name = name or _name_for_location(url, kind)
    extras_text = f"[{','.join(extras)}]" if extras else ""
    text = f"{name}{extras_text} @ {url}" if name else url
    if marker:
        text += f" ; {marker}"
    return RequirementLine(
        requirement=text,
        name=name,
        kind=kind,
        url=url,
        extras=extras,
        marker=marker,
        specifier="",
        hashes=tuple(r.hash_options or ()),
        editable=bool(r.is_editable),
        constraint=constraint,
        **where,
    )


#: Per-requirement options newer than the vendored parser (pip 23.1+
#: ``--config-settings``/``-C``): they only matter for builds, which an
#: audit never runs, so they are dropped and the line parsed without them.
_NEWER_OPTION_RE = re.compile(r"no such option: (--config-settings|-C)\b")
_NEWER_OPTION_ARG_RE = re.compile(r"\s(?:--config-settings|-C)(?:=|\s+)\S+")


def _without_newer_options(text: str, file: Path, lineno: int, constraint: bool) -> RequirementLine | None:
    """Parse *text* again without ``--config-settings`` arguments; None if it still fails."""
    import tempfile

    from pip_requirements_parser import RequirementsFile

    stripped = _NEWER_OPTION_ARG_RE.sub("", f" {text}").strip()
    with tempfile.TemporaryDirectory(prefix="auditor-req-") as tmp:
        one = Path(tmp) / "line.txt"
        one.write_text(stripped + "\n", encoding="utf-8")
        parsed = RequirementsFile.from_file(str(one), include_nested=False)
    if parsed.invalid_lines or len(parsed.requirements) != 1:
        return None
    return _requirement_line(parsed.requirements[0], file, constraint, lineno)


def parse_requirements(path: str | Path) -> ParsedRequirements:
    """Parse a requirements file and everything it includes.

    Args:
        path: the requirements file.

    Returns:
        A :class:`ParsedRequirements`.

    Raises:
        InputError: the file cannot be read, a line is malformed, a ``--hash``
            is not ``sha256/384/512:<hex>``, an include is missing, remote or
            circular; the message names the file and 1-based line.
    """
    from pip_requirements_parser import RequirementsFile

    root = Path(path)
    reqs: list[RequirementLine] = []
    cons: list[RequirementLine] = []
    files: list[str] = []
    opts: dict = {"extra_index_urls": [], "find_links": [], "ignored": []}

    def read(file: Path, constraint: bool, stack: tuple[Path, ...], include_at: tuple[str, int] | None) -> None:
        key = file.resolve()
        if key in stack:
            raise InputError(f"circular include of {file}", *(include_at or (str(file), None)))
        if not file.is_file():
            if include_at:
                raise InputError(f"included file not found: {file}", *include_at)
            raise InputError("requirements file not found", str(file))
        files.append(str(file))
        try:
            parsed = RequirementsFile.from_file(str(file), include_nested=False)
        except Exception as exc:  # noqa: BLE001 - the library raises its own InstallationError or OSError
            raise InputError(f"cannot read requirements file: {_one_line(str(exc))}", str(file)) from exc
        items: list[tuple[int, str, object]] = []
        for bad in parsed.invalid_lines:
            items.append((bad.line_number, "invalid", bad))
        for opt in parsed.options:
            items.append((opt.line_number, "option", opt))
        for r in parsed.requirements:
            items.append((r.line_number, "requirement", r))
        for lineno, what, item in sorted(items, key=lambda t: (t[0], t[1] != "invalid")):
            if what == "invalid" and _NEWER_OPTION_RE.search(item.error_message):
                line = _without_newer_options(item.line, file, lineno, constraint)
                if line is not None:
                    (cons if constraint else reqs).append(line)
                    opts["ignored"].append(("config_settings", str(file), lineno))
                    continue
            if what == "invalid":
                text = redact_url(f"{_one_line(item.error_message)}: {item.line.strip()!r}")
                raise InputError(text, str(file), lineno)
            if what == "requirement":
                line = _requirement_line(item, file, constraint)
                (cons if constraint else reqs).append(line)
                continue
            for name, value in item.options.items():
                _option(name, value, file, lineno, constraint, stack + (key,))

    def _option(name: str, value, file: Path, lineno: int, constraint: bool, stack: tuple[Path, ...]) -> None:
        if name in ("requirements", "constraints"):
            for target in value:
                if _REMOTE_RE.match(target) and not target.lower().startswith("file:"):
                    raise InputError(f"remote include {target!r} is not supported; download it first", str(file), lineno)
                local = Path(unquote(urlsplit(target).path)) if target.lower().startswith("file:") else Path(target)
                resolved = local if local.is_absolute() else file.parent / local
                read(resolved, constraint or name == "constraints", stack, (str(file), lineno))
        elif name == "index_url":
            opts["index_url"] = value
        elif name == "extra_index_urls":
            opts["extra_index_urls"].extend(value)
        elif name == "find_links":
            for loc in value:
                if _REMOTE_RE.match(loc) and not loc.lower().startswith("file:"):
                    opts["find_links"].append(loc)
                else:
                    rel = file.parent / loc
                    opts["find_links"].append(str(rel.resolve() if rel.exists() else Path(loc).resolve()))
        elif name == "no_index":
            opts["no_index"] = bool(value)
        elif name == "pre":
            opts["pre"] = bool(value)
        else:
            opts["ignored"].append((name, str(file), lineno))

    read(root, False, (), None)
    options = RequirementsOptions(
        index_url=opts.get("index_url"),
        extra_index_urls=tuple(dict.fromkeys(opts["extra_index_urls"])),
        find_links=tuple(dict.fromkeys(opts["find_links"])),
        no_index=opts.get("no_index", False),
        pre=opts.get("pre", False),
        ignored=tuple(opts["ignored"]),
    )
    return ParsedRequirements(tuple(reqs), tuple(cons), options, tuple(files))


# --------------------------------------------------------------------------
# The source
# --------------------------------------------------------------------------


class RequirementsSource(Source):
    """A requirements.txt file, resolved for ``config.target`` with uv (pip as fallback).

    Args:
        path: the requirements file.
        resolver: ``"auto"`` (uv, then pip), ``"uv"``, ``"pip"``, or
            ``"none"``: take the file's ``==`` pins as the complete set
            without running a resolver (every requirement must be pinned).
        allow_build: let the resolver build sdists, VCS checkouts and local
            projects to learn their metadata.  Off by default, because a
            build executes the audited package's code.
    """

    name = "requirements"

    def __init__(self, path: str | Path, *, resolver: str = "auto", allow_build: bool = False):
        self.path = Path(path)
        self.resolver = resolver
        self.allow_build = allow_build
        #: After :meth:`collect`: the resolver's answer (tool, seconds, why pip was used), or None.
        self.resolution: Resolution | None = None
        #: After :meth:`collect`: HTTP request counts of the metadata lookups,
        #: ``{service: {"network": n, "cache_hits": n, "failures": n}}``
        #: (the resolver subprocess's own traffic is not counted).
        self.requests: dict[str, dict[str, int]] = {}

    def collect(self, config: Config) -> Inventory:
        """See :meth:`Source.collect`.

        Steps: :func:`parse_requirements`; resolution (:func:`resolve`) unless
        ``resolver="none"``; core metadata for every pin; :func:`link` for edges.
        Direct references the resolver cannot handle without a build (or at all)
        stay in the set as nodes whose metadata is Unknown with the reason.
        """
        parsed = parse_requirements(self.path)
        target = config.target
        env = target.marker_environment()
        wanted = [r for r in parsed.requirements if _applies(r, env)]
        unresolved: dict[tuple[str, int], str] = {}
        if self.resolver == "none":
            pins, resolver_name = _pins_from_input(wanted), "none (pinned input)"
        else:
            try:
                resolution, unresolved = self._resolve(parsed, config)
            except ResolutionError as exc:  # name the input file, as every input error does
                raise ResolutionError(f"{self.path}: {exc}") from exc
            self.resolution = resolution
            pins, resolver_name = list(resolution.pins), resolution.resolver
        by_name = _index_lines(wanted, pins)
        dists = self._distributions(pins, by_name, parsed, config)
        root_texts = [_root_text(line, by_name) for line in wanted]
        present = {d.name for d in dists}
        for line in wanted:  # direct references left out of the resolution stay as nodes
            reason = unresolved.get((line.file, line.line))
            if reason is None:
                continue
            name = line.name or _fallback_name(line.url or "")
            if name in present:
                continue
            present.add(name)
            dists.append(
                Distribution(
                    name=name,
                    version=None,
                    metadata=Unknown(redact_url(reason)),
                    origin=_origin(line, line.kind, line.url, None),
                    direct=True,
                    hashes=line.hashes,
                )
            )
            if not line.name:
                root_texts.append(f"{name} @ {line.url}" + (f" ; {line.marker}" if line.marker else ""))
        root_texts = [redact_url(t) for t in root_texts if t]
        root_edges, linked = _link([t for t in root_texts if t], dists, target)
        linked = _edges_from_via(linked, pins)
        return Inventory(
            root_name=str(self.path),
            root_kind="requirements",
            root_requires=root_edges,
            distributions=tuple(sorted(linked, key=lambda d: d.name)),
            target=target,
            interpreter_version=target.python_full_version or target.python_version,
            resolver=resolver_name,
        )

    # -- resolution -------------------------------------------------------

    def _request(self, parsed: ParsedRequirements, config: Config, lines: Iterable[RequirementLine]) -> ResolveRequest:
        o = parsed.options
        return ResolveRequest(
            requirements=tuple(dict.fromkeys(line.resolver_line() for line in lines)),
            constraints=tuple(dict.fromkeys(c.resolver_line() for c in parsed.constraints if c.kind == "registry")),
            target=config.target,
            index_url=o.index_url or config.index_url,
            extra_index_urls=o.extra_index_urls,
            find_links=o.find_links,
            no_index=o.no_index,
            pre=o.pre,
            allow_build=self.allow_build,
            cache_dir=(config.cache_dir / "uv") if config.use_cache else None,
            offline=config.offline,
        )

    def _resolve(
        self, parsed: ParsedRequirements, config: Config
    ) -> tuple[Resolution, dict[tuple[str, int], str]]:
        """Resolve everything; if that fails and direct references are present,
        resolve again without the ones that need a build (or without every
        direct reference), keeping them as unresolved nodes with the reason.

        Returns:
            The resolution and ``{(file, line): reason}`` of the lines left out.
        """
        lines = list(parsed.requirements)
        if not lines:
            return Resolution((), "none (empty input)"), {}
        cache = config.cache_dir / RESOLUTION_CACHE_DIR if config.use_cache else None

        def run(request: ResolveRequest) -> Resolution:
            return resolve_cached(request, self.resolver, cache, offline=config.offline)

        try:
            return run(self._request(parsed, config, lines)), {}
        except ResolutionError as first:
            direct = [l for l in lines if l.kind != "registry"]
            if not direct:
                raise
            reason = f"not resolved: {first}"
            builds = [l for l in direct if needs_build(l.resolver_line())] if not self.allow_build else []
            for drop in (builds, direct):
                if not drop:
                    continue
                kept = [l for l in lines if l not in drop]
                try:
                    res = run(self._request(parsed, config, kept)) if kept else Resolution((), "none")
                except ResolutionError:
                    if drop is direct:
                        raise
                    continue
                return res, {(l.file, l.line): reason for l in drop}
            raise

    # -- metadata ---------------------------------------------------------

    def _distributions(
        self, pins: list[Pin], by_name: dict[str, RequirementLine], parsed: ParsedRequirements, config: Config
    ) -> list[Distribution]:
        metadata = _metadata_for(pins, parsed, config, self.requests)
        dists = []
        for pin in pins:
            line = by_name.get(pin.name)
            kind = pin.kind if pin.kind != "registry" or line is None else line.kind
            url = pin.url or (line.url if line else None)
            index_url = None
            if kind == "registry":
                index_url = pin.index_url or parsed.options.index_url or config.index_url
            meta = metadata[pin.name]
            version = pin.version
            if version is None and isinstance(meta, CoreMetadata) and meta.version:
                version = meta.version  # a direct reference: the version its own metadata states
            dists.append(
                Distribution(
                    name=pin.name,
                    version=version,
                    metadata=meta,
                    origin=_origin(line, kind, url, index_url),
                    direct=line is not None and not line.constraint,
                    hashes=line.hashes if line else (),
                )
            )
        return dists


def _fallback_name(url: str) -> str:
    """A node name for an unnamed reference nobody could resolve: the last
    path segment of its URL without ``.git``, ``@revision`` or archive suffix."""
    path = urlsplit(url.split("+", 1)[1] if _VCS_RE.match(url) else url).path
    segment = unquote(path.rstrip("/").rsplit("/", 1)[-1]) or url
    segment = segment.split("@", 1)[0]
    for suffix in (".git", ".tar.gz", ".zip", ".whl"):
        segment = segment.removesuffix(suffix)
    return normalize_name(segment) or "unnamed"


def _applies(line: RequirementLine, env: dict[str, str]) -> bool:
    if not line.marker:
        return True
    from packaging.markers import Marker

    try:
        return Marker(line.marker).evaluate({**env, "extra": ""})
    except Exception:  # noqa: BLE001 - an unevaluable marker keeps the line (nothing silently dropped)
        return True


def _pins_from_input(lines: list[RequirementLine]) -> list[Pin]:
    """Pins taken from a fully pinned file (``resolver="none"``)."""
    pins = []
    for line in lines:
        if line.kind != "registry":
            if not line.name:
                raise InputError(
                    f"cannot name {line.url!r} without resolving it; write 'name @ {line.url}'", line.file, line.line
                )
            pins.append(Pin(name=line.name, version=None, kind=line.kind, url=line.url))
            continue
        version = line.pinned_version
        if version is None:
            raise InputError(
                f"{line.requirement!r} is not pinned with '=='; resolution is off, so every requirement must be pinned",
                line.file,
                line.line,
            )
        pins.append(Pin(name=line.name or "", version=version))
    seen: dict[str, Pin] = {}
    for p in pins:
        seen.setdefault(p.name, p)
    return sorted(seen.values(), key=lambda p: p.name)


def _index_lines(lines: list[RequirementLine], pins: list[Pin]) -> dict[str, RequirementLine]:
    """Input line per pinned name (the first line naming it); unnamed direct
    references are matched to pins by URL."""
    out: dict[str, RequirementLine] = {}
    pin_by_url = {_url_key(p.url): p.name for p in pins if p.url}
    for line in lines:
        name = line.name or pin_by_url.get(_url_key(line.url))
        if name and name not in out:
            out[name] = line if line.name else replace(line, name=name)
    return out


def _url_key(url: str | None) -> str:
    if not url:
        return ""
    url = url.split("#", 1)[0]
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path)).as_posix().rstrip("/")
    return url.rstrip("/")


def _root_text(line: RequirementLine, by_name: dict[str, RequirementLine]) -> str | None:
    """The PEP 508 text of a root edge (unnamed references get their resolved name)."""
    if line.name:
        return line.requirement
    named = next((l for n, l in by_name.items() if l.file == line.file and l.line == line.line), None)
    if named is None or not named.name:
        return None
    extras = f"[{','.join(line.extras)}]" if line.extras else ""
    return f"{named.name}{extras} @ {line.url}" + (f" ; {line.marker}" if line.marker else "")


def _origin(line: RequirementLine | None, kind: str, url: str | None, index_url: str | None) -> Origin:
    """The distribution's Origin; credentials in URLs are redacted (:func:`redact_url`)."""
    return Origin(
        kind=kind,
        url=redact_url(url) if url and kind != "registry" else None,
        file=line.file if line else None,
        line=line.line if line else None,
        index_url=redact_url(index_url) if index_url else None,
    )


def _metadata_for(
    pins: list[Pin], parsed: ParsedRequirements, config: Config, counts: dict | None = None
) -> dict[str, CoreMetadata | Unknown]:
    """Core metadata for every pin, keyed by name (request counts are added to *counts*).

    Sources, in order: the resolver's report (pip); a local wheel in a
    find-links directory or at a ``file:`` URL; a local project's static
    ``pyproject.toml``; the index (PEP 658 ``.metadata`` files through
    :class:`auditor.net.pypi.PyPIClient`, concurrently).  Direct URLs and VCS
    references are not on an index: Unknown, not a fault.
    """
    out: dict[str, CoreMetadata | Unknown] = {}
    remote: dict[str, list[Pin]] = {}
    local_dirs = [Path(f) for f in parsed.options.find_links if not _REMOTE_RE.match(f)]
    for pin in pins:
        if pin.metadata is not None:
            out[pin.name] = pin.metadata
            continue
        if pin.kind == "registry" and pin.version:
            where = pin.index_url or ""
            dirs = [Path(unquote(urlsplit(where).path))] if where.startswith("file:") else []
            found = None
            for d in dirs + (local_dirs if not where.startswith(("http:", "https:")) else []):
                wheel = find_local_wheel(d, pin.name, pin.version)
                found = read_wheel_metadata(wheel) if wheel else None
                if found:
                    break
            if found is not None:
                out[pin.name] = found
            elif where.startswith("file:") or (parsed.options.no_index and not where):
                out[pin.name] = Unknown(f"no wheel metadata found for {pin.name} {pin.version} in {where or 'find-links'}")
            else:
                index = where if where.startswith(("http:", "https:")) else parsed.options.index_url or config.index_url
                remote.setdefault(index, []).append(pin)
            continue
        out[pin.name] = _direct_metadata(pin)
    if remote:
        from auditor.collectors import Context
        from auditor.net.pypi import PyPIClient

        for index, group in remote.items():
            cfg = config if index == config.index_url else config.with_changes(index_url=index)
            ctx = Context(cfg)
            try:
                client = PyPIClient(ctx)
                results = ctx.map(lambda p: client.core_metadata(p.name, p.version), group, task="metadata")
            finally:
                if counts is not None:
                    for service, c in ctx.request_counts().items():
                        total = counts.setdefault(service, {"network": 0, "cache_hits": 0, "failures": 0})
                        for k, v in c.items():
                            total[k] = total.get(k, 0) + v
                ctx.close()
            for pin, meta in zip(group, results):
                out[pin.name] = meta
    return out


def _direct_metadata(pin: Pin) -> CoreMetadata | Unknown:
    """Metadata of a direct reference, learned without building or fetching."""
    url = pin.url or ""
    if url.startswith("file:"):
        path = Path(unquote(urlsplit(url).path))
        if path.suffix == ".whl":
            meta = read_wheel_metadata(path)
            if meta is not None:
                return meta
        elif path.is_dir():
            meta = read_local_project(path)
            if meta is not None and meta.version:
                return meta
            return Unknown("local project without static pyproject.toml metadata (not built)", fault=False)
        return Unknown("local file not readable as a wheel", fault=False)
    if pin.kind == "vcs":
        return Unknown("VCS requirement: not on an index", fault=False)
    return Unknown("direct URL requirement: not on an index", fault=False)


def _link(root_texts: list[str], dists: list[Distribution], target) -> tuple[tuple[DependencyEdge, ...], list[Distribution]]:
    from auditor.sources.edges import link

    root_edges, linked = link(root_texts, dists, target)
    return root_edges, list(linked)


def _edges_from_via(dists: list[Distribution], pins: list[Pin]) -> list[Distribution]:
    """Cross-check with the resolver's ``# via`` annotations: a distribution
    whose metadata is Unknown has no ``Requires-Dist`` to link, so its
    outgoing edges are taken from uv's annotations (requirement text is the
    bare target name; the marker is unknown)."""
    children: dict[str, set[str]] = {}
    for pin in pins:
        for parent in pin.via:
            children.setdefault(normalize_name(parent.split("[", 1)[0]) if not parent.startswith("-") else "", set()).add(
                pin.name
            )
    names = {d.name for d in dists}
    out = []
    for d in dists:
        if isinstance(d.metadata, Unknown) and not d.requires and children.get(d.name):
            edges = tuple(
                DependencyEdge(target=c, requirement=c) for c in sorted(children[d.name]) if c in names and c != d.name
            )
            d = replace(d, requires=edges)
        out.append(d)
    return out
