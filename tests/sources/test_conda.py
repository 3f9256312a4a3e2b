"""conda inputs: a prefix written in conda's documented record format, pixi.lock, conda-lock.yml, environment.yml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.errors import InputError
from auditor.models import CoreMetadata, Unknown
from auditor.net.context import RunContext
from auditor.sources.conda import (CONDA_PIP, CONDA_RECORDS, CondaLockSource, CondaPrefixSource, PixiLockSource,
                                   python_name, spec_name)
from auditor.sources.conda_env import CondaEnvironmentFileSource
from auditor.sources.registry import detect, open_source
from tests.conda_fixtures import PACKAGES, record, write_prefix

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "conda"
SP = "lib/python3.12/site-packages"


@pytest.fixture
def ctx(tmp_path):
    c = RunContext(Config(cache_dir=tmp_path / "cache", offline=True))
    yield c
    c.close()


def small_prefix(root: Path) -> Path:
    recs = [
        record("python", "3.12.7", "hc5c86c4_0_cpython", depends=["openssl >=3.3.2,<4.0a0"], requested="python=3.12"),
        record("openssl", "3.3.2", "hb9d3cd8_0"),
        record("libopenblas", "0.3.28", "pthreads_h94d23a6_0"),
        record("numpy", "1.26.4", "py312h8753938_0", depends=["libopenblas >=0.3.28", "python >=3.12,<3.13.0a0"],
               files=[f"{SP}/numpy-1.26.4.dist-info/METADATA", f"{SP}/numpy/__init__.py"], requested="numpy"),
        record("requests", "2.32.3", "pyhd8ed1ab_0", "noarch", depends=["python >=3.8"],
               files=[f"{SP}/requests-2.32.3.dist-info/METADATA"], requested="requests"),
    ]
    return write_prefix(root, recs, pip=(("requests", "2.31.0", ("idna>=2.5",)), ("idna", "3.10", ())))


def test_prefix_records_pip_packages_and_the_interpreter(tmp_path, ctx):
    inv = CondaPrefixSource(small_prefix(tmp_path / "env")).collect(ctx)
    by = inv.by_name()
    assert set(by) == {"openssl", "libopenblas", "numpy", "requests", "idna"}  # python is the interpreter node
    assert inv.interpreter_version == "3.12.7" and inv.target.python_version == "3.12"
    numpy = by["numpy"]
    assert numpy.origin.kind == "conda" and numpy.origin.index_url == "https://conda.anaconda.org/conda-forge"
    assert numpy.origin.url.endswith("/linux-64/numpy-1.26.4-py312h8753938_0.conda")
    assert isinstance(numpy.metadata, CoreMetadata)  # the dist-info the record installed
    assert [e.target for e in numpy.requires] == ["libopenblas"]
    assert isinstance(by["openssl"].metadata, Unknown) and not by["openssl"].metadata.fault
    assert by["idna"].origin.kind == "installed"
    # requested_spec: what the user asked conda for is direct; what only the python record depends on (openssl: the
    # interpreter node carries no edges) is reached from the root too, not direct
    assert sorted(e.target for e in inv.root_requires) == ["numpy", "openssl", "requests"]
    assert sorted(d.name for d in inv.distributions if d.direct) == ["numpy", "requests"]
    assert inv.root_kind == "environment" and inv.root_name.startswith("conda:")


def test_conda_and_pip_copies_are_one_node_with_both_origins(tmp_path, ctx):
    inv = CondaPrefixSource(small_prefix(tmp_path / "env")).collect(ctx)
    req = inv.by_name()["requests"]
    assert req.version == "2.31.0"  # pip's copy is on disk: a PyPI distribution (its purl is pkg:pypi)
    assert req.origin.kind == "installed" and req.origin.file.endswith("requests-2.31.0.dist-info")
    assert [e.target for e in req.requires] == ["idna"]  # pip's Requires-Dist
    assert ctx.memo[CONDA_PIP] == {"requests": "2.31.0"}
    rec = ctx.memo[CONDA_RECORDS]["requests"]
    assert (rec.version, rec.build, rec.subdir, rec.channel_name) == ("2.32.3", "pyhd8ed1ab_0", "noarch", "conda-forge")
    assert rec.purl == "pkg:conda/requests@2.32.3?build=pyhd8ed1ab_0&channel=conda-forge&subdir=noarch"


def test_not_a_prefix_and_a_malformed_record_are_input_errors(tmp_path, ctx):
    with pytest.raises(InputError, match="no conda-meta"):
        CondaPrefixSource(tmp_path).collect(ctx)
    prefix = write_prefix(tmp_path / "env", [record("zlib", "1.3.1", "hb9d3cd8_2")])
    (prefix / "conda-meta" / "broken-1-0.json").write_text("{not json")
    with pytest.raises(InputError) as err:
        CondaPrefixSource(prefix).collect(ctx)
    assert "broken-1-0.json" in str(err.value) and "malformed conda record" in str(err.value)


def test_a_record_path_that_is_not_a_regular_file_is_refused(tmp_path, ctx):
    prefix = write_prefix(tmp_path / "env", [record("zlib", "1.3.1", "hb9d3cd8_2")])
    (prefix / "conda-meta" / "dir.json").mkdir()
    with pytest.raises(InputError, match="not a regular file"):
        CondaPrefixSource(prefix).collect(ctx)


@pytest.mark.parametrize("name,cls", [("pixi.lock", PixiLockSource), ("conda-lock.yml", CondaLockSource)])
def test_lock_files_of_64_conda_and_3_pypi_packages(name, cls, ctx):
    path = FIXTURES / name
    assert detect(path) == name and isinstance(open_source(path), cls)
    inv = cls(path, fetch_metadata=False).collect(ctx)
    by = inv.by_name()
    assert len(PACKAGES) == 64 and len(inv.distributions) == 64 - 1 + 3  # python is the interpreter node
    assert inv.interpreter_version == "3.12.7"
    (_, reason, kind), = inv.gaps  # offline: parselmouth's live mapping is not read; the vendored table is used
    assert "vendored table" in reason and kind == "offline"
    assert by["matplotlib"].origin.kind == "conda"  # matplotlib-base installs PyPI's matplotlib
    assert ctx.memo[CONDA_RECORDS]["matplotlib"].name == "matplotlib-base"
    assert {e.target for e in by["numpy"].requires} >= {"libblas", "libcblas", "liblapack"}
    assert by["rich"].origin.kind == "registry" and [e.target for e in by["rich"].requires] == ["markdown-it-py"]
    assert ctx.memo[CONDA_RECORDS]["libopenblas"].python_name is None
    assert ctx.memo[CONDA_RECORDS]["certifi"].subdir == "noarch"


def test_lock_without_the_target_platform_is_read_for_its_own_with_a_gap(tmp_path):
    text = (FIXTURES / "pixi.lock").read_text().replace("linux-64:", "osx-arm64:")
    path = tmp_path / "pixi.lock"
    path.write_text(text)
    c = RunContext(Config(cache_dir=tmp_path / "cache", offline=True))
    try:
        inv = PixiLockSource(path, fetch_metadata=False).collect(c)
    finally:
        c.close()
    assert len(inv.distributions) == 66
    assert "no linux-64 packages; read for osx-arm64" in inv.gaps[0][1] and inv.gaps[0][2] == "unsupported"


def test_unreadable_lock_is_an_input_error(tmp_path, ctx):
    path = tmp_path / "pixi.lock"
    path.write_text("version: 6\nenvironments: [\n")
    with pytest.raises(InputError, match="not a readable pixi.lock"):
        PixiLockSource(path).collect(ctx)


def test_environment_file_pins_as_written_with_a_notice(tmp_path, ctx):
    path = tmp_path / "environment.yml"
    path.write_text("name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12.7\n  - numpy==1.26.4\n"
                    "  - conda-forge::pytorch=2.5.1=cuda124_py312h1\n  - scipy>=1.13\n  - pip\n"
                    "  - pip:\n    - rich==13.9.4\n    - httpx>=0.27\n")
    assert detect(path) == "environment.yml"
    inv = CondaEnvironmentFileSource(path).collect(ctx)
    by = inv.by_name()
    assert by["numpy"].version == "1.26.4" and by["scipy"].version is None
    assert by["torch"].version == "2.5.1"  # pytorch installs PyPI's torch
    assert ctx.memo[CONDA_RECORDS]["torch"].build == "cuda124_py312h1"
    assert by["rich"].version == "13.9.4" and by["httpx"].version is None and by["rich"].origin.kind == "registry"
    assert inv.interpreter_version == "3.12.7"
    records = ctx.memo[CONDA_RECORDS]  # numpy and scipy are Python packages (looked up on PyPI), though unlisted
    assert records["numpy"].python_name == "numpy" and records["scipy"].python_name == "scipy"
    (what, reason, kind), names = inv.gaps
    assert "vendored table" in names[1]  # offline
    assert "not resolved" in reason and "httpx" in reason and "scipy" in reason and kind == "unsupported"


@pytest.mark.parametrize("text,match", [
    ("- a\n- b\n", "mapping with a 'dependencies' list"),
    # a pixi.lock given with --input-format environment.yml: not an audit of nothing
    ("version: 6\nenvironments: {}\npackages: []\n", r"'dependencies' list \(this one: environments, packages, version\)"),
    ("dependencies:\n  - [nested]\n", "spec string or a 'pip:' list"),
    ("dependencies:\n  - 'numpy >>>> 1'\n", "not a conda spec"),
    ("dependencies: [\n", "not valid YAML"),
])
def test_bad_environment_files_name_file_and_line(tmp_path, ctx, text, match):
    path = tmp_path / "environment.yml"
    path.write_text(text)
    with pytest.raises(InputError, match=match) as err:
        CondaEnvironmentFileSource(path).collect(ctx)
    assert "environment.yml" in str(err.value)


def test_an_empty_dependencies_list_is_an_empty_environment(tmp_path, ctx):
    path = tmp_path / "environment.yml"
    path.write_text("name: empty\ndependencies: []\n")
    assert [d.name for d in CondaEnvironmentFileSource(path).collect(ctx).distributions if d.origin.kind != "interpreter"] == []


def test_python_name_prefers_the_dist_info_then_the_table_then_python_dependency():
    assert python_name("pytorch", ["python >=3.12"], [f"{SP}/torch-2.5.1.dist-info/RECORD"]) == "torch"
    assert python_name("matplotlib-base", []) == "matplotlib"
    assert python_name("six", ["python"]) == "six"
    assert python_name("libgcc", ["_libgcc_mutex 0.1"]) is None
    assert python_name("python", ["openssl"]) is None
    assert spec_name("conda-forge::numpy>=1.26") == "numpy" and spec_name("python_abi 3.12.* *_cp312") == "python_abi"


def test_prefix_record_format_is_condas(tmp_path):
    """The records the tests write carry the fields conda writes (docs: conda's PrefixRecord)."""
    rec = record("zlib", "1.3.1", "hb9d3cd8_2")
    assert {"name", "version", "build", "build_number", "channel", "subdir", "fn", "url", "md5", "depends", "files",
            "paths_data", "requested_spec"} <= set(rec)
    json.dumps(rec)
