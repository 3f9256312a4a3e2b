"""The ``native_history`` signal: git histories of the upstream repositories of bundled native libraries.

Issue 16: a bundled library's upstream repository (``auditor/data/native-libraries.yaml``, or a PEP 770
SBOM) is a repository like any other, so its people count in people reach.  The repositories are read
by the ``history`` collector (:class:`auditor.people.history.HistoryCollector`) together with the
packages' own repositories: one clone per repository however many wheels bundle it, the same limits,
negative cache and deadline (:class:`~auditor.net.git.GitCache`), and one identity resolution over all
of them, so a person in numpy's history and in OpenBLAS's is one person.  The history collector leaves
what it read in ``ctx.memo[NATIVE_HISTORIES]``; this collector, next in the table, hands each
distribution the histories of what it bundles.  docs/native.md#people, docs/history.md#people-reach.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import NativeHistories, PackageNode, Unknown, UnknownKind, VendoredCode
from auditor.repos.urls import canonical_repository

#: Key in ``RunContext.memo``: ``{repository URL: RepositoryHistory or Unknown}`` read by the history collector.
NATIVE_HISTORIES = "native-histories"
#: Upstream repositories of bundled libraries read at most per audit (on top of the packages' own): the curated
#: table's few, and the most shared of the crates and components PEP 770 SBOMs list by the hundred.  The rest are
#: ``unknown (not read: over the limit)`` in people reach, never a zero (docs/native.md#people, docs/limits.md).
MAX_NATIVE_REPOSITORIES = 64


def over_limit(limit: int) -> Unknown:
    """The answer for an upstream repository not read because of :data:`MAX_NATIVE_REPOSITORIES`."""
    return Unknown(f"not read: over the {limit}-repository limit for native upstreams", fault=False,
                   kind=UnknownKind.NOT_COLLECTED)


def native_repositories(nodes: Sequence[PackageNode], limit: int | None = None) -> tuple[dict[str, str], list[str]]:
    """The upstream repositories to read: ``({repository URL as the table or SBOM gives it: clone URL}, [URLs over
    the limit])``.

    Over every bundled library with a public repository (``signals["vendored"]``) of all *nodes*; a URL no forge
    rule recognizes is left out (its node says so: :func:`native_histories`).  At most *limit* repositories
    (default :data:`MAX_NATIVE_REPOSITORIES`) are read, the curated table's first (OpenBLAS, GCC, ...), then the
    components of PEP 770 SBOMs (a Rust wheel's SBOM lists every statically linked crate: hf-xet's 232), those
    bundled by more distributions first, then by URL.
    """
    limit = MAX_NATIVE_REPOSITORIES if limit is None else limit
    rank: dict[str, tuple[int, int]] = {}
    clone: dict[str, str] = {}
    for node in nodes:
        code = node.signals.get("vendored")
        if not isinstance(code, VendoredCode):
            continue
        for repo in {lib.repository: lib for lib in code.bundled if lib.repository}.values():
            url = repo.repository
            if url not in clone:
                ref = canonical_repository(url)
                if ref is None:
                    continue
                clone[url] = ref.clone_url
            curated, count = rank.get(url, (1, 0))
            rank[url] = (min(curated, 0 if repo.evidence is None else 1), count - 1)
    order = sorted(clone, key=lambda u: (*rank[u], u))
    return {u: clone[u] for u in order[:limit]}, order[limit:]


def native_histories(code: VendoredCode, read: Mapping[str, Any]) -> NativeHistories | None:
    """What *code* bundles, with the histories in *read* (``{repository URL: history or Unknown}``);
    None when it bundles nothing."""
    if not code.bundled:
        return None
    repos: dict[str, Any] = {}
    closed, unrecognized = set(), set()
    for lib in code.bundled:
        if lib.repository:
            repos[lib.repository] = read.get(lib.repository) or Unknown(
                "repository not read (not a repository URL auditor can clone)", fault=False,
                kind=UnknownKind.UNSUPPORTED)
        elif lib.upstream:
            closed.add(lib.upstream)
        else:
            unrecognized.add(PurePosixPath(lib.path).name)
    return NativeHistories(repos=tuple(sorted(repos.items())), closed=tuple(sorted(closed)),
                           unrecognized=tuple(sorted(unrecognized)))


class NativeHistoryCollector(Collector):
    """Implements :class:`~auditor.collectors.Collector`; key ``"native_history"``: ``{package:
    NativeHistories or Unknown}`` for each distribution that bundles a native library; other nodes get no entry."""

    key = "native_history"
    default_enabled = True
    description = "git histories of the upstream repositories of bundled native libraries (people reach)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        """See :meth:`Collector.collect`."""
        return native_signals(nodes, ctx.memo.get(NATIVE_HISTORIES))


def native_signals(nodes: Sequence[PackageNode], read: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{package: NativeHistories or Unknown}`` of the *nodes* that bundle a native library, from *read*
    (``{repository URL: RepositoryHistory or Unknown}`` as the history collector read them; None when it did
    not run: a node with an upstream repository then gets a ``not-collected`` Unknown)."""
    out: dict[str, Any] = {}
    for node in nodes:
        code = node.signals.get("vendored")
        found = native_histories(code, read or {}) if isinstance(code, VendoredCode) else None
        if found is None:
            continue  # bundles nothing: no entry, as the conda collector does for a node that is not conda
        if read is None and found.repos:
            out[node.name] = Unknown("git history not collected (the history collector did not run)", fault=False,
                                     kind=UnknownKind.NOT_COLLECTED)
        else:
            out[node.name] = found
    return out
