"""Round trips of real lockfiles produced by uv, poetry and pipenv, plus broken variants."""

from __future__ import annotations

import pytest

from auditor.errors import ExitCode, InputError
from auditor.models import CoreMetadata, TargetEnvironment
from auditor.sources.pipfile_lock import PipfileLockSource
from auditor.sources.poetry_lock import PoetryLockSource
from auditor.sources.pylock import PylockSource
from auditor.sources.registry import open_source
from auditor.sources.uv_lock import UvLockSource
from tests.builders import collect

SMALL = {"certifi", "charset-normalizer", "click", "colorama", "idna", "iniconfig", "markdown-it-py", "mdurl",
         "packaging", "pluggy", "pygments", "pytest", "requests", "rich", "urllib3"}


def names(inv):
    return {d.name for d in inv.distributions}


def edges(inv):
    return {(d.name, e.target) for d in inv.distributions for e in d.requires}


def test_uv_lock_small_uses_recorded_edges(locks, lock_config):
    inv = collect(UvLockSource(locks / "small-uv" / "uv.lock", fetch_metadata=False), lock_config)
    assert names(inv) == SMALL  # the project itself is the root, not a distribution
    assert {("requests", "urllib3"), ("rich", "pygments"), ("click", "colorama"), ("pytest", "pluggy")} <= edges(inv)
    root = {e.target: e for e in inv.root_requires}
    assert root["requests"].requirement == "requests>=2.31"
    assert root["pytest"].kind == "group:dev"
    assert root["colorama"].marker == "sys_platform == 'win32'"
    req = inv.by_name()["requests"]
    assert req.version == "2.32.3" and req.direct and req.origin.kind == "registry"
    assert req.hashes and all(h.startswith("sha256:") for h in req.hashes)
    # the line of `name = "requests"` in the lockfile
    text = (locks / "small-uv" / "uv.lock").read_text().splitlines()
    assert text[req.origin.line - 1] == 'name = "requests"'


def test_uv_lock_universal_keeps_windows_only_packages(locks, lock_config):
    inv = collect(UvLockSource(locks / "small-uv" / "uv.lock", fetch_metadata=False), lock_config)
    assert "colorama" in names(inv)
    colorama_edge = next(e for e in inv.by_name()["click"].requires if e.target == "colorama")
    assert colorama_edge.marker == "sys_platform == 'win32'"


def test_uv_lock_target_only_drops_other_platforms(locks, lock_config):
    inv = collect(UvLockSource(locks / "small-uv" / "uv.lock", all_platforms=False, fetch_metadata=False), lock_config)
    assert "colorama" not in names(inv)
    win = lock_config.with_changes(target=TargetEnvironment(sys_platform="win32", platform_machine="AMD64"))
    inv = collect(UvLockSource(locks / "small-uv" / "uv.lock", all_platforms=False, fetch_metadata=False), win)
    assert "colorama" in names(inv)


def test_uv_lock_large_with_forks_and_extras(locks, lock_config):
    inv = collect(UvLockSource(locks / "large-head" / "uv.lock", fetch_metadata=False), lock_config)
    assert len(inv.distributions) == 72
    by = inv.by_name()
    # datasets requires fsspec[http]; the extra pulls aiohttp through fsspec
    assert any(e.target == "fsspec" and e.extras == ("http",) for e in by["datasets"].requires)
    assert any(e.target == "aiohttp" and e.via_extra == "http" for e in by["fsspec"].requires)
    assert by["tenacity"].direct


def test_uv_lock_fetches_metadata_through_the_client(locks, lock_config, fake_metadata):
    inv = collect(UvLockSource(locks / "small-uv" / "uv.lock", metadata_client=fake_metadata), lock_config)
    assert isinstance(inv.by_name()["requests"].metadata, CoreMetadata)
    assert ("requests", "2.32.3") in fake_metadata.calls
    # the lock's own file URLs are offered, so the index page can be skipped
    assert any(u.endswith("requests-2.32.3-py3-none-any.whl") for u in fake_metadata.files["requests"])


def test_poetry_lock_small(locks, lock_config):
    inv = collect(PoetryLockSource(locks / "small-poetry" / "poetry.lock", fetch_metadata=False), lock_config)
    assert names(inv) == SMALL
    by = inv.by_name()
    assert {e.target for e in by["requests"].requires} == {"certifi", "charset-normalizer", "idna", "urllib3"}
    pytest_edge = next(e for e in inv.root_requires if e.target == "pytest")
    assert pytest_edge.kind == "group:dev"
    colorama = next(e for e in by["pytest"].requires if e.target == "colorama")
    assert colorama.marker and "win32" in colorama.marker
    assert by["requests"].origin.index_url == "https://pypi.org/simple"


