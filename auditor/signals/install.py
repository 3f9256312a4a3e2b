"""Install-time code execution: does the target get a wheel, or build an sdist?

Installing a wheel copies files; installing from an sdist runs the build
backend named in its ``pyproject.toml`` (PEP 517), and with it arbitrary
code of the package and of its build requirements.  This collector checks,
for the pinned version and the run's :class:`~auditor.models.TargetEnvironment`,
whether any wheel's tags (``packaging.utils.parse_wheel_filename``) are
supported by the target (tags generated with ``packaging.tags``), and when
not, reads the sdist's ``[build-system]`` table **as data** (``tomllib``;
nothing from the archive is ever executed or extracted to disk).

Sources: the simple index (PEP 691) file list and the sdist file itself
(``Context.http("pypi-files")``, cached forever: files are immutable).
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import replace
from functools import lru_cache
import tomllib
import zipfile
from typing import Iterable, Mapping, Sequence

from packaging import tags
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import parse_wheel_filename

from auditor.collectors import Collector, Context
from auditor.models import DependencyEdge, InstallFacts, PackageNode, TargetEnvironment, Unknown, normalize_name
from auditor.signals.index import ReleaseFile, node_release_files

#: glibc the Linux target is assumed to have: 2.35 (Ubuntu 22.04, Debian 12
#: has 2.36); manylinux wheels needing a newer glibc are treated as not installable.
TARGET_GLIBC = (2, 35)
#: Oldest glibc with a manylinux tag (manylinux1 = glibc 2.5, PEP 513).
OLDEST_GLIBC_MINOR = 5
#: macOS version the darwin target is assumed to run (macOS 14 Sonoma).
TARGET_MACOS = (14, 0)
#: PEP 517 says a missing ``build-backend`` means the legacy setuptools backend.
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
#: What pip installs for a legacy build (PEP 518's default ``requires`` plus ``wheel``).
LEGACY_REQUIRES = ("setuptools>=40.8.0", "wheel")
#: sdists larger than this are not downloaded to read their build system.
MAX_SDIST_BYTES = 50 * 1024 * 1024


def _platforms(target: TargetEnvironment) -> list[str]:
    machine = target.platform_machine
    if target.sys_platform == "linux":
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine.lower(), machine)
        out = []
        for minor in range(TARGET_GLIBC[1], OLDEST_GLIBC_MINOR - 1, -1):
            out.append(f"manylinux_2_{minor}_{arch}")
            legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}.get(minor)
            if legacy:
                out.append(f"{legacy}_{arch}")
        out.append(f"linux_{arch}")
        return out
    if target.sys_platform == "darwin":
        arch = "arm64" if machine.lower() in ("arm64", "aarch64") else "x86_64"
        return list(tags.mac_platforms(TARGET_MACOS, arch))
    if target.sys_platform == "win32":
        return [{"x86_64": "win_amd64", "amd64": "win_amd64", "arm64": "win_arm64"}.get(machine.lower(), "win32")]
    return [f"{target.sys_platform}_{machine}".lower()]


@lru_cache(maxsize=16)
def target_tags(target: TargetEnvironment) -> tuple[tags.Tag, ...]:
    """Supported wheel tags for *target*, most preferred first (``packaging.tags``)."""
    major, minor = (int(x) for x in target.python_version.split(".")[:2])
    platforms = _platforms(target)
    out: list[tags.Tag] = []
    if target.implementation_name == "cpython":
        out += list(tags.cpython_tags((major, minor), platforms=platforms))
        interp = f"cp{major}{minor}"
    else:
        interp = f"{tags.interpreter_name()}{major}{minor}"
        out += list(tags.generic_tags(interp, platforms=platforms))
    out += list(tags.compatible_tags((major, minor), interp, platforms))
    return tuple(out)


@lru_cache(maxsize=16)
def _priorities(target: TargetEnvironment) -> dict[tags.Tag, int]:
    return {tag: i for i, tag in enumerate(target_tags(target))}


def best_wheel(files: Iterable[ReleaseFile], target: TargetEnvironment) -> ReleaseFile | None:
    """The wheel an installer would pick for *target* (best tag priority), or ``None``."""
    priority = _priorities(target)
    best: tuple[int, ReleaseFile] | None = None
    for f in files:
        if f.kind != "wheel":
            continue
        _, _, _, wheel_tags = parse_wheel_filename(f.filename)
        rank = min((priority[t] for t in wheel_tags if t in priority), default=None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, f)
    return best[1] if best else None


def read_build_system(archive: bytes, filename: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """``(build-backend, requires, backend-path)`` from an sdist's top-level ``pyproject.toml``, read as data.

    Without a ``pyproject.toml`` (or without ``[build-system]``) PEP 517/518
    defaults apply: the legacy setuptools backend requiring ``setuptools``
    (and ``wheel``, as pip assumes).

    Raises:
        ValueError: the archive or its ``pyproject.toml`` cannot be read.
    """
    text = None
    if filename.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            names = [n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/pyproject.toml")]
            if names:
                text = zf.read(names[0]).decode("utf-8")
    else:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tf:
            for member in tf.getmembers():
                if member.isfile() and member.name.count("/") == 1 and member.name.endswith("/pyproject.toml"):
                    fh = tf.extractfile(member)
                    text = fh.read().decode("utf-8") if fh else None
                    break
    if text is None:
        return LEGACY_BACKEND, LEGACY_REQUIRES, ()
    data = tomllib.loads(text)
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

    def collect(self, ctx: Context, nodes: Sequence[PackageNode]) -> Mapping[str, InstallFacts | Unknown]:
        def one(node: PackageNode) -> InstallFacts | Unknown:
            version = node.distribution.version
            files = node_release_files(ctx, node)
            if isinstance(files, Unknown):
                return files
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

        return dict(zip((n.name for n in nodes), ctx.map(one, nodes, task="install")))

    @staticmethod
    def _build_system(ctx: Context, sdist: ReleaseFile) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
        resp = ctx.http("pypi-files").get(sdist.url)
        if isinstance(resp, Unknown) or resp.status_code != 200 or len(resp.content) > MAX_SDIST_BYTES:
            return None, (), ()
        try:
            return read_build_system(resp.content, sdist.filename)
        except (ValueError, OSError, tarfile.TarError, zipfile.BadZipFile, UnicodeDecodeError):
            return None, (), ()
