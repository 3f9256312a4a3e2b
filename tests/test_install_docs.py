"""Issue 13 item 11: nothing tells a user to install "auditor" from PyPI (that name is an unrelated project)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: An install of the bare name from an index: ``pip install auditor``, ``pip install -U 'auditor[x]>=1'``,
#: ``uv pip install auditor``, ``pipx install auditor``, ``uvx auditor``, ``uv tool install auditor``.
#: ``auditor @ git+...`` (a direct reference) and ``pip install .`` are fine.
PYPI_INSTALL = re.compile(
    r"""(?:\binstall|\buvx|\bpipx\s+run)\s+(?:-{1,2}[\w-]+(?:[= ]\S+)?\s+)*['"]?auditor(?:\[[^\]]*\])?"""
    r"""(?:\s*[=<>~!]=?\s*[\w.*]+)?['"]?(?!\s*@)(?=[\s'"]|$)""",
    re.MULTILINE,
)

#: Files a user reads or runs: docs, examples, the README, CI integrations.
SUFFIXES = {".md", ".rst", ".txt", ".yml", ".yaml", ".toml", ".cfg", ".sh", ".py", ""}


def user_facing_files() -> list[Path]:
    out = [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", ROOT / ".ci" / "run"]
    for top in ("docs", "examples"):
        out += [p for p in sorted((ROOT / top).rglob("*")) if p.is_file() and p.suffix in SUFFIXES]
    return [p for p in out if p.exists()]


@pytest.mark.parametrize("text", [
    "pip install auditor", "pip install -U auditor", "pip install 'auditor[test]'", "uv pip install auditor==0.1",
    "pipx install auditor", "uvx auditor audit x", "uv tool install auditor",
])
def test_pattern_catches_pypi_installs(text):
    assert PYPI_INSTALL.search(text)


@pytest.mark.parametrize("text", [
    'pip install "auditor @ git+https://github.com/auditor-dev/auditor@v0.1.0"', "pip install .",
    "pip install '.[test]'", "pip install -e '.[test]' && pytest", "auditor audit requirements.txt",
])
def test_pattern_allows_repository_installs(text):
    assert not PYPI_INSTALL.search(text)


def test_no_doc_or_example_installs_auditor_from_pypi():
    files = user_facing_files()
    assert len(files) > 5
    bad = [f"{p.relative_to(ROOT)}:{p.read_text(encoding='utf-8', errors='replace')[:m.start()].count(chr(10)) + 1}: {m.group(0)}"
           for p in files for m in PYPI_INSTALL.finditer(p.read_text(encoding="utf-8", errors="replace"))]
    assert not bad, "install auditor from the repository (a git URL with a tag) or a path:\n" + "\n".join(bad)


def test_no_message_of_the_code_sends_users_to_pypi_for_auditor():
    """Error messages are read as instructions too: 'install auditor with its parquet extra' invites
    ``pip install 'auditor[parquet]'``, the unrelated PyPI project; they name the checkout install instead."""
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "auditor").rglob("*.py"))
                 if re.search(r"install auditor\b", p.read_text()) or PYPI_INSTALL.search(p.read_text())]
    assert not offenders, offenders
