"""Fuzz targets: one per parser of outside input, shared by tests/fuzz/ (hypothesis) and benchmarks/fuzz.py.

Each :class:`Target` has seed documents (real shapes from tests/fixtures or
the APIs' documented shapes) and a ``run(case)`` that feeds one mutated case
to the parser *the way auditor's own call site does* and returns
``"ok"`` or ``"rejected"`` (a clean, expected refusal: ``InputError``, an
``Unknown``, ``None``).  Any other exception escaping ``run`` is a crash:
what the issue counts as an internal error (exit 4 / traceback).

Mutations (:func:`mutate_text`, :func:`mutate_json`) are deterministic for a
given ``random.Random``: byte-level edits with a dictionary of hostile
tokens (deep brackets, 5,000-digit integers, NUL, lone surrogates, escape
sequences, 100 kB names) for text formats, and type swaps (a string where a
list belongs, null where an object belongs, NaN, huge integers, deep
nesting) for JSON answers.
"""

from __future__ import annotations

import copy
import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "fixtures" / "lockfiles"
PYPI = ROOT / "fixtures" / "pypi"

TOKENS = [
    "[" * 3000, "{a=" * 2000, "[[package]]\n", "\x00", "9" * 5000, "\ud800", '"', "'", "\n", "=", "nan", "inf",
    "1e999", "\x1b[31m", "a" * 100_000, "\\", "#", "]]", "==", ";", "@ file:///etc/passwd", "-r other.txt\n",
    "--index-url https://u:p@h/simple\n", "\u202e", "\r", "\t", "-", "[", "{", "}", "]", ",", "version = ",
    'name = "x"\n', "-e .\n", "git+https://x/y.git@v1#egg=z\n", "Name: ", "Version: ", "Requires-Dist: ",
]
VALUES: list[Callable[[random.Random], Any]] = [
    lambda r: None, lambda r: "", lambda r: "x", lambda r: 0, lambda r: -1, lambda r: 10 ** 30, lambda r: 1.5,
    lambda r: float("nan"), lambda r: True, lambda r: [], lambda r: {}, lambda r: ["x", None], lambda r: {"x": None},
    lambda r: "9" * 5000, lambda r: "\x00\ud800\x1b[2J", lambda r: _deep(r.randint(50, 3000)),
    lambda r: "a" * 100_000, lambda r: [{}] * 3, lambda r: {"": []},
]


def _deep(n: int) -> Any:
    doc: Any = []
    for _ in range(n):
        doc = [doc]
    return doc


def mutate_text(seed: str, rng: random.Random) -> str:
    """1-4 random edits of *seed*: delete, duplicate, insert a hostile token, replace, truncate."""
    s = seed
    for _ in range(rng.randint(1, 4)):
        n = len(s)
        i = rng.randint(0, n)
        j = min(n, i + rng.randint(0, 200))
        op = rng.randrange(6)
        if op == 0:
            s = s[:i] + s[j:]
        elif op == 1:
            s = s[:j] + s[i:j] * rng.randint(1, 50) + s[j:]
        elif op in (2, 3):
            s = s[:i] + rng.choice(TOKENS) + s[i:]
        elif op == 4 and n:
            s = s[:i] + chr(rng.choice([0, 7, 27, 0x85, 0xD800, 0x202E, rng.randint(32, 0x2FFF)])) + s[i + 1:]
        else:
            s = s[:i]
    return s


def _nodes(doc: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if len(path) > 8:  # never walk into an inserted deep value
        return out
    if isinstance(doc, dict):
        for k, v in list(doc.items())[:40]:
            out += _nodes(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:10]):
            out += _nodes(v, path + (i,))
    return out


def mutate_json(seed: Any, rng: random.Random) -> Any:
    """*seed* with 1-4 nodes replaced by values of another type (or deleted)."""
    doc = copy.deepcopy(seed)
    for _ in range(rng.randint(1, 4)):
        paths = _nodes(doc)
        path = rng.choice(paths)
        value = rng.choice(VALUES)(rng)
        if not path:
            doc = value if rng.random() < 0.2 else doc
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        if isinstance(parent, dict) and rng.random() < 0.2:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    return doc


