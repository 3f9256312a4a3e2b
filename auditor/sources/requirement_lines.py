"""requirements.txt syntax: lines, options and includes, parsed without running anything.

Parsing uses ``pip-requirements-parser`` (nexB), a vendored copy of pip's
own requirements-file parser, with :mod:`packaging.requirements` for PEP 508.
``-r``/``-c`` includes are followed here (not by the library) so that a
missing include names the including file and line.  Used by
:class:`auditor.sources.requirements.RequirementsSource`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement

from auditor.dist.filenames import DistFilename, filename_from_url, parse_url_filename
from auditor.dist.redact import redact_url
from auditor.dist.urls import is_remote, is_vcs, location_kind
from auditor.errors import InputError
from auditor.models import normalize_name
from auditor.sources.resolve import read_local_project
from auditor.sources.inputs import check_input_file

#: Hash algorithms pip accepts for ``--hash`` (pip ``STRONG_HASHES``).
ALLOWED_HASHES = ("sha256", "sha384", "sha512")

_HASH_RE = re.compile(r"^(sha256|sha384|sha512):[0-9a-fA-F]+$")


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
    """An absolute ``file://`` URL for a local path or ``file:`` URL, relative to *base*.

    Raises:
        InputError: the path cannot name a file (a NUL byte, an over-long name).
    """
    try:
        return _path_url_unchecked(value, base)
    except (ValueError, OSError) as exc:
        raise InputError(f"not a usable local path: {_one_line(str(exc))}", str(base)) from exc


def _path_url_unchecked(value: str, base: Path) -> str:
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
        kind, url, specifier = "registry", None, str(r.req.specifier)
        text = str(r.req)
        if marker and r.req.marker is None:
            text += f"; {marker}"
    else:
        kind, specifier = location_kind(link), ""
        url = _path_url(link, file.parent) if kind == "path" else link
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
        specifier=specifier,
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


def fallback_name(url: str) -> str:
    """A node name for an unnamed reference nobody could resolve: the last
    path segment of its URL without ``.git``, ``@revision`` or archive suffix."""
    path = urlsplit(url.split("+", 1)[1] if is_vcs(url) else url).path
    segment = unquote(path.rstrip("/").rsplit("/", 1)[-1]) or url
    segment = segment.split("@", 1)[0]
    for suffix in (".git", ".tar.gz", ".zip", ".whl"):
        segment = segment.removesuffix(suffix)
    return normalize_name(segment) or "unnamed"


def quotes_reference(message: str, line: RequirementLine) -> bool:
    """Whether the resolver's *message* quotes *line*'s reference (its URL, without the fragment)."""
    return bool(line.url) and line.url.split("#", 1)[0] in message


def left_out_reason(line: RequirementLine, message: str) -> str:
    """Why *line* was left out of the resolution: the resolver's *message* when it quotes the
    line's URL, else that it was left out with the others after that failure (uv stops at
    the first reference it cannot use, so its message is about one of them only)."""
    if quotes_reference(message, line):
        return f"not resolved: {message}"
    return ("not resolved: left out with the input's other direct references after the resolver failed "
            f"on one of them ({message})")


def file_version(url: str | None, name: str) -> str | None:
    """The version a wheel or sdist URL's file name states (``werkzeug-3.0.1.tar.gz`` -> ``3.0.1``)
    when it names *name*; None for a VCS URL, a directory, or another project's file."""
    if not url or is_vcs(url):
        return None
    parsed = parse_url_filename(unquote(url))
    return str(parsed.version) if isinstance(parsed, DistFilename) and parsed.name == name else None


def parse_line(text: str, file: Path, lineno: int | None) -> tuple[RequirementLine | None, dict]:
    """One line of pip's requirements syntax written in *file* at *lineno* (an
    ``environment.yml`` ``pip:`` entry, which conda hands to pip as a requirements
    file's line): ``(the requirement or None, {option: value} the line sets)``.
    Relative paths are relative to *file*'s directory; ``-r``/``-c`` are returned
    as options (``requirements``/``constraints``), not followed.

    Raises:
        InputError: the line is not valid pip syntax (names *file* and *lineno*).
    """
    import tempfile

    from pip_requirements_parser import RequirementsFile

    with tempfile.TemporaryDirectory(prefix="auditor-req-") as tmp:
        one = Path(tmp) / "line.txt"
        try:
            one.write_text(text.replace("\n", " ") + "\n", encoding="utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\ud800" escaped in YAML)
            raise InputError(f"not a requirement (not Unicode text): {redact_url(text.strip())!r}",
                             str(file), lineno) from None
        parsed = RequirementsFile.from_file(str(one), include_nested=False)
    if parsed.invalid_lines:
        bad = parsed.invalid_lines[0]
        raise InputError(redact_url(f"{_one_line(bad.error_message)}: {text.strip()!r}"), str(file), lineno)
    req = _requirement_line(parsed.requirements[0], file, False, lineno or 1) if parsed.requirements else None
    return req, {k: v for o in parsed.options for k, v in o.options.items()}


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
        try:  # a name the OS refuses ("File name too long", a NUL) is no file, not a crash
            key = file.resolve()
            is_file = file.is_file()
        except (OSError, ValueError) as exc:
            where = include_at or (str(file)[:300], None)
            raise InputError(f"not a usable file name: {str(file)[:120]!r} ({_one_line(str(exc))[:80]})", *where) from None
        if key in stack:
            raise InputError(f"circular include of {file}", *(include_at or (str(file), None)))
        if not is_file:
            if include_at:
                raise InputError(f"included file not found: {file}", *include_at)
            raise InputError("requirements file not found", str(file))
        check_input_file(file)  # a regular file under the size cap (sources/inputs.py)
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
                if is_remote(target):
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
                if is_remote(loc):
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
