"""Builders for small real git repositories (used by the history and git-cache tests, and for the
project a ``--git-base`` diff reads: :func:`project_git`, :func:`project_repo`).

Every commit is made with explicit author/committer identities and dates
(``GIT_AUTHOR_*``/``GIT_COMMITTER_*``), so expected counts are exact.  The
``git_home`` fixture isolates the tests from the user's git configuration
(``GIT_CONFIG_GLOBAL`` points at a temporary file, system config is off).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import pytest


def ts(text: str) -> int:
    """Unix seconds for ``YYYY-MM-DD`` (noon UTC) or a full ISO date-time (UTC)."""
    if len(text) == 10:
        text += "T12:00:00"
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def git(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> str:
    """Run git, fail loudly, return stdout."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(["git", *args], cwd=cwd, env=full_env, capture_output=True, text=True, input=input)
    if proc.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


#: A fixed identity and nothing of the user's: HOME is set to the repository itself, PATH to the system's.
_PROJECT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin:/usr/local/bin"}


def project_git(repo: Path, *args: str) -> str:
    """Run git in the project repository *repo* as :data:`_PROJECT_ENV`'s committer; fail loudly, return stdout."""
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**_PROJECT_ENV, "HOME": str(repo)}).stdout


def project_repo(path: Path, files: dict[str, Path | str]) -> Path:
    """A new repository at *path* on ``main`` with one commit, "base", of *files*; return *path*.

    *files* maps a path in the repository to a file to copy (a :class:`~pathlib.Path`) or to its text.
    """
    path.mkdir(parents=True)
    project_git(path, "init", "-q", "-b", "main")
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content)
    project_git(path, "add", ".")
    project_git(path, "commit", "-q", "-m", "base")
    return path


@pytest.fixture
def git_home(tmp_path, monkeypatch):
    """An isolated git configuration file; returns its path (tests may add insteadOf rules)."""
    cfg = tmp_path / "gitconfig"
    cfg.write_text("[user]\n\tname = Test\n\temail = test@example.invalid\n[protocol \"file\"]\n\tallow = always\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    return cfg


class RepoBuilder:
    """A non-bare repository on branch ``main`` that serves partial clones.

    Args:
        path: directory to create.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True)
        git("init", "-q", "-b", "main", str(self.path))
        git("config", "uploadpack.allowFilter", "true", cwd=self.path)
        git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=self.path)

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def _env(self, author, committer, date, cdate) -> dict:
        committer = committer or author
        return {
            "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": f"@{ts(date)} +0000",
            "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": f"@{ts(cdate or date)} +0000",
        }

    def commit(self, author: tuple[str, str], date: str, *, committer: tuple[str, str] | None = None,
               cdate: str | None = None, message: str = "change", co_authors: Sequence[str] = (),
               files: dict[str, str] | None = None) -> str:
        """Make one commit on ``main``; return its hash."""
        for name, text in (files or {}).items():
            (self.path / name).write_text(text)
            git("add", name, cwd=self.path)
        body = message
        if co_authors:
            body += "\n\n" + "\n".join(f"Co-authored-by: {c}" for c in co_authors)
        git("commit", "-q", "--allow-empty", "-m", body, cwd=self.path,
            env=self._env(author, committer, date, cdate))
        return git("rev-parse", "HEAD", cwd=self.path).strip()

    def merge_side(self, side_author: tuple[str, str], side_date: str, merger: tuple[str, str],
                   merge_date: str, *, committer: tuple[str, str] | None = None) -> str:
        """A side commit by *side_author* merged into ``main`` by *merger* (two-parent commit)."""
        tree = git("rev-parse", "HEAD^{tree}", cwd=self.path).strip()
        head = git("rev-parse", "HEAD", cwd=self.path).strip()
        side = git("commit-tree", tree, "-p", head, "-m", "feature", cwd=self.path,
                   env=self._env(side_author, None, side_date, None)).strip()
        merge = git("commit-tree", tree, "-p", head, "-p", side, "-m", "Merge pull request #1",
                    cwd=self.path, env=self._env(merger, committer, merge_date, None)).strip()
        git("update-ref", "refs/heads/main", merge, cwd=self.path)
        return merge
