"""Defects found by reading real lockfiles and environment files of public projects.

Each test reproduces, with a small hand-written fixture, the shape of a real
input that was read wrongly; the docstring names the project and file.
"""

from __future__ import annotations

import json
import textwrap

from auditor.judgement.findings import probe_origin
from auditor.models import TargetEnvironment
from auditor.sources.pylock import PylockSource
from auditor.sources.uv_lock import UvLockSource, git_url
from tests.builders import collect, package_node


def write(path, text: str):
    path.write_text(textwrap.dedent(text))
    return path


# -- uv.lock: git sources ------------------------------------------------------------

UV_GIT = """\
version = 1
revision = 3
requires-python = ">=3.9"

[[package]]
name = "docs"
version = "0.0.1"
source = { git = "https://github.com/o/docs#6f657b30593b00cf5f7c0b7eca74e83b3b6b7819" }

[[package]]
name = "tagged"
version = "0.0.1"
source = { git = "https://github.com/o/tagged?tag=0.0.1#0dacfd662c64cb4ceb16e6cf65a157a8b715b979" }

[[package]]
name = "sub"
version = "1.0"
source = { git = "https://github.com/o/mono?subdirectory=pkgs/sub&rev=main#93f5930e668c0d1ddf4597e38dd0dea4e2665e7a" }

[[package]]
name = "proj"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "docs" }, { name = "tagged" }, { name = "sub" }]
"""


def test_uv_lock_git_sources_are_pinned_to_the_locked_commit(tmp_path, lock_config):
    """pydantic/pydantic uv.lock (2151025): ``source = { git = "https://github.com/pydantic/pydantic-docs#6f65..." }``
    was read as ``git+https://...#6f65...`` (a fragment, no ``@ref``), so AUD119 said the
    package "follows no reference (the default branch)" although the lock pins a commit."""
    inv = collect(UvLockSource(write(tmp_path / "uv.lock", UV_GIT), fetch_metadata=False), lock_config)
    by = inv.by_name()
    assert by["docs"].origin.url == "git+https://github.com/o/docs@6f657b30593b00cf5f7c0b7eca74e83b3b6b7819"
    # the tag asked for is not what an install from the lock checks out: the commit is
    assert by["tagged"].origin.url == "git+https://github.com/o/tagged@0dacfd662c64cb4ceb16e6cf65a157a8b715b979"
    assert by["sub"].origin.url == ("git+https://github.com/o/mono@93f5930e668c0d1ddf4597e38dd0dea4e2665e7a"
                                    "#subdirectory=pkgs/sub")
    for name in ("docs", "tagged", "sub"):
        ids = [f.id for f in probe_origin(package_node(name, origin=by[name].origin))]
        assert ids == ["AUD118"], (name, ids)


def test_uv_git_url_without_a_commit_keeps_the_reference_asked_for():
    assert git_url("https://github.com/o/r?branch=main") == "git+https://github.com/o/r@main"
    assert git_url("https://github.com/o/r") == "git+https://github.com/o/r"


def test_pylock_vcs_keeps_its_subdirectory(tmp_path, lock_config):
    lock = write(tmp_path / "pylock.toml", """\
        lock-version = "1.0"
        created-by = "test"
        [[packages]]
        name = "sub"
        version = "1.0"
        vcs = { type = "git", url = "https://github.com/o/mono", commit-id = "93f5930e668c0d1ddf4597e38dd0dea4e2665e7a", subdirectory = "pkgs/sub" }
        """)
    inv = collect(PylockSource(lock, fetch_metadata=False), lock_config)
    assert inv.by_name()["sub"].origin.url == ("git+https://github.com/o/mono@93f5930e668c0d1ddf4597e38dd0dea4e2665e7a"
                                               "#subdirectory=pkgs/sub")


# -- uv.lock: forks ------------------------------------------------------------------

UV_FORKS = """\
version = 1
revision = 3
requires-python = ">=3.10"
resolution-markers = ["python_full_version >= '3.12'", "python_full_version < '3.12'"]

[[package]]
name = "attrs"
version = "25.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "cattrs"
version = "25.1.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "attrs" }]

[[package]]
name = "cython"
version = "3.1.0"
source = { registry = "https://pypi.org/simple" }

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
name = "proj"
version = "0.1.0"
source = { editable = "." }

[package.dev-dependencies]
wasm = [
    { name = "pyodide-build", version = "0.19.1", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "pyodide-build", version = "0.39.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
]
"""


