"""The local Hugging Face Hub cache as references: what is on this machine (``--hf-cache DIR|default``, docs/models.md).

:func:`cache_references` reads the cache directory with huggingface_hub's
``scan_cache_dir`` (file names and symbolic links only; nothing is loaded)
and gives one :class:`~auditor.models.hub.HubReference` per repository and
snapshot revision present, pinned to that snapshot's commit sha, at the
location ``<hf-cache>`` (``call`` is ``"hf-cache"``; the refs pointing at it,
e.g. ``main``, are in the location's file as ``<hf-cache:main>``).  A repository
folder the library reports as corrupted is skipped and listed.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.errors import InputError
from auditor.models.hub import SourceLocation
from auditor.models.hub import HubReference
from auditor.models.unknown import Unknown, UnknownKind

#: Revisions kept per repository at most (a cache of a long-lived machine may hold many snapshots).
MAX_REVISIONS = 50


def default_cache_dir() -> Path:
    """The cache huggingface_hub uses: ``$HF_HUB_CACHE``, ``$HUGGINGFACE_HUB_CACHE``, ``$HF_HOME/hub``,
    ``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub`` (read at call time, not import time)."""
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def cache_references(directory: Path | None) -> tuple[tuple[HubReference, ...], tuple[tuple[str, Unknown], ...]]:
    """``(references, skipped)`` for the cache at *directory* (``None``: :func:`default_cache_dir`).

    Ordered by kind, id and revision.  *skipped* holds ``(folder, Unknown(malformed))``
    for each repository folder the library could not read.

    Raises:
        InputError: the directory does not exist or is a file (exit 2).
    """
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    path = Path(directory) if directory is not None else default_cache_dir()
    try:
        info = scan_cache_dir(path)
    except CacheNotFound as exc:
        raise InputError(f"--hf-cache {path}: no such directory") from exc
    except ValueError as exc:
        raise InputError(f"--hf-cache {path}: not a directory") from exc
    refs = []
    for repo in sorted(info.repos, key=lambda r: (r.repo_type, r.repo_id)):
        if repo.repo_type not in ("model", "dataset", "space"):
            continue
        for rev in sorted(repo.revisions, key=lambda r: r.commit_hash)[:MAX_REVISIONS]:
            names = ",".join(sorted(rev.refs))
            where = SourceLocation(f"<hf-cache:{names}>" if names else "<hf-cache>", 0)
            refs.append(HubReference(repo.repo_type, repo.repo_id, rev.commit_hash, False, None, "hf-cache", where))
    skipped = tuple((str(w).splitlines()[0][:200], Unknown.of(UnknownKind.MALFORMED, "corrupted Hub cache entry"))
                    for w in info.warnings)
    return tuple(refs), skipped
