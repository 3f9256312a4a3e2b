"""What a resolver is asked and what it answers: :class:`ResolveRequest`,
:class:`Pin`, :class:`Resolution`, and the requirements file handed to it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.models import CoreMetadata, TargetEnvironment

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
        left_out: names the resolution must leave out (uv ``--overrides`` with
            a marker that never holds): packages that cannot be resolved
            without a build, kept by the source as unknown nodes.
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
    left_out: tuple[str, ...] = ()


#: The override that removes a package from a uv resolution: a marker no environment satisfies.
NEVER = 'python_version < "0"'


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


def write_inputs(request: ResolveRequest, infile: Path) -> None:
    """Write :func:`resolver_input` to *infile* (and the constraints beside it)."""
    infile.write_text(resolver_input(request), encoding="utf-8")
    if request.left_out:
        (infile.parent / "overrides.txt").write_text("".join(f"{n} ; {NEVER}\n" for n in request.left_out), encoding="utf-8")
    if request.constraints:
        (infile.parent / "constraints.txt").write_text(
            "".join(f"{expand_env(line)}\n" for line in request.constraints), encoding="utf-8"
        )