def test_uv_lock_forks_keep_the_edges_of_what_only_the_other_fork_needs(tmp_path, lock_config):
    """pydantic/pydantic uv.lock (2151025): pyodide-build is locked at 0.19.1 (Python < 3.12)
    and 0.39.0; for a 3.11 target only 0.19.1 is kept, and the packages only 0.39.0 needs
    (cattrs, pyodide-lock, ...) stood in the inventory with none of their recorded edges
    (cattrs -> attrs missing), while the root's edge meant for 0.39.0 pointed at 0.19.1."""
    inv = collect(UvLockSource(write(tmp_path / "uv.lock", UV_FORKS), fetch_metadata=False), lock_config)
    by = inv.by_name()
    assert by["pyodide-build"].version == "0.19.1"
    assert [e.target for e in by["cattrs"].requires] == ["attrs"]  # all platforms: kept, with its edges
    root = [(e.target, e.marker) for e in inv.root_requires]
    assert root == [("pyodide-build", "python_full_version < '3.12'")]  # not the edge to 0.39.0
    only = collect(UvLockSource(tmp_path / "uv.lock", all_platforms=False, fetch_metadata=False), lock_config)
    assert {d.name for d in only.distributions} == {"pyodide-build", "cython"}
    py312 = lock_config.with_changes(target=TargetEnvironment(python_version="3.12"))
    inv = collect(UvLockSource(tmp_path / "uv.lock", fetch_metadata=False), py312)
    assert inv.by_name()["pyodide-build"].version == "0.39.0"
    assert [(e.target, e.marker) for e in inv.root_requires] == [("pyodide-build", "python_full_version >= '3.12'")]
    assert [e.target for e in inv.by_name()["pyodide-build"].requires] == ["cattrs"]


# -- Pipfile.lock ----------------------------------------------------------------------

PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
pytz = "*"

[dev-packages]
waitress = {version = "3.*", sys_platform = "== 'win32'"}
gunicorn = {version = "26.1.*", sys_platform = "== 'linux'"}
legacy-cgi = {version = "*", markers = "python_version >= '3.13'"}

[docs]
sphinx = ">=7"

