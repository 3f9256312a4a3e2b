"""Install-time code execution: does the target get a wheel, or build an sdist?

Installing a wheel copies files; installing from an sdist runs the build
backend named in its ``pyproject.toml`` (PEP 517), and with it arbitrary
code of the package and of its build requirements.  This collector checks,
for the pinned version and the run's :class:`~auditor.models.TargetEnvironment`,
whether any wheel's tags are supported by the target
(:func:`auditor.dist.tags.best_wheel`, on ``packaging.tags``), and when
not, reads the sdist's ``[build-system]`` table **as data** (``tomllib``;
nothing from the archive is ever executed or extracted to disk).

Sources: the simple index (PEP 691) file list and the sdist file itself
(``RunContext.http("pypi-files")``).  The sdist itself is not kept: its build
system, once read, is memoized forever (``RunContext.facts()``, namespace
``build-system``, keyed by the file's URL: files are immutable).
"""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from dataclasses import replace
from typing import Iterable, Mapping, Sequence

from packaging.requirements import InvalidRequirement, Requirement

from auditor.collectors import Collector, RunContext
from auditor.config import DEFAULT_MAX_SDIST_BYTES
from auditor.dist import tags as dist_tags
from auditor.dist.archives import ArchiveLimits, ArchiveTooLarge, open_zip, tar_member, zip_member
from auditor.dist.bounded import loads_toml
from auditor.models import DependencyEdge, InstallFacts, PackageNode, TargetEnvironment, Unknown, UnknownKind, normalize_name
from auditor.signals.index import ReleaseFile, map_release_files

#: PEP 517 says a missing ``build-backend`` means the legacy setuptools backend.
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
#: What pip installs for a legacy build (PEP 518's default ``requires`` plus ``wheel``).
LEGACY_REQUIRES = ("setuptools>=40.8.0", "wheel")
#: sdists larger than this are not downloaded to read their build system.
MAX_SDIST_BYTES = DEFAULT_MAX_SDIST_BYTES  # Config.max_sdist_bytes (docs/limits.md)


def best_wheel(files: Iterable[ReleaseFile], target: TargetEnvironment) -> ReleaseFile | None:
    """The wheel an installer would pick for *target* (:func:`auditor.dist.tags.best_wheel`), or ``None``."""
    files = [f for f in files if f.kind == "wheel"]
    chosen = dist_tags.best_wheel((f.filename for f in files), target)
    return next((f for f in files if f.filename == chosen), None) if chosen else None


