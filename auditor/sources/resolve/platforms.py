"""The target environment in each resolver's terms: uv's ``--python-platform``
triple and pip's ``--platform`` tags."""

from __future__ import annotations

import re

from auditor.dist.tags import manylinux_platforms
from auditor.errors import ConfigError
from auditor.models import TargetEnvironment

#: Per ``(sys_platform, platform_machine)``: uv's ``--python-platform`` triple
#: and the newest pip ``--platform`` tag, chosen to match.
#: uv source: ``uv help pip compile`` (uv 0.13).  Linux targets use
#: manylinux_2_28, the same default uv gives ``x86_64-unknown-linux-gnu``;
#: macOS targets use uv's default minimum macOS version (13.0).
#: pip expands a ``macosx_13_0`` tag to every older compatible one by itself,
#: but not a ``manylinux_2_28`` tag (pip 26 ``pip debug --verbose --platform
#: manylinux_2_28_x86_64`` lists only that tag), so :func:`pip_platforms`
#: spells the manylinux ones out.
RESOLVER_PLATFORMS: dict[tuple[str, str], tuple[str, str]] = {
    ("linux", "x86_64"): ("x86_64-manylinux_2_28", "manylinux_2_28_x86_64"),
    ("linux", "amd64"): ("x86_64-manylinux_2_28", "manylinux_2_28_x86_64"),
    ("linux", "aarch64"): ("aarch64-manylinux_2_28", "manylinux_2_28_aarch64"),
    ("linux", "arm64"): ("aarch64-manylinux_2_28", "manylinux_2_28_aarch64"),
    ("darwin", "arm64"): ("aarch64-apple-darwin", "macosx_13_0_arm64"),
    ("darwin", "aarch64"): ("aarch64-apple-darwin", "macosx_13_0_arm64"),
    ("darwin", "x86_64"): ("x86_64-apple-darwin", "macosx_13_0_x86_64"),
    ("win32", "amd64"): ("x86_64-pc-windows-msvc", "win_amd64"),
    ("win32", "x86_64"): ("x86_64-pc-windows-msvc", "win_amd64"),
    ("win32", "arm64"): ("aarch64-pc-windows-msvc", "win_arm64"),
    ("win32", "x86"): ("i686-pc-windows-msvc", "win32"),
}
#: uv ``--python-platform`` triple per ``(sys_platform, platform_machine)`` (from :data:`RESOLVER_PLATFORMS`).
UV_PLATFORMS: dict[tuple[str, str], str] = {key: uv for key, (uv, _pip) in RESOLVER_PLATFORMS.items()}
#: Newest pip ``--platform`` tag per ``(sys_platform, platform_machine)`` (from :data:`RESOLVER_PLATFORMS`).
PIP_PLATFORMS: dict[tuple[str, str], str] = {key: pip for key, (_uv, pip) in RESOLVER_PLATFORMS.items()}


def _lookup(table: dict[tuple[str, str], str], target: TargetEnvironment, list_supported: bool = False) -> str:
    """*table*'s entry for *target*'s ``(sys_platform, platform_machine)``.

    Raises:
        ConfigError: no entry (the message lists the supported pairs when *list_supported*).
    """
    try:
        return table[(target.sys_platform.lower(), target.platform_machine.lower())]
    except KeyError:
        supported = "; supported: " + ", ".join(f"{p}/{m}" for p, m in table) if list_supported else ""
        raise ConfigError(
            f"no resolver platform for sys_platform={target.sys_platform!r} "
            f"platform_machine={target.platform_machine!r}{supported}"
        ) from None


def uv_python_platform(target: TargetEnvironment) -> str:
    """The uv ``--python-platform`` triple for *target*.

    Raises:
        ConfigError: no triple is known for the platform/machine pair.
    """
    return _lookup(UV_PLATFORMS, target, list_supported=True)


def pip_platform(target: TargetEnvironment) -> str:
    """The newest pip ``--platform`` tag for *target* (see :data:`PIP_PLATFORMS`).

    Raises:
        ConfigError: no tag is known for the platform/machine pair.
    """
    return _lookup(PIP_PLATFORMS, target)


def pip_platforms(target: TargetEnvironment) -> list[str]:
    """Every pip ``--platform`` tag for *target*, newest first: for Linux the
    manylinux_2_28 tag and each older glibc tag with its legacy alias (pip
    does not expand these itself; :func:`auditor.dist.tags.manylinux_platforms`);
    for macOS and Windows the one tag."""
    tag = pip_platform(target)
    m = re.match(r"^manylinux_2_(\d+)_(\w+)$", tag)
    return manylinux_platforms(m.group(2), int(m.group(1))) if m else [tag]
