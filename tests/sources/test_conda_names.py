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
