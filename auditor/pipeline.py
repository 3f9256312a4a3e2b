"""``run_audit``: the one place where the stages are wired together.

    source.collect(ctx)             -> Inventory          (sources/)
    PyPI JSON per package           -> PyPIProject         (net/pypi.py)
    map_repository()                -> RepoMapping         (repos/)
    contacts_from_metadata()        -> Contact             (people/)
    COLLECTOR_TABLE rows, in order  -> PackageNode.signals (collectors.py; provenance
                                       first, correcting the mapping for the others)
    all_findings()                  -> Finding             (judgement/)
    build_graph()                   -> networkx.DiGraph    (graph/)
    score_all()                     -> Score per package   (scoring/)

Formatters (report/) then render the :class:`AuditResult`, which is frozen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

import networkx as nx

from auditor import clock
from auditor import __version__
from auditor.collectors import COLLECTOR_TABLE, Collector, Progress
from auditor.config import Config
from auditor.graph import attrs as A
from auditor.graph import queries
from auditor.graph.build import add_build_edges, build_graph, node_id
from auditor.graph.bulk import bulk
from auditor.graph.people import annotate_history
from auditor.models import (
    Confidence,
    DependencyEdge,
    Distribution,
    Finding,
    Inventory,
    Origin,
    PackageNode,
    ReachBreakdown,
    RepoMapping,
    Score,
    Unknown,
    UnknownKind,
)
from auditor.net.context import RunContext
from auditor.net.pypi import PyPIClient
from auditor.people.contacts import contacts_from_metadata
from auditor.repos.mapping import lookup_known, map_repository, names_repository
from auditor.repos.urls import canonical_repository
from auditor.judgement.findings import all_findings
from auditor.scoring.aggregate import factor_dicts, load_weights, score_all
from auditor.signals.registry import REFINERS
from auditor.sources.conda import conda_python
from auditor.sources.interface import Source
from auditor.models.hub import HubScan
from auditor.models.hub_facts import HubFacts, HubRepoFacts

#: Normalized name of the interpreter node.
INTERPRETER = "python"

#: ``(name, factory)`` for every row of :data:`auditor.collectors.COLLECTOR_TABLE`,
#: in run order (the table is the one definition; this view is what the CLI
#: lists and what tests narrow).  A factory takes the Config and returns a
#: Collector.  Each can be turned off with ``--no-<name>``; see Config.collector_enabled.
COLLECTORS: tuple[tuple[str, Callable[[Config], Collector]], ...] = tuple(
    (spec.name, spec.factory) for spec in COLLECTOR_TABLE
)


def collector_names() -> list[str]:
    """Names of the optional collectors, in run order (``--disable`` choices); ``hub`` (the Hub API's facts,
    docs/models.md) runs after them."""
    return [row[0] for row in COLLECTORS] + ["hub"]


class FrozenDict(dict):
    """A ``dict`` that refuses every change (``TypeError``); still a dict for ``json`` and ``==``.

    Used for the mappings of :class:`AuditResult` so that a formatter cannot
    change what the next formatter renders.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("AuditResult is frozen: copy it (dict(...)) to change it")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))

    def __reduce__(self):
        return (FrozenDict, (dict(self),))


@dataclass(frozen=True)
class RootSummary:
    """Transitive figures for the audited input.

    Attributes:
        packages: distributions reached (interpreter excluded).
        direct: distributions the input names directly.
        repositories: distinct source repositories reached.
        unmapped: distributions with no known repository.
        maintainers: distinct PyPI accounts that can publish something reached.
        organizations: distinct PyPI organizations owning something reached.
        maintainers_unknown: distributions whose maintainers are unknown
            (``maintainers_not_public`` of them owned by a PyPI organization
            whose members the API does not list).
        maintainers_not_public: distributions owned by a PyPI organization
            with no listed roles: their publishers are the organization's members.
        contributors: distinct people reached through the packages' git histories (the ``git`` part
            of *people*), or Unknown.
        contributors_overcount: how many more the per-package contributor
            counts add up to (people counted in several repositories), or Unknown.
        people: people reach: distinct people who can change what the root runs, in total and by
            origin (git histories, Hub accounts, conda-forge recipe maintainers, native upstream
            histories; :func:`auditor.graph.reach.breakdown`), or Unknown when none was collected.
    """

    packages: int
    direct: int
    repositories: int
    unmapped: int
    maintainers: int
    organizations: int
    maintainers_unknown: int
    maintainers_not_public: int = 0
    contributors: int | Unknown = Unknown("git history not collected", fault=False)
    contributors_overcount: int | Unknown = Unknown("git history not collected", fault=False)
    people: ReachBreakdown | Unknown = Unknown("git history not collected", fault=False)


