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

Library objects (subprocess results, pip's report) stay in this package; the
rest of auditor sees :class:`Resolution` and :class:`Pin`.  Modules:
``request`` (what is asked and answered), ``platforms`` (the target in each
resolver's terms), ``process`` (running a subprocess), ``uv`` and ``pip``
(command lines and output parsing), ``local`` (local projects and wheels,
read as data); this module holds the entry points and the resolution cache.
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Callable

from auditor.atomic import replace_file
from auditor.errors import ConfigError, ResolutionError
from auditor.models import CoreMetadata
from auditor.dist.redact import redact_url
from auditor.sources.resolve.local import find_local_wheel, read_local_project, read_wheel_metadata
from auditor.sources.resolve.pip import needs_build, parse_pip_report, pip_command, pip_no_wheel_failures, resolve_with_pip
from auditor.sources.resolve.platforms import PIP_PLATFORMS, UV_PLATFORMS, pip_platform, pip_platforms, uv_python_platform
from auditor.sources.resolve.process import RESOLVER_TIMEOUT, UV_ENV_PASSTHROUGH, run_resolver, summarize_error
from auditor.sources.resolve.request import (
    Pin,
    Resolution,
    ResolverUnavailable,
    ResolveRequest,
    expand_env,
    resolver_input,
)
from auditor.sources.resolve.uv import UV_ERROR_EXIT_CODES, UV_FALLBACK_PATTERNS, parse_uv_output, uv_command, wheel_only_failures

__all__ = [
    "PIP_PLATFORMS", "RESOLUTION_CACHE_TTL", "RESOLVER_TIMEOUT", "UV_ENV_PASSTHROUGH", "UV_PLATFORMS",
    "Pin", "Resolution", "ResolveRequest", "ResolverUnavailable",
    "expand_env", "find_local_wheel", "find_uv", "needs_build", "parse_pip_report", "parse_uv_output",
    "pip_command", "pip_no_wheel_failures", "pip_platform", "pip_platforms", "read_local_project", "read_wheel_metadata", "redact_url",
    "resolution_cache_key", "resolve", "resolve_cached", "resolve_with_pip", "resolve_with_uv", "resolver_input",
    "summarize_error", "uv_command", "uv_python_platform", "wheel_only_failures",
]  # fmt: skip

log = logging.getLogger(__name__)


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
RESOLUTION_CACHE_VERSION = 2  # 2: CoreMetadata gained license_expression and license_classifiers


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
        "left_out": list(request.left_out),
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
    on_resolve: Callable[[], object] | None = None,
) -> Resolution:
    """:func:`resolve`, remembering the answer under *cache_dir* for *ttl* seconds.

    *on_resolve* is called just before a resolver actually runs (not for a cached answer):
    the run uses the resolver's seconds of waiting to load what its later stages need
    (``RunContext.while_resolving``).

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
    if on_resolve is not None:
        on_resolve()
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
            replace_file(path, json.dumps(doc).encode("utf-8"))
        except OSError as exc:  # a read-only cache only costs speed
            log.info("resolution cache not written: %s", exc)
    return res


def resolve_with_uv(request: ResolveRequest, uv: str | None = None) -> Resolution:
    """Resolve with ``uv pip compile``.

    Raises:
        ResolverUnavailable: uv is missing, crashed, or failed in a way pip may not share.
        ResolutionError: uv says the requirements cannot be resolved.
    """
    uv = uv or find_uv()
    if not uv:
        raise ResolverUnavailable("uv not installed")
    proc, seconds = run_resolver(request, lambda infile, cons: uv_command(uv, request, infile, cons), "auditor-uv-")
    if proc.returncode == 0:
        return Resolution(parse_uv_output(proc.stdout), "uv pip compile", seconds)
    message = summarize_error(proc.stderr, "uv pip compile")
    if proc.returncode not in UV_ERROR_EXIT_CODES:
        raise ResolverUnavailable(f"uv exited with code {proc.returncode}: {message}")
    if UV_FALLBACK_PATTERNS.search(proc.stderr) and "No solution found" not in proc.stderr:
        raise ResolverUnavailable(message)
    if request.extra_index_urls and not request.no_index and "No solution found" in proc.stderr:
        message += (" (with --extra-index-url, uv takes each name from the first index that has it, the extra"
                    " ones before --index-url: a guard against dependency confusion, which pip does not have;"
                    " docs/inputs.md)")
    raise ResolutionError(message)
