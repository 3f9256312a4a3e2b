"""What ``auditor survey INPUTS...`` audits: every input named, searched or listed, once.

An input is one of:

* a file (any format ``auditor audit`` reads; the format is detected as there);
* a directory, searched (recursively, not into hidden folders, ``node_modules``,
  virtual environments or ``site-packages``) for the files whose *name* says
  they are an input (:func:`auditor.sources.registry.detect_name`:
  ``requirements*.txt``, ``*.in``, ``pylock*.toml``, ``uv.lock``,
  ``poetry.lock``, ``Pipfile.lock``, ``pyproject.toml``, ``*.cdx.json``);
* a glob (``repos/*/uv.lock``, ``**`` allowed);
* ``@FILE``: a file listing inputs, one a line (``#`` comments), each of
  the kinds above, relative to the list's folder;
* ``--top N``: the first N names of the shipped popularity list
  (``auditor/data/top-pypi-projects.txt``), each its own input: the
  requirement ``NAME`` resolved with its dependency closure.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from auditor.errors import InputError

#: Folders never searched inside a directory input.
SKIPPED_DIRS = frozenset({"node_modules", "site-packages", "__pycache__", "venv", "env", "dist", "build"})
#: At most this many inputs from one directory, glob or list (a bound on outside input).
MAX_INPUTS = 100_000


@dataclass(frozen=True, order=True)
class InputSpec:
    """One input of a survey.

    Attributes:
        id: its stable name in every table: the path as given or found
            (relative to the working directory when below it), or ``top:NAME``.
        path: the file to open; for ``top:`` inputs None (the task writes the
            one-line requirements file into its cache folder).
        requirement: for ``top:`` inputs, the project name.
    """

    id: str
    path: str | None = None
    requirement: str | None = None


def top_names(n: int) -> list[str]:
    """The first *n* names of the shipped popularity list (``auditor/data/top-pypi-projects.txt``)."""
    text = resources.files("auditor.data").joinpath("top-pypi-projects.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return names[: max(0, n)]


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def search_directory(root: Path) -> list[Path]:
    """The input files below *root* (see the module docstring), sorted."""
    from auditor.sources.registry import detect_name

    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS
                         and not (Path(folder) / d / "pyvenv.cfg").exists())
        for name in sorted(files):
            path = Path(folder) / name
            if detect_name(path) is not None and path.is_file() and not path.is_symlink():
                found.append(path)
                if len(found) > MAX_INPUTS:
                    raise InputError(f"more than {MAX_INPUTS} inputs below the directory", str(root))
    return found


def expand(arguments: list[str], top: int | None = None, base: Path | None = None, _depth: int = 0) -> list[InputSpec]:
    """The inputs *arguments* and ``--top`` name, deduplicated, sorted by id.

    Raises:
        InputError: an argument that names nothing (no such file, an empty glob,
            a directory with no input file), or a list file that cannot be read;
            the message names it (and the list's line).
    """
    base = base or Path.cwd()
    out: dict[str, InputSpec] = {}

    def add_path(path: Path) -> None:
        label = _label(path)
        out.setdefault(label, InputSpec(label, str(path.resolve())))

    for arg in arguments:
        if arg.startswith("@"):
            lst = (base / arg[1:]) if not Path(arg[1:]).is_absolute() else Path(arg[1:])
            if _depth > 3:
                raise InputError("input lists nest more than 3 deep", str(lst))
            try:
                text = lst.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read the input list ({exc.__class__.__name__})", str(lst)) from exc
            for number, line in enumerate(text.splitlines(), 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                try:
                    for spec in expand([line], None, lst.parent, _depth + 1):
                        out.setdefault(spec.id, spec)
                except InputError as exc:
                    raise InputError(f"{line}: {exc.message}", str(lst), number) from exc
            continue
        path = Path(arg) if Path(arg).is_absolute() else base / arg
        if any(ch in arg for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            files = [p for p in matches if p.is_file()]
            if not files:
                raise InputError("the pattern matches no file", arg)
            for p in files[:MAX_INPUTS]:
                add_path(p)
        elif path.is_dir():
            files = search_directory(path)
            if not files:
                raise InputError("no input file (requirements, lockfile, pyproject.toml, SBOM) below the directory", arg)
            for p in files:
                add_path(p)
        elif path.is_file():
            add_path(path)
        else:
            raise InputError("no such file or directory", arg)
    for name in top_names(top or 0):
        out.setdefault(f"top:{name}", InputSpec(f"top:{name}", None, name))
    return [out[k] for k in sorted(out)]