@dataclass(frozen=True)
class MissingData:
    """One fact that could not be collected (shown in every output).

    Attributes:
        package: normalized package name (``None`` for the whole run).
        what: which fact (``"pypi"``, ``"metadata"``, a collector key, ...).
        reason: why.
        kind: the typed cause (:class:`~auditor.models.UnknownKind` value), for grouping gaps by cause.
    """

    package: str | None
    what: str
    reason: str
    kind: str = "error"


@dataclass(frozen=True)
class AuditResult:
    """The outcome of one audit, what every formatter renders; frozen, so a report cannot change it.

    :func:`run_audit` builds it with read-only mappings
    (:class:`FrozenDict`) and tuples; the graph is fully annotated
    before the result is made and then frozen with ``networkx.freeze``.

    Attributes:
        inventory: the resolved input.
        nodes: package nodes by normalized name (interpreter included as ``"python"``).
        graph: the audit graph (:mod:`auditor.graph.attrs` names its attributes).
        scores: exposure score per package name.
        root: transitive figures for the input.
        findings: the probes' findings (:func:`auditor.judgement.findings.all_findings`), sorted.
        missing: facts that could not be collected; non-empty means incomplete.
        requests: HTTP accounting per service (``RunContext.request_counts``).
        generated_at: ISO-8601 UTC time the audit finished (:func:`auditor.clock.now`: ``SOURCE_DATE_EPOCH`` when set).
        elapsed: seconds the audit took.
        timings: seconds per stage (``"source"``, ``"pypi"``, each collector's
            key), from ``RunContext.timings``; cumulative when one context
            runs several audits (``auditor diff``).  No format renders it.
        tool_version: auditor's version.
        hub: the Hugging Face Hub references (``--scan``, ``--model``, ``--dataset``;
            docs/models.md), or ``None`` when none of those options was given.
        hub_facts: what the Hub API said about them (``signals/hub.py``), or
            ``None`` when there are none or the ``hub`` collector is disabled.
        hub_scores: the exposure score of each referenced Hub repository by node id (``scoring/hub.py``).
    """

    inventory: Inventory
    nodes: Mapping[str, PackageNode]
    graph: nx.DiGraph
    scores: Mapping[str, Score]
    root: RootSummary
    findings: Sequence[Finding] = ()
    missing: Sequence[MissingData] = ()
    requests: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    generated_at: str = ""
    elapsed: float = 0.0
    tool_version: str = __version__
    timings: Mapping[str, float] = field(default_factory=dict)
    hub: HubScan | None = None
    hub_facts: HubFacts | None = None
    hub_scores: Mapping[str, Score] = field(default_factory=dict)

    @property
    def incomplete(self) -> bool:
        """True when some fact could not be collected because of a fault."""
        return bool(self.missing)

    def ranked(self) -> list[PackageNode]:
        """Package nodes by exposure, highest first (unknown scores last), then name."""

        def key(node: PackageNode):
            total = self.scores[node.name].total
            return (isinstance(total, Unknown), -(total if not isinstance(total, Unknown) else 0), node.name)

        return sorted(self.nodes.values(), key=key)


def interpreter_distribution(inventory: Inventory) -> Distribution:
    """The node for the Python interpreter: every distribution requires it."""
    return Distribution(
        name=INTERPRETER,
        version=inventory.interpreter_version or inventory.target.python_full_version or inventory.target.python_version,
        metadata=Unknown("the interpreter has no core metadata", fault=False),
        origin=Origin(kind="interpreter"),
    )


def interpreter_mapping() -> RepoMapping:
    """CPython's repository, from the built-in table (definitive: high confidence)."""
    entry = lookup_known(INTERPRETER) or {}
    ref = canonical_repository(entry.get("repo", "https://github.com/python/cpython"))
    return RepoMapping(ref, f"built-in table ({entry.get('reason', 'the CPython interpreter')})", Confidence.HIGH)


