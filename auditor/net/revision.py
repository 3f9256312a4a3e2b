"""Files at a revision of the user's work tree (``auditor diff --git-base``).

The base side of a diff is the input file as it was at a git revision:
:func:`git_show` reads one text file (``git show REV:./PATH``);
:func:`git_archive` extracts the tree for inputs that read other files
(requirements ``-r`` includes).  Both go through :func:`auditor.net.git.run_git`
(no hooks, no pager, a timeout) and are bounded by the input size limit
(``--max-input-bytes``, docs/limits.md) before anything is read.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from auditor.config import DEFAULT_MAX_INPUT_BYTES
from auditor.errors import InputError
from auditor.net.git import GitError, run_git

#: Seconds a ``git show``/``git archive``/``git rev-parse`` of the user's
#: work tree may take (local commands on one revision).
REVISION_TIMEOUT = 60



class NotAtRevision(InputError):
    """The file does not exist at the git revision (a lockfile the change adds)."""


def _git_local(args: list[str], cwd: Path) -> bytes:
    """``git -c core.quotepath=off *args`` in *cwd* through :func:`run_git`.

    Raises:
        InputError: git missing, timed out, or failed (the message names the
            git command and carries git's redacted reason).
    """
    if shutil.which("git") is None:
        raise InputError("git is not installed (needed for --git-base)")
    try:
        return run_git(["-c", "core.quotepath=off", *args], cwd=cwd, timeout=REVISION_TIMEOUT)
    except GitError as exc:
        reason = str(exc)
        if isinstance(exc.__cause__, subprocess.TimeoutExpired):
            raise InputError(f"git {args[0]} timed out after {REVISION_TIMEOUT}s") from exc
        raise InputError(f"git {args[0]}: {reason}") from exc


def git_show(rev: str, path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> str:
    """The content of *path* at git revision *rev* (``git show REV:./PATH``).

    Args:
        rev: a revision (``origin/main``, a commit id, ``HEAD~1``).
        path: the file, absolute or relative to the working directory,
            inside a git work tree.
        max_bytes: the input size limit (``--max-input-bytes``): the blob's
            size (``git cat-file -s``) is checked before it is read.

    Raises:
        NotAtRevision: the file does not exist at *rev*.
        InputError: not in a git repository, unknown revision, the blob is
            over *max_bytes*, or the content is not UTF-8.
    """
    p = Path(path)
    if rev.startswith("-"):
        raise InputError(f"invalid git revision {rev!r}")
    directory = (p.parent if str(p.parent) else Path(".")).resolve()
    if not directory.is_dir():
        raise InputError(f"no such directory: {directory}", str(path))
    try:
        size = int(_git_local(["cat-file", "-s", f"{rev}:./{p.name}"], directory).strip() or 0)
        if size > max_bytes:
            raise InputError(f"{p.name} at {rev} is {size} bytes, over the {max_bytes}-byte input size limit "
                             "(--max-input-bytes)", str(path))
        data = _git_local(["show", f"{rev}:./{p.name}"], directory)
    except InputError as exc:
        if "exists on disk, but not in" in str(exc) or "does not exist in" in str(exc):
            raise NotAtRevision(f"{path} does not exist at {rev}", str(path)) from exc
        raise
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} at {rev} is not UTF-8 text", str(path)) from exc


#: How much larger than the input size limit the whole tree extracted by
#: :func:`git_archive` may be (the input plus the files it may include).
ARCHIVE_FACTOR = 4


def git_archive(rev: str, path: str | Path, into: Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> Path:
    """Extract the tree at *rev* into *into* and return where *path* lands.

    Used for inputs that read other files (requirements ``-r`` includes).
    The tree's blob sizes (``git ls-tree -r -l``) are summed first: a tree
    over ``ARCHIVE_FACTOR * max_bytes`` is refused before anything is read.

    Raises:
        InputError: as :func:`git_show`, or the tree is over the limit.
    """
    import io
    import tarfile

    p = Path(path).resolve()
    top = Path(_git_local(["rev-parse", "--show-toplevel"], p.parent).decode().strip())
    if rev.startswith("-"):
        raise InputError(f"invalid git revision {rev!r}")
    total = 0
    for line in _git_local(["ls-tree", "-r", "-l", "--full-tree", rev], top).decode("utf-8", "replace").splitlines():
        fields = line.split(None, 4)
        if len(fields) == 5 and fields[3].isdigit():
            total += int(fields[3])
    if total > ARCHIVE_FACTOR * max_bytes:
        raise InputError(f"the tree at {rev} holds {total} bytes, over {ARCHIVE_FACTOR} x the {max_bytes}-byte "
                         "input size limit (--max-input-bytes)", str(path))
    data = _git_local(["archive", "--format=tar", rev], top)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / p.relative_to(top)
