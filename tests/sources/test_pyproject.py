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


# -- Poetry's own tables (issue 13 item 4, part 2) ---------------------------------------

POETRY = """\
[tool.poetry]
name = "demo"

[tool.poetry.dependencies]
python = "^3.10"
six = "^1.16"
requests = { version = "~2.31", extras = ["socks"] }
tomli = { version = "*", optional = true }
demo = { version = "*", extras = ["toml"] }

[tool.poetry.extras]
toml = ["tomli"]

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
idna = [{ version = "<3.5", python = "<3.9" }, { version = ">=3.5", markers = "sys_platform == 'linux'" }]
gitdep = { git = "https://example.org/o/gitdep.git", branch = "main" }
local = { path = "../local", develop = true }

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
docutils = "0.20.1"

[tool.poetry.dev-dependencies]
attrs = ">=23"
"""


def test_poetry_tables_become_pep508(tmp_path):
    p = tmp_path / "proj" / "pyproject.toml"
    where: dict[str, int] = {}
    reqs = declared_requirements(p, POETRY, where=where)
    assert reqs == [
        "six<2.0,>=1.16", "requests[socks]<2.32,>=2.31", "tomli",  # ^ and ~; demo[toml] pulls the optional one
        "pytest<9.0,>=8.0", 'idna<3.5; python_version < "3.9"', 'idna>=3.5; sys_platform == "linux"',
        "gitdep @ git+https://example.org/o/gitdep.git@main",  # a direct reference: AUD118, and AUD119 (@main)
        f"local @ {(tmp_path / 'local').as_uri()}",
        "attrs>=23", "docutils==0.20.1",
    ]
    assert where["pytest<9.0,>=8.0"] == 15 and where["attrs>=23"] == 27 and where["docutils==0.20.1"] == 24


def test_poetry_groups_are_selected_like_pep735(tmp_path):
    p = tmp_path / "pyproject.toml"
    assert declared_requirements(p, POETRY, extras=(), groups=("docs",)) == [
        "six<2.0,>=1.16", "requests[socks]<2.32,>=2.31", "tomli", "docutils==0.20.1"]  # tomli: demo[toml] itself
    no_self = POETRY.replace('demo = { version = "*", extras = ["toml"] }\n', "")
    assert "tomli" not in declared_requirements(p, no_self, extras=(), groups=())  # optional, no extra chosen
    assert "tomli" in declared_requirements(p, no_self, extras=("toml",), groups=())
    dev = declared_requirements(p, POETRY, extras=(), groups=("dev",))
    assert "pytest<9.0,>=8.0" in dev and "attrs>=23" in dev and "docutils==0.20.1" not in dev  # legacy table is "dev"
    assert PyprojectSource(p, all_groups=True, text=POETRY).requirements()[-1] == "docutils==0.20.1"
    with pytest.raises(InputError, match="no dependency group named nope"):
        declared_requirements(p, POETRY, groups=("nope",))


@pytest.mark.parametrize("entry, message", [
    ('six = "^^1"', "Could not parse version constraint"),
    ("six = 3", "expected a version string or a table, got int"),
    ('six = { version = "1", colour = "red" }', "unknown key 'colour'"),
    ('six = { git = "https://x/y.git", branch = "a", tag = "b" }', "one of branch, tag or rev"),
])
def test_bad_poetry_entries_name_file_and_line(tmp_path, entry, message):
    p = tmp_path / "pyproject.toml"
    p.write_text(POETRY.replace('six = "^1.16"', entry))
    with pytest.raises(InputError) as info:
        PyprojectSource(p).requirements()
    assert info.value.line == 6 and message in info.value.message and info.value.file == str(p)
    assert info.value.message.startswith("[tool.poetry.dependencies] six: ")


def test_poetry_main_table_only_without_project_dependencies(tmp_path):
    """A Poetry 2 file lists its dependencies in [project]; [tool.poetry.dependencies] then only refines them."""
    p = tmp_path / "pyproject.toml"
    text = '[project]\nname = "d"\ndependencies = ["rich"]\n[tool.poetry.dependencies]\nrich = { source = "mirror" }\n'
    assert declared_requirements(p, text) == ["rich"]


def test_collect_poetry_groups_end_to_end(tmp_path, config):
    """A Poetry 1 file resolved: origins point at its entries; a git entry on a branch is a VCS node (AUD118, AUD119)."""
    import dataclasses

    from auditor.judgement.findings import probe_origin
    from tests.builders import collect, package_node
    from tests.sources.wheelhouse import standard_wheelhouse

    wheels = standard_wheelhouse(tmp_path / "wheels")
    cfg = dataclasses.replace(config, index_url=file_index(tmp_path, wheels))
    p = tmp_path / "pyproject.toml"
    p.write_text('[tool.poetry]\nname = "demo"\n[tool.poetry.dependencies]\npython = "^3.10"\nalpha = "^1.0"\n'
                 '[tool.poetry.group.dev.dependencies]\nepsilon = "*"\n'
                 'gitdep = { git = "https://127.0.0.1:9/o/gitdep.git", branch = "main" }\n')
    assert "epsilon" not in collect(PyprojectSource(p, groups=()), cfg).by_name()
    d = collect(PyprojectSource(p, groups=("dev",)), cfg).by_name()
    assert (d["alpha"].origin.file, d["alpha"].origin.line) == (str(p), 5) and d["epsilon"].origin.line == 7
    git = d["gitdep"]
    assert (git.origin.kind, git.origin.line) == ("vcs", 8) and "@main" in (git.origin.url or "")
    node = package_node("gitdep", None, origin=git.origin)
    assert sorted(f.id for f in probe_origin(node)) == ["AUD118", "AUD119"]


def test_poetry_sources_are_extra_indexes(tmp_path, config):
    """[[tool.poetry.source]] reaches the resolver as --extra-index-url: a name only the private source serves
    resolves from it, origins keep the entry's line, and the source is one of the run's indexes (AUD122)."""
    import dataclasses

    from auditor.net.context import RunContext
    from auditor.sources.interface import run_indexes
    from tests.sources.wheelhouse import make_wheel, standard_wheelhouse

    wheels = standard_wheelhouse(tmp_path / "wheels")
    make_wheel(tmp_path / "private" / "whl", "acmeinternal", "1.0")
    private_index = file_index(tmp_path / "private", tmp_path / "private" / "whl")
    cfg = dataclasses.replace(config, index_url=file_index(tmp_path, wheels))
    p = tmp_path / "pyproject.toml"
    p.write_text(f'[tool.poetry]\nname = "demo"\n[[tool.poetry.source]]\nname = "acme"\nurl = "{private_index}"\n'
                 '[[tool.poetry.source]]\nname = "PyPI"\npriority = "primary"\n'
                 '[tool.poetry.dependencies]\nalpha = "*"\nacmeinternal = { version = "^1.0", source = "acme" }\n')
    ctx = RunContext(cfg)
    try:
        d = PyprojectSource(p).collect(ctx).by_name()
        assert d["acmeinternal"].version == "1.0" and d["acmeinternal"].origin.line == 11
        assert d["alpha"].origin.line == 10 and private_index in run_indexes(ctx)
    finally:
        ctx.close()