def _with_interpreter_edges(inventory: Inventory, interp: Distribution) -> tuple[Distribution, ...]:
    out = []
    for d in inventory.distributions:
        rp = None if isinstance(d.metadata, Unknown) else d.metadata.requires_python
        edge = DependencyEdge(target=INTERPRETER, requirement=f"python{rp}" if rp else "python")
        out.append(replace(d, requires=d.requires + (edge,)))
    return tuple(out) + (interp,)


def package_distributions(inventory: Inventory) -> tuple[Distribution, ...]:
    """*inventory*'s distributions, each with its edge to the interpreter, and the interpreter last."""
    return _with_interpreter_edges(inventory, interpreter_distribution(inventory))


#: Modules a cold audit imports after its resolver has run, loaded while it runs instead
#: (``RunContext.while_resolving``): the description parsers of the PyPI stage, the fact memo.
COLD_IMPORTS = ("auditor.net.memo", "markdown_it", "docutils.parsers.rst", "docutils.readers.standalone",
                "docutils.utils")
#: The same, per collector key: the wheel readers (pyelftools, cyclonedx-python-lib).
COLD_IMPORTS_OF = {"vendored": ("auditor.signals.wheel_libraries", "auditor.dist.inflate", "auditor.signals.sbom",
                                "elftools.elf.elffile", "elftools.elf.dynamic", "elftools.elf.segments",
                                "cyclonedx.model.bom", "cyclonedx.model.component", "packageurl")}


def collect_nodes(inventory: Inventory, ctx: RunContext) -> dict[str, PackageNode]:
    """PyPI facts, repository mapping and contacts for every distribution.

    PyPI JSON lookups run concurrently on ``ctx``'s bounded pool; an unknown
    package or a failed lookup becomes ``Unknown`` on that node only.
    """
    client = PyPIClient(ctx)
    interp = interpreter_distribution(inventory)
    dists = _with_interpreter_edges(inventory, interp)

    def lookup(d: Distribution):
        if d.origin.kind == "interpreter":
            return Unknown("the interpreter is not published on PyPI", fault=False)
        if d.origin.kind in ("vcs", "url", "path"):
            return Unknown(f"installed from a {d.origin.kind} requirement, not from PyPI", fault=False)
        if d.origin.kind == "conda" and not conda_python(ctx, d.name):
            return Unknown("a conda package that installs no Python distribution: not looked up on PyPI", fault=False,
                           kind=UnknownKind.NOT_APPLICABLE)
        return client.project(d.name)

    projects = ctx.map(lookup, dists, task="PyPI projects")
    nodes: dict[str, PackageNode] = {}
    for d, project in zip(dists, projects):
        mapping = interpreter_mapping() if d.origin.kind == "interpreter" else map_repository(d, project)
        nodes[d.name] = PackageNode(
            distribution=d,
            mapping=mapping,
            project=project,
            contacts=contacts_from_metadata(d.metadata),
        )
    return nodes


def run_collectors(nodes: dict[str, PackageNode], ctx: RunContext, collectors: Sequence[Collector]) -> dict[str, PackageNode]:
    """Run each collector in order and store its results in ``PackageNode.signals``.

    A signal with a refinement (:data:`auditor.signals.registry.REFINERS`:
    provenance corrects the repository mapping) is applied at once, so the
    collectors after it see the corrected nodes.
    """
    for collector in collectors:
        with ctx.timed(collector.key):
            results = collector.collect(ctx, list(nodes.values()))
        refine = REFINERS.get(collector.key)
        for name, value in results.items():
            if name in nodes:
                node = nodes[name]
                node = replace(node, signals={**node.signals, collector.key: value})
                nodes[name] = refine(node, value) if refine else node
    return nodes


def enabled_collectors(config: Config) -> list[Collector]:
    """Instances of the collectors in :data:`COLLECTORS` (in table order) that *config* enables."""
    out = []
    for name, factory in COLLECTORS:
        collector = factory(config)
        if config.collector_enabled(name, collector.default_enabled):
            out.append(collector)
    return out


def service_urls(config: Config, collectors: Sequence[Collector]) -> list[str]:
    """The base URLs of the outside HTTP services *collectors* will ask (for ``RunContext.preflight``).

    Not the git hosts: git's own configuration may send a clone elsewhere (``insteadOf``).
    """
    keys = {getattr(c, "key", "") for c in collectors}
    urls = {"github": config.github_api_url, "gitlab": config.gitlab_url, "scorecard": config.scorecard_url,
            "depsdev": config.depsdev_url}
    out = [url for key, url in urls.items() if key in keys]
    if "vulnerabilities" in keys and config.osv_db is None and config.vulnerability_service == "osv":
        out.append(config.osv_url)
    return out