def test_poetry_lock_large(locks, lock_config):
    inv = collect(PoetryLockSource(locks / "large-poetry" / "poetry.lock", fetch_metadata=False), lock_config)
    assert len(inv.distributions) >= 60
    assert {"transformers", "datasets", "tenacity"} <= {e.target for e in inv.root_requires}


def test_pipfile_lock_small_computes_edges_from_metadata(locks, lock_config, fake_metadata):
    inv = collect(PipfileLockSource(locks / "small-pipenv" / "Pipfile.lock", metadata_client=fake_metadata), lock_config)
    assert names(inv) == SMALL
    assert ("requests", "urllib3") in edges(inv) and ("rich", "markdown-it-py") in edges(inv)
    # root requirements come from the Pipfile next to the lock
    assert {e.target for e in inv.root_requires} == {"click", "colorama", "pytest", "requests", "rich"}
    colorama = inv.by_name()["colorama"]
    assert colorama.version is None  # pipenv wrote "*": not pinned
    assert str(colorama.metadata) == "unknown (version not pinned in the lockfile)"


def test_pipfile_lock_large_without_network(locks, lock_config):
    inv = collect(PipfileLockSource(locks / "large-pipenv" / "Pipfile.lock", fetch_metadata=False), lock_config)
    assert len(inv.distributions) >= 60
    assert all(d.hashes for d in inv.distributions if d.version)


def test_pylock_from_uv_export_computes_edges(locks, lock_config, fake_metadata):
    inv = collect(PylockSource(locks / "small-uv" / "pylock.toml", metadata_client=fake_metadata), lock_config)
    assert names(inv) == SMALL
    assert {e.target for e in inv.root_requires} == {"click", "pytest", "requests", "rich"}
    assert ("click", "colorama") in edges(inv)  # kept: universal lock, edge from the win32 pass
    assert inv.by_name()["certifi"].origin.line is not None


def test_pylock_from_uv_pip_compile(locks, lock_config):
    inv = collect(PylockSource(locks / "small-uv" / "pylock.compile.toml", fetch_metadata=False), lock_config)
    assert {"requests", "rich", "click"} <= names(inv)


def test_pylock_recorded_dependencies(tmp_path, lock_config):
    lock = tmp_path / "pylock.toml"
    lock.write_text(
        'lock-version = "1.0"\ncreated-by = "hand"\n\n'
        '[[packages]]\nname = "a"\nversion = "1.0"\ndependencies = [{name = "b"}]\n\n'
        '[[packages]]\nname = "b"\nversion = "2.0"\n\n'
        '[[packages]]\nname = "c"\nversion = "3.0"\nmarker = "sys_platform == \'win32\'"\n'
    )
    inv = collect(PylockSource(lock, fetch_metadata=False), lock_config)
    assert edges(inv) == {("a", "b")}
    assert {e.target for e in inv.root_requires} == {"a", "c"}
    inv = collect(PylockSource(lock, fetch_metadata=False, all_platforms=False), lock_config)
    assert names(inv) == {"a", "b"}


def test_pylock_rejects_future_major_version(tmp_path, lock_config):
    lock = tmp_path / "pylock.toml"
    lock.write_text('lock-version = "2.0"\n[[packages]]\nname = "a"\n')
    with pytest.raises(InputError, match="lock-version"):
        collect(PylockSource(lock, fetch_metadata=False), lock_config)


@pytest.mark.parametrize(
    "name, line",
    [
        ("corrupt.uv.lock", 20),
        ("corrupt.poetry.lock", 30),
        ("corrupt.pylock.toml", 12),
        ("corrupt.Pipfile.lock", 1),
        ("truncated.uv.lock", 56),
        ("truncated.poetry.lock", 39),
        ("truncated.pylock.toml", 23),
        ("truncated.Pipfile.lock", 74),
        ("binary.uv.lock", None),
    ],
)
def test_broken_lockfiles_name_file_and_line(locks, lock_config, name, line):
    path = locks / "broken" / name
    with pytest.raises(InputError) as info:
        collect(open_source(path, fetch_metadata=False), lock_config)
    err = info.value
    assert err.file == str(path) and err.line == line
    assert err.exit_code == ExitCode.USAGE
    assert str(err).startswith(f"{path}:")
    assert "\n" not in str(err)


def test_lock_cut_at_a_table_boundary_is_detected(locks, lock_config):
    # valid TOML, but the project's dependencies are not locked any more
    path = locks / "broken" / "cut-at-table.uv.lock"
    with pytest.raises(InputError, match="depends on 'requests', which the lock does not contain") as info:
        collect(UvLockSource(path, fetch_metadata=False), lock_config)
    assert path.read_text().splitlines()[info.value.line - 1] == 'name = "small-app"'


