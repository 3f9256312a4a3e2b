"""Build tiny wheels and sdists on disk for resolver tests (no network, no build backend).

A wheel is a zip holding ``<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}``;
that is all uv and pip need to read its metadata and resolve it.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path


def _metadata(
    name: str, version: str, requires: tuple[str, ...], extras: tuple[str, ...], summary: str, requires_python: str | None = None
) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Provides-Extra: {e}" for e in extras]
    lines += [f"Requires-Dist: {r}" for r in requires]
    return "\n".join(lines) + "\n\n"


def make_wheel(
    directory: Path,
    name: str,
    version: str,
    requires: tuple[str, ...] | list[str] = (),
    extras: tuple[str, ...] | list[str] = (),
    tag: str = "py3-none-any",
    summary: str = "test package",
    requires_python: str | None = None,
) -> Path:
    """Write ``<name>-<version>-<tag>.whl`` into *directory* and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    path = directory / f"{dist}-{version}-{tag}.whl"
    files = {
        f"{dist}/__init__.py": "",
        f"{info}/METADATA": _metadata(name, version, tuple(requires), tuple(extras), summary, requires_python),
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n",
    }
    record = "".join(f"{p},,\n" for p in files) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record
    with zipfile.ZipFile(path, "w") as zf:
        for p, text in files.items():
            zf.writestr(p, text)
    return path


def make_sdist(directory: Path, name: str, version: str) -> Path:
    """Write an sdist whose ``setup.py`` would create a marker file if ever executed."""
    directory.mkdir(parents=True, exist_ok=True)
    dist = name.replace("-", "_")
    base = f"{dist}-{version}"
    path = directory / f"{base}.tar.gz"
    setup = (
        "import pathlib\n"
        "pathlib.Path(__file__).with_name('EXECUTED').write_text('yes')\n"
        "raise SystemExit('setup.py must not run during an audit')\n"
    )
    files = {
        f"{base}/setup.py": setup,
        f"{base}/PKG-INFO": _metadata(name, version, (), (), "sdist only"),
    }
    with tarfile.open(path, "w:gz") as tf:
        for p, text in files.items():
            data = text.encode()
            ti = tarfile.TarInfo(p)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return path


def standard_wheelhouse(directory: Path) -> Path:
    """The wheelhouse most tests use.

    ``alpha 1.0`` requires ``beta>=1`` and, with extra ``g``, ``gamma``;
    ``beta 2.0`` requires ``delta`` on Windows only; ``newpy 2.0`` needs
    Python >= 3.12 (``newpy 1.0`` does not); ``sd 2.0`` is an sdist only
    (``sd 1.0`` has a wheel); ``epsilon`` requires ``alpha[g]``.
    """
    make_wheel(directory, "alpha", "1.0", ["beta>=1", 'gamma; extra == "g"'], ["g"])
    make_wheel(directory, "beta", "1.0")
    make_wheel(directory, "beta", "2.0", ['delta; sys_platform == "win32"'])
    make_wheel(directory, "gamma", "1.0")
    make_wheel(directory, "delta", "1.0")
    make_wheel(directory, "epsilon", "1.0", ["alpha[g]"])
    make_wheel(directory, "newpy", "1.0")
    make_wheel(directory, "newpy", "2.0", requires_python=">=3.12")
    make_wheel(directory, "sd", "1.0")
    make_sdist(directory, "sd", "2.0")
    return directory