@dataclass
class Target:
    """One parser: its seeds, how a case is made, how it is run."""

    name: str
    seeds: list[Any]
    run: Callable[[Any], str]
    kind: str = "text"  # "text" or "json"
    cache: dict = field(default_factory=dict)

    def case(self, rng: random.Random) -> Any:
        seed = rng.choice(self.seeds)
        return mutate_json(seed, rng) if self.kind == "json" else mutate_text(seed, rng)


# -- runners ---------------------------------------------------------------------------

_TMP = Path(tempfile.mkdtemp(prefix="auditor-fuzz-"))


def _ctx():
    from auditor.config import Config
    from auditor.net.context import RunContext

    global _CTX
    try:
        return _CTX
    except NameError:
        _CTX = RunContext(Config(cache_dir=_TMP / "cache", use_cache=False, offline=True, github_token=None,
                                 gitlab_token=None, disabled=frozenset({"history"})))
        return _CTX


def _lockfile(filename: str, fmt: str) -> Callable[[str], str]:
    def run(text: str) -> str:
        from auditor.errors import AuditorError
        from auditor.sources.registry import open_source

        path = _TMP / filename
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            open_source(path, fmt, fetch_metadata=False).collect(_ctx())
        except AuditorError:
            return "rejected"
        return "ok"

    return run


def _project(directory: str, filename: str, fmt: str, companions: dict[str, str]) -> Callable[[str], str]:
    """Like :func:`_lockfile`, in a directory of its own holding *companions* (a ``Pipfile``
    next to the lock, a ``-r`` file and a local project next to an environment file); a
    companion named *filename* is the fixed main file while the case is another companion."""
    def run(text: str, case_name: str = filename) -> str:
        from auditor.errors import AuditorError
        from auditor.sources.registry import open_source

        base = _TMP / directory
        base.mkdir(exist_ok=True)
        for name, body in companions.items():
            (base / name).parent.mkdir(parents=True, exist_ok=True)
            (base / name).write_text(body, encoding="utf-8")
        (base / case_name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            open_source(base / filename, fmt, fetch_metadata=False).collect(_ctx())
        except AuditorError:
            return "rejected"
        return "ok"

    return run


def _requirements(text: str) -> str:
    from auditor.errors import AuditorError
    from auditor.sources.requirement_lines import parse_requirements

    path = _TMP / "requirements.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        parse_requirements(path)
    except AuditorError:
        return "rejected"
    return "ok"


def _pyproject(text: str) -> str:
    from auditor.errors import AuditorError
    from auditor.sources.lockfile import load_toml
    from auditor.sources.pyproject import declared_requirements

    path = _TMP / "pyproject.toml"
    try:
        load_toml(path, text)
        declared_requirements(path, text)
    except AuditorError:
        return "rejected"
    return "ok"


def _metadata(text: str) -> str:
    from auditor.dist.metadata import parse_core_metadata

    parse_core_metadata(text)  # the environment source calls it under `except Exception` too; we want it clean
    return "ok"


def _via_parsed(parse: Callable[..., Any], *args: Any) -> Callable[[Any], str]:
    def run(doc: Any) -> str:
        from auditor.models import Unknown
        from auditor.net.api import parsed

        got = parsed(parse, doc, *args, source="fuzz")
        return "rejected" if isinstance(got, Unknown) else "ok"

    return run


def _simple_json(doc: Any) -> str:
    from auditor.net.api import SHAPE_ERRORS
    from auditor.net.simple import parse_simple_json_page

    if not isinstance(doc, dict):
        return "rejected"
    try:  # the call site (PyPIClient._index_page) catches SHAPE_ERRORS
        parse_simple_json_page(doc, "https://pypi.example/simple/x/")
    except SHAPE_ERRORS:
        return "rejected"
    return "ok"


def _simple_html(text: str) -> str:
    from auditor.net.api import SHAPE_ERRORS
    from auditor.net.simple import parse_simple_html_page

    try:
        parse_simple_html_page(text, "https://pypi.example/simple/x/")
    except SHAPE_ERRORS:
        return "rejected"
    return "ok"


def _osv(doc: Any) -> str:
    from auditor.models import Unknown
    from auditor.net.api import parsed
    from auditor.signals.vulnerabilities import OsvDatabase

    if not isinstance(doc, dict):
        return "rejected"
    db = OsvDatabase(path=_TMP, records={"jinja2": [doc]})
    got = parsed(db.query, "jinja2", "2.10", source="fuzz")  # as VulnerabilityCollector calls it
    return "rejected" if isinstance(got, Unknown) else "ok"


def _git_contact(text: str) -> str:
    from auditor.people.history import parse_contact

    return "ok" if parse_contact(text) is not None else "rejected"


# -- seeds -----------------------------------------------------------------------------

def _conda_record(doc: Any) -> str:
    """A conda-meta record (JSON) in a prefix of its own, read by the conda prefix source."""
    from auditor.errors import AuditorError
    from auditor.sources.conda import CondaPrefixSource

    prefix = Path(tempfile.mkdtemp(dir=_TMP))
    (prefix / "conda-meta").mkdir()
    try:
        text = json.dumps(doc)
    except (ValueError, TypeError, RecursionError):  # the case cannot even be written as JSON: not a parser input
        return "rejected"
    (prefix / "conda-meta" / "x-1-0.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        CondaPrefixSource(prefix).collect(_ctx())
    except AuditorError:
        return "rejected"
    return "ok"


def _recipe(text: str) -> str:
    from auditor.signals.conda import parse_recipe

    try:
        parse_recipe(text)
    except ValueError:
        return "rejected"
    return "ok"


def _feedstock_outputs(doc: Any) -> str:
    from auditor.signals.conda import parse_outputs

    try:
        parse_outputs(doc)
    except ValueError:
        return "rejected"
    return "ok"


def _sbom(doc: Any) -> str:
    from auditor.dist.sbom import SbomUnreadable, read_sbom

    try:
        data = json.dumps(doc).encode("utf-8", errors="surrogatepass")
    except (ValueError, TypeError, RecursionError):  # the case cannot even be written as JSON: not a parser input
        return "rejected"
    try:
        read_sbom(data)
    except SbomUnreadable:
        return "rejected"
    return "ok"


CONDA = ROOT / "fixtures" / "conda"
CONDA_RECORD = {"name": "numpy", "version": "1.26.4", "build": "py312h8753938_0", "build_number": 0,
                "channel": "https://conda.anaconda.org/conda-forge", "subdir": "linux-64",
                "fn": "numpy-1.26.4-py312h8753938_0.conda", "url": "https://conda.anaconda.org/conda-forge/linux-64/x.conda",
                "md5": "f9ac74c3b07c396014434aca1e58d362", "depends": ["python >=3.12,<3.13.0a0"],
                "files": ["lib/python3.12/site-packages/numpy-1.26.4.dist-info/METADATA"],
                "paths_data": {"paths_version": 1, "paths": []}, "requested_spec": "numpy"}
RECIPE = ('{% set version = "1.3.1" %}\npackage:\n  name: zlib\n  version: {{ version }}\nsource:\n'
          '  url: https://github.com/madler/zlib/releases/download/v{{ version }}/zlib-{{ version }}.tar.gz\n'
          'extra:\n  recipe-maintainers:\n    - groutr\n    - ocefpaf\n')
CYCLONEDX_SBOM = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
    {"type": "library", "name": "OpenBLAS", "version": "0.3.28", "purl": "pkg:github/OpenMathLib/OpenBLAS@v0.3.28",
     "externalReferences": [{"type": "vcs", "url": "https://github.com/OpenMathLib/OpenBLAS"}],
     "components": [{"type": "library", "name": "lapack", "version": "3.12"}]}]}
