"""conda <-> PyPI names: the vendored table (from prefix.dev's parselmouth mapping) and records that meet on one node."""

from __future__ import annotations

import re

import pytest
from packaging.utils import canonicalize_name

from auditor.config import Config
from auditor.models import CondaRecord
from auditor.net.context import RunContext
from auditor.sources.conda import CONDA_RECORDS, conda_inventory, node_names, pypi_names, python_name

SP = "lib/python3.12/site-packages"
CF = "https://conda.anaconda.org/conda-forge/"
#: PEP 503's normalized form: lowercase runs of letters and digits joined by single "-".
PEP503 = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_every_pypi_name_in_the_table_is_a_normalized_pep503_name():
    table = pypi_names()
    assert len(table) > 700  # the generated part is there
    for conda, pypi in table.items():
        assert conda and conda == conda.strip()
        if pypi is not None:
            assert PEP503.match(pypi) and canonicalize_name(pypi) == pypi, (conda, pypi)
            assert canonicalize_name(conda) != pypi, f"{conda}: an entry that normalization already gives"


@pytest.mark.parametrize("conda, pypi", [
    ("pytorch", "torch"), ("pytorch-cpu", None), ("pytorch-gpu", None), ("py-opencv", "opencv-python"),
    ("opencv", None), ("tensorflow-base", "tensorflow"), ("tensorflow-cpu", None), ("msgpack-python", "msgpack"),
    ("matplotlib-base", "matplotlib"), ("pytables", "tables"), ("py-xgboost", "xgboost"), ("pyarrow-core", "pyarrow"),
    ("dask-core", "dask"), ("brotli-python", "brotli"), ("python-tzdata", "tzdata"), ("ray-core", "ray"),
    ("python-graphviz", "graphviz"), ("python-flatbuffers", "flatbuffers"), ("python", None), ("python_abi", None)])
def test_ml_stack_names(conda, pypi):
    assert pypi_names()[conda] == pypi


@pytest.mark.parametrize("conda", ["jax", "jaxlib", "cuda-python", "pillow", "pyyaml", "tensorflow", "numpy",
                                   "huggingface_hub", "typing_extensions", "ruamel.yaml"])
def test_names_normalization_gives_need_no_entry(conda):
    assert conda not in pypi_names()
    assert python_name(conda, ["python >=3.10"]) == canonicalize_name(conda)


def test_of_several_dist_infos_the_one_the_table_or_name_points_to_wins():
    files = [f"{SP}/jax_cuda12_pjrt-0.4.35.dist-info/RECORD", f"{SP}/jaxlib-0.4.35.dist-info/RECORD"]
    assert python_name("jaxlib", ["python"], files) == "jaxlib"
    files = [f"{SP}/opencv_python_headless-4.10.0.dist-info/RECORD"]
    assert python_name("py-opencv", ["python"], files) == "opencv-python-headless"  # what is installed wins


def rec(name: str, *depends: str) -> CondaRecord:
    return CondaRecord(name=name, version="1.0", build="h0_0", channel=CF, subdir="linux-64", depends=depends,
                       python_name=python_name(name, depends), source="pixi.lock")


