"""pyproject.toml: PEP 621 dependencies and PEP 735 dependency groups."""

from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.sources.pyproject import PyprojectSource, declared_requirements

DOC = """
[project]
name = "demo"
dependencies = ["requests>=2.31", "rich"]

[project.optional-dependencies]
cli = ["click>=8"]

[dependency-groups]
test = ["pytest>=8"]
dev = [{include-group = "test"}, "ruff"]
"""


def test_declared_requirements_all(tmp_path):
    p = tmp_path / "pyproject.toml"
    assert declared_requirements(p, DOC) == ["requests>=2.31", "rich", "click>=8", "pytest>=8", "ruff"]


def test_selected_extras_and_groups(tmp_path):
    p = tmp_path / "pyproject.toml"
    assert declared_requirements(p, DOC, extras=(), groups=("test",)) == ["requests>=2.31", "rich", "pytest>=8"]
    with pytest.raises(InputError, match="no dependency group named nope"):
        declared_requirements(p, DOC, groups=("nope",))


def test_invalid_requirement_names_the_line(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text('[project]\nname = "x"\ndependencies = [\n  "requests>=",\n]\n')
    with pytest.raises(InputError) as info:
        PyprojectSource(p).requirements()
    assert info.value.line == 4 and "invalid requirement" in info.value.message


def test_cyclic_groups(tmp_path):
    p = tmp_path / "pyproject.toml"
    text = '[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n'
    with pytest.raises(InputError, match="dependency-groups"):
        declared_requirements(p, text)


def test_real_fixture(locks):
    reqs = PyprojectSource(locks / "small-uv" / "pyproject.toml").requirements()
    assert "requests>=2.31" in reqs and "pytest>=8" in reqs


SELF = """
[project]
name = "Demo"
dependencies = ["requests>=2.31"]

[project.optional-dependencies]
cli = ["click>=8"]
gpu = ["cupy"]
dev = ["demo[cli]", "demo[gpu] ; sys_platform == 'linux'", "ruff"]
all = ["demo[dev]"]

[dependency-groups]
test = ["demo[cli]", "pytest>=8"]
"""


def test_self_extras_resolve_from_the_file(tmp_path):
    """Issue 13 item 4: proj[dev] is this project's own extra, never looked up on an index."""
    p = tmp_path / "pyproject.toml"
    assert declared_requirements(p, SELF, extras=("all",), groups=()) == [
        "requests>=2.31", "click>=8", 'cupy; sys_platform == "linux"', "ruff"]
    assert declared_requirements(p, SELF, extras=(), groups=("test",)) == ["requests>=2.31", "click>=8", "pytest>=8"]
    assert not any(r.lower().startswith("demo") for r in declared_requirements(p, SELF))


def file_index(tmp_path, wheels):
    simple = tmp_path / "simple"
    for whl in sorted(wheels.glob("*.whl")):
        page = simple / whl.name.split("-")[0] / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        with page.open("a") as f:
            f.write(f'<a href="{whl.as_uri()}">{whl.name}</a>\n')
    return simple.as_uri()


def test_collect_reports_the_users_paths_and_lines(tmp_path, config):
    """Issue 13 item 4: origins and errors name pyproject.toml and its lines, never the temporary file."""
    import dataclasses

    from auditor.errors import ResolutionError
    from tests.builders import collect
    from tests.sources.wheelhouse import standard_wheelhouse

    wheels = standard_wheelhouse(tmp_path / "wheels")
    cfg = dataclasses.replace(config, index_url=file_index(tmp_path, wheels))
    p = tmp_path / "pyproject.toml"
    p.write_text('[project]\nname = "demo"\ndependencies = [\n  "alpha",\n]\n[dependency-groups]\ndev = ["epsilon"]\n')
    inv = collect(PyprojectSource(p, groups=()), cfg)
    alpha = inv.by_name()["alpha"]
    assert (alpha.origin.file, alpha.origin.line) == (str(p), 4) and "epsilon" not in inv.by_name()
    assert "epsilon" in collect(PyprojectSource(p, all_groups=True), cfg).by_name()
    p.write_text('[project]\nname = "demo"\ndependencies = ["nothere>=1"]\n')
    with pytest.raises(ResolutionError) as info:
        collect(PyprojectSource(p), cfg)
    assert "auditor-pyproject-" not in str(info.value) and str(p) in str(info.value)