ENVIRONMENT_YML = ("name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy==1.26.4\n"
                   "  - conda-forge::pytorch=2.5.1=cuda124_py312h1\n  - pip:\n    - rich==13.9.4\n")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Seeds for the readers of real lockfiles (tests/sources/test_real_inputs.py has the projects they come from).
UV_GIT_FORKS = """version = 1
revision = 3
requires-python = ">=3.10"
resolution-markers = ["python_full_version >= '3.12'", "python_full_version < '3.12'"]

[[package]]
name = "proj"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "docs" }, { name = "tagged", extra = ["x"] }, { name = "sub" }]

[package.dev-dependencies]
wasm = [
    { name = "pyodide-build", version = "0.19.1", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "pyodide-build", version = "0.39.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
]

[[package]]
name = "docs"
version = "0.0.1"
source = { git = "https://u:t@github.com/o/docs#6f657b30593b00cf5f7c0b7eca74e83b3b6b7819" }

[[package]]
name = "tagged"
version = "0.0.1"
source = { git = "https://github.com/o/tagged?tag=0.0.1&subdirectory=pkg#0dacfd662c64cb4ceb16e6cf65a157a8b715b979" }

[[package]]
name = "sub"
version = "1.0"
source = { url = "https://h/sub-1.0.tar.gz", subdirectory = "python" }

[[package]]
name = "pyodide-build"
version = "0.19.1"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.12'"]
dependencies = [{ name = "cython" }]

[[package]]
name = "pyodide-build"
version = "0.39.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.12'"]
dependencies = [{ name = "cattrs" }]

[[package]]
name = "cattrs"
version = "25.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "cython"
version = "3.1.0"
source = { registry = "https://pypi.org/simple" }
"""
PIPFILE = """[[source]]
url = "https://pypi.org/simple"
name = "pypi"

[packages]
pytz = "*"

[dev-packages]
waitress = {version = "==3.*", sys_platform = "== 'win32'", extras = ["x"]}
gunicorn = {version = "26.1.*", markers = "sys_platform == 'linux'"}

[docs]
sphinx = ">=7"
"""
PIPFILE_LOCK = json.dumps({
    "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6, "requires": {"python_version": "3.12"},
              "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
    "default": {"pytz": {"hashes": ["sha256:00"], "index": "pypi", "version": "==2025.2"}},
    "develop": {"waitress": {"hashes": [], "markers": "('dev' in dependency_groups) and (sys_platform == 'win32')",
                             "version": "==3.0.2"},
                "gunicorn": {"markers": "sys_platform == 'linux'", "version": "==26.1.0"},
                "legacy-cgi": {"git": "https://u:t@github.com/o/legacy-cgi.git", "ref": "abc"}},
    "docs": {"sphinx": {"version": "==7.4.7", "markers": "'docs' in dependency_groups"}},
}, indent=4)
PYLOCK = """lock-version = "1.0"
extras = ["crypto"]
dependency-groups = ["dev"]
default-groups = ["default"]
created-by = "pipenv"

[[packages]]
name = "pytest"
version = "7.2.0"
marker = "('dev' in dependency_groups) and (sys_platform == 'win32')"

[[packages]]
name = "cryptography"
version = "40.0.0"
marker = "'crypto' in extras"

[[packages]]
name = "six"
[packages.archive]
url = "https://u:t@files.example/six-1.17.0-py2.py3-none-any.whl"
[packages.archive.hashes]
sha256 = "4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274"

[[packages]]
name = "helper"
directory = { path = "libs/helper", editable = true }

[[packages]]
name = "sub"
version = "1.0"
vcs = { type = "git", url = "https://github.com/o/mono", requested-revision = "main", subdirectory = "pkgs/sub" }
"""
POETRY_012 = """[[package]]
category = "dev"
name = "pytest"
optional = false
python-versions = ">=2.7"
version = "3.8.2"
marker = "python_version >= '2.7'"

[package.dependencies]
py = ">=1.5.0"
setuptools = "*"

[[package]]
category = "main"
name = "py"
python-versions = "*"
version = "1.7.0"

[metadata]
content-hash = "0"
python-versions = "^3.6"

[metadata.hashes]
py = ["bf92637198836372b520efcba9e020c330123be8ce527e535d185ed4b6f45694"]
pytest = ["f689bf2fc18c4585403348dd56f47d87780bf217c53ed9ae7a3e2d7faa45f8e9"]
"""
ENVIRONMENT_PIP = """name: x
channels: [conda-forge]
dependencies:
  - python=3.11
  - pip
  - pip:
      - -e ./proj[dev]
      - -r requirements.txt
      - --extra-index-url https://u:t@download.example/whl/cpu
      - git+https://github.com/o/r.git@v1#egg=r
      - werkzeug @ https://files.example/werkzeug-3.0.1.tar.gz
      - ./wheels/zeta-0.5-py3-none-any.whl
      - requests==2.32.3 ; python_version >= '3.8'
"""
PROJECT_FILES = {"proj/pyproject.toml": '[project]\nname = "my-proj"\nversion = "0.1"\n',
                 "libs/helper/pyproject.toml": '[project]\nname = "helper"\nversion = "0.3.0"\n',
                 "requirements.txt": "six==1.16.0\n-r more.txt\n", "more.txt": "idna==3.4\n"}
