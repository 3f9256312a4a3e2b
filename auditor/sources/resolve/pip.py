"""``pip install --dry-run --report -``: the fallback resolver, its command
line and its installation report as :class:`Pin` objects."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from auditor.dist.metadata import from_json_info
from auditor.dist.urls import parse_direct_url
from auditor.errors import ResolutionError
from auditor.models import normalize_name
from auditor.sources.resolve.platforms import pip_platforms
from auditor.sources.resolve.process import run_resolver, summarize_error
from auditor.sources.resolve.request import Pin, ResolveRequest, Resolution, ResolverUnavailable, expand_env

def needs_build(line: str) -> bool:
    """Whether a resolver line is a direct reference whose metadata can only
    be learned by building it (a VCS checkout, a local directory, an sdist URL)."""
    text = line[3:].strip() if line.startswith("-e ") else line
    if " @ " in text:
        text = text.split(" @ ", 1)[1]
    text = text.split(";", 1)[0].strip()
    if not re.match(r"^([a-z]+\+)?[a-z]+://|^[./]", text):
        return False  # a registry requirement
    return not text.split("#", 1)[0].split("?", 1)[0].endswith(".whl")


#: The oldest pip the fallback supports: ``--report`` (the installation report) came in pip 22.2.
#: ``pyproject.toml`` requires it; ``.ci/run`` tests with it.
PIP_FLOOR = "22.2"


def pip_command(python: str, request: ResolveRequest, infile: Path, constraints: Path | None) -> list[str]:
    """The ``pip install --dry-run --report -`` command line for *request*.

    ``--target`` (an empty directory next to *infile*, never written: this is
    a dry run) is always given: pip before 23.3 refuses ``--platform`` and
    ``--python-version`` without it ("Can not use any platform or abi
    specific options unless installing via '--target'"), which is the pip a
    fresh Python 3.11 venv bundles (23.2.1); later pips accept it unchanged.
    """
    t = request.target
    cmd = [
        python, "-m", "pip", "install",
        "--dry-run", "--target", str(infile.parent / "target"),
        "--ignore-installed", "--report", "-", "--quiet",
        "--disable-pip-version-check", "--no-input", "--isolated",
        "--python-version", t.python_full_version or t.python_version,
        *(arg for tag in pip_platforms(t) for arg in ("--platform", tag)),
        "--implementation", "cp" if t.implementation_name == "cpython" else t.implementation_name[:2],
        "-r", str(infile),
    ]  # fmt: skip
    if constraints is not None:
        cmd += ["-c", str(constraints)]
    if request.pre:
        cmd.append("--pre")
    # pip refuses --platform/--python-version without --only-binary :all:;
    # it also keeps sdists from being built (their setup.py executed).
    cmd += ["--only-binary", ":all:"]
    if request.cache_dir is None:
        cmd.append("--no-cache-dir")
    else:
        cmd += ["--cache-dir", str(request.cache_dir)]
    return cmd


def resolve_with_pip(request: ResolveRequest, python: str | None = None) -> Resolution:
    """Resolve with ``pip install --dry-run --ignore-installed --report -``.

    Runs the pip of *python* (default: the interpreter auditor runs in).
    ``--only-binary :all:`` is always given (pip requires it with
    ``--platform``), so sdists are never built; local projects and VCS
    checkouts still are built by pip to read their metadata, so callers
    keep such references out of *request* unless builds are allowed.

    ``request.left_out`` (``name`` or ``name<specifier>``, e.g.
    ``pyspark==3.5.1``) is honoured with placeholder wheels
    (:func:`placeholder_wheel`: a name, a version satisfying the specifier,
    no dependencies) in a private ``--find-links`` directory; their pins are
    dropped from the answer, so the caller keeps those packages as unknown
    nodes.  pip has no equivalent of uv's ``--overrides``.

    Raises:
        ResolverUnavailable: pip is missing.
        ResolutionError: pip could not resolve (its message, one line), or
            *request* holds a reference pip would have to build while
            ``allow_build`` is False.
    """
    python = python or sys.executable
    if not request.allow_build:
        built = [line for line in request.requirements if needs_build(line)]
        if built:
            raise ResolutionError(
                f"pip --dry-run: would build {built[0]!r} to read its metadata "
                "(executes its build code); allow builds to resolve it"
            )
    with tempfile.TemporaryDirectory(prefix="auditor-pip-left-out-") as stubs:
        left = {placeholder_wheel(Path(stubs), entry) for entry in request.left_out}

        def command(infile: Path, cons: Path | None) -> list[str]:
            cmd = pip_command(python, request, infile, cons)
            return cmd + ["--find-links", stubs] if left else cmd

        proc, seconds = run_resolver(request, command, "auditor-pip-")
    if proc.returncode != 0:
        if "No module named pip" in proc.stderr:
            raise ResolverUnavailable(f"{python} has no pip")
        if "no such option: --report" in proc.stderr or "no such option: --dry-run" in proc.stderr:
            raise ResolverUnavailable(f"the pip of {python} is older than {PIP_FLOOR} (no --report); "
                                      f"upgrade it: {python} -m pip install 'pip>={PIP_FLOOR}'")
        raise ResolutionError(summarize_error(proc.stderr, "pip --dry-run"))
    try:
        report = json.loads(proc.stdout)
    except ValueError as exc:
        raise ResolutionError("pip --dry-run: the installation report is not JSON") from exc
    index = None if request.no_index else (request.index_url or "https://pypi.org/simple")
    extra = () if request.no_index else request.extra_index_urls
    pins = tuple(p for p in parse_pip_report(report, index, extra) if p.name not in left)
    return Resolution(pins, "pip --dry-run", seconds)


_NO_WHEEL = re.compile(r"Could not find a version that satisfies the requirement (\S+?);?(?: \(from [^)]*\))? "
                       r"\(from versions: none\)")


def pip_no_wheel_failures(message: str) -> dict[str, str]:
    """``{name: "name<specifier>"}`` of the packages pip found no usable file for.

    Read from pip's "Could not find a version that satisfies the requirement
    X==1 (from versions: none)": with ``--only-binary :all:``, an sdist-only
    release (or one with no wheel for the target) has no candidate at all.
    Empty when the failure is another one (versions exist but none fits).
    """
    out: dict[str, str] = {}
    for m in _NO_WHEEL.finditer(message):
        try:
            req = Requirement(m.group(1))
        except InvalidRequirement:
            continue
        name = normalize_name(req.name)
        out[name] = f"{name}{req.specifier}"
    return out


def placeholder_wheel(directory: Path, entry: str) -> str:
    """Write a dependency-free wheel standing in for *entry* (``name`` or ``name<specifier>``); return the name.

    Its version is the first of the specifier's own versions (or the next
    major version, for ``>``) that the specifier accepts, else ``0``.  Only
    pip's resolver reads it (a dry run installs nothing), and its pin is
    dropped from the resolution.
    """
    import zipfile

    req = Requirement(entry)
    name = normalize_name(req.name)
    candidates = []
    for spec in req.specifier:
        v = spec.version.rstrip(".*")
        try:
            candidates += [v, str(Version(v).major + 1)]
        except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
            continue
    version = next((v for v in candidates + ["0"] if req.specifier.contains(v, prereleases=True)), "0")
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    with zipfile.ZipFile(directory / f"{stem}-py3-none-any.whl", "w") as whl:
        whl.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        whl.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: auditor\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr(f"{info}/RECORD", "")
    return name


#: Hosts that serve the files of an index on another host (PyPI's files are on files.pythonhosted.org).
FILE_HOSTS = {"files.pythonhosted.org": "pypi.org"}


def file_index(url: str, indexes: Sequence[str], default: str | None) -> str | None:
    """The index of *indexes* that most plausibly listed the file at *url*, else *default*.

    pip's report names the file, not the index: the index on the file's
    host (``files.pythonhosted.org`` is PyPI's) is taken, and among indexes
    on one host the one whose base path (the index path without a trailing
    ``/simple``) is the longest prefix of the file's path.
    """
    from urllib.parse import urlsplit

    if len(indexes) < 2:
        return default
    f = urlsplit(url)
    host = FILE_HOSTS.get(f.hostname or "", f.hostname)
    best, best_len = None, -1
    for index in indexes:
        i = urlsplit(expand_env(index))
        if i.hostname != host:
            continue
        base = re.sub(r"/simple/?$", "", i.path.rstrip("/"))
        if (f.path.startswith(base + "/") or not base) and len(base) > best_len:
            best, best_len = index, len(base)
    return best or default


def parse_pip_report(report: dict, default_index: str | None = None, extra_indexes: Sequence[str] = ()) -> tuple[Pin, ...]:
    """Pins from a pip installation report (``--report``, format version 1).

    *default_index* is recorded as the index of every pin downloaded over
    HTTP (the report gives the file's URL, not the index that listed it),
    unless *extra_indexes* are given: then the index is the one the file's
    URL belongs to (:func:`file_index`).

    Fields read: ``install[].metadata`` (core metadata as JSON, PEP 566),
    ``install[].download_info`` (``url``, ``vcs_info``, ``dir_info``,
    ``archive_info``; the direct URL data structure), ``is_direct``,
    ``requested``.
    """
    pins = []
    for item in report.get("install", []):
        meta = item.get("metadata") or {}
        info = item.get("download_info") or {}
        name = normalize_name(str(meta.get("name", "")))
        version = str(meta.get("version")) if meta.get("version") else None
        url = info.get("url")
        kind, direct_url, index_url = "registry", None, None
        if item.get("is_direct"):
            direct = parse_direct_url(info)
            kind, direct_url = direct.kind, direct.pinned_url
        elif url and url.startswith("file:"):
            index_url = url.rsplit("/", 1)[0]  # a find-links directory
        elif url:  # pip's report names the file, not the index it was listed on
            index_url = file_index(url, [i for i in (default_index, *extra_indexes) if i], default_index)
        pins.append(
            Pin(
                name=name,
                version=version,
                kind=kind,
                url=direct_url,
                index_url=index_url,
                metadata=from_json_info(meta) if meta else None,
                editable=bool((info.get("dir_info") or {}).get("editable")),
            )
        )
    return tuple(sorted(pins, key=lambda p: p.name))
