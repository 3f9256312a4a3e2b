"""Reading a distribution's directory from a repository's file list (pure functions, hostile input)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.repos.tree import declared_name, has_directory, infer_subdirectory, packaging_directories


def reader(texts):
    return lambda path: texts.get(path)


def test_declared_names_from_each_packaging_file():
    assert declared_name("pyproject.toml", '[project]\nname = "Dbt_Core"\n') == "dbt-core"
    assert declared_name("a/pyproject.toml", '[tool.poetry]\nname = "x.y"\n') == "x-y"
    assert declared_name("pyproject.toml", "[tool.ruff]\nline-length = 100\n") is None   # settings only
    assert declared_name("pyproject.toml", '[tool.flit.metadata]\nmodule = "threadpoolctl"\n') == "threadpoolctl"
    assert declared_name("setup.cfg", "[metadata]\nname = flatbuffers\n") == "flatbuffers"
    assert declared_name("setup.py", "setup(\n    name='flatbuffers',\n    version=v)") == "flatbuffers"
    assert declared_name("setup.py", "setup(name=NAME)") is None                          # never evaluated
    assert declared_name("pyproject.toml", "[project\nname=") is None                     # broken TOML
    assert declared_name("setup.cfg", "no sections at all") is None


def test_root_without_packaging_file_and_one_declaring_directory():
    """dbt-core: the root holds no packaging file; core/ declares dbt-core (the 2024 miss)."""
    paths = ["README.md", "core/setup.py", "core/dbt/__init__.py", "plugins/postgres/setup.py",
             "tests/functional/setup.py", "docs/setup.py"]
    texts = {"core/setup.py": "setup(name='dbt-core')", "plugins/postgres/setup.py": "setup(name='dbt-postgres')"}
    assert infer_subdirectory(paths, "dbt-core", reader(texts))[0] == "core"
    assert infer_subdirectory(paths, "dbt-postgres", reader(texts))[0] == "plugins/postgres"
    sub, why = infer_subdirectory(paths, "dbt-other", reader(texts))
    assert sub is None and "declares dbt-other" in why


def test_python_bindings_directory_without_reading():
    """flatbuffers: only python/ holds a setup.py; without a reader a python/ directory is taken."""
    paths = ["CMakeLists.txt", "python/setup.py", "python/flatbuffers/__init__.py", "src/idl.cpp"]
    assert infer_subdirectory(paths, "flatbuffers")[0] == "python"


def test_root_packaging_file_wins():
    paths = ["setup.py", "python/setup.py"]
    assert infer_subdirectory(paths, "x", reader({}))[0] is None
    # a pyproject.toml at the root that declares the name: the root
    paths = ["pyproject.toml", "pkg/pyproject.toml"]
    texts = {"pyproject.toml": '[project]\nname="x"\n', "pkg/pyproject.toml": '[project]\nname="x"\n'}
    assert infer_subdirectory(paths, "x", reader(texts))[0] is None
    # a workspace pyproject (no [project]) at the root: look below
    texts["pyproject.toml"] = "[tool.uv.workspace]\nmembers = ['pkg']\n"
    assert infer_subdirectory(paths, "x", reader(texts))[0] == "pkg"


def test_two_declaring_directories_is_no_answer():
    paths = ["a/setup.py", "b/setup.py"]
    texts = {"a/setup.py": "setup(name='x')", "b/setup.py": "setup(name='x')"}
    sub, why = infer_subdirectory(paths, "x", reader(texts))
    assert sub is None and "2 directories declare x" in why


def test_directories_and_depth_bounds():
    assert has_directory(["a/b/c.py"], "a/b") and has_directory(["a/b/c.py"], "a/")
    assert not has_directory(["a/b/c.py"], "a/b/c.py") and not has_directory(["ab/c.py"], "a")
    deep = "a/b/c/d/e/setup.py"
    assert deep not in sum(packaging_directories([deep]).values(), [])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), max_size=30), st.text(max_size=20),
       st.dictionaries(st.text(max_size=40), st.text(max_size=200), max_size=5))
def test_never_raises_on_hostile_input(paths, name, texts):
    sub, why = infer_subdirectory(paths, name, reader(texts))
    assert sub is None or isinstance(sub, str)
    assert isinstance(why, str)