PYPROJECT_UV = """[project]
name = "demo"
version = "1.0"
dependencies = ["alpha", "demo-core", "zeta", "beta[x] ; python_version >= '3.9'"]

[dependency-groups]
docs = ["docs-theme[extra]; python_version >= '3.9'"]
dev = [{include-group = "docs"}, "ruff"]

[tool.uv.sources]
demo-core = { workspace = true }
docs-theme = { git = "https://u:t@github.com/o/docs-theme", tag = "v1", subdirectory = "theme" }
zeta = { path = "wheels/zeta-0.5-py3-none-any.whl" }
beta = { url = "https://files.example/beta-1.0.tar.gz" }
alpha = { path = "libs/helper", editable = true }

[tool.uv.workspace]
members = ["packages/*", "libs/**"]
"""


OSV_SEED = {
    "id": "GHSA-xxxx-yyyy-zzzz", "aliases": ["CVE-2019-10906"], "summary": "sandbox escape",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
    "database_specific": {"severity": "HIGH"},
    "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}],
                  "versions": ["2.10"]}],
}
GITHUB_REPO = {"full_name": "o/r", "html_url": "https://github.com/o/r", "archived": False, "fork": False,
               "stargazers_count": 5, "created_at": "2020-01-01T00:00:00Z", "pushed_at": "2024-01-01T00:00:00Z",
               "owner": {"login": "o", "type": "Organization"}, "license": {"spdx_id": "MIT"}, "default_branch": "main"}
