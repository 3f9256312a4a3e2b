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
