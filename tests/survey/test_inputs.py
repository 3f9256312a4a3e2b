"""What ``auditor survey`` takes as inputs: files, directories searched, globs, @lists, --top."""

from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.survey.inputs import InputSpec, expand, top_names


def tree(root):
    for rel in ("a/requirements.txt", "a/requirements-dev.txt", "b/uv.lock", "b/pyproject.toml", "b/README.md",
                "c/.hidden/requirements.txt", "c/node_modules/x/requirements.txt", "c/venv/requirements.txt",
                "d/poetry.lock"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")
    (root / "e" / "env").mkdir(parents=True)
    (root / "e" / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "e" / "env" / "requirements.txt").write_text("x\n")


def ids(specs, root):
    return [s.id.removeprefix(str(root.resolve()) + "/") for s in specs]


def test_directory_is_searched_for_inputs_only(tmp_path):
    tree(tmp_path)
    assert ids(expand([str(tmp_path)]), tmp_path) == [
        "a/requirements-dev.txt", "a/requirements.txt", "b/pyproject.toml", "b/uv.lock", "d/poetry.lock"]


def test_globs_lists_and_top_deduplicated(tmp_path, monkeypatch):
    tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.txt").write_text("# ours\nb/uv.lock\n'*/requirements.txt' is not a pattern here\n")
    with pytest.raises(InputError) as err:
        expand(["@list.txt"])
    assert str(err.value).startswith(f"{tmp_path / 'list.txt'}:3: ")
    (tmp_path / "list.txt").write_text("# ours\nb/uv.lock\na/*.txt\n")
    specs = expand(["@list.txt", "a/requirements.txt", "d"], top=2)
    assert [s.id for s in specs] == ["a/requirements-dev.txt", "a/requirements.txt", "b/uv.lock", "d/poetry.lock",
                                     *(f"top:{n}" for n in sorted(top_names(2)))]
    assert specs[-1].path is None and specs[-1].requirement in top_names(2)


@pytest.mark.parametrize("arg, words", [("missing.txt", "no such file or directory"),
                                        ("nothing/*.lock", "the pattern matches no file"),
                                        ("empty", "no input file")])
def test_an_argument_naming_nothing_is_a_usage_error(tmp_path, monkeypatch, arg, words):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=words) as err:
        expand([arg])
    assert err.value.exit_code == 2


def test_a_failed_top_input_names_the_input_not_our_scratch_file(tmp_path):
    """``--top`` inputs are written to a scratch file under the cache; its absolute path is ours, not the user's."""
    from auditor.config import Config
    from auditor.survey import tasks

    try:
        out = tasks.resolve_input(InputSpec("top:six", None, "six"), Config(cache_dir=tmp_path, offline=True),
                                  {"resolver": "none"})
    finally:
        tasks.close_contexts()
    assert out.error.startswith("InputError: top:six:1: ") and str(tmp_path) not in out.error
