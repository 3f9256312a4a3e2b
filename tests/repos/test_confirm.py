"""Confirming a mapped subdirectory against a clone's tree (real git, no network)."""

from __future__ import annotations

from auditor.models import Unknown
from auditor.net.git import GitCache
from auditor.repos.confirm import subdirectory_state
from tests.gitrepo import RepoBuilder, git_home  # noqa: F401  (fixture)


def test_confirmed_missing_and_file_in_a_treeless_clone(tmp_path, git_home):
    src = RepoBuilder(tmp_path / "mono")
    (src.path / "packages").mkdir()
    (src.path / "packages" / "lib").mkdir()
    src.commit(("A B", "a@x.example"), "2024-01-01", files={"packages/lib/pyproject.toml": "[project]\nname='lib'\n",
                                                            "README.md": "x"})
    clone = GitCache(tmp_path / "cache").update(src.url)
    assert not isinstance(clone, Unknown), clone
    assert subdirectory_state(clone, "packages/lib") == "confirmed"
    assert subdirectory_state(clone, "packages/other") == "missing"
    assert subdirectory_state(clone, "README.md") == "missing"       # a file is not a directory
    assert subdirectory_state(clone, "../etc") == "missing"


def test_not_a_repository_is_unknown(tmp_path, git_home):
    (tmp_path / "empty").mkdir()
    assert isinstance(subdirectory_state(tmp_path / "empty", "x"), Unknown)
