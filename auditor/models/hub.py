"""Hugging Face Hub references found in a project's code: what an ML project loads besides packages.

Nothing here does I/O.  :class:`HubReference` is one literal repository id
in a loading call (``from_pretrained``, ``load_dataset``, ``hf_hub_download``,
...), found by ``auditor/sources/hub_scan.py`` in the project's source text
(never imported or executed) or given on the command line;
:class:`UnresolvedReference` is a loading call whose repository id is not a
literal (a variable, an f-string, a command-line argument), kept so it is
counted and shown instead of silently dropped.  docs/models.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.models.unknown import Unknown

#: A Hub commit sha: 40 lowercase hex digits.  Only this pins a revision; a branch or tag can move.
_SHA = re.compile(r"[0-9a-f]{40}")

#: The kinds of Hub repository a reference can name (``repo_type`` in huggingface_hub).
HUB_KINDS = ("model", "dataset", "space")


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a reference is in the scanned code.

    Attributes:
        file: path relative to the scanned directory, ``/``-separated
            (or the path as given for a single file); ``"<cli>"`` for a
            ``--model``/``--dataset`` option.
        line: 1-based line (within the cell for a notebook); 0 for the CLI.
        cell: 1-based index of a notebook's cell (all cells counted), or
            ``None`` for a ``.py`` file.
    """

    file: str
    line: int
    cell: int | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.file}[cell {self.cell}]:{self.line}"
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class HubReference:
    """One Hub repository the project loads, as written in its code.

    Attributes:
        kind: ``"model"``, ``"dataset"`` or ``"space"`` (:data:`HUB_KINDS`).
        repo_id: ``"org/name"`` or a legacy un-namespaced id such as ``"gpt2"``,
            exactly as written (a ``hf-hub:`` prefix removed).
        revision: the ``revision=`` literal; ``None`` when none is given (the
            default branch, which moves); an :class:`Unknown` when it is
            given but not a literal (or may come from ``**kwargs``).
        trust_remote_code: ``True`` only for a literal ``trust_remote_code=True``;
            an :class:`Unknown` when the argument is not a literal.
        use_safetensors: the ``use_safetensors=`` literal, ``None`` when absent.
        call: the loading call's name, e.g. ``"from_pretrained"``, ``"load_dataset"``.
        location: where the call is.
        package: the PEP 503 name of the installed distribution whose file holds
            the call (a scanned ``site-packages`` file listed in that
            distribution's ``RECORD``); ``None`` for the project's own code and
            the command line.
    """

    kind: str
    repo_id: str
    revision: str | None | Unknown
    trust_remote_code: bool | Unknown
    use_safetensors: bool | None | Unknown
    call: str
    location: SourceLocation
    package: str | None = None

    @property
    def pinned(self) -> bool:
        """True when the revision is a full commit sha (40 hex digits), the only immutable revision."""
        return isinstance(self.revision, str) and _SHA.fullmatch(self.revision) is not None

    @property
    def node_id(self) -> str:
        """The graph node id of the repository this names: ``"model:org/name"``, ``"dataset:org/name"``."""
        return f"{self.kind}:{self.repo_id}"


@dataclass(frozen=True)
class UnresolvedReference:
    """A loading call whose repository id cannot be read statically.

    Attributes:
        call: the loading call's name.
        location: where the call is.
        reason: why, e.g. ``"argument is a variable ('model_name')"``.
    """

    call: str
    location: SourceLocation
    reason: str


@dataclass(frozen=True)
class HubScan:
    """What a static scan found, in a deterministic order (by location).

    Attributes:
        references: the literal references.
        unresolved: loading calls whose repository id is not a literal.
        skipped: files that could not be read or parsed, each with an
            :class:`Unknown` (``too_large``, ``malformed``, ...) and its
            relative path; the scan went on without them.
        files: how many ``.py`` and ``.ipynb`` files were scanned.
    """

    references: tuple[HubReference, ...] = ()
    unresolved: tuple[UnresolvedReference, ...] = ()
    skipped: tuple[tuple[str, Unknown], ...] = ()
    files: int = 0
