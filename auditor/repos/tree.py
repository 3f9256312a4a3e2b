"""Which directory of a repository a distribution is built from, read from its file list.

Pure functions over a repository's file list (the paths of a GitHub
``git/trees/HEAD?recursive=1`` answer, ``git ls-tree -r --name-only HEAD``
of a clone, ...) and, optionally, a reader of a few small files:

* :func:`has_directory`: whether a mapped subdirectory exists;
* :func:`infer_subdirectory`: when the metadata names only the root and the
  root holds no packaging file (``pyproject.toml`` declaring a project,
  ``setup.py``, ``setup.cfg``), the one directory whose packaging file
  declares the distribution's name (``dbt-core`` -> ``core/``,
  ``flatbuffers`` -> ``python/``).

Packaging files are read as text and never executed: ``pyproject.toml`` with
:mod:`tomllib` (``[project].name``, ``[tool.poetry].name``), ``setup.cfg``
with :mod:`configparser` (``[metadata] name``), ``setup.py`` by a literal
``name="..."`` keyword only.  Every input is bounded (:data:`MAX_PATHS`,
:data:`MAX_DEPTH`, :data:`MAX_CANDIDATES`, :data:`MAX_FILE_BYTES`).
"""

from __future__ import annotations

import configparser
import re
import tomllib
from typing import Callable, Iterable

#: Files that make a directory a Python project.
PACKAGING_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
#: Paths of a file list looked at (larger lists are cut: the answer may then be "no single candidate").
MAX_PATHS = 200_000
#: Deepest directory considered as a package directory (``sdk/area/dist`` is 3).
MAX_DEPTH = 4
#: Candidate directories whose packaging files are read.
MAX_CANDIDATES = 8
#: Bytes of one packaging file parsed.
MAX_FILE_BYTES = 256 * 1024
#: Directory names under which a packaging file is a fixture, an example or vendored code, not the package.
NOT_PACKAGE_DIRS = frozenset({
    "test", "tests", "testing", "example", "examples", "docs", "doc", "benchmarks", "benchmark", "fixtures",
    "third_party", "thirdparty", "vendor", "vendored", "_vendor", "external", "extern", "samples", "sample",
    "scripts", "tools", "ci", ".github", "integration", "e2e", "demo", "demos", "templates", "template",
})

#: ``read(path) -> text or None``: the content of one file of the repository (None: unreadable).
Reader = Callable[[str], "str | None"]

_SETUP_NAME = re.compile(r"""\bname\s*=\s*(['"])([A-Za-z0-9][A-Za-z0-9._-]*)\1""")