def read_build_system(archive: bytes, filename: str,
                      limits: ArchiveLimits = ArchiveLimits()) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """``(build-backend, requires, backend-path)`` from an sdist's top-level ``pyproject.toml``, read as data.

    Without a ``pyproject.toml`` (or without ``[build-system]``) PEP 517/518
    defaults apply: the legacy setuptools backend requiring ``setuptools``
    (and ``wheel``, as pip assumes).

    Only the one member is read, streamed, within *limits*
    (:mod:`auditor.dist.archives`: members, decompressed bytes, ratio).

    Raises:
        ArchiveTooLarge: the archive breaks a bound (a ``ValueError``).
        ValueError: the archive or its ``pyproject.toml`` cannot be read.
    """
    text = None
    if filename.endswith(".zip"):
        with open_zip(io.BytesIO(archive), limits) as zf:
            names = [n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/pyproject.toml")]
            if names:
                text = zip_member(zf, names[0], limits).decode("utf-8")
    else:
        raw = tar_member(archive, lambda m: m.name.count("/") == 1 and m.name.endswith("/pyproject.toml"), limits)
        text = raw.decode("utf-8") if raw is not None else None
    if text is None:
        return LEGACY_BACKEND, LEGACY_REQUIRES, ()
    data = loads_toml(text)
    if not isinstance(data.get("build-system"), dict):
        return LEGACY_BACKEND, LEGACY_REQUIRES, ()
    build = data["build-system"]
    requires = tuple(str(r) for r in build.get("requires") or ())
    backend_path = tuple(str(p) for p in build.get("backend-path") or ())
    return str(build.get("build-backend") or LEGACY_BACKEND), requires, backend_path


def build_edges(facts: InstallFacts) -> tuple[DependencyEdge, ...]:
    """``build`` edges for the graph (``--build-deps``): one per valid build requirement.

    The targets are the build requirements' normalized names; their versions
    are not resolved (a build environment is resolved at install time).
    """
    out = []
    for text in facts.build_requires:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        out.append(
            DependencyEdge(
                target=normalize_name(req.name),
                requirement=text,
                marker=str(req.marker) if req.marker else None,
                extras=tuple(sorted(req.extras)),
                kind="build",
            )
        )
    return tuple(out)


class InstallCollector(Collector):
    """Wheel or sdist for the target, and the sdist's build system (see :class:`Collector`)."""

    key = "install"
    description = "whether installing runs a build backend (no wheel for the target), and its build requirements"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, InstallFacts | Unknown]:
        def one(node: PackageNode, files: list[ReleaseFile]) -> InstallFacts | Unknown:
            version = node.distribution.version
            if not files:
                return Unknown(f"no files for {version} on the index")
            wheel = best_wheel(files, ctx.config.target)
            sdist = next((f for f in files if f.kind == "sdist"), None)
            facts = InstallFacts(
                version=version,
                wheel=wheel.filename if wheel else None,
                sdist=sdist.filename if sdist else None,
                builds_from_source=wheel is None and sdist is not None,
            )
            if sdist is not None and (facts.builds_from_source or ctx.config.build_deps):
                backend, requires, backend_path = self._build_system(ctx, sdist)
                facts = replace(facts, build_backend=backend, build_requires=requires, backend_path=backend_path)
            return facts

        return map_release_files(ctx, nodes, one, task="install")

    @staticmethod
    def _build_system(ctx: RunContext, sdist: ReleaseFile) -> tuple[str | Unknown | None, tuple[str, ...], tuple[str, ...]]:
        """The sdist's build system; the backend is Unknown (with why) when it cannot be read.

        The download is capped at ``Config.max_sdist_bytes`` before and while
        it streams (``Content-Length``, then the bytes read); an oversized sdist
        is ``unknown (too large)``, itself a fact the report shows.
        """
        facts = ctx.facts()
        stored = facts.get("build-system", sdist.url) if facts else None
        if isinstance(stored, list) and len(stored) == 3:
            backend = stored[0] if stored[0] is None or isinstance(stored[0], str) else Unknown(
                str(stored[0].get("unknown")), kind=UnknownKind(stored[0].get("kind", "error")))
            return backend, tuple(stored[1]), tuple(stored[2])
        got = InstallCollector._read_build_system(ctx, sdist)
        kept = got[0] if not isinstance(got[0], Unknown) else (
            {"unknown": got[0].reason, "kind": got[0].kind.value}
            if got[0].kind in (UnknownKind.TOO_LARGE, UnknownKind.MALFORMED) else False)
        if facts is not None and kept is not False:
            facts.put("build-system", sdist.url, [kept, list(got[1]), list(got[2])])
        return got

    @staticmethod
    def _read_build_system(ctx: RunContext, sdist: ReleaseFile) -> tuple[str | Unknown | None, tuple[str, ...], tuple[str, ...]]:
        resp = ctx.http("pypi-files").get(sdist.url, max_bytes=ctx.config.max_sdist_bytes)
        if isinstance(resp, Unknown):
            return Unknown(f"{sdist.filename}: {resp.reason}", kind=resp.kind), (), ()
        if resp.status_code != 200:
            return Unknown(f"{sdist.filename}: HTTP {resp.status_code}", kind=UnknownKind.HTTP_ERROR), (), ()
        try:
            return read_build_system(resp.content, sdist.filename, ArchiveLimits.from_config(ctx.config))
        except ArchiveTooLarge as exc:
            return Unknown(f"{sdist.filename}: {exc}", kind=UnknownKind.TOO_LARGE), (), ()
        except (ValueError, OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, zlib.error) as exc:
            return Unknown(f"{sdist.filename}: unreadable sdist ({str(exc)[:160]})", kind=UnknownKind.MALFORMED), (), ()
