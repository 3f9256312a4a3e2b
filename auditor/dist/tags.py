"""Wheel tags a target environment supports, and the wheel of a release it would install.

Tags come from :mod:`packaging.tags` (``cpython_tags``, ``generic_tags``,
``compatible_tags``, ``mac_platforms``) for an explicit
:class:`~auditor.models.TargetEnvironment` rather than the running
interpreter.  ``packaging`` has no public generator of manylinux tags for a
given glibc (it asks the running system), so :func:`manylinux_platforms`
spells out PEP 600's rule with the PEP 513/571/599 legacy aliases.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from packaging import tags

from auditor.dist.filenames import DistFilename, parse_filename
from auditor.models import TargetEnvironment

#: glibc the Linux target is assumed to have: 2.35 (Ubuntu 22.04, Debian 12
#: has 2.36); manylinux wheels needing a newer glibc are treated as not installable.
TARGET_GLIBC = (2, 35)
#: Oldest glibc minor version manylinux tags go down to (manylinux1 = glibc 2.5, PEP 513).
OLDEST_GLIBC_MINOR = 5
#: macOS version the darwin target is assumed to run (macOS 14 Sonoma).
TARGET_MACOS = (14, 0)
#: Legacy manylinux aliases (PEP 599/571/513) and the glibc minor they stand for.
MANYLINUX_LEGACY = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
#: Architectures manylinux2010 and manylinux1 were defined for (PEP 571, PEP 513);
#: manylinux2014 (PEP 599) covers every architecture.
MANYLINUX_LEGACY_ARCHES = ("x86_64", "i686")
#: ``platform_machine`` spellings and the architecture name in Linux wheel tags.
LINUX_ARCH = {"amd64": "x86_64", "arm64": "aarch64"}


def manylinux_platforms(arch: str, glibc_minor: int) -> list[str]:
    """Manylinux platform tags for glibc ``2.<glibc_minor>`` on *arch*, newest first.

    Each ``manylinux_2_N_<arch>`` from *glibc_minor* down to 2.5, each followed
    by its legacy alias where one exists (``manylinux2014`` for 2.17 on every
    architecture; ``manylinux2010`` and ``manylinux1`` on x86_64 and i686 only).
    """
    out = []
    for minor in range(glibc_minor, OLDEST_GLIBC_MINOR - 1, -1):
        out.append(f"manylinux_2_{minor}_{arch}")
        legacy = MANYLINUX_LEGACY.get(minor)
        if legacy and (arch in MANYLINUX_LEGACY_ARCHES or legacy == "manylinux2014"):
            out.append(f"{legacy}_{arch}")
    return out


def platform_tags(target: TargetEnvironment) -> list[str]:
    """Platform tags *target* supports, most preferred first.

    Linux: :func:`manylinux_platforms` for :data:`TARGET_GLIBC`, then
    ``linux_<arch>``; macOS: ``packaging.tags.mac_platforms`` for
    :data:`TARGET_MACOS`; Windows: the one ``win*`` tag.
    """
    machine = target.platform_machine
    if target.sys_platform == "linux":
        arch = LINUX_ARCH.get(machine.lower(), machine)
        return [*manylinux_platforms(arch, TARGET_GLIBC[1]), f"linux_{arch}"]
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
    platforms = platform_tags(target)
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


def wheel_priority(wheel_tags: Iterable[tags.Tag], target: TargetEnvironment) -> int | None:
    """The rank of the best of *wheel_tags* among :func:`target_tags` (0 = most
    preferred), or ``None`` when the wheel does not install on *target*."""
    priority = _priorities(target)
    return min((priority[t] for t in wheel_tags if t in priority), default=None)


@lru_cache(maxsize=16)
def _platform_set(target: TargetEnvironment) -> frozenset[str]:
    return frozenset(platform_tags(target))


def wheel_preference(wheel_tags: Iterable[tags.Tag], target: TargetEnvironment) -> int:
    """How well a wheel stands for *target* when any wheel will do (e.g. to read
    its metadata), lower is better: 0 installs on *target* (:func:`target_tags`)
    and is not pure Python; 1 pure Python (platform ``any``); 2 built for one of
    *target*'s platforms (:func:`platform_tags`) but another interpreter; 3 any other wheel."""
    wheel_tags = frozenset(wheel_tags)
    if any(t.platform == "any" for t in wheel_tags):
        return 1
    if wheel_priority(wheel_tags, target) is not None:
        return 0
    platforms = _platform_set(target)
    return 2 if any(t.platform in platforms for t in wheel_tags) else 3


def best_wheel(filenames: Iterable[str], target: TargetEnvironment) -> str | None:
    """The wheel file name an installer would pick for *target* (best tag
    priority; the first on a tie), or ``None``.  Names that are not valid
    wheel names are skipped."""
    best: tuple[int, str] | None = None
    for filename in filenames:
        parsed = parse_filename(filename)
        if not isinstance(parsed, DistFilename) or parsed.kind != "wheel":
            continue
        rank = wheel_priority(parsed.tags, target)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, filename)
    return best[1] if best else None