def test_poetry_lock_missing_dependency(tmp_path, lock_config):
    lock = tmp_path / "poetry.lock"
    lock.write_text('[[package]]\nname = "a"\nversion = "1"\n\n[package.dependencies]\nb = ">=1"\n\n'
                    '[metadata]\nlock-version = "2.1"\n')
    with pytest.raises(InputError, match="'a' depends on 'b'") as info:
        collect(PoetryLockSource(lock, fetch_metadata=False), lock_config)
    assert info.value.line == 2


def test_wrong_shape_is_an_input_error(tmp_path, lock_config):
    lock = tmp_path / "uv.lock"
    lock.write_text('version = 1\n[[package]]\nname = "a"\nversion = 3\n')
    with pytest.raises(InputError, match="'version' must be a string") as info:
        collect(UvLockSource(lock, fetch_metadata=False), lock_config)
    assert info.value.line == 3


def test_git_text_is_used_instead_of_the_file(locks, lock_config, tmp_path):
    text = (locks / "small-uv" / "uv.lock").read_text()
    inv = collect(open_source(tmp_path / "uv.lock", text=text, fetch_metadata=False), lock_config)
    assert names(inv) == SMALL


FORKED = """version = 1
revision = 3
requires-python = ">=3.10"
resolution-markers = ["python_full_version >= '3.12'", "python_full_version < '3.12'"]

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.12'"]

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.12'"]
"""


def test_uv_lock_forks_choose_the_version_for_the_target(tmp_path, lock_config):
    lock = tmp_path / "uv.lock"
    lock.write_text(FORKED)
    inv = collect(UvLockSource(lock, fetch_metadata=False), lock_config)  # target 3.11 (TargetEnvironment default)
    assert inv.by_name()["numpy"].version == "1.26.4"
    assert inv.by_name()["numpy"].origin.line == 16
    py312 = lock_config.with_changes(target=TargetEnvironment(python_version="3.12"))
    inv = collect(UvLockSource(lock, fetch_metadata=False), py312)
    assert inv.by_name()["numpy"].version == "2.1.0"
    assert inv.by_name()["numpy"].origin.line == 22


def test_poetry_lock_version_1_keeps_hashes_in_metadata_files(tmp_path, lock_config):
    lock = tmp_path / "poetry.lock"
    lock.write_text(
        '[[package]]\nname = "six"\nversion = "1.16.0"\ndescription = ""\ncategory = "main"\noptional = false\n'
        'python-versions = ">=2.7"\n\n[metadata]\nlock-version = "1.1"\npython-versions = "^3.8"\n'
        'content-hash = "x"\n\n[metadata.files]\nsix = [\n    {file = "six-1.16.0-py2.py3-none-any.whl", '
        'hash = "sha256:8abb"},\n]\n'
    )
    inv = collect(PoetryLockSource(lock, fetch_metadata=False), lock_config)
    assert inv.by_name()["six"].hashes == ("sha256:8abb",)


def test_pip_compile_style_requirements_with_hashes(locks, tmp_path):
    """`uv pip compile --generate-hashes` output, read by the requirements source
    (branch `inputs`) without resolving: every line is pinned and hashed."""
    import auditor.sources.requirements as requirements
    from auditor.config import Config

    offline = Config(cache_dir=tmp_path / "cache", offline=True)
    src = open_source(locks / "small-uv" / "requirements-hashes.txt")
    assert isinstance(src, requirements.RequirementsSource)
    inv = collect(requirements.RequirementsSource(locks / "small-uv" / "requirements-hashes.txt", resolver="none"), offline)
    assert {d.name for d in inv.distributions} == {"certifi", "charset-normalizer", "click", "idna", "markdown-it-py",
                                                   "mdurl", "pygments", "requests", "rich", "urllib3"}
    assert all(d.hashes for d in inv.distributions)


@pytest.mark.parametrize("side, count", [("large-base", 69), ("large-head", 72)])
def test_large_pylock_matches_its_uv_lock(locks, lock_config, side, count):
    """`uv export --format pylock.toml` of the same lock: same names and versions."""
    py = collect(PylockSource(locks / side / "pylock.toml", fetch_metadata=False), lock_config)
    uv = collect(UvLockSource(locks / side / "uv.lock", fetch_metadata=False), lock_config)
    assert len(py.distributions) == count
    assert {(d.name, d.version) for d in py.distributions} == {(d.name, d.version) for d in uv.distributions}
