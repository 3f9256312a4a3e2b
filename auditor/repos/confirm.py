"""Confirm a mapped subdirectory against a clone's file list.

A subdirectory inferred from the layout table (rule suffix ``+layout``,
docs/mapping.md) is a guess until the repository's tree shows it.  Given a
clone made by :class:`~auditor.net.git.GitCache` (bare, treeless: the few
trees along the path are fetched lazily, like ``.mailmap``) or any local
mirror, :func:`subdirectory_state` reads ``HEAD:<subdirectory>``.
"""

from __future__ import annotations

from pathlib import Path

from auditor.models import Unknown, UnknownKind
from auditor.net.git import GitError, run_git

#: Seconds allowed for one lookup (it may fetch a few trees from the forge).
CONFIRM_TIMEOUT = 60.0


def subdirectory_state(git_dir: Path, subdirectory: str, timeout: float = CONFIRM_TIMEOUT) -> str | Unknown:
    """``"confirmed"`` when ``HEAD:<subdirectory>`` is a directory, ``"missing"`` when HEAD has
    no such path (or it is a file), else ``Unknown`` (git failed, e.g. the lazy fetch).

    Args:
        git_dir: a bare or non-bare git repository.
        subdirectory: ``"a/b"`` relative to the repository root; ``..`` is refused (``missing``).
    """
    parts = [p for p in subdirectory.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return "missing"
    try:
        kind = run_git(["cat-file", "-t", f"HEAD:{'/'.join(parts)}"], cwd=git_dir, timeout=timeout)
    except GitError as exc:
        text = str(exc)
        if "does not exist" in text or "Not a valid object name" in text:
            return "missing"
        return Unknown(f"subdirectory not checked: {text}", kind=UnknownKind.ERROR)
    return "confirmed" if kind.strip() == b"tree" else "missing"
