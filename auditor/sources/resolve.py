"""Resolver wrappers: turn requirements into a complete pinned set with uv or pip.

auditor never resolves by itself.  It runs a real resolver in a subprocess:

1. ``uv pip compile`` (the ``uv`` PyPI package ships the binary; found with
   :func:`uv.find_uv_bin`), for the target Python version and platform
   (``--python-version``, ``--python-platform``), with ``--no-build`` unless
   builds are allowed, and its output (a requirements.txt with ``# via`` and
   ``# from <index>`` annotations) parsed into :class:`Pin` objects;
2. ``pip install --dry-run --ignore-installed --report -`` as a fallback when
   uv is missing or fails for a reason pip may not share (crash, unsupported
   argument or syntax, TLS/proxy trouble).  pip's installation report (JSON, version 1) carries
   each distribution's core metadata, so no metadata lookup is needed after it.

Neither resolver executes code from the audited packages by default: uv runs
with ``--no-build`` and pip with ``--only-binary :all:``, so only wheels (and,
for uv, local projects whose ``pyproject.toml`` metadata is static) are used.
See docs/inputs.md for what that means for sdist-only projects.

Library objects (subprocess results, pip's report) stay in this module; the
rest of auditor sees :class:`Resolution` and :class:`Pin`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from packaging.requirements import InvalidRequirement, Requirement

from auditor.errors import ConfigError, ResolutionError
from auditor.models import CoreMetadata, TargetEnvironment, normalize_name
from auditor.dist.filenames import DistFilename, parse_filename, parse_url_filename
from auditor.dist.redact import redact_url
from auditor.dist.tags import manylinux_platforms
from auditor.dist.metadata import from_json_info, from_pyproject, parse_core_metadata

log = logging.getLogger(__name__)

#: Seconds a resolver subprocess may run before it is abandoned.  A cold
#: resolution of a large ML stack with pip takes well under a minute (see
#: docs/inputs.md); ten minutes only catches a hung process.
RESOLVER_TIMEOUT = 600.0

#: uv ``--python-platform`` target triple per ``(sys_platform, platform_machine)``.
#: Source: ``uv help pip compile`` (uv 0.13).  Linux targets use manylinux_2_28,
#: the same default uv gives ``x86_64-unknown-linux-gnu``; macOS targets use
#: uv's default minimum macOS version (13.0).
UV_PLATFORMS: dict[tuple[str, str], str] = {
    ("linux", "x86_64"): "x86_64-manylinux_2_28",
    ("linux", "amd64"): "x86_64-manylinux_2_28",
    ("linux", "aarch64"): "aarch64-manylinux_2_28",
    ("linux", "arm64"): "aarch64-manylinux_2_28",
    ("darwin", "arm64"): "aarch64-apple-darwin",
    ("darwin", "aarch64"): "aarch64-apple-darwin",
    ("darwin", "x86_64"): "x86_64-apple-darwin",
    ("win32", "amd64"): "x86_64-pc-windows-msvc",
    ("win32", "x86_64"): "x86_64-pc-windows-msvc",
    ("win32", "arm64"): "aarch64-pc-windows-msvc",
    ("win32", "x86"): "i686-pc-windows-msvc",
}

#: pip ``--platform`` tag per ``(sys_platform, platform_machine)``, chosen to
#: match :data:`UV_PLATFORMS`.  pip expands a ``macosx_13_0`` tag to every
#: older compatible one by itself, but not a ``manylinux_2_28`` tag (pip 26
#: ``pip debug --verbose --platform manylinux_2_28_x86_64`` lists only that
#: tag), so :func:`pip_platforms` spells the manylinux ones out.
PIP_PLATFORMS: dict[tuple[str, str], str] = {
    ("linux", "x86_64"): "manylinux_2_28_x86_64",
    ("linux", "amd64"): "manylinux_2_28_x86_64",
    ("linux", "aarch64"): "manylinux_2_28_aarch64",
    ("linux", "arm64"): "manylinux_2_28_aarch64",
    ("darwin", "arm64"): "macosx_13_0_arm64",
    ("darwin", "aarch64"): "macosx_13_0_arm64",
    ("darwin", "x86_64"): "macosx_13_0_x86_64",
    ("win32", "amd64"): "win_amd64",
    ("win32", "x86_64"): "win_amd64",
    ("win32", "arm64"): "win_arm64",
    ("win32", "x86"): "win32",
}

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


_ENV_VAR_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")


def expand_env(text: str) -> str:
    """Expand ``${VAR}`` references the way pip does in requirements files
    (upper-case letters, digits and ``_`` only; unknown variables stay as written).

    The expanded text goes only to the resolver subprocess: auditor's models
    keep the text as written, so a token passed this way never reaches a report.
    """
    return _ENV_VAR_RE.sub(lambda m: os.environ.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class ResolveRequest:
    """What to resolve, and for which environment.

    Attributes:
        requirements: requirement lines for the resolver: PEP 508 strings
            (``"requests[socks]>=2; python_version >= '3.8'"``), direct
            references (``"name @ https://..."``, ``"name @ file:///abs/path"``)
            or ``"-e <url or absolute path>"``.
        constraints: PEP 508 constraint lines (``-c`` files).
        target: Python version and platform to resolve for.
        index_url: the primary simple index (``None``: PyPI).
        extra_index_urls: further indexes.
        find_links: extra local directories or URLs holding distributions.
        no_index: ignore every index (only ``find_links`` and direct references).
        pre: allow pre-releases.
        allow_build: let the resolver build sdists and source trees to learn
            their metadata (this executes their build code).
        cache_dir: the resolver's cache directory; ``None`` disables its cache.
        offline: forbid network access (uv ``--offline``).
        exclude_newer: ISO date; ignore distributions uploaded after it (uv only).
    """

    requirements: tuple[str, ...]
    constraints: tuple[str, ...] = ()
    target: TargetEnvironment = field(default_factory=TargetEnvironment)
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    pre: bool = False
    allow_build: bool = False
    cache_dir: Path | None = None
    offline: bool = False
    exclude_newer: str | None = None


@dataclass(frozen=True)
class Pin:
    """One distribution of a resolution.

    Attributes:
        name: PEP 503 normalized name.
        version: the pinned version; ``None`` for a direct reference whose
            version the resolver did not print (uv prints ``name @ url`` lines).
        kind: ``"registry"``, ``"url"``, ``"vcs"`` or ``"path"``.
        url: the direct reference (``git+https://...@<commit>``, ``file:///...``) for non-registry kinds.
        index_url: the index or find-links location it came from (uv ``# from``
            annotation; pip ``download_info.url`` for registry kinds), if known.
        via: names of the distributions that required it (uv ``# via``; the
            root is ``"-r <file>"``); empty when the resolver does not say.
        metadata: core metadata when the resolver reports it (pip's report), else ``None``.
        editable: the input asked for an editable install.
    """

    name: str
    version: str | None
    kind: str = "registry"
    url: str | None = None
    index_url: str | None = None
    via: tuple[str, ...] = ()
    metadata: CoreMetadata | None = None
    editable: bool = False


@dataclass(frozen=True)
class Resolution:
    """The resolver's answer.

    Attributes:
        pins: every distribution, sorted by name.
        resolver: ``"uv pip compile"`` or ``"pip --dry-run"``.
        seconds: wall-clock time the resolver subprocess took.
        fallback_reason: why uv was not used, when pip answered.
        cached: the answer was remembered from an earlier run (:func:`resolve_cached`).
    """

    pins: tuple[Pin, ...]
    resolver: str
    seconds: float = 0.0
    fallback_reason: str | None = None
    cached: bool = False


class ResolverUnavailable(Exception):
    """The resolver cannot run here or failed for a reason another resolver may not share."""


# --------------------------------------------------------------------------
# Target mapping
# --------------------------------------------------------------------------


def _platform_key(target: TargetEnvironment) -> tuple[str, str]:
    return (target.sys_platform.lower(), target.platform_machine.lower())


def uv_python_platform(target: TargetEnvironment) -> str:
    """The uv ``--python-platform`` triple for *target*.

    Raises:
        ConfigError: no triple is known for the platform/machine pair.
    """
    try:
        return UV_PLATFORMS[_platform_key(target)]
    except KeyError:
        raise ConfigError(
            f"no resolver platform for sys_platform={target.sys_platform!r} "
            f"platform_machine={target.platform_machine!r}; supported: "
            + ", ".join(f"{p}/{m}" for p, m in UV_PLATFORMS)
        ) from None


def pip_platform(target: TargetEnvironment) -> str:
    """The newest pip ``--platform`` tag for *target* (see :data:`PIP_PLATFORMS`).

    Raises:
        ConfigError: no tag is known for the platform/machine pair.
    """
    try:
        return PIP_PLATFORMS[_platform_key(target)]
    except KeyError:
        raise ConfigError(
            f"no resolver platform for sys_platform={target.sys_platform!r} "
            f"platform_machine={target.platform_machine!r}"
        ) from None


def pip_platforms(target: TargetEnvironment) -> list[str]:
    """Every pip ``--platform`` tag for *target*, newest first: for Linux the
    manylinux_2_28 tag and each older glibc tag with its legacy alias (pip
    does not expand these itself; :func:`auditor.dist.tags.manylinux_platforms`);
    for macOS and Windows the one tag."""
    tag = pip_platform(target)
    m = re.match(r"^manylinux_2_(\d+)_(\w+)$", tag)
    return manylinux_platforms(m.group(2), int(m.group(1))) if m else [tag]


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def find_uv() -> str | None:
    """Path of the uv binary: the ``uv`` package's (:func:`uv.find_uv_bin`), else ``uv`` on PATH, else None."""
    try:
        import uv  # the PyPI package that ships the binary

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        pass
    from shutil import which

    return which("uv")


def resolve(request: ResolveRequest, resolver: str = "auto") -> Resolution:
    """Resolve *request* to a complete pinned set.

    Args:
        request: what to resolve.
        resolver: ``"auto"`` (uv, falling back to pip), ``"uv"`` or ``"pip"``.

    Returns:
        A :class:`Resolution`.

    Raises:
        ResolutionError: the requirements cannot be resolved (the resolver's
            own message, one line, with its hint), or no resolver can run.
        ConfigError: the target platform has no resolver equivalent.
    """
    if resolver not in ("auto", "uv", "pip"):
        raise ConfigError(f"unknown resolver {resolver!r} (expected auto, uv or pip)")
    if resolver in ("auto", "uv"):
        try:
            return resolve_with_uv(request)
        except ResolverUnavailable as exc:
            if resolver == "uv":
                raise ResolutionError(f"uv pip compile could not run: {exc}") from exc
            log.info("uv unavailable (%s); falling back to pip --dry-run", exc)
            reason = str(exc)
    else:
        reason = None
    try:
        res = resolve_with_pip(request)
    except ResolverUnavailable as exc:
        raise ResolutionError(f"pip could not run: {exc}") from exc
    return Resolution(res.pins, res.resolver, res.seconds, fallback_reason=reason)


#: Seconds a cached resolution stays valid.  Same lifetime as the simple-index
#: pages in the HTTP cache (:data:`auditor.net.http.EXPIRY` ``"index"``): a new
#: upstream release can change an unpinned resolution, and an hour is how
#: stale auditor already lets its view of the index be.
RESOLUTION_CACHE_TTL = 3600

#: Bumped when the cached document's shape changes.
RESOLUTION_CACHE_VERSION = 1


def resolution_cache_key(request: ResolveRequest, resolver: str) -> str | None:
    """A stable key for *request*, or None when it must not be cached.

    Requests naming local paths (``file:`` references, local find-links) are
    never cached: a local project or wheelhouse changes without notice, and
    resolving them costs no network anyway.  The key hashes the resolver's
    input (with ``${VAR}`` expanded, so a changed token gives a new key; the
    key does not reveal it), the target, the options that change the answer,
    and the tool versions.
    """
    import hashlib

    text = resolver_input(request) + "".join(request.constraints)
    if "file:" in text or any(not re.match(r"^[a-z]+://", f) for f in request.find_links):
        return None
    doc = {
        "v": RESOLUTION_CACHE_VERSION,
        "input": text,
        "constraints": [expand_env(c) for c in request.constraints],
        "target": vars(request.target),
        "pre": request.pre,
        "allow_build": request.allow_build,
        "exclude_newer": request.exclude_newer,
        "resolver": resolver,
        "uv": _tool_version("uv"),
        "pip": _tool_version("pip"),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _tool_version(tool: str) -> str:
    try:
        if tool == "uv":
            from importlib.metadata import version

            return version("uv")
        import pip

        return pip.__version__
    except Exception:  # noqa: BLE001 - an unknown version just makes a different key
        return "unknown"


def _pin_to_json(pin: Pin) -> dict:
    from dataclasses import asdict

    return asdict(pin)


def _pin_from_json(doc: dict) -> Pin:
    meta = doc.get("metadata")
    if meta is not None:
        meta = CoreMetadata(
            **{
                k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
                for k, v in meta.items()
            }
        )
    return Pin(**{**doc, "via": tuple(doc.get("via") or ()), "metadata": meta})


def resolve_cached(
    request: ResolveRequest,
    resolver: str = "auto",
    cache_dir: Path | None = None,
    offline: bool = False,
    ttl: float | None = None,
) -> Resolution:
    """:func:`resolve`, remembering the answer under *cache_dir* for *ttl* seconds.

    A warm audit of the same input thus runs no resolver and makes no
    network request (uv would revalidate the index pages).  With *offline*
    a cached answer of any age is used.  ``cache_dir=None`` disables the cache;
    *ttl* defaults to :data:`RESOLUTION_CACHE_TTL`.

    Returns:
        The :class:`Resolution` (``cached=True`` when it comes from the cache).
    """
    ttl = RESOLUTION_CACHE_TTL if ttl is None else ttl
    key = resolution_cache_key(request, resolver) if cache_dir is not None else None
    path = cache_dir / f"{key}.json" if key and cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            fresh = offline or time.time() - float(doc["created"]) < ttl
            if fresh and doc.get("v") == RESOLUTION_CACHE_VERSION:
                return Resolution(
                    tuple(_pin_from_json(p) for p in doc["pins"]),
                    doc["resolver"],
                    0.0,
                    doc.get("fallback_reason"),
                    cached=True,
                )
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged entry is ignored and rewritten
    res = resolve(request, resolver)
    if path is not None:
        doc = {
            "v": RESOLUTION_CACHE_VERSION,
            "created": time.time(),
            "resolver": res.resolver,
            "fallback_reason": res.fallback_reason,
            "pins": [_pin_to_json(p) for p in res.pins],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(doc), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:  # a read-only cache only costs speed
            log.info("resolution cache not written: %s", exc)
    return res


def resolver_input(request: ResolveRequest) -> str:
    """The requirements file handed to the resolver: index options, then requirements.

    Index options (``--index-url``, ``--extra-index-url``, ``--find-links``,
    ``--no-index``) go in the file, which both uv and pip read, rather than on
    the command line, where credentials in an index URL would be visible to
    every user of the machine (``ps``).  ``${VAR}`` references are expanded
    here (:func:`expand_env`), in a private temporary directory.
    """
    lines = []
    if request.no_index:
        lines.append("--no-index")
    elif request.index_url:
        lines.append(f"--index-url {request.index_url}")
    lines += [f"--extra-index-url {url}" for url in request.extra_index_urls]
    lines += [f"--find-links {loc}" for loc in request.find_links]
    lines += list(request.requirements)
    return "".join(f"{expand_env(line)}\n" for line in lines)


def _write_inputs(request: ResolveRequest, infile: Path) -> None:
    """Write :func:`resolver_input` to *infile* (and the constraints beside it)."""
    infile.write_text(resolver_input(request), encoding="utf-8")
    if request.constraints:
        (infile.parent / "constraints.txt").write_text(
            "".join(f"{expand_env(line)}\n" for line in request.constraints), encoding="utf-8"
        )


def _run(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    try:
        proc = subprocess.run(
            list(cmd),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=RESOLVER_TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise ResolverUnavailable(f"{cmd[0]} not found") from exc
    except OSError as exc:
        raise ResolverUnavailable(f"{cmd[0]} could not start ({exc})") from exc
    except subprocess.TimeoutExpired as exc:
        raise ResolverUnavailable(f"timed out after {RESOLVER_TIMEOUT:.0f} s") from exc
    return proc, time.monotonic() - start


#: uv environment variables passed through to the subprocess: transport
#: settings (TLS roots, timeouts, keyring) that a corporate network may need.
#: Every other ``UV_*`` variable (indexes, find-links, constraints, pre-release
#: and build policy) is dropped so that only auditor's explicit options decide
#: the resolution; pip runs with ``--isolated`` for the same reason.
UV_ENV_PASSTHROUGH = frozenset(
    {
        "UV_NATIVE_TLS",
        "UV_INSECURE_HOST",
        "UV_HTTP_TIMEOUT",
        "UV_HTTP_RETRIES",
        "UV_CONCURRENT_DOWNLOADS",
        "UV_KEYRING_PROVIDER",
    }
)


def _clean_env() -> dict[str, str]:
    """The environment for resolver subprocesses (see :data:`UV_ENV_PASSTHROUGH`)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("UV_") and k not in UV_ENV_PASSTHROUGH) and not k.startswith("PIP_")
    }
    env["NO_COLOR"] = "1"
    return env


def summarize_error(stderr: str, tool: str) -> str:
    """One line from a resolver's error output: the error, its last cause, and its hint.

    uv prints ``error: ...``, then ``  cause: ...`` lines, then ``hint: ...``;
    pip prints ``ERROR: ...`` lines.
    """
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    error = next((l for l in lines if l.lower().startswith("error:")), lines[-1] if lines else "no output")
    causes = [l for l in lines if l.startswith("cause:") or l.startswith("Caused by:")]
    hints = [l for l in lines if l.startswith("hint:")]
    text = error.split(":", 1)[1].strip() if error.lower().startswith("error:") else error
    if causes:
        cause = causes[-1].split(":", 1)[1].strip()
        text = f"{text}: {cause}" if text else cause
    if hints:
        text += f" ({hints[0]})"
    return redact_url(f"{tool}: {text}")


# --------------------------------------------------------------------------
# uv
# --------------------------------------------------------------------------


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


def resolve_with_uv(request: ResolveRequest, uv: str | None = None) -> Resolution:
    """Resolve with ``uv pip compile``.

    Raises:
        ResolverUnavailable: uv is missing, crashed, or failed in a way pip may not share.
        ResolutionError: uv says the requirements cannot be resolved.
    """
    uv = uv or find_uv()
    if not uv:
        raise ResolverUnavailable("uv not installed")
    with tempfile.TemporaryDirectory(prefix="auditor-uv-") as tmp:
        tmpdir = Path(tmp)
        infile = tmpdir / "requirements.in"
        _write_inputs(request, infile)
        cons = tmpdir / "constraints.txt" if request.constraints else None
        cmd = uv_command(uv, request, infile, cons)
        proc, seconds = _run(cmd, tmpdir, _clean_env())
    if proc.returncode == 0:
        return Resolution(parse_uv_output(proc.stdout), "uv pip compile", seconds)
    message = summarize_error(proc.stderr, "uv pip compile")
    if proc.returncode not in UV_ERROR_EXIT_CODES:
        raise ResolverUnavailable(f"uv exited with code {proc.returncode}: {message}")
    if UV_FALLBACK_PATTERNS.search(proc.stderr) and "No solution found" not in proc.stderr:
        raise ResolverUnavailable(message)
    raise ResolutionError(message)


_VIA_RE = re.compile(r"^\s+#\s+via\s*(.*)$")
_VIA_MORE_RE = re.compile(r"^\s+#\s{3}(\S.*)$")
_FROM_RE = re.compile(r"^\s+#\s+from\s+(\S+)")


def _kind_of_url(url: str) -> str:
    if re.match(r"^(git|hg|svn|bzr)\+", url):
        return "vcs"
    if url.startswith("file:") or url.startswith("/") or url.startswith("."):
        return "path"
    return "url"


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
        return dict(name=name, version=None, kind=_kind_of_url(url), url=url, editable=editable, via=[])
    try:
        req = Requirement(line)
    except InvalidRequirement as exc:
        raise ResolutionError(f"uv pip compile: unexpected output line {line!r}") from exc
    name = normalize_name(req.name)
    if req.url:
        return dict(name=name, version=_version_from_url(req.url), kind=_kind_of_url(req.url), url=req.url, via=[])
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


def read_local_project(path: Path) -> CoreMetadata | None:
    """Static PEP 621 metadata of a local project directory (``pyproject.toml``
    ``[project]`` table), or None when absent or dynamic.  Never runs a build."""
    import tomllib

    try:
        doc = tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    project = doc.get("project")
    return from_pyproject(project) if isinstance(project, dict) else None


def read_wheel_metadata(path: Path) -> CoreMetadata | None:
    """Core metadata from a local wheel file (``*.dist-info/METADATA`` in the zip),
    or None when the file is not a readable wheel.  Reading a zip runs no code."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            if not names:
                return None
            return parse_core_metadata(zf.read(names[0]))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None


def find_local_wheel(directory: Path, name: str, version: str) -> Path | None:
    """A wheel of *name* == *version* in a local find-links *directory*, or None."""
    from packaging.utils import canonicalize_version

    try:
        candidates = sorted(directory.glob("*.whl"))
    except OSError:
        return None
    for path in candidates:
        parsed = parse_filename(path.name)
        if not isinstance(parsed, DistFilename):
            continue
        if parsed.name == name and canonicalize_version(parsed.version) == canonicalize_version(version):
            return path
    return None


def needs_build(line: str) -> bool:
    """Whether a resolver line is a direct reference whose metadata can only
    be learned by building it (a VCS checkout, a local directory, an sdist URL)."""
    text = line[3:].strip() if line.startswith("-e ") else line
    if " @ " in text:
        text = text.split(" @ ", 1)[1]
    text = text.split(";", 1)[0].strip()
    if not re.match(r"^([a-z]+\+)?[a-z]+://|^[./]", text):
        return False  # a registry requirement
    return not text.split("#", 1)[0].split("?", 1)[0].endswith(".whl")


# --------------------------------------------------------------------------
# pip
# --------------------------------------------------------------------------


def pip_command(python: str, request: ResolveRequest, infile: Path, constraints: Path | None) -> list[str]:
    """The ``pip install --dry-run --report -`` command line for *request*."""
    t = request.target
    cmd = [
        python, "-m", "pip", "install",
        "--dry-run", "--ignore-installed", "--report", "-", "--quiet",
        "--disable-pip-version-check", "--no-input", "--isolated",
        "--python-version", t.python_full_version or t.python_version,
        *(arg for tag in pip_platforms(t) for arg in ("--platform", tag)),
        "--implementation", "cp" if t.implementation_name == "cpython" else t.implementation_name[:2],
        "-r", str(infile),
    ]  # fmt: skip
    if constraints is not None:
        cmd += ["-c", str(constraints)]
    if request.pre:
        cmd.append("--pre")
    # pip refuses --platform/--python-version without --only-binary :all:;
    # it also keeps sdists from being built (their setup.py executed).
    cmd += ["--only-binary", ":all:"]
    if request.cache_dir is None:
        cmd.append("--no-cache-dir")
    else:
        cmd += ["--cache-dir", str(request.cache_dir)]
    return cmd


def resolve_with_pip(request: ResolveRequest, python: str | None = None) -> Resolution:
    """Resolve with ``pip install --dry-run --ignore-installed --report -``.

    Runs the pip of *python* (default: the interpreter auditor runs in).
    ``--only-binary :all:`` is always given (pip requires it with
    ``--platform``), so sdists are never built; local projects and VCS
    checkouts still are built by pip to read their metadata, so callers
    keep such references out of *request* unless builds are allowed.

    Raises:
        ResolverUnavailable: pip is missing.
        ResolutionError: pip could not resolve (its message, one line), or
            *request* holds a reference pip would have to build while
            ``allow_build`` is False.
    """
    python = python or sys.executable
    if not request.allow_build:
        built = [line for line in request.requirements if needs_build(line)]
        if built:
            raise ResolutionError(
                f"pip --dry-run: would build {built[0]!r} to read its metadata "
                "(executes its build code); allow builds to resolve it"
            )
    with tempfile.TemporaryDirectory(prefix="auditor-pip-") as tmp:
        tmpdir = Path(tmp)
        infile = tmpdir / "requirements.in"
        _write_inputs(request, infile)
        cons = tmpdir / "constraints.txt" if request.constraints else None
        cmd = pip_command(python, request, infile, cons)
        proc, seconds = _run(cmd, tmpdir, _clean_env())
    if proc.returncode != 0:
        if "No module named pip" in proc.stderr:
            raise ResolverUnavailable(f"{python} has no pip")
        raise ResolutionError(summarize_error(proc.stderr, "pip --dry-run"))
    try:
        report = json.loads(proc.stdout)
    except ValueError as exc:
        raise ResolutionError("pip --dry-run: the installation report is not JSON") from exc
    index = None if request.no_index else (request.index_url or "https://pypi.org/simple")
    return Resolution(parse_pip_report(report, index), "pip --dry-run", seconds)


def parse_pip_report(report: dict, default_index: str | None = None) -> tuple[Pin, ...]:
    """Pins from a pip installation report (``--report``, format version 1).

    *default_index* is recorded as the index of every pin downloaded over
    HTTP (the report gives the file's URL, not the index that listed it).

    Fields read: ``install[].metadata`` (core metadata as JSON, PEP 566),
    ``install[].download_info`` (``url``, ``vcs_info``, ``dir_info``,
    ``archive_info``; the direct URL data structure), ``is_direct``,
    ``requested``.
    """
    pins = []
    for item in report.get("install", []):
        meta = item.get("metadata") or {}
        info = item.get("download_info") or {}
        name = normalize_name(str(meta.get("name", "")))
        version = str(meta.get("version")) if meta.get("version") else None
        url = info.get("url")
        kind, direct_url, index_url = "registry", None, None
        if item.get("is_direct"):
            if "vcs_info" in info:
                vcs = info["vcs_info"]
                kind = "vcs"
                direct_url = f"{vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}".rstrip("@")
            elif "dir_info" in info or (url or "").startswith("file:") and "archive_info" not in info:
                kind, direct_url = "path", url
            else:
                kind, direct_url = ("path" if (url or "").startswith("file:") else "url"), url
        elif url and url.startswith("file:"):
            index_url = url.rsplit("/", 1)[0]  # a find-links directory
        elif url:
            index_url = default_index  # pip's report names the file, not the index it was listed on
        pins.append(
            Pin(
                name=name,
                version=version,
                kind=kind,
                url=direct_url,
                index_url=index_url,
                metadata=from_json_info(meta) if meta else None,
                editable=bool((info.get("dir_info") or {}).get("editable")),
            )
        )
    return tuple(sorted(pins, key=lambda p: p.name))