def test_metapackages_fold_into_the_package_they_wrap_and_a_c_library_keeps_its_own_node(tmp_path):
    records = [rec("python"), rec("pyarrow", "pyarrow-core", "python"), rec("pyarrow-core", "python", "libarrow"),
               rec("libarrow"), rec("brotli", "libbrotlidec"), rec("brotli-python", "python"), rec("libbrotlidec"),
               rec("fonttools", "brotli", "python"), rec("tensorflow", "tensorflow-base", "python"),
               rec("tensorflow-base", "python"), rec("typing-extensions", "typing_extensions"),
               rec("typing_extensions", "python"), rec("app", "pyarrow", "typing-extensions", "python")]
    by_conda, folded = node_names(records)
    assert folded == {"pyarrow", "tensorflow", "typing-extensions"}
    assert by_conda["pyarrow-core"] == by_conda["pyarrow"] == "pyarrow"
    assert by_conda["brotli-python"] == "brotli" and by_conda["brotli"] == "brotli-native"
    assert by_conda["typing-extensions"] == "typing-extensions"  # a metapackage too (a null entry), folded
    ctx = RunContext(Config(cache_dir=tmp_path / "c", offline=True))
    try:
        inv = conda_inventory(ctx, "x", "lockfile", records, resolver="pixi.lock")
        noted = ctx.memo[CONDA_RECORDS]
    finally:
        ctx.close()
    dists = {d.name: d for d in inv.distributions}
    assert noted["pyarrow"].name == "pyarrow-core" and noted["tensorflow"].name == "tensorflow-base"
    assert noted["brotli"].name == "brotli-python" and noted["brotli-native"].name == "brotli"
    assert {e.target for e in dists["app"].requires} == {"pyarrow", "typing-extensions"}
    assert {e.target for e in dists["fonttools"].requires} == {"brotli-native"}  # conda's brotli is the C library
    assert noted["typing-extensions"].name == "typing_extensions"
    assert len(dists) == len(records) - 1 - 3  # the interpreter and the three folded metapackages


# -- parselmouth's mapping read at run time through the GitHub client -------------------------------------------

def parselmouth(mapping: dict):
    import json as _json

    from tests.fakes.forges import FakeRepo

    path = "files/v0/conda-forge/compressed_mapping.json"
    return FakeRepo("github.com", "prefix-dev/parselmouth", "parselmouth", files=(path,),
                    texts={path: _json.dumps(mapping)})


def test_the_live_mapping_is_read_once_per_run_and_curated_entries_win(tmp_path):
    from auditor.sources.conda_names import NAMES_MEMO, conda_names
    from tests.fakes.forges import FakeForges

    live = {"python-newthing": ["NewThing"], "pytorch-cpu": ["torch"], "numpy": ["numpy"], "libfoo": None,
            "several": ["a", "b"], "matplotlib-base": ["matplotlib"]}
    with FakeForges([parselmouth(live)]) as f:
        ctx = RunContext(f.config(tmp_path))
        try:
            table, gap = conda_names(ctx)
            again, _ = conda_names(ctx)
            asked = [s for s in f.github.seen if "parselmouth" in s.path]
        finally:
            ctx.close()
    assert gap is None and again is table and NAMES_MEMO
    assert len(asked) == 1 and asked[0].headers.get("Accept") == "application/vnd.github.raw+json"
    assert table.names["python-newthing"] == "newthing"  # not in the vendored copy: the live mapping's
    assert table.names["pytorch-cpu"] is None  # curated: a metapackage today, whatever older builds installed
    assert "numpy" not in table.names and "several" not in table.names and "libfoo" not in table.names
    assert "read at run time" in table.source
    assert python_name("python-newthing", ["python"], table=table.names) == "newthing"
    # same-name Python packages are kept apart, for inputs that record no files or depends (environment.yml)
    assert table.python == {"numpy"} and table.pypi_name("numpy") == "numpy"
    assert table.pypi_name("libfoo") is None and table.pypi_name("unlisted") is None


def test_an_unreadable_mapping_falls_back_to_the_vendored_table_with_a_gap(tmp_path):
    from auditor.sources.conda_names import conda_names
    from tests.fakes.forges import FakeForges

    with FakeForges([parselmouth({"x": "not a list"})]) as f:
        ctx = RunContext(f.config(tmp_path / "a"))
        try:
            table, gap = conda_names(ctx)
        finally:
            ctx.close()
        off = RunContext(f.config(tmp_path / "b", disabled=frozenset({"github"})))
        try:
            quiet, none = conda_names(off)
        finally:
            off.close()
    assert table.names is pypi_names() or dict(table.names) == dict(pypi_names())
    assert gap[2] == "malformed" and "vendored table of 2026-08-19" in gap[1]
    assert none is None and dict(quiet.names) == dict(pypi_names())  # --no-github: the vendored table, no gap
    for t in (table, quiet):  # the vendored copy's same-name Python packages; native ones stay out
        assert {"numpy", "scipy", "pandas", "scikit-learn"} <= t.python
        assert not {"zlib", "openssl", "libblas", "cudatoolkit"} & t.python