GITHUB_CONTRIBUTOR = {"login": "alice", "id": 1, "type": "User", "contributions": 12}
GITLAB_PROJECT = {"id": 7, "path_with_namespace": "g/p", "web_url": "https://gitlab.com/g/p", "archived": False,
                  "star_count": 3, "created_at": "2020-01-01T00:00:00Z", "last_activity_at": "2024-01-01T00:00:00Z",
                  "namespace": {"kind": "group", "full_path": "g"}, "license": {"key": "mit"}}
DEPSDEV_VERSION = {"versionKey": {"system": "PYPI", "name": "x", "version": "1.0"}, "publishedAt": "2024-01-01T00:00:00Z",
                   "isDefault": True, "licenses": ["MIT"], "advisoryKeys": [{"id": "GHSA-1"}],
                   "links": [{"label": "SOURCE_REPO", "url": "https://github.com/o/r"}],
                   "relatedProjects": [{"projectKey": {"id": "github.com/o/r"}, "relationType": "SOURCE_REPO"}]}
SCORECARD = {"date": "2024-01-01", "repo": {"name": "github.com/o/r", "commit": "abc"}, "score": 6.5,
             "checks": [{"name": "Maintained", "score": 10, "reason": "ok", "details": None},
                        {"name": "Code-Review", "score": -1, "reason": "n/a"}]}
SIMPLE_JSON = {"meta": {"api-version": "1.1"}, "name": "x", "files": [
    {"filename": "x-1.0-py3-none-any.whl", "url": "https://f/x-1.0-py3-none-any.whl", "hashes": {"sha256": "00"},
     "requires-python": ">=3.8", "core-metadata": {"sha256": "11"}, "yanked": False, "provenance": "https://p"},
    {"filename": "x-1.0.tar.gz", "url": "https://f/x-1.0.tar.gz", "hashes": {}, "yanked": "broken"}],
    "project-status": {"status": "archived", "reason": "moved"}, "versions": ["1.0"]}
SIMPLE_HTML = ('<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head><body>'
               '<a href="https://f/x-1.0-py3-none-any.whl#sha256=00" data-requires-python="&gt;=3.8" '
               'data-dist-info-metadata="sha256=11">x-1.0-py3-none-any.whl</a>'
               '<a href="https://f/x-1.0.tar.gz" data-yanked="bad">x-1.0.tar.gz</a></body></html>')


def _derive(doc: Any) -> Any:
    from auditor.sources.conda_names import derive

    return derive(doc)


