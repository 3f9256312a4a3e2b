"""``uv pip compile``: its command line and its output (requirements.txt with
split ``# via`` / ``# from`` annotations) as :class:`Pin` objects."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from auditor.dist.filenames import DistFilename, parse_url_filename
from auditor.dist.urls import location_kind
from auditor.errors import ResolutionError
from auditor.models import normalize_name
from auditor.sources.resolve.local import read_local_project
from auditor.sources.resolve.platforms import uv_python_platform
from auditor.sources.resolve.request import Pin, ResolveRequest

#: uv's exit codes for an error it reported (1: the command failed, e.g. no
#: solution; 2: any other error, e.g. a download failed or a bad argument).
#: Anything else (a signal, a Rust panic's 101) is a crash: pip is tried.
UV_ERROR_EXIT_CODES = (1, 2)

#: Phrases in uv's error output that mean "uv's own problem", where pip
#: (different TLS stack, different proxy handling, older syntax support)
#: may still succeed.  Unsatisfiable requirements are not in this list:
#: pip would fail on them too, only slower.
UV_FALLBACK_PATTERNS = re.compile(
    r"certificate|tls|ssl|proxy|not supported|unsupported|unexpected argument|unrecognized",
    re.IGNORECASE,
)


def uv_command(
    uv: str, request: ResolveRequest, infile: Path, constraints: Path | None, python: str | None = None
) -> list[str]:
    """The ``uv pip compile`` command line for *request* (exposed for tests and docs).

    ``--python`` names an interpreter (default: the one auditor runs in) so
    that uv does not search the machine for one matching the target version
    (slow, and it may try to download one); the target version itself is
    ``--python-version``, which is what uv resolves for.
    """
    t = request.target
    cmd = [
        uv, "pip", "compile", str(infile),
        "--no-config",
        "--no-header",
        "--emit-index-annotation",
        "--annotation-style", "split",
        "--color", "never",
        "--python-version", t.python_full_version or t.python_version,
        "--python-platform", uv_python_platform(t),
        "--python", python or sys.executable,
        "--no-python-downloads",
    ]  # fmt: skip
    if constraints is not None:
        cmd += ["--constraints", str(constraints)]
    if request.left_out:
        cmd += ["--overrides", str(infile.parent / "overrides.txt")]  # written by write_inputs
    if request.pre:
        cmd += ["--prerelease", "allow"]
    if not request.allow_build:
        cmd.append("--no-build")
    if request.cache_dir is None:
        cmd.append("--no-cache")
    else:
        cmd += ["--cache-dir", str(request.cache_dir)]
    if request.offline:
        cmd.append("--offline")
    if request.exclude_newer:
        cmd += ["--exclude-newer", request.exclude_newer]
    return cmd


_WHEELS_REQUIRED = re.compile(r"Wheels are required for `([^`]+)`")
_NO_WHEELS = re.compile(r"\b([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) has no usable wheels")


def wheel_only_failures(message: str) -> dict[str, str | None]:
    """``{name: version or None}`` of the packages uv could not use without a build.

    Read from uv's "No solution found" explanation ("Because sd==2.0 has no
    usable wheels ..." and its hint "Wheels are required for `sd` because
    building from source is disabled").  Empty when the failure is another one.
    """
    out: dict[str, str | None] = {}
    for m in _NO_WHEELS.finditer(message):
        out[normalize_name(m.group(1))] = m.group(2).rstrip(".,")
    for m in _WHEELS_REQUIRED.finditer(message):
        out.setdefault(normalize_name(m.group(1)), None)
    return out


_VIA_RE = re.compile(r"^\s+#\s+via\s*(.*)$")
_VIA_MORE_RE = re.compile(r"^\s+#\s{3}(\S.*)$")
_FROM_RE = re.compile(r"^\s+#\s+from\s+(\S+)")


def parse_uv_output(text: str) -> tuple[Pin, ...]:
    """Parse ``uv pip compile`` output (requirements.txt with split annotations).

    Recognizes ``name==version``, ``name @ url``, ``-e url-or-path`` lines,
    and the indented ``# via`` / ``#   parent`` / ``# from index`` comments
    that follow each.

    Returns:
        Pins sorted by name.
    """
    pins: list[dict] = []
    in_via = False
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if raw[0] not in " \t#":
            in_via = False
            editable = False
            line = raw.split(" #", 1)[0].strip()
            if line.startswith("-e ") or line.startswith("--editable "):
                editable = True
                line = line.split(None, 1)[1].strip()
            elif line.startswith("-"):
                continue  # an option line such as --index-url
            pins.append(_uv_pin(line, editable))
            continue
        if not pins:
            continue
        m = _VIA_RE.match(raw)
        if m:
            in_via = not m.group(1)
            if m.group(1):
                pins[-1]["via"].extend(v.strip() for v in m.group(1).split(",") if v.strip())
            continue
        m = _FROM_RE.match(raw)
        if m:
            in_via = False
            pins[-1]["index_url"] = m.group(1)
            continue
        m = _VIA_MORE_RE.match(raw)
        if m and in_via:
            pins[-1]["via"].append(m.group(1).strip())
    return tuple(sorted((Pin(**{**p, "via": tuple(p["via"])}) for p in pins), key=lambda p: p.name))


def _uv_pin(line: str, editable: bool) -> dict:
    """One ``uv pip compile`` output line as Pin keyword arguments."""
    if editable or "@" not in line and "==" not in line:
        # "-e file:///abs/path" or "-e ./path": uv prints no name; learn it from the path
        url = line
        name = _name_from_location(url)
        return dict(name=name, version=None, kind=location_kind(url), url=url, editable=editable, via=[])
    try:
        req = Requirement(line)
    except InvalidRequirement as exc:
        raise ResolutionError(f"uv pip compile: unexpected output line {line!r}") from exc
    name = normalize_name(req.name)
    if req.url:
        return dict(name=name, version=_version_from_url(req.url), kind=location_kind(req.url), url=req.url, via=[])
    version = next((s.version for s in req.specifier if s.operator in ("==", "===")), None)
    return dict(name=name, version=version, via=[])


def _name_from_location(url: str) -> str:
    """A distribution name for a path or URL: a local project's ``pyproject.toml``
    ``[project] name`` (read, never executed), else ``#egg=``, else the last path segment."""
    from urllib.parse import unquote, urlsplit

    m = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", url)
    if m:
        return normalize_name(m.group(1))
    path = unquote(urlsplit(url).path) if "://" in url else url
    meta = read_local_project(Path(path)) if path else None
    if meta is not None and meta.name:
        return normalize_name(meta.name)
    return normalize_name(Path(path.rstrip("/")).name or url)


def _version_from_url(url: str) -> str | None:
    """The version in a wheel or sdist file name at the end of *url*, else None."""
    parsed = parse_url_filename(url)
    return str(parsed.version) if isinstance(parsed, DistFilename) else None
