"""``run_survey``: many inputs, each fact collected once, judged per input, aggregated.

Stages (each a set of tasks on a :mod:`~auditor.survey.runner`; docs/survey.md):

1. ``resolve``: one task per input (:func:`~auditor.survey.tasks.resolve_input`).
   A failed input is recorded with its reason and the survey goes on.
2. ``packages``: the distinct distributions of every resolved input (by
   :func:`~auditor.survey.tasks.dist_key`), in shards of at most
   :data:`SHARD_SIZE` with one version of a name per shard, one task each
   (:func:`~auditor.survey.tasks.collect_packages`).
3. ``history``: the packages grouped by source repository, repositories in
   shards (:func:`~auditor.survey.tasks.collect_history`), each preferably on
   the same worker (its clones stay there).
4. ``judge``: in this process, per input: its nodes taken from the shared
   ones and :func:`auditor.pipeline.assemble` (the same findings, graph,
   people and scores as ``auditor audit``); only what the tables need is kept.

Resumable: with a cache, every finished task's result is stored under
``<cache>/survey-v1/<run key>/`` (:class:`State`) as it arrives; a rerun of
the same survey (same inputs, same configuration) takes those and runs only
the rest; the folder is removed when the survey finishes.  The people salt
(e-mail hashes, person ids) is chosen once per survey by the client, sent to
every task and kept with the state, so a resumed survey hashes alike.  A task that ran
twice (a worker died after finishing it) is stored and counted once: results
are kept by task key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from auditor.collectors import COLLECTOR_TABLE
from auditor.config import Config
from auditor.models import Finding, Inventory, PackageNode, Score, Unknown
from auditor.people.native_history import native_signals
from auditor.pipeline import AuditResult, assemble, package_distributions
from auditor.scoring.aggregate import load_weights
from auditor.survey import tasks
from auditor.survey.inputs import InputSpec

#: Distributions per ``packages`` task.
SHARD_SIZE = 150
#: Repositories per ``history`` task.
REPO_SHARD_SIZE = 40
#: Bumped when a stored task result's shape changes.
STATE_VERSION = 1
STATE_DIR = "survey-v1"
INTERPRETER_KEY = ("python", "", "interpreter", "")
STAGES = ("resolve", "packages", "history", "judge")


class SurveyProgress:
    """Progress per stage; the CLI passes a rich-backed one (only on a terminal)."""

    def stage(self, name: str, total: int) -> None:
        """Stage *name* has *total* tasks."""

    def done(self, name: str, ok: bool = True) -> None:
        """One task of *name* finished (``ok=False``: it failed)."""


class State:
    """Finished task results of one survey run, one file per task (pickles this process wrote).

    Args:
        folder: ``<cache>/survey-v1/<run key>``; None keeps nothing (``--no-cache``).
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.pickle" if self.folder is not None else None

    def get(self, key: str) -> Any:
        """The stored result of task *key*, or None (none stored, or unreadable: the task runs again)."""
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            doc = pickle.loads(path.read_bytes())  # noqa: S301 - written by this process into a 0700 folder
        except Exception:  # noqa: BLE001 - a damaged file: run the task again
            return None
        return doc[1] if isinstance(doc, tuple) and doc[:1] == (STATE_VERSION,) else None

    def put(self, key: str, value: Any) -> None:
        """Store the result of task *key*: written beside it and renamed into place, so a crash leaves it
        whole or absent.  Not fsynced (a survey's hundreds of fsyncs cost more than its work): after a
        power loss the last results may be missing, and those tasks run again."""
        path = self._path(key)
        if path is None:
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((STATE_VERSION, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # a full or read-only disk costs only the resumability of this task
            tmp.unlink(missing_ok=True)

    def finish(self) -> None:
        """Forget the run (it completed)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


@dataclass
class PackageFacts:
    """One distinct distribution across the survey.

    Attributes:
        node: its PackageNode (facts collected once; the distribution as the first input listing it has it).
        inputs: ids of the inputs whose closure has it.
        direct: ids of the inputs naming it directly.
        exposure: the highest exposure any input gives it (None: unknown everywhere).
        factors: that input's score factors.
        dependents: the most distributions depending on it in one input.
    """

    node: PackageNode
    inputs: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)
    exposure: float | None = None
    factors: tuple = ()
    dependents: int = 0


@dataclass
class InputSummary:
    """One input's audit, as the tables need it (the full AuditResult is not kept).

    Attributes:
        id: the input id; error: why it failed (then nothing else is set).
        resolver: what pinned it; packages / direct / repositories / maintainers /
            contributors: its :class:`~auditor.pipeline.RootSummary` figures;
        findings: its findings; missing: how many facts could not be collected.
    """

    id: str
    error: str | None = None
    resolver: str = ""
    packages: int = 0
    direct: int = 0
    repositories: int = 0
    maintainers: int | None = None
    contributors: int | None = None
    findings: tuple[Finding, ...] = ()
    missing: int = 0


@dataclass
class SurveyResult:
    """Everything ``auditor survey`` found; the tables (report/survey_tables.py) are built from it.

    Attributes:
        inputs: per input, sorted by id.
        packages: per distinct distribution (:func:`~auditor.survey.tasks.dist_key`).
        edges: ``{(source key, target key): input ids}`` of the requires edges.
        stats: ``{stage: {"tasks": n, "done": n, "failed": n, "reused": n, "seconds": s}}`` (wall seconds of the stage).
        elapsed: seconds.
    """

    inputs: list[InputSummary]
    packages: dict[tuple, PackageFacts]
    edges: dict[tuple, set[str]]
    stats: dict[str, dict[str, int]]
    elapsed: float = 0.0


def _unique_name_batches(items: Sequence[Any], name: Callable[[Any], str], size: int) -> list[list[Any]]:
    """*items* (sorted) in batches of at most *size*, no name twice in a batch, a name's place stable:
    the batch index is a hash of the name (more batches follow when one name has several versions)."""
    n = max(1, -(-len({name(i) for i in items}) // size))
    groups: dict[int, list[tuple[set[str], list[Any]]]] = defaultdict(list)
    for item in items:
        key = name(item)
        layers = groups[int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % n]
        for names, layer in layers:
            if key not in names:
                names.add(key)
                layer.append(item)
                break
        else:
            layers.append(({key}, [item]))
    return [layer for slot in sorted(groups) for _, layer in groups[slot]]


def _ordered_signals(signals: Mapping[str, Any]) -> dict[str, Any]:
    order = {spec.name: i for i, spec in enumerate(COLLECTOR_TABLE)}
    return dict(sorted(signals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


class _Stage:
    """Run one stage's tasks: reuse stored results, submit the rest, gather, store, count."""

    def __init__(self, name: str, runner, state: State, progress: SurveyProgress, stats: dict):
        self.name, self.runner, self.state, self.progress = name, runner, state, progress
        self.stats = stats.setdefault(name, {"tasks": 0, "done": 0, "failed": 0, "reused": 0})

    def run(self, jobs: list[tuple[str, Callable[..., Any], tuple, str | None]],
            failed: Callable[[Any], bool] = lambda r: False) -> dict[str, Any]:
        """*jobs*: ``(key, fn, args, preferred worker)``; returns ``{key: result}``; a task that raised
        after its retries is ``{key: exception}``."""
        started = time.monotonic()
        self.stats["tasks"] += len(jobs)
        self.progress.stage(self.name, len(jobs))
        results: dict[str, Any] = {}
        pending = {}
        for key, fn, args, worker in jobs:
            stored = self.state.get(f"{self.name}-{key}")
            if stored is not None:
                results[key] = stored
                self.stats["reused"] += 1
                self._count(not failed(stored))
            else:
                pending[self.runner.submit(fn, *args, key=f"survey-{self.name}-{key}", worker=worker)] = key
        for future in self.runner.as_completed(pending):
            key = pending[future]
            if key in results:  # the same task finished twice: counted once
                continue
            try:
                value = future.result()
            except Exception as exc:  # noqa: BLE001 - recorded; the survey goes on
                results[key] = exc
                self._count(False)
                continue
            results[key] = value
            self.state.put(f"{self.name}-{key}", value)
            self._count(not failed(value))
        self.stats["seconds"] = round(self.stats.get("seconds", 0) + time.monotonic() - started, 3)
        return results

    def _count(self, ok: bool) -> None:
        self.stats["done" if ok else "failed"] += 1
        self.progress.done(self.name, ok)


def run_survey(config: Config, specs: Sequence[InputSpec], runner, progress: SurveyProgress | None = None,
               source_options: Mapping[str, Any] | None = None) -> SurveyResult:
    """Survey *specs* on *runner* (:class:`~auditor.survey.runner.LocalRunner` or ``DaskRunner``).

    Args:
        config: the run's configuration (the same for every input).
        specs: the inputs (:func:`~auditor.survey.inputs.expand`).
        runner: where the tasks run.
        progress: per-stage progress.
        source_options: ``open_source`` options for every input (``resolver``, ``allow_build``).

    Returns:
        The :class:`SurveyResult`.  Failed inputs are in it with their reason.

    Raises:
        ConfigError: invalid weights file.
    """
    from auditor.people.privacy import adopt_salt

    try:
        return _run_survey(config, specs, runner, progress, source_options)
    finally:
        adopt_salt(None)  # the embedded pool's tasks adopted the survey's salt in this process: not beyond it


def _run_survey(config: Config, specs: Sequence[InputSpec], runner, progress: SurveyProgress | None,
                source_options: Mapping[str, Any] | None) -> SurveyResult:
    started = time.monotonic()
    progress = progress or SurveyProgress()
    weights = load_weights(config.weights_file)
    options = dict(source_options or {})
    portable = tasks.portable_config(config)
    tasks.register_client_config(config)
    ckey = tasks.config_key(config)
    from auditor.people.privacy import SALT_ENV, people_salt

    chosen = os.environ.get(SALT_ENV)  # a salt the user set starts another run; a drawn one is kept in the state
    run_key = _digest(ckey, sorted(options.items()), [s.id for s in specs],
                      hashlib.sha256(chosen.encode()).hexdigest() if chosen else "")
    state = State(Path(config.cache_dir) / STATE_DIR / run_key if config.use_cache else None)
    salt = state.get("salt") or people_salt()  # one salt for every worker: one person, one id (tasks.use_salt)
    state.put("salt", salt)
    stats: dict[str, dict[str, int]] = {}

    # 1. resolve
    jobs = [(_digest(s, _file_digest(s.path)), tasks.resolve_input, (s, portable, options), None) for s in specs]
    keys = {s.id: j[0] for s, j in zip(specs, jobs)}
    resolved = _Stage("resolve", runner, state, progress, stats).run(
        jobs, failed=lambda r: getattr(r, "error", None) is not None)
    outcomes: dict[str, tasks.InputOutcome] = {}
    for s in specs:
        r = resolved.get(keys[s.id])
        outcomes[s.id] = r if isinstance(r, tasks.InputOutcome) else tasks.InputOutcome(
            s.id, error=f"{type(r).__name__}: {r}".splitlines()[0][:500])
    inventories = {i: o.inventory for i, o in sorted(outcomes.items()) if o.inventory is not None}
    target = next(iter(inventories.values())).target if inventories else config.target

    # 2. packages: each distinct distribution once
    dists: dict[tuple, Any] = {}
    for inv in inventories.values():
        for d in inv.distributions:
            dists.setdefault(tasks.dist_key(d), d)
    batches = _unique_name_batches(sorted(dists.items(), key=lambda kv: kv[0]), lambda kv: kv[0][0], SHARD_SIZE)
    jobs = [(_digest(ckey, [k for k, _ in b]), tasks.collect_packages, ([d for _, d in b], portable, target, salt), None)
            for b in batches]
    collected = _Stage("packages", runner, state, progress, stats).run(jobs)
    nodes: dict[tuple, PackageNode] = {}
    interp: PackageNode | None = None
    failed_shards: dict[tuple, str] = {}
    for (jkey, _fn, _args, _w), batch in zip(jobs, batches):
        value = collected.get(jkey)
        if not isinstance(value, dict):
            for k, _ in batch:
                failed_shards[k] = f"{type(value).__name__}: {value}".splitlines()[0][:300]
            continue
        for k, node in value.items():
            if k == INTERPRETER_KEY:
                interp = interp or node
            else:
                nodes[k] = node

    # 3. history, by repository shard, each shard preferably on one worker
    if tasks.history_enabled(config) and nodes:
        by_repo: dict[str, list[tuple]] = defaultdict(list)
        for k, node in sorted(nodes.items(), key=lambda kv: kv[0]):
            repo = node.mapping.repo.url if node.mapping.repo is not None else f"-{k[0]}"
            by_repo[repo].append(k)
        repo_batches = _unique_name_batches(sorted(by_repo), lambda r: r, REPO_SHARD_SIZE)
        workers = runner.workers()
        hjobs, hkeys = [], []
        for i, repos in enumerate(repo_batches):
            members = [k for r in repos for k in by_repo[r]]
            for layer in _unique_name_batches(members, lambda k: k[0], len(members) or 1):
                key = _digest(ckey, "history-v2", layer)  # v2: the answer carries native_history too
                slot = int(hashlib.sha256(repos[0].encode()).hexdigest()[:8], 16) % len(workers) if workers else 0
                hjobs.append((key, tasks.collect_history, ([nodes[k] for k in layer], portable, salt),
                              workers[slot] if workers else None))
                hkeys.append(layer)
        histories = _Stage("history", runner, state, progress, stats).run(hjobs)
        for (key, *_), layer in zip(hjobs, hkeys):
            value = histories.get(key)
            for k in layer:
                signals = dict(nodes[k].signals)
                if isinstance(value, dict):
                    signals[tasks.HISTORY] = value[tasks.HISTORY].get(k[0], Unknown("no history answer for this package"))
                    if k[0] in value[tasks.NATIVE_HISTORY]:  # bundles nothing: no entry, as in an audit
                        signals[tasks.NATIVE_HISTORY] = value[tasks.NATIVE_HISTORY][k[0]]
                else:
                    failure = f"history task failed: {type(value).__name__}: {value}".splitlines()[0][:300]
                    signals[tasks.HISTORY] = Unknown(failure)
                    pending = native_signals([nodes[k]], None).get(k[0])
                    if isinstance(pending, Unknown):  # it bundles a library with an upstream repository
                        signals[tasks.NATIVE_HISTORY] = Unknown(failure)
                    elif pending is not None:  # closed or unrecognized libraries only: nothing to read
                        signals[tasks.NATIVE_HISTORY] = pending
                nodes[k] = replace(nodes[k], signals=_ordered_signals(signals))

    # 4. judge each input with the shared nodes
    return _judge(config, specs, outcomes, inventories, nodes, interp, failed_shards, weights, progress, stats,
                  state, started)


def _file_digest(path: str | None) -> str:
    if path is None:
        return ""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read(64 * 2**20)).hexdigest()
    except OSError:
        return "unreadable"


def input_nodes(inventory: Inventory, nodes: Mapping[tuple, PackageNode], interp: PackageNode | None,
                failed: Mapping[tuple, str]) -> dict[str, PackageNode] | str:
    """``{name: PackageNode}`` of one input from the survey's shared nodes (its own distributions put
    back on them), or the reason it cannot be judged (a shard of its packages failed)."""
    out: dict[str, PackageNode] = {}
    for d in package_distributions(inventory):
        if d.origin.kind == "interpreter":
            if interp is None:
                return "the interpreter's facts could not be collected"
            out[d.name] = replace(interp, distribution=d)
            continue
        key = tasks.dist_key(d)
        if key in failed:
            return f"facts of {d.name} {d.version} could not be collected: {failed[key]}"
        out[d.name] = replace(nodes[key], distribution=d)
    return out


def _judge(config, specs, outcomes, inventories, nodes, interp, failed_shards, weights, progress, stats, state,
           started) -> SurveyResult:
    begun = time.monotonic()
    stage = stats.setdefault("judge", {"tasks": len(specs), "done": 0, "failed": 0, "reused": 0})
    progress.stage("judge", len(specs))
    packages: dict[tuple, PackageFacts] = {}
    edges: dict[tuple, set[str]] = defaultdict(set)
    summaries = []
    for spec in specs:
        outcome = outcomes[spec.id]
        inv = inventories.get(spec.id)
        picked = input_nodes(inv, nodes, interp, failed_shards) if inv is not None else outcome.error
        if not isinstance(picked, dict):
            summaries.append(InputSummary(spec.id, error=picked or "unknown error"))
            stage["failed"] += 1
            progress.done("judge", False)
            continue
        result = assemble(config, inv, picked, weights)
        summaries.append(_summary(spec.id, result))
        _fold(spec.id, inv, result, nodes, packages, edges)
        stage["done"] += 1
        progress.done("judge", True)
    stage["seconds"] = round(time.monotonic() - begun, 3)
    state.finish()
    return SurveyResult(summaries, dict(sorted(packages.items(), key=lambda kv: kv[0])),
                        dict(sorted(edges.items(), key=lambda kv: kv[0])), stats,
                        round(time.monotonic() - started, 3))


def _known(value: Any) -> int | None:
    return None if isinstance(value, Unknown) else value


def _summary(input_id: str, result: AuditResult) -> InputSummary:
    root = result.root
    return InputSummary(input_id, None, result.inventory.resolver, root.packages, root.direct, root.repositories,
                        root.maintainers if root.maintainers_unknown == 0 else None, _known(root.contributors),
                        tuple(result.findings), len(result.missing))


def _fold(input_id: str, inv: Inventory, result: AuditResult, nodes, packages, edges) -> None:
    """Add one input's packages, scores and edges to the survey's totals."""
    from auditor.graph import attrs as A
    from auditor.graph.build import node_id

    by_name = {d.name: tasks.dist_key(d) for d in inv.distributions}
    direct = {e.target for e in inv.root_requires}
    for d in inv.distributions:
        key = by_name[d.name]
        facts = packages.get(key)
        if facts is None:
            facts = packages[key] = PackageFacts(nodes[key])
        facts.inputs.add(input_id)
        if d.name in direct or d.direct:
            facts.direct.add(input_id)
        score: Score = result.scores[d.name]
        total = None if isinstance(score.total, Unknown) else float(score.total)
        if total is not None and (facts.exposure is None or total > facts.exposure):
            facts.exposure, facts.factors = total, tuple(score.factors)
        elif facts.exposure is None and not facts.factors:
            facts.factors = tuple(score.factors)
        facts.dependents = max(facts.dependents, int(result.graph.nodes[node_id(result.nodes[d.name])].get(A.DEPENDENTS, 0)))
        for e in d.requires:
            target = by_name.get(e.target)
            if target is not None:
                edges[(key, target)].add(input_id)
