"""The tasks of a survey: plain functions of picklable arguments, run on a local pool or on Dask workers.

Three stages (docs/survey.md):

1. :func:`resolve_input`: one input -> its :class:`~auditor.models.Inventory`
   (``Source.collect``, as ``auditor audit`` does).
2. :func:`collect_packages`: one shard of distinct distributions (all inputs
   together, each ``(name, version, origin)`` once) -> their PackageNodes: the
   PyPI facts and mapping (``pipeline.collect_nodes``) and every collector of
   the run but ``history`` (``pipeline.run_collectors``).
3. :func:`collect_history`: one shard of repositories -> the ``history``
   signal of the packages built from them (git clones, so a shard goes back
   to the same worker, which keeps its clones: docs/survey.md).

Each process keeps one :class:`~auditor.net.context.RunContext` per
configuration (:func:`worker_context`), so the memo, the HTTP clients and
the caches are shared by every task that process runs, and closed when the
process exits.  Secrets never travel with a task: the client strips the
tokens and the index URLs' credentials from the Config
(:func:`portable_config`) and a worker reads its own ``GITHUB_TOKEN``/
``GITLAB_TOKEN``/``HF_TOKEN`` and index credentials.
"""

from __future__ import annotations

import atexit
import hashlib
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from auditor.config import Config
from auditor.models import Distribution, Inventory, PackageNode
from auditor.net.context import RunContext
from auditor.net.tokens import strip_credentials

#: Subfolder of the cache holding the one-line requirements files of ``--top`` inputs.
TOP_INPUTS_DIR = "survey-inputs"
#: The collector run per repository shard (stage 3), with :data:`NATIVE_HISTORY` after it on the same shard
#: (it hands each package the upstream histories the history collector read); every other enabled
#: collector runs in stage 2.
HISTORY = "history"
NATIVE_HISTORY = "native_history"

_CONTEXTS: dict[str, RunContext] = {}
#: Configs with their tokens, as the client made them (``--github-token-file`` included), by config_key:
#: tasks that run in the client's own process (the local pool) use these instead of the environment.
_CLIENT_CONFIGS: dict[str, Config] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class InputOutcome:
    """What resolving one input gave: an inventory, or why not.

    Attributes:
        id: the input's id (:class:`~auditor.survey.inputs.InputSpec`).
        inventory: the resolved set, or None when it failed.
        error: one line: the error's class and message (when it failed).
    """

    id: str
    inventory: Inventory | None = None
    error: str | None = None


def portable_config(config: Config) -> Config:
    """*config* without its secrets, to send to workers (each reads its own from its environment).

    Left out: the GitHub, GitLab and Hub tokens, and any credentials in the
    index and PyPI URLs (``https://user:pass@host/simple`` becomes
    ``https://host/simple``); a worker finds its own through
    ``$AUDITOR_INDEX_URL``/``$AUDITOR_PYPI_URL``, ``.netrc`` or keyring.
    """
    return config.with_changes(github_token=None, gitlab_token=None, hub_token=None,
                               index_url=strip_credentials(config.index_url),
                               pypi_url=strip_credentials(config.pypi_url))


def register_client_config(config: Config) -> None:
    """Remember *config* (with its tokens) for the tasks this process runs itself (see :func:`worker_context`)."""
    with _LOCK:
        _CLIENT_CONFIGS[config_key(config)] = config


def _with_local_tokens(config: Config) -> Config:
    from auditor.config import _token

    own = _CLIENT_CONFIGS.get(config_key(config))
    if own is not None:
        return own
    local = Config()  # this process's environment: tokens and the index URLs with their credentials
    same = {name: getattr(local, name) for name in ("index_url", "pypi_url")
            if strip_credentials(getattr(local, name)) == getattr(config, name)}
    return config.with_changes(github_token=_token("GITHUB_TOKEN", "GH_TOKEN"), gitlab_token=_token("GITLAB_TOKEN"),
                               hub_token=_token("HF_TOKEN"), **same)


def config_key(config: Config) -> str:
    """A short stable digest of *config* (tokens left out), naming its per-process context and resumable state."""
    return hashlib.sha256(repr(portable_config(config)).encode()).hexdigest()[:16]


def worker_context(config: Config) -> RunContext:
    """This process's RunContext for *config* (built on first use, closed at exit), with the tokens of the
    client's Config when the client runs in this process, else with this process's ``GITHUB_TOKEN``/``GITLAB_TOKEN``."""
    key = config_key(config)
    with _LOCK:
        ctx = _CONTEXTS.get(key)
        if ctx is None:
            ctx = _CONTEXTS[key] = RunContext(_with_local_tokens(config))
            if len(_CONTEXTS) == 1:
                atexit.register(close_contexts)
        return ctx


def close_contexts() -> None:
    """Close every context this process built (flushes the fact memo); the next task builds a new one."""
    with _LOCK:
        contexts = list(_CONTEXTS.values())
        _CONTEXTS.clear()
    for ctx in contexts:
        ctx.close()


