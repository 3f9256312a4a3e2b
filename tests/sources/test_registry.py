"""Input format detection and the source registry."""

from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.sources.registry import SOURCES, detect, detect_content, open_source, source_class
from auditor.sources.uv_lock import UvLockSource


@pytest.mark.parametrize(
    "rel, fmt",
    [
        ("small-uv/uv.lock", "uv.lock"),
        ("small-uv/pylock.toml", "pylock.toml"),
        ("small-uv/requirements-hashes.txt", "requirements"),
        ("small-uv/pyproject.toml", "pyproject.toml"),
        ("small-poetry/poetry.lock", "poetry.lock"),
        ("small-pipenv/Pipfile.lock", "Pipfile.lock"),
        ("broken/corrupt.uv.lock", "uv.lock"),
    ],
)
def test_detect_by_name(locks, rel, fmt):
    assert detect(locks / rel) == fmt


@pytest.mark.parametrize(
    "rel, fmt",
    [
        ("small-uv/uv.lock", "uv.lock"),
        ("small-uv/pylock.toml", "pylock.toml"),
        ("small-uv/pyproject.toml", "pyproject.toml"),
        ("small-poetry/poetry.lock", "poetry.lock"),
        ("small-pipenv/Pipfile.lock", "Pipfile.lock"),
        ("small-uv/requirements-hashes.txt", "requirements"),
    ],
)
def test_detect_by_content_when_renamed(locks, tmp_path, rel, fmt):
    renamed = tmp_path / "deps.lock"
    renamed.write_bytes((locks / rel).read_bytes())
    assert detect(renamed) == fmt
    assert detect_content((locks / rel).read_text()) == fmt


def test_forced_format_and_unknown_format(locks, tmp_path):
    renamed = tmp_path / "whatever"
    renamed.write_bytes((locks / "small-uv" / "uv.lock").read_bytes())
    assert isinstance(open_source(renamed, "uv.lock"), UvLockSource)
    with pytest.raises(InputError, match="unknown input format 'yarn.lock'"):
        open_source(renamed, "yarn.lock")


def test_every_registered_lockfile_class_is_named_kind_source():
    for fmt in ("pylock.toml", "uv.lock", "poetry.lock", "Pipfile.lock", "pyproject.toml"):
        cls = source_class(fmt)
        assert cls.__name__.endswith("Source") and cls.name == fmt
    assert set(SOURCES) >= {"requirements", "uv.lock", "pylock.toml", "poetry.lock", "Pipfile.lock", "pyproject.toml"}


def test_options_a_source_does_not_take_are_dropped(locks, monkeypatch):
    class Plain:
        name = "plain"

        def __init__(self, path):
            self.path = path

    monkeypatch.setattr("auditor.sources.registry.source_class", lambda fmt: Plain)
    src = open_source(locks / "small-uv" / "requirements-hashes.txt", "requirements", all_platforms=False)
    assert isinstance(src, Plain)
