"""The input registry: input format names, detection, and :func:`open_source`.

:data:`SOURCES` is the explicit table of input formats (``--input-format``
accepts its keys).  Source classes are imported lazily, by dotted path, so
that a format whose module is missing (not merged yet, or an optional
dependency) only fails when it is chosen.

Detection (:func:`detect`) looks at the file name first (the names each tool
writes), then at the content for renamed files: a TOML document with
``lock-version`` and ``[[packages]]`` is a PEP 751 lock, ``version`` +
``[[package]]`` with ``source`` tables is uv.lock, ``[metadata]`` +
``[[package]]`` is poetry.lock, ``[project]``/``[dependency-groups]`` is a
pyproject.toml, a JSON object with ``_meta`` is Pipfile.lock, one with
``"bomFormat": "CycloneDX"`` (or a ``*.cdx.json`` name) and an XML document in the CycloneDX
namespace (or a ``*.cdx.xml`` name) a CycloneDX SBOM; anything else
is read as requirements.  The conda inputs are detected by name
(``pixi.lock``, ``conda-lock.yml``, ``environment*.yml``; ``--conda-prefix`` for
an installed conda environment) or chosen with ``--input-format``; a YAML
mapping with a ``dependencies`` list under any other name is an environment file.
"""

from __future__ import annotations

import importlib
import io
import os
from pathlib import Path
from typing import Any

from auditor.config import DEFAULT_MAX_INPUT_BYTES
from auditor.dist.bounded import loads_json, loads_toml
from auditor.errors import InputError, ResolutionError
from auditor.sources.interface import Source
from auditor.sources.inputs import STDIN, check_input_file, read_stdin, stdin_as_file

#: File names given to standard input for the formats read from a path.
_STDIN_NAMES = {"requirements": "requirements.txt"}

#: ``--input-format`` name -> ``"module:Class"`` of its :class:`Source`.
SOURCES: dict[str, str] = {
    "requirements": "auditor.sources.requirements:RequirementsSource",
    "pylock.toml": "auditor.sources.pylock:PylockSource",
    "uv.lock": "auditor.sources.uv_lock:UvLockSource",
    "poetry.lock": "auditor.sources.poetry_lock:PoetryLockSource",
    "Pipfile.lock": "auditor.sources.pipfile_lock:PipfileLockSource",
    "pyproject.toml": "auditor.sources.pyproject:PyprojectSource",
    "cyclonedx": "auditor.sources.cyclonedx:CycloneDXSource",
    "pixi.lock": "auditor.sources.conda:PixiLockSource",
    "conda-lock.yml": "auditor.sources.conda:CondaLockSource",
    "environment.yml": "auditor.sources.conda_env:CondaEnvironmentFileSource",
}

#: Formats whose source class accepts ``text=`` (content from ``git show``).
TEXT_CAPABLE = ("pylock.toml", "uv.lock", "poetry.lock", "Pipfile.lock", "pyproject.toml", "cyclonedx")

#: Formats that are lockfiles (``auditor diff`` uses the lock's own line numbers).
LOCKFILES = ("pylock.toml", "uv.lock", "poetry.lock", "Pipfile.lock")


def source_class(fmt: str) -> type[Source]:
    """The :class:`Source` class registered for *fmt*.

    Raises:
        InputError: unknown format name, or its module is not available.
    """
    if fmt not in SOURCES:
        raise InputError(f"unknown input format {fmt!r} (choose from: {', '.join(SOURCES)})")
    module, _, cls = SOURCES[fmt].partition(":")
    try:
        return getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"input format {fmt!r} is not available in this build ({exc})") from exc


def detect_name(path: Path) -> str | None:
    """The format implied by the file name alone, or None."""
    name = path.name
    lower = name.lower()
    if lower.endswith("pylock.toml") or (lower.startswith("pylock.") and lower.endswith(".toml")):
        return "pylock.toml"
    # suffix match, so that copies such as ``base.uv.lock`` keep their type
    if lower.endswith("uv.lock"):
        return "uv.lock"
    if lower.endswith("poetry.lock"):
        return "poetry.lock"
    if lower.endswith("pipfile.lock"):
        return "Pipfile.lock"
    if lower == "pyproject.toml":
        return "pyproject.toml"
    if lower.endswith("pixi.lock"):
        return "pixi.lock"
    if lower.endswith(("conda-lock.yml", "conda-lock.yaml")):
        return "conda-lock.yml"
    if lower.endswith((".yml", ".yaml")) and (lower.startswith("environment") or lower.endswith(
            (".environment.yml", "-environment.yml", "_environment.yml"))):
        return "environment.yml"  # environment.yml, environment-dev.yml, environment_py311.yaml, ci-environment.yml
    if lower.endswith((".cdx.json", ".cdx", ".cdx.xml")) or lower in ("bom.json", "sbom.json", "bom.xml", "sbom.xml"):
        return "cyclonedx"
    if lower.endswith((".txt", ".in")) or "requirements" in lower or "constraints" in lower:
        return "requirements"
    return None


