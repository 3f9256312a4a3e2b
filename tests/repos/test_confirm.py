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



def test_clone_check_looks_at_the_release_tag(tmp_path, git_home):
    from auditor.repos.confirm import clone_check, release_tags
    from tests.gitrepo import git

    src = RepoBuilder(tmp_path / "mono")
    (src.path / "core").mkdir()
    src.commit(("A B", "a@x.example"), "2024-01-01", files={"core/setup.py": "setup(name='dbt-core')"})
    git("tag", "v1.0", cwd=src.path)
    git("rm", "-q", "-r", "core", cwd=src.path)
    src.commit(("A B", "a@x.example"), "2024-02-01", files={"Cargo.toml": "[package]"})
    assert release_tags("1.0") == ("v1.0", "1.0") and release_tags("1.0; rm -rf") == () and release_tags(None) == ()
    got = clone_check(src.path, "core", "1.0")
    assert got.state == "confirmed" and "tag v1.0" in got.detail
    assert clone_check(src.path, "core", "2.0").state == "refuted"
    assert clone_check(src.path, "Cargo.toml", None).state == "refuted"
    removed = clone_check(src.path, "core", "2.0", history=True)
    assert removed.state == "removed" and "2024-02-01" in removed.detail  # last changed when it was removed