def collectors_for(ctx: RunContext) -> list[Collector]:
    """The collectors a run uses: ``ctx.collectors`` when set, else :func:`enabled_collectors`."""
    return list(ctx.collectors) if ctx.collectors is not None else enabled_collectors(ctx.config)


def missing_data(inventory: Inventory, nodes: Mapping[str, PackageNode]) -> list[MissingData]:
    """Every fault-caused Unknown on the nodes, as a flat sorted list."""
    out: list[MissingData] = [MissingData(None, gap[0], gap[1], gap[2] if len(gap) > 2 else UnknownKind.UNREACHABLE.value)
                              for gap in inventory.gaps]

    def add(name: str, what: str, value: Unknown) -> None:
        out.append(MissingData(name, what, value.reason, value.kind.value))

    for name, node in sorted(nodes.items()):
        if isinstance(node.distribution.metadata, Unknown) and node.distribution.metadata.fault:
            add(name, "metadata", node.distribution.metadata)
        project = node.project
        if isinstance(project, Unknown):
            if project.fault:
                add(name, "pypi", project)
        elif isinstance(project.ownership, Unknown) and project.ownership.fault:
            add(name, "ownership", project.ownership)
        for key, value in sorted(node.signals.items()):
            if isinstance(value, Unknown) and value.fault:
                add(name, key, value)
            elif callable(getattr(value, "faults", None)):  # partly collected (e.g. ForgeFacts)
                for part, reason, *kind in value.faults():  # (part, reason[, UnknownKind value])
                    out.append(MissingData(name, f"{key}.{part}", reason, *kind))
    return out


def summarize(graph: nx.DiGraph, nodes: Mapping[str, PackageNode], reach: ReachBreakdown | Unknown | None = None
              ) -> RootSummary:
    """Transitive figures over everything the root reaches; *reach* is the root's people reach
    (:func:`~auditor.graph.people.annotate_history`'s answer), None when it was not computed."""
    # Every audited distribution counts, reached from the root or not (a lockfile
    # section the root does not name is still audited): one set, so the
    # summary and the package list agree in every format.
    reached = queries.reach(graph, A.ROOT_ID) | set(queries.package_ids(graph))
    dists = [n for n in reached if graph.nodes[n].get(A.KIND) == A.DISTRIBUTION]
    by_id = {node_id(n): n for n in nodes.values()}
    orgs = set()
    unknown_maint = not_public = 0
    for nid in reached:
        node = by_id.get(nid)
        if node is None or node.distribution.origin.kind == "interpreter":
            continue
        maint = node.maintainers
        if isinstance(maint, Unknown):
            unknown_maint += 1
            not_public += maint.kind is UnknownKind.NOT_PUBLIC
        if node.organization:
            orgs.add(node.organization)
    return RootSummary(
        packages=len(dists),
        direct=sum(1 for _r, v, k in graph.out_edges(A.ROOT_ID, data=A.KIND) if k == A.REQUIRES),
        repositories=len(queries.repositories_of(graph, dists)),  # CPython's is the interpreter's own line
        unmapped=sum(1 for n in dists if A.REPO_URL not in graph.nodes[n]),
        maintainers=len(queries.maintainers_of(graph, reached)),
        organizations=len(orgs),
        maintainers_unknown=unknown_maint,
        maintainers_not_public=not_public,
        **_root_people(graph, nodes, reach),
    )


def _root_people(graph: nx.DiGraph, nodes: Mapping[str, PackageNode], reach: ReachBreakdown | Unknown | None
                 ) -> dict[str, Any]:
    """RootSummary's people fields, from the root's people reach (see annotate_history)."""
    out: dict[str, Any] = {}
    if reach is not None:
        out["people"] = reach
    git = reach.part("git") if isinstance(reach, ReachBreakdown) else None
    if git is not None and git.sources:
        out.update(contributors=git.people, contributors_overcount=git.naive_sum - git.people)
    elif any("history" in n.signals for n in nodes.values()):
        why = Unknown("no repository history could be read")
        out.update(contributors=why, contributors_overcount=why)
    return out