def detect_content(text: str) -> str:
    """The format implied by the content (for renamed files): see the module docstring."""
    stripped = text.lstrip()
    if stripped.startswith("<") and "cyclonedx.org/schema/bom/" in stripped[:4096]:
        return "cyclonedx"  # CycloneDX XML (the namespace is on the root element, near the top)
    if stripped.startswith("{"):
        try:
            doc: Any = loads_json(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and "_meta" in doc:
            return "Pipfile.lock"
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            return "cyclonedx"
        return "requirements"
    try:
        doc = loads_toml(text)
    except ValueError:  # not TOML, too deep, too large (TOMLDecodeError is a ValueError)
        return "environment.yml" if _conda_environment(text) else "requirements"
    if "lock-version" in doc and "packages" in doc:
        return "pylock.toml"
    if "package" in doc and "metadata" in doc and "version" not in doc:
        return "poetry.lock"
    if "package" in doc and "version" in doc:
        return "uv.lock"
    tool = doc.get("tool")
    if "project" in doc or "dependency-groups" in doc or "build-system" in doc or (isinstance(tool, dict) and "poetry" in tool):
        return "pyproject.toml"
    return "requirements"


def _conda_environment(text: str) -> bool:
    """Whether *text* is a YAML mapping with a ``dependencies`` list (a conda environment
    file under another name, e.g. ``ci/py311.yml``); read with PyYAML's safe loader."""
    import yaml

    if "dependencies:" not in text:
        return False
    try:
        doc = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("dependencies"), list)


def detect(path: str | Path, text: str | None = None) -> str:
    """The input format of *path*: by name, else by content.

    Args:
        path: the input file.
        text: its content, if already read (the file is read otherwise;
            only the name is used when the file cannot be read).

    Returns:
        A key of :data:`SOURCES`.
    """
    p = Path(path)
    by_name = detect_name(p)
    if by_name is not None:
        return by_name
    if text is None:
        try:
            text = p.read_bytes()[: 1 << 20].decode("utf-8", errors="replace")
        except OSError:
            return "requirements"
    return detect_content(text)


def _accepted(cls: type, options: dict[str, Any]) -> dict[str, Any]:
    """The *options* that ``cls.__init__`` accepts (lockfile-only options such
    as ``all_platforms`` are dropped for the requirements source)."""
    import inspect

    params = inspect.signature(cls.__init__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return dict(options)
    return {k: v for k, v in options.items() if k in params}


def environment_source(python: str | None = None) -> Source:
    """``auditor.sources.environment.EnvironmentSource(python)`` (imported lazily)."""
    from auditor.sources.environment import EnvironmentSource

    return EnvironmentSource(python=python)


def open_source(path: str | Path, input_format: str | None = None, text: str | None = None, **options: Any) -> Source:
    """The :class:`Source` for *path*.

    Args:
        path: the input file.
        input_format: a key of :data:`SOURCES` (``--input-format``); detected when None.
        text: the file's content, when it does not come from *path* on disk
            (``auditor diff --git-base`` passes ``git show REV:PATH``); only
            for :data:`TEXT_CAPABLE` formats.
        **options: passed to the source class when its constructor accepts
            them (e.g. ``all_platforms=False``, ``fetch_metadata=False``).

    Raises:
        InputError: the file does not exist or is a directory (when *text*
            is not given), unknown format, format not available, or *text*
            given for a format that reads only files.
    """
    max_bytes = options.pop("max_input_bytes", None) or DEFAULT_MAX_INPUT_BYTES
    if text is None and str(path) == STDIN:  # '-': standard input, read once with the size cap
        data = read_stdin(max_bytes).decode("utf-8", errors="replace")
        fmt = input_format or detect_content(data)
        if fmt in TEXT_CAPABLE:
            text = data
        else:  # a format read from a path: a private copy, named '-' in the report and in errors
            copy = stdin_as_file(_STDIN_NAMES.get(fmt, "stdin.txt"), stream=io.BytesIO(data.encode("utf-8")))
            cls = source_class(fmt)
            return _StdinCopy(cls(copy, **_accepted(cls, options)), copy)
        input_format = fmt
    elif text is None:
        check_input_file(path, max_bytes)  # a regular file under the cap: never a FIFO, a device or /dev/zero
    fmt = input_format or detect(path, text)
    cls = source_class(fmt)
    options = _accepted(cls, options)
    if text is not None:
        if fmt not in TEXT_CAPABLE:
            raise InputError(f"input format {fmt!r} cannot be read from a git revision", str(path))
        return cls(path, text=text, **options)  # type: ignore[call-arg]
    return cls(path, **options)  # type: ignore[call-arg]


class _StdinCopy(Source):
    """A source reading a private temporary copy of standard input (a format read from a path,
    such as requirements, which the resolver reads): the report's input name and every
    :class:`~auditor.errors.InputError` or :class:`~auditor.errors.ResolutionError` say ``-``,
    as they do for the formats read as text, never the copy's random path (identical input,
    identical report)."""

    def __init__(self, inner: Source, copy: Path):
        self.inner, self.copy = inner, copy
        self.name = inner.name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.inner, attr)

    def collect(self, ctx):
        from dataclasses import replace

        try:
            inventory = self.inner.collect(ctx)
        except InputError as exc:
            file = STDIN if exc.file and Path(exc.file) == self.copy else exc.file
            raise InputError(self._named(exc.message), file, exc.line) from None
        except ResolutionError as exc:
            raise ResolutionError(self._named(str(exc))) from None
        copy = str(self.copy)
        dists = tuple(replace(d, origin=replace(d.origin, file=STDIN)) if d.origin.file == copy else d
                      for d in inventory.distributions)
        gaps = tuple(tuple(self._named(part) for part in gap) for gap in inventory.gaps)
        return replace(inventory, root_name=STDIN, distributions=dists, gaps=gaps)

    def _named(self, text: str) -> str:
        """*text* with the copy's path as ``-`` and paths inside its directory relative (an include
        it names: ``included file not found: other.txt``)."""
        return text.replace(str(self.copy), STDIN).replace(str(self.copy.parent) + os.sep, "")