def normalize(name: str) -> str:
    """PEP 503 normalized name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def directories(paths: Iterable[str]) -> set[str]:
    """Every directory that holds a path of *paths* (``"a/b/c.py"`` -> ``{"a", "a/b"}``)."""
    out: set[str] = set()
    for i, p in enumerate(paths):
        if i >= MAX_PATHS:
            break
        parts = p.strip("/").split("/")[:-1]
        for n in range(1, len(parts) + 1):
            out.add("/".join(parts[:n]))
    return out


def has_directory(paths: Iterable[str], subdirectory: str) -> bool:
    """Whether *subdirectory* (``"a/b"``) is a directory holding files in *paths*."""
    sub = subdirectory.strip("/")
    return any(p.startswith(sub + "/") for i, p in enumerate(paths) if i < MAX_PATHS)


def declared_name(filename: str, text: str) -> str | None:
    """The distribution name a packaging file declares, or None (not declared, dynamic or unparsable).

    ``pyproject.toml``: ``[project] name``, ``[tool.poetry] name``, or the
    pre-PEP 621 ``[tool.flit.metadata]`` ``dist-name``/``module``.

    Args:
        filename: ``pyproject.toml``, ``setup.cfg`` or ``setup.py`` (the base name decides the parser).
        text: its content (cut at :data:`MAX_FILE_BYTES`).
    """
    text = text[:MAX_FILE_BYTES]
    base = filename.rsplit("/", 1)[-1]
    try:
        if base == "pyproject.toml":
            doc = tomllib.loads(text)
            tool = doc.get("tool") or {}
            for table in (doc.get("project"), tool.get("poetry")):
                if isinstance(table, dict) and isinstance(table.get("name"), str):
                    return normalize(table["name"])
            flit = (tool.get("flit") or {}).get("metadata")  # flit before PEP 621: dist-name, else the module
            if isinstance(flit, dict):
                got = flit.get("dist-name") or flit.get("module")
                return normalize(got) if isinstance(got, str) else None
            return None
        if base == "setup.cfg":
            cp = configparser.ConfigParser(interpolation=None, strict=False)
            cp.read_string(text)
            name = cp.get("metadata", "name", fallback=None)
            return normalize(name) if name and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name.strip()) else None
        if base == "setup.py":
            m = _SETUP_NAME.search(text)
            return normalize(m.group(2)) if m else None
    except (tomllib.TOMLDecodeError, configparser.Error, AttributeError, TypeError, ValueError, RecursionError):
        return None
    return None


def packaging_directories(paths: Iterable[str]) -> dict[str, list[str]]:
    """``{directory: [packaging file paths]}`` for directories up to :data:`MAX_DEPTH` deep
    (``""`` is the root), leaving out test, example, docs and vendored trees."""
    out: dict[str, list[str]] = {}
    for i, p in enumerate(paths):
        if i >= MAX_PATHS:
            break
        parts = p.strip("/").split("/")
        if parts[-1] not in PACKAGING_FILES or len(parts) - 1 > MAX_DEPTH:
            continue
        if any(seg.lower() in NOT_PACKAGE_DIRS or seg.startswith(".") for seg in parts[:-1]):
            continue
        out.setdefault("/".join(parts[:-1]), []).append(p.strip("/"))
    return out


def _declares(files: list[str], name: str, read: Reader) -> bool | None:
    """True/False when a packaging file declares a name (*name* or another); None when none declares one."""
    seen = None
    for f in sorted(files):
        text = read(f)
        got = declared_name(f, text) if text else None
        if got is not None:
            if got == name:
                return True
            seen = False
    return seen


def infer_subdirectory(paths: Iterable[str], name: str, read: Reader | None = None) -> tuple[str | None, str]:
    """The directory distribution *name* is built from, when the root is not it.

    Args:
        paths: the repository's file paths at HEAD (``"a/b/pyproject.toml"``).
        name: the distribution name (normalized or not).
        read: reads one file's text (None when it cannot); without it,
            names are not read and only a directory named like the
            distribution (or ``python``/``py``) can be chosen.

    Returns:
        ``(subdirectory, detail)``: ``(None, why)`` when the root holds the
        package (a ``setup.py``/``setup.cfg``, or a ``pyproject.toml`` that
        declares this name or cannot be read) or no single directory does;
        else the directory and how it was found.
    """
    name = normalize(name)
    dirs = packaging_directories(list(paths)[:MAX_PATHS])
    root = dirs.pop("", [])
    at_root = "the root declares another or no project" if root else "the root holds no packaging file"
    if root:
        if read is None or any(not f.endswith("pyproject.toml") for f in root):
            return None, f"the root holds {', '.join(sorted(root))}"
        text = read(root[0])
        if text is None:
            return None, "the root holds pyproject.toml (not read)"
        declared = declared_name(root[0], text)
        if declared == name:
            return None, f"the root's pyproject.toml declares {name}"
        # a workspace, tool settings or another project's pyproject at the root: look below
    if not dirs:
        return None, f"{at_root}, and no directory holds one"
    key = _key(name)
    named = sorted(d for d in dirs if _key(d.rsplit("/", 1)[-1]) in (key, "python", "py")
                   or _key(d.rsplit("/", 1)[-1]) == key.removeprefix("python").removeprefix("py"))
    if read is None:
        if len(named) == 1:
            return named[0], f"{at_root}; '{named[0]}' is the one directory named like the distribution"
        return None, f"{at_root} and {len(named)} directories are named like the distribution"
    # read the likeliest directories first: named ones, then shallow ones
    order = named + sorted((d for d in dirs if d not in named), key=lambda d: (d.count("/"), d))
    matches = [d for d in order[:MAX_CANDIDATES] if _declares(dirs[d], name, read)]
    if len(matches) == 1:
        return matches[0], f"{at_root}; '{matches[0]}' declares the name {name}"
    if not matches:
        return None, f"no packaging file among {min(len(order), MAX_CANDIDATES)} read declares {name}"
    return None, f"{len(matches)} directories declare {name}: {', '.join(matches[:3])}"