def annotate(graph: nx.DiGraph, nodes: Mapping[str, PackageNode], scores: Mapping[str, Score],
             dependents: Mapping[str, int] | None = None) -> None:
    """Write scores and dependents counts (:func:`~auditor.graph.queries.dependents_counts`,
    computed here unless given) onto the graph's package nodes (in place)."""
    counts = queries.dependents_counts(graph) if dependents is None else dependents
    factors = factor_dicts(scores)
    for name, node in nodes.items():
        nid = node_id(node)
        attrs = graph.nodes[nid]
        attrs[A.DEPENDENTS] = counts.get(nid, 0)
        score = scores[name]
        if isinstance(score.total, Unknown):
            attrs.setdefault(A.UNKNOWN, {})[A.SCORE] = score.total.reason
        else:
            attrs[A.SCORE] = score.total
        if score.applicable:
            attrs[A.COVERAGE] = score.coverage
            attrs[A.SCORE_KNOWN] = score.known
            attrs[A.SCORE_APPLICABLE] = score.applicable
        attrs[A.FACTORS] = factors[name]


def hub_references(config: Config) -> HubScan | None:
    """The Hub references of ``--scan``/``--model``/``--dataset`` (docs/models.md), or ``None`` when none was given.

    Raises:
        InputError: a ``--scan`` path that does not exist or a bad id (exit 2).
    """
    if not (config.hub_scan or config.hub_models or config.hub_datasets or config.hub_cache is not False):
        return None
    from auditor.sources.hub_scan import discover

    return discover(config.hub_scan, config.hub_models, config.hub_datasets, config.hub_cache)


def hub_missing(hub: HubScan | None) -> tuple[MissingData, ...]:
    """Scanned files that could not be read or parsed, as missing data (the audit is incomplete: exit 3)."""
    if hub is None:
        return ()
    return tuple(MissingData(None, "hub-scan", f"{path}: {u.reason}", u.kind.value) for path, u in hub.skipped)


def hub_collect(ctx: RunContext, hub: HubScan) -> HubFacts | None:
    """The Hub's facts on *hub*'s references (``signals/hub.py``), or None: none, or ``--disable hub``."""
    if not hub.references or not ctx.config.collector_enabled("hub"):
        return None
    from auditor.signals.hub import collect_hub_facts

    return collect_hub_facts(ctx, hub.references)


def hub_facts_missing(facts: HubFacts | None) -> tuple[MissingData, ...]:
    """Hub facts that could not be learnt, as missing data (``what: "hub"``; the audit exits 3)."""
    out = []
    for nid, f in (facts.repos.items() if facts is not None else ()):
        unknowns = [("facts", f)] if isinstance(f, Unknown) else f.unknowns() if isinstance(f, HubRepoFacts) else []
        out += [MissingData(None, "hub", f"{nid} {name}: {u.reason}", u.kind.value) for name, u in unknowns if u.fault]
    return tuple(out)


