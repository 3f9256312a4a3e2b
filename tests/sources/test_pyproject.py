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