[pipenv]
allow_prereleases = true
"""


def _entry(version: str, markers: str | None = None) -> dict:
    return {"hashes": ["sha256:" + "a" * 64], "version": version, **({"markers": markers} if markers else {})}


PIPFILE_LOCK = {
    "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6, "requires": {},
              "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
    "default": {"pytz": _entry("==2026.1.post1")},
    "develop": {
        "waitress": _entry("==3.0.2", "('dev' in dependency_groups) and (sys_platform == 'win32')"),
        "gunicorn": _entry("==26.1.0", "python_version >= '3.10'"),
        "legacy-cgi": _entry("==2.6.4", "('dev' in dependency_groups) and (python_version >= '3.13')"),
    },
    "docs": {"sphinx": _entry("==8.2.3", "python_version >= '3.11'")},
}


def _pipfile_project(tmp_path):
    (tmp_path / "Pipfile").write_text(PIPFILE)
    lock = tmp_path / "Pipfile.lock"
    lock.write_text(json.dumps(PIPFILE_LOCK, indent=4))
    return lock


def test_pipfile_lock_sections_give_edge_kinds_and_custom_categories_are_read(tmp_path, lock_config):
    """pypa/pipenv Pipfile + Pipfile.lock (3f1b272): every [dev-packages] entry was a ``runtime``
    root edge, pipenv's marker keys (``sys_platform = "== 'win32'"``) and versions were dropped
    from the root requirements, and a custom category (pipenv docs/pipfile.md, "Custom Package
    Categories": locked under its own name) was not read at all."""
    from auditor.sources.pipfile_lock import PipfileLockSource

    inv = collect(PipfileLockSource(_pipfile_project(tmp_path), fetch_metadata=False), lock_config)
    assert {d.name for d in inv.distributions} == {"pytz", "waitress", "gunicorn", "legacy-cgi", "sphinx"}
    root = {e.target: e for e in inv.root_requires}
    assert {n: e.kind for n, e in root.items()} == {
        "pytz": "runtime", "waitress": "group:dev", "gunicorn": "group:dev", "legacy-cgi": "group:dev",
        "sphinx": "group:docs"}
    assert root["waitress"].marker == "sys_platform == \"win32\"" and root["waitress"].requirement.startswith("waitress==3.*")
    assert root["gunicorn"].requirement == 'gunicorn==26.1.*; sys_platform == "linux"'
    assert root["sphinx"].requirement == "sphinx>=7"
    text = (tmp_path / "Pipfile.lock").read_text().splitlines()
    for name in ("pytz", "waitress", "sphinx"):  # each package's own line, in every section
        assert text[inv.by_name()[name].origin.line - 1].strip() == f'"{name}": {{'


def test_pipfile_lock_dependency_group_markers_are_evaluated_for_the_target(tmp_path, lock_config):
    """pypa/pipenv Pipfile.lock (3f1b272) writes ``('dev' in dependency_groups) and (sys_platform ==
    'win32')`` in ``develop``: with --target-only such a marker could not be evaluated outside the
    lock-file context, counted as holding, and the Windows-only waitress stayed in a Linux audit."""
    from auditor.sources.pipfile_lock import PipfileLockSource

    inv = collect(PipfileLockSource(_pipfile_project(tmp_path), all_platforms=False, fetch_metadata=False),
                  lock_config)
    assert {d.name for d in inv.distributions} == {"pytz", "gunicorn", "sphinx"}
    win = lock_config.with_changes(target=TargetEnvironment(sys_platform="win32", platform_machine="AMD64",
                                                            python_version="3.13"))
    inv = collect(PipfileLockSource(tmp_path / "Pipfile.lock", all_platforms=False, fetch_metadata=False), win)
    assert {d.name for d in inv.distributions} == {"pytz", "gunicorn", "sphinx", "waitress", "legacy-cgi"}


def test_pipfile_lock_without_pipfile_takes_kinds_from_the_lock_sections(tmp_path, lock_config):
    from auditor.sources.pipfile_lock import PipfileLockSource

    lock = tmp_path / "Pipfile.lock"
    lock.write_text(json.dumps(PIPFILE_LOCK))
    inv = collect(PipfileLockSource(lock, fetch_metadata=False), lock_config)
    assert {e.target: e.kind for e in inv.root_requires} == {
        "pytz": "runtime", "waitress": "group:dev", "gunicorn": "group:dev", "legacy-cgi": "group:dev",
        "sphinx": "group:docs"}


# -- environment.yml ---------------------------------------------------------------------


def _offline_ctx(tmp_path):
    from auditor.config import Config
    from auditor.net.context import RunContext

    return RunContext(Config(cache_dir=tmp_path / "cache", offline=True))


def test_environment_file_under_another_name_is_detected(tmp_path):
    """pydata/xarray ci/requirements/environment-benchmark.yml (b1c1dc5) was read as a
    requirements file: ``environment-benchmark.yml:1: Invalid requirement ... 'name: xarray-benchmark'``."""
    from auditor.sources.registry import detect

    body = "name: bench\nchannels:\n  - conda-forge\ndependencies:\n  - numpy\n"
    for name in ("environment-benchmark.yml", "environment_dev.yaml", "ci-environment.yml"):
        assert detect(write(tmp_path / name, body)) == "environment.yml", name
    assert detect(write(tmp_path / "py311.yml", body)) == "environment.yml"  # by content
    assert detect(write(tmp_path / "reqs.yml", "requests\nflask>=2\n")) == "requirements"


def test_environment_file_pip_section_takes_pip_syntax(tmp_path):
    """conda hands the ``pip:`` list to ``pip install -r``, so ``-e .``, ``-r file``, index options
    and VCS URLs are common there; auditor rejected the first one: ``not a requirement: '-e .[dev]'``."""
    from auditor.sources.conda_env import CondaEnvironmentFileSource

    (tmp_path / "proj").mkdir()
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "my-proj"\nversion = "0.1"\n')
    write(tmp_path / "requirements.txt", "six==1.16.0\n")
    path = write(tmp_path / "environment.yml", """\
        name: x
        dependencies:
          - python=3.11
          - pip
          - pip:
              - -e ./proj[dev]
              - -r requirements.txt
              - --extra-index-url https://download.pytorch.org/whl/cpu
              - git+https://github.com/o/r.git@v1
              - requests==2.32.3
        """)
    with _offline_ctx(tmp_path) as ctx:
        inv = CondaEnvironmentFileSource(path).collect(ctx)
    by = inv.by_name()
    assert by["my-proj"].origin.kind == "path" and by["my-proj"].origin.line == 6
    assert (by["six"].version, by["six"].origin.file, by["six"].origin.line) == ("1.16.0", str(tmp_path / "requirements.txt"), 1)
    assert by["r"].origin.kind == "vcs" and by["r"].origin.url == "git+https://github.com/o/r.git@v1"
    assert by["requests"].version == "2.32.3" and by["requests"].origin.kind == "registry"
    assert {"my-proj", "six", "r", "requests"} <= {e.target for e in inv.root_requires}


def test_environment_file_pip_section_errors_name_the_file_and_line(tmp_path):
    import pytest

    from auditor.errors import InputError
    from auditor.sources.conda_env import CondaEnvironmentFileSource

    path = write(tmp_path / "environment.yml", "dependencies:\n  - pip:\n    - ok==1\n    - 'foo[bar'\n")
    with _offline_ctx(tmp_path) as ctx, pytest.raises(InputError, match="foo") as err:
        CondaEnvironmentFileSource(path).collect(ctx)
    assert f"{path}:4:" in str(err.value)


# -- poetry.lock ---------------------------------------------------------------------------


def test_poetry_lock_from_before_poetry_1_1_without_setuptools(tmp_path, lock_config):
    """python-poetry/poetry poetry.lock at 7a12c390d (2018, Poetry 0.12): pytest depends on
    ``setuptools = "*"``, which Poetry then never locked (``UNSAFE_PACKAGES``); the lock was
    rejected as truncated: "package 'pytest' depends on 'setuptools', which the lock does not contain"."""
    from auditor.sources.poetry_lock import PoetryLockSource

    lock = write(tmp_path / "poetry.lock", """\
        [[package]]
        category = "dev"
        description = "pytest: simple powerful testing with Python"
        name = "pytest"
        optional = false
        python-versions = ">=2.7"
        version = "3.8.2"

        [package.dependencies]
        py = ">=1.5.0"
        setuptools = "*"

        [[package]]
        category = "dev"
        description = "library with cross-python path, ini-parsing, io, code, log facilities"
        name = "py"
        optional = false
        python-versions = "*"
        version = "1.7.0"

        [metadata]
        content-hash = "0"
        python-versions = "^3.6"

        [metadata.hashes]
        py = ["bf92637198836372b520efcba9e020c330123be8ce527e535d185ed4b6f45694"]
        pytest = ["f689bf2fc18c4585403348dd56f47d87780bf217c53ed9ae7a3e2d7faa45f8e9"]
        """)
    inv = collect(PoetryLockSource(lock, fetch_metadata=False), lock_config)
    assert {d.name for d in inv.distributions} == {"pytest", "py"}
    assert [(e.target, e.kind) for e in inv.root_requires] == [("pytest", "group:dev")]  # its "category"
    assert [e.target for e in inv.by_name()["pytest"].requires] == ["py"]
    assert inv.by_name()["py"].hashes == ("sha256:bf92637198836372b520efcba9e020c330123be8ce527e535d185ed4b6f45694",)


# -- pyproject.toml: [tool.uv.sources] ---------------------------------------------------------


def test_pyproject_uv_sources_are_direct_references(tmp_path, lock_config):
    """pydantic/pydantic pyproject.toml (2151025) declares ``pydantic-docs`` in a dependency group and
    takes it from ``[tool.uv.sources] pydantic-docs = { git = "https://github.com/pydantic/pydantic-docs" }``;
    auditor asked the index for it and the whole audit failed: "Because pydantic-docs was not found in
    the package registry and you require pydantic-docs, ... unsatisfiable"."""
    from auditor.sources.pyproject import PyprojectSource, declared_requirements
    from tests.sources.test_pyproject import file_index
    from tests.sources.wheelhouse import make_wheel, standard_wheelhouse

    wheels = standard_wheelhouse(tmp_path / "wheels")
    member = tmp_path / "packages" / "core"
    member.mkdir(parents=True)
    write(member / "pyproject.toml", '[project]\nname = "demo-core"\nversion = "0.2"\ndependencies = ["beta<2"]\n')
    local = make_wheel(tmp_path / "dl", "zeta", "0.5")
    p = write(tmp_path / "pyproject.toml", f"""\
        [project]
        name = "demo"
        version = "1.0"
        dependencies = ["alpha", "demo-core", "zeta"]

        [dependency-groups]
        docs = ["docs-theme[extra]; python_version >= '3.9'"]

        [tool.uv.sources]
        demo-core = {{ workspace = true }}
        docs-theme = {{ git = "http://127.0.0.1:9/o/docs-theme", tag = "v1", subdirectory = "theme" }}
        zeta = {{ path = "{local.relative_to(tmp_path).as_posix()}" }}

        [tool.uv.workspace]
        members = ["packages/*"]
        """)
    reqs = declared_requirements(p, p.read_text())
    assert reqs == ["alpha", f"-e {member.resolve()}", f"zeta @ {local.resolve().as_uri()}",
                    'docs-theme[extra] @ git+http://127.0.0.1:9/o/docs-theme@v1#subdirectory=theme ; python_version >= "3.9"']
    cfg = lock_config.with_changes(offline=False, use_cache=False, index_url=file_index(tmp_path, wheels))
    inv = collect(PyprojectSource(p), cfg)
    by = inv.by_name()
    assert by["demo-core"].origin.kind == "path" and by["demo-core"].version == "0.2" and by["beta"].version == "1.0"
    assert by["zeta"].version == "0.5" and by["zeta"].origin.kind == "path"
    docs = by["docs-theme"]  # unreachable: a node with the reason, not a failed audit
    assert docs.origin.kind == "vcs" and (docs.origin.file, docs.origin.line) == (str(p), 7)
    assert docs.metadata.reason.startswith("not resolved:")
    assert {e.target: e.kind for e in inv.root_requires}["docs-theme"] == "group:docs"


def test_pylock_root_edges_take_marker_and_kind_from_the_entry(tmp_path, lock_config):
    """pypa/pipenv examples/pylock.toml and pylock.toml (3f1b272): dev packages carry
    ``'dev' in dependency_groups`` and optional ones ``'crypto' in extras``; every root edge
    was ``runtime`` without a marker, so a dev-only or Windows-only package looked like a
    runtime dependency of every platform."""
    lock = write(tmp_path / "pylock.toml", """\
        lock-version = "1.0"
        extras = ["crypto"]
        dependency-groups = ["dev"]
        default-groups = ["default"]
        created-by = "pipenv"
        [[packages]]
        name = "requests"
        version = "2.28.1"
        [[packages]]
        name = "pytest"
        version = "7.2.0"
        marker = "('dev' in dependency_groups) and (sys_platform == 'win32')"
        [[packages]]
        name = "cryptography"
        version = "40.0.0"
        marker = "'crypto' in extras"
        [[packages]]
        name = "idna"
        version = "3.4"
        marker = "'default' in dependency_groups or 'crypto' in extras"
        """)
    inv = collect(PylockSource(lock, fetch_metadata=False), lock_config)
    root = {e.target: (e.kind, e.marker) for e in inv.root_requires}
    assert root == {"requests": ("runtime", None),
                    "pytest": ("group:dev", "('dev' in dependency_groups) and (sys_platform == 'win32')"),
                    "cryptography": ("extra:crypto", "'crypto' in extras"),
                    "idna": ("runtime", "'default' in dependency_groups or 'crypto' in extras")}


def test_pylock_archive_without_version_takes_its_file_names(tmp_path, lock_config):
    """``pip lock`` (pip 26.3) writes a direct wheel URL as ``[packages.archive]`` with no
    ``version`` (PEP 751 makes it optional there): the node's version was unknown although
    the file name states it."""
    lock = write(tmp_path / "pylock.toml", """\
        lock-version = "1.0"
        created-by = "pip"

        [[packages]]
        name = "six"

        [packages.archive]
        url = "https://files.pythonhosted.org/packages/b7/ce/x/six-1.17.0-py2.py3-none-any.whl"

        [packages.archive.hashes]
        sha256 = "4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274"
        """)
    six = collect(PylockSource(lock, fetch_metadata=False), lock_config).by_name()["six"]
    assert (six.version, six.origin.kind, six.origin.line) == ("1.17.0", "url", 5)


class _Metadata:
    """``core_metadata(name, version, files=())`` from a dict of Requires-Dist lists."""

    def __init__(self, requires: dict[str, list[str]]):
        self.requires = requires

    def core_metadata(self, name, version, files=()):
        from auditor.models import CoreMetadata

        return CoreMetadata(name=name, version=version, requires_dist=tuple(self.requires.get(name, ())))


def test_locks_without_edges_keep_edges_only_another_python_needs(tmp_path, lock_config):
    """pypa/pipenv pylock.toml (3f1b272) and a ``uv export --format pylock.toml``: pytest's
    ``exceptiongroup; python_version < "3.11"`` and ``tomli; ...`` hold on no platform of a
    3.11 target, so the edges were not linked and both locked packages became direct
    requirements of the root."""
    lock = write(tmp_path / "pylock.toml", """\
        lock-version = "1.0"
        created-by = "uv"
        [[packages]]
        name = "pytest"
        version = "9.2.0"
        [[packages]]
        name = "exceptiongroup"
        version = "1.3.1"
        marker = "python_full_version < '3.11'"
        [[packages]]
        name = "pysocks"
        version = "1.7.1"
        """)
    meta = _Metadata({"pytest": ['exceptiongroup>=1; python_version < "3.11"', 'pysocks; extra == "socks"']})
    inv = collect(PylockSource(lock, metadata_client=meta), lock_config)
    assert {e.target for e in inv.root_requires} == {"pytest", "pysocks"}  # an extra's edge is not guessed
    edge = inv.by_name()["pytest"].requires[0]
    assert (edge.target, edge.marker) == ("exceptiongroup", 'python_version < "3.11"')
    only = collect(PylockSource(lock, all_platforms=False, metadata_client=meta), lock_config)
    assert "exceptiongroup" not in {d.name for d in only.distributions}


def test_pyproject_root_edges_say_which_extra_or_group(tmp_path):
    """A ``uv init`` style project (and pydantic/pydantic's pyproject.toml) audited from its
    pyproject.toml: every root edge was ``runtime``, the dev group and the extras included."""
    from auditor.sources.pyproject import declared_requirements

    p = write(tmp_path / "pyproject.toml", """\
        [project]
        name = "demo"
        dependencies = ["requests"]
        [project.optional-dependencies]
        fast = ["orjson"]
        [dependency-groups]
        test = ["pytest>=8"]
        dev = [{include-group = "test"}, "ruff", "requests"]
        [tool.poetry.group.docs.dependencies]
        sphinx = "^7"
        """)
    kinds: dict[str, str] = {}
    declared_requirements(p, p.read_text(), kinds=kinds)
    assert kinds == {"requests": "runtime", "orjson": "extra:fast", "pytest": "group:test", "ruff": "group:dev",
                     "sphinx": "group:docs"}


def test_pylock_local_directory_takes_its_static_version(tmp_path, lock_config):
    """``uv export --format pylock.toml`` (uv 0.13.9) writes a path dependency as
    ``directory = { path = "libs/helper", editable = true }`` without a version."""
    (tmp_path / "libs" / "helper").mkdir(parents=True)
    write(tmp_path / "libs" / "helper" / "pyproject.toml", '[project]\nname = "helper"\nversion = "0.3.0"\n')
    lock = write(tmp_path / "pylock.toml", """\
        lock-version = "1.0"
        created-by = "uv"
        [[packages]]
        name = "helper"
        directory = { path = "libs/helper", editable = true }
        """)
    helper = collect(PylockSource(lock, fetch_metadata=False), lock_config).by_name()["helper"]
    assert (helper.version, helper.origin.kind) == ("0.3.0", "path")


def test_workspace_member_patterns_from_the_input_stay_inside_and_bounded(tmp_path):
    """``[tool.uv.workspace] members`` are glob patterns from the input: one that leaves the project
    (``..``, absolute), one :mod:`pathlib` refuses (``**x``) or a string instead of a list find no
    member, and never crash the read or walk outside the project."""
    from auditor.sources.pyproject import declared_requirements

    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside / "pyproject.toml", '[project]\nname = "demo-core"\nversion = "9"\n')
    proj = tmp_path / "proj"
    proj.mkdir()
    for members in ('["../*", "/tmp/*", "**x", 7]', '"../*"'):
        p = write(proj / "pyproject.toml", f"""\
            [project]
            name = "demo"
            version = "1.0"
            dependencies = ["demo-core"]

            [tool.uv.sources]
            demo-core = {{ workspace = true }}

            [tool.uv.workspace]
            members = {members}
            """)
        reqs = declared_requirements(p, p.read_text())
        assert str(outside) not in " ".join(reqs), reqs