def assemble(
    config: Config,
    inventory: Inventory,
    nodes: dict[str, PackageNode],
    weights: Mapping[str, Mapping[str, Any]],
    hub: HubScan | None = None,
    hub_facts: HubFacts | None = None,
    requests: Mapping[str, Mapping[str, int]] | None = None,
    timings: Mapping[str, float] | None = None,
    started: float | None = None,
) -> AuditResult:
    """The judging stages over collected *nodes*: findings, graph, people, scores, summary; the frozen result.

    Fetches nothing (every fact is on *nodes*).  :func:`run_audit` calls it after the
    collectors; ``auditor survey`` (auditor/survey/) calls it once per input over nodes
    collected once for all inputs.

    Args:
        config: the run's configuration (``people``, ``build_deps``).
        inventory: the input's resolved set.
        nodes: ``{name: PackageNode}`` of every distribution of *inventory* and the interpreter.
        weights: :func:`~auditor.scoring.aggregate.load_weights`.
        hub: the Hub references, if any.
        hub_facts: the Hub's facts on them (:func:`hub_collect`), if collected.
        requests, timings: the run's accounting, stored as they are.
        started: ``time.monotonic()`` when the audit began (for ``elapsed``).
    """
    with bulk():  # the judging stages build many long-lived objects and no cycles (graph/bulk.py)
        findings = all_findings(n for n in nodes.values() if n.distribution.origin.kind != "interpreter")
        graph = build_graph(inventory, nodes)
        hub_scores: dict = {}
        if hub is not None:  # Hub nodes first: people reach walks their loads edges (graph/reach.py)
            from auditor.graph.hub import add_hub_facts, add_hub_nodes
            from auditor.scoring.hub import score_hub

            hub_scores = score_hub(hub.references, hub_facts.repos if hub_facts is not None else None, weights)
            add_hub_nodes(graph, hub.references)
            add_hub_facts(graph, hub_facts, hub_scores)
        reach = annotate_history(graph, {node_id(n): n.signals["history"] for n in nodes.values()
                                         if "history" in n.signals}, add_people=config.people, nodes=nodes,
                                 hub_facts=hub_facts)
        if config.build_deps:
            add_build_edges(graph, nodes)
        dependents = queries.dependents_counts(graph)  # once: scoring and the graph attributes share it
        scores = score_all(graph, nodes, weights, dependents)
        annotate(graph, nodes, scores, dependents)
        root = summarize(graph, nodes, reach)
    if hub is not None:
        from auditor.judgement.hub import fact_findings, hub_findings

        findings = sorted([*findings, *hub_findings(hub), *fact_findings(hub, hub_facts)],
                          key=lambda f: (f.severity.rank, f.id, f.package or "", f.message))
    return AuditResult(
        inventory=inventory,
        nodes=FrozenDict(nodes),
        graph=nx.freeze(graph),
        scores=FrozenDict(scores),
        root=root,
        findings=tuple(findings),
        missing=tuple(missing_data(inventory, nodes)) + hub_missing(hub) + hub_facts_missing(hub_facts),
        requests=FrozenDict(requests or {}),
        generated_at=clock.now().isoformat(),
        elapsed=round(time.monotonic() - started, 3) if started is not None else 0.0,
        timings=FrozenDict(timings or {}),
        hub=hub,
        hub_facts=hub_facts,
        hub_scores=FrozenDict(hub_scores),
    )


def run_audit(
    config: Config,
    source: Source,
    progress: Progress | None = None,
    collectors: Sequence[Collector] | None = None,
    ctx: RunContext | None = None,
) -> AuditResult:
    """Audit one input end to end.

    Args:
        config: the run's configuration.
        source: the input (requirements file, environment, lockfile).
        progress: progress reporter (the CLI passes a rich one).
        collectors: optional collectors to run; default: ``ctx.collectors``
            if set, else those enabled in :data:`COLLECTORS` by *config*.
        ctx: a run context to reuse (``auditor diff`` audits both sides on
            one, sharing parsed PyPI documents); the caller then closes it.
            Without one, a context is built from *config* and closed here.

    Returns:
        The frozen :class:`AuditResult`.

    Raises:
        InputError, ResolutionError, SourceError: from the source (bad input).
        ConfigError: invalid weights file.
    """
    started = time.monotonic()
    progress = progress or Progress()
    weights = load_weights(config.weights_file)
    own_ctx = ctx is None
    ctx = ctx or RunContext(config, progress)
    if ctx.repository_named is None:  # the PyPI client extracts only the description links the mapping uses
        ctx.repository_named = names_repository
    active = collectors_for(ctx) if collectors is None else list(collectors)
    if not ctx.warmers:  # collectors that start while the source stage runs (Collector.warm)
        ctx.warmers = [c.warm for c in active if getattr(c, "warms", False)]
    if not ctx.preload:  # imported while a cold resolver runs (RunContext.while_resolving)
        keys = {getattr(c, "key", "") for c in active}
        ctx.preload = COLD_IMPORTS + tuple(m for key, mods in COLD_IMPORTS_OF.items() if key in keys for m in mods)
    try:
        ctx.preflight(service_urls(config, active))  # a stalled name lookup overlaps the source stage
        hub = hub_references(config)  # before the source: a bad --scan/--model is exit 2 at once
        with ctx.timed("source"):
            inventory = source.collect(ctx)
        with ctx.timed("pypi"):
            nodes = collect_nodes(inventory, ctx)
        nodes = run_collectors(nodes, ctx, active)
        hub_facts = hub_collect(ctx, hub) if hub is not None else None
        return assemble(config, inventory, nodes, weights, hub=hub, hub_facts=hub_facts,
                        requests={k: FrozenDict(v) for k, v in ctx.request_counts().items()},
                        timings=dict(ctx.timings), started=started)
    finally:
        if own_ctx:
            ctx.close()
