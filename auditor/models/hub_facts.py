"""Facts about one Hugging Face Hub repository, as the Hub API reports them (docs/models.md).

Nothing here does I/O.  :class:`HubRepoFacts` is filled by
``auditor/net/hub.py`` from ``huggingface_hub.HfApi`` answers
(``model_info``/``dataset_info``, ``list_repo_commits``,
``list_organization_members``, the owner's ``/overview``); every field
that could not be learnt is an :class:`~auditor.models.unknown.Unknown`.
The file classification (:func:`classify_files`) is pure and reads only
file names: nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from auditor.models.unknown import Unknown

#: Weight formats loaded with pickle (``torch.load``, ``pickle.load``, joblib): loading one runs code.
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib")
#: Weight formats that hold tensors only.
SAFE_SUFFIXES = (".safetensors", ".gguf", ".onnx", ".msgpack", ".h5", ".npz")
#: File names that are pickled but are not weights (tokenizers, optimizer state are still code to load).
_NOT_WEIGHTS = ("training_args.bin",)


@dataclass(frozen=True)
class HubFiles:
    """A repository's files, classified by name (``siblings[].rfilename`` of the info answer).

    Attributes:
        count: files listed.
        safetensors: weight files that load without running code (``.safetensors``, ``.gguf``, ``.onnx``, ...).
        pickle: weight files loaded with pickle (``.bin``, ``.pt``, ``.pth``, ``.pkl``, ``.ckpt``, ...).
        code: Python files (``*.py``): what ``trust_remote_code=True`` imports.
        loading_script: a dataset's loading script (``<name>.py`` at the top level,
            which ``datasets`` runs for ``load_dataset``), or ``None``.
    """

    count: int
    safetensors: tuple[str, ...] = ()
    pickle: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    loading_script: str | None = None

    @property
    def pickle_only(self) -> bool:
        """True when the repository has pickle weights and no tensor-only weights."""
        return bool(self.pickle) and not self.safetensors


def classify_files(names: list[str] | tuple[str, ...], kind: str, repo_id: str, limit: int = 200) -> HubFiles:
    """Classify *names* (repository-relative paths) for a repository of *kind* named *repo_id*.

    At most *limit* names are kept per class (the count is of all names).
    A dataset's loading script is ``<last part of repo_id>.py`` at the top level.
    """
    safe, pick, code = [], [], []
    script = None
    stem = repo_id.rsplit("/", 1)[-1]
    for name in names:
        low = name.lower()
        base = PurePosixPath(low).name
        if low.endswith(SAFE_SUFFIXES):
            safe.append(name)
        elif low.endswith(PICKLE_SUFFIXES) and base not in _NOT_WEIGHTS:
            pick.append(name)
        elif low.endswith(".py"):
            code.append(name)
            if kind == "dataset" and "/" not in name and name == f"{stem}.py":
                script = name
    return HubFiles(len(names), tuple(safe[:limit]), tuple(pick[:limit]), tuple(code[:limit]), script)


@dataclass(frozen=True)
class SecurityScan:
    """The Hub's own scan of the repository's files (``securityRepoStatus`` with ``securityStatus=True``).

    Attributes:
        done: the Hub reports its scans finished.
        flagged: ``(path, level)`` of files the scan flagged (``level`` as the Hub says it, e.g. ``"unsafe"``).
    """

    done: bool
    flagged: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class HubRepoFacts:
    """What the Hub says about one repository at one revision.

    Attributes:
        kind: ``"model"``, ``"dataset"`` or ``"space"``.
        repo_id: the id as referenced.
        canonical_id: the id the Hub answers with (``bert-base-uncased`` is ``google-bert/bert-base-uncased``).
        revision: the revision asked for (``None``: the default branch).
        owner: the namespace (``author`` of the answer, else the id's namespace).
        owner_type: ``"organization"`` or ``"user"`` (which ``/api/{organizations,users}/NAME/overview`` answers).
        gated: ``False``, or the gating mode (``"auto"``, ``"manual"``).
        private, disabled: as the Hub says.
        sha: the commit the revision resolves to.
        head_sha: the commit of the default branch (``None`` when the revision asked for is the default branch).
        last_modified, created: ISO-8601 UTC.
        downloads, likes: the Hub's counters (downloads over the last 30 days).
        library, pipeline_tag: ``library_name`` and ``pipeline_tag`` (models only).
        license: ``cardData.license`` (a string; several joined by ``", "``), ``None`` when the card names none.
        base_models: ``cardData.base_model`` (models only), as a tuple.
        files: the classified file list.
        security: the Hub's scan, ``None`` when the answer has none (datasets; scans not run).
        authors: Hub usernames of the commit authors over the history (most recent first, bounded).
        members: the owner organization's members (``None`` for a user).
    """

    kind: str
    repo_id: str
    canonical_id: str
    revision: str | None
    owner: str
    owner_type: str | Unknown
    gated: bool | str
    private: bool
    disabled: bool
    sha: str | Unknown
    head_sha: str | None | Unknown
    last_modified: str | None
    created: str | None
    downloads: int | None
    likes: int | None
    library: str | None
    pipeline_tag: str | None
    license: str | None
    base_models: tuple[str, ...]
    files: HubFiles
    security: SecurityScan | None
    authors: tuple[str, ...] | Unknown
    members: tuple[str, ...] | None | Unknown

    @property
    def changed_since_pin(self) -> bool:
        """True when a pinned revision is no longer the default branch's commit (both known)."""
        return isinstance(self.head_sha, str) and isinstance(self.sha, str) and self.head_sha != self.sha

    def unknowns(self) -> list[tuple[str, Unknown]]:
        """``(field, Unknown)`` for each fact that could not be learnt."""
        out = []
        for name in ("owner_type", "sha", "head_sha", "authors", "members"):
            value = getattr(self, name)
            if isinstance(value, Unknown):
                out.append((name, value))
        return out


@dataclass(frozen=True)
class HubFacts:
    """What the Hub said about every repository of an audit (``AuditResult.hub_facts``).

    Attributes:
        repos: ``{node id ("model:org/x"): HubRepoFacts or Unknown}``, for each
            referenced repository and each base model reached through ``base_model``.
        derived: ``(model node id, base model node id)`` from the cards' ``base_model``.
        referenced: node ids of the repositories the project references (the others are bases).
    """

    repos: dict
    derived: tuple[tuple[str, str], ...] = ()
    referenced: frozenset[str] = frozenset()

    def people(self) -> dict[str, set[str]]:
        """``{"hf:<username>": {node ids}}``: commit authors and owner-organization members of the referenced
        repositories (a base model's writers change nothing the project loads)."""
        out: dict[str, set[str]] = {}
        for nid, facts in self.repos.items():
            if not isinstance(facts, HubRepoFacts) or nid not in self.referenced:
                continue
            names = list(facts.authors) if isinstance(facts.authors, tuple) else []
            names += list(facts.members) if isinstance(facts.members, tuple) else []
            for name in names:
                out.setdefault(f"hf:{name}", set()).add(nid)
        return out