def resolve_input(spec, config: Config, options: Mapping[str, Any]) -> InputOutcome:
    """Stage 1: resolve one input (:class:`~auditor.survey.inputs.InputSpec`) as ``auditor audit`` would.

    Args:
        spec: the input.
        config: the survey's Config (tokens stripped).
        options: keyword options of ``open_source`` (``input_format``, ``resolver``, ``allow_build``, ...).

    Returns:
        The inventory, or the one-line reason it could not be had (any
        ``AuditorError`` or ``OSError``: one bad input never stops the survey).
    """
    from auditor.errors import AuditorError
    from auditor.sources.registry import open_source

    ctx = worker_context(config)
    opts = dict(options)
    fmt = opts.pop("input_format", None)
    try:
        if spec.requirement is not None:
            folder = Path(config.cache_dir) / TOP_INPUTS_DIR / "top"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{spec.requirement}.txt"
            if not path.is_file() or path.read_text(encoding="utf-8") != f"{spec.requirement}\n":
                path.write_text(f"{spec.requirement}\n", encoding="utf-8")
            source = open_source(path, "requirements", **opts)
        else:
            source = open_source(spec.path, fmt, **opts)
        inventory = source.collect(ctx)
    except (AuditorError, OSError) as exc:
        text = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if spec.requirement is not None:  # the scratch file is ours, not the user's: name the input instead
            text = text.replace(str(path), spec.id)
        return InputOutcome(spec.id, error=text[:500])
    return InputOutcome(spec.id, inventory=replace(inventory, root_name=spec.id))


def dist_key(d: Distribution) -> tuple[str, str, str, str]:
    """What makes two inputs' distributions the same package: name, version, origin kind and URL
    (strings: a missing version, e.g. of a direct reference the resolver could not pin, is ``""``)."""
    return (d.name, d.version or "", d.origin.kind or "", d.origin.url or d.origin.index_url or "")


def _shard_inventory(dists: Sequence[Distribution], target) -> Inventory:
    return Inventory(root_name="<survey shard>", root_kind="requirements", root_requires=(),
                     distributions=tuple(dists), target=target, interpreter_version="")


def use_salt(salt: str | None) -> None:
    """Hash e-mail addresses and person ids in this process with the survey's *salt* (the client's
    :func:`~auditor.people.privacy.people_salt`): without it every worker process would draw its own,
    one person would have one id per worker, and people reach would count them several times."""
    from auditor.people.privacy import adopt_salt

    if salt:
        adopt_salt(salt)


def collect_packages(dists: Sequence[Distribution], config: Config, target, salt: str | None = None
                     ) -> dict[tuple, PackageNode]:
    """Stage 2: PyPI facts, mapping and every enabled collector but ``history`` for one shard.

    Args:
        dists: distinct distributions (unique by name within a shard).
        config: the survey's Config (tokens stripped).
        target: the :class:`~auditor.models.TargetEnvironment` of the inputs.
        salt: the survey's people salt (:func:`use_salt`).

    Returns:
        ``{dist_key: PackageNode}``, plus the interpreter's node under ``("python", "", "interpreter", "")``.
    """
    from auditor.pipeline import collect_nodes, collectors_for, run_collectors

    use_salt(salt)
    ctx = worker_context(config)
    nodes = collect_nodes(_shard_inventory(dists, target), ctx)
    later = {HISTORY, NATIVE_HISTORY} if history_enabled(config) else {HISTORY}
    active = [c for c in collectors_for(ctx) if c.key not in later]
    nodes = run_collectors(nodes, ctx, active)
    by_name = {d.name: dist_key(d) for d in dists}
    out: dict[tuple, PackageNode] = {}
    for name, node in nodes.items():
        key = by_name.get(name, ("python", "", "interpreter", ""))
        out[key] = node
    return out


def history_enabled(config: Config) -> bool:
    """Whether the ``history`` collector runs in this survey (as ``auditor audit`` decides)."""
    from auditor.pipeline import enabled_collectors

    return any(c.key == HISTORY for c in enabled_collectors(config))


def collect_history(nodes: Sequence[PackageNode], config: Config, salt: str | None = None) -> dict[str, dict[str, Any]]:
    """Stage 3: the ``history`` and ``native_history`` signals of *nodes* (one repository shard):
    ``{"history": {package name: RepositoryHistory or Unknown}, "native_history": {package name: NativeHistories
    or Unknown}}`` (person ids hashed with the survey's *salt*, :func:`use_salt`).

    The history collector clones the shard's repositories and the upstream repositories of what the shard's
    packages bundle (their ``vendored`` signals, from stage 2), at most ``MAX_NATIVE_REPOSITORIES`` per shard;
    ``native_history`` is built from what that call read (``HistoryCollector.native_read``), not from the worker's
    shared run memo, which concurrent tasks overwrite.  It is empty with ``--disable native_history``.
    """
    from auditor.people.native_history import native_signals
    from auditor.pipeline import collectors_for

    use_salt(salt)
    ctx = worker_context(config)
    collectors = {c.key: c for c in collectors_for(ctx)}
    history = collectors.get(HISTORY)
    if history is None:
        return {HISTORY: {}, NATIVE_HISTORY: {}}
    with ctx.timed(HISTORY):
        found = dict(history.collect(ctx, list(nodes)))
    native = native_signals(nodes, getattr(history, "native_read", None)) if NATIVE_HISTORY in collectors else {}
    return {HISTORY: found, NATIVE_HISTORY: native}