def targets() -> dict[str, Target]:
    """Every target, by name (the names benchmarks/fuzz.py prints)."""
    from auditor.net import depsdev, github, gitlab, pypi, scorecard

    metadata = [_read(p) for p in sorted((PYPI / "metadata").glob("*.metadata"))][:2]
    pypi_doc = json.loads(_read(PYPI / "requests.json"))
    pypi_doc["releases"] = dict(list(pypi_doc.get("releases", {}).items())[-3:])
    return {t.name: t for t in (
        Target("requirements", [_read(LOCKS / "small-uv" / "requirements-hashes.txt")[:3000],
                                "requests>=2.0 ; python_version >= '3.8'\nrich[jupyter]==13.0\n-e ./local\n"], _requirements),
        Target("uv.lock", [_read(LOCKS / "small-uv" / "uv.lock")], _lockfile("uv.lock", "uv.lock")),
        Target("poetry.lock", [_read(LOCKS / "small-poetry" / "poetry.lock")], _lockfile("poetry.lock", "poetry.lock")),
        Target("pylock.toml", [_read(LOCKS / "small-uv" / "pylock.toml")], _lockfile("pylock.toml", "pylock.toml")),
        Target("Pipfile.lock", [_read(LOCKS / "small-pipenv" / "Pipfile.lock")], _lockfile("Pipfile.lock", "Pipfile.lock")),
        Target("pyproject.toml", [_read(LOCKS / "small-poetry" / "pyproject.toml"), _read(LOCKS / "small-uv" / "pyproject.toml"),
                                  PYPROJECT_UV], _pyproject),
        Target("uv.lock git sources and forks", [UV_GIT_FORKS], _project("uv-git", "uv.lock", "uv.lock", {})),
        Target("Pipfile.lock categories and markers", [PIPFILE_LOCK],
               _project("pipenv", "Pipfile.lock", "Pipfile.lock", {"Pipfile": PIPFILE})),
        Target("Pipfile next to a lock", [PIPFILE],
               lambda text: _project("pipfile", "Pipfile.lock", "Pipfile.lock", {"Pipfile.lock": PIPFILE_LOCK})(text, "Pipfile")),
        Target("pylock.toml markers and kinds", [PYLOCK], _project("pylock", "pylock.toml", "pylock.toml", PROJECT_FILES)),
        Target("poetry.lock before 1.1", [POETRY_012], _project("poetry-012", "poetry.lock", "poetry.lock", {})),
        Target("environment.yml pip list", [ENVIRONMENT_PIP],
               _project("environment", "environment.yml", "environment.yml", PROJECT_FILES)),
        Target("core metadata", metadata, _metadata),
        Target("PyPI JSON", [pypi_doc], _via_parsed(pypi.parse_project, None), kind="json"),
        Target("simple index JSON", [SIMPLE_JSON], _simple_json, kind="json"),
        Target("simple index HTML", [SIMPLE_HTML], _simple_html),
        Target("OSV", [OSV_SEED], _osv, kind="json"),
        Target("GitHub repository", [GITHUB_REPO], _via_parsed(github.parse_repo), kind="json"),
        Target("GitHub contributor", [GITHUB_CONTRIBUTOR], _via_parsed(github.parse_contributor), kind="json"),
        Target("GitLab project", [GITLAB_PROJECT], _via_parsed(gitlab.parse_project), kind="json"),
        Target("deps.dev version", [DEPSDEV_VERSION], _via_parsed(depsdev.parse_version, {"dependentCount": 3}, "github.com/o/r"),
               kind="json"),
        Target("Scorecard result", [SCORECARD], _via_parsed(scorecard.parse_result, "github.com/o/r"), kind="json"),
        Target("pixi.lock", [_read(CONDA / "pixi.lock")[:6000]], _lockfile("pixi.lock", "pixi.lock")),
        Target("conda-lock.yml", [_read(CONDA / "conda-lock.yml")[:6000]], _lockfile("conda-lock.yml", "conda-lock.yml")),
        Target("environment.yml", [ENVIRONMENT_YML], _lockfile("environment.yml", "environment.yml")),
        Target("conda-meta record", [CONDA_RECORD], _conda_record, kind="json"),
        Target("conda-forge recipe", [RECIPE], _recipe),
        Target("feedstock-outputs entry", [{"feedstocks": ["m2w64-gcc-libs", "ctng-compilers"]}], _feedstock_outputs,
               kind="json"),
        Target("parselmouth mapping", [{"pytorch": ["torch"], "libgcc": None, "jaxlib": ["jax-cuda12-pjrt", "jaxlib"],
                                        "brotli-python": ["brotli"]}], _via_parsed(_derive), kind="json"),
        Target("PEP 770 CycloneDX SBOM", [CYCLONEDX_SBOM], _sbom, kind="json"),
        Target("git log co-author", ["Alice Example <alice@example.org>", "bob <bob@users.noreply.github.com>"], _git_contact),
    )}
