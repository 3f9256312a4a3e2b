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


def native_repositories(nodes: Sequence[PackageNode]) -> dict[str, str]:
    """``{repository URL as the table or SBOM gives it: clone URL}`` of every bundled library with a public
    repository (``signals["vendored"]``), over all *nodes*; a URL no forge rule recognizes is left out
    (its node says so: :func:`native_histories`)."""
    out: dict[str, str] = {}
    for node in nodes:
        code = node.signals.get("vendored")
        if not isinstance(code, VendoredCode):
            continue
        for lib in code.bundled:
            if lib.repository and lib.repository not in out:
                ref = canonical_repository(lib.repository)
                if ref is not None:
                    out[lib.repository] = ref.clone_url
    return out


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
        read = ctx.memo.get(NATIVE_HISTORIES)
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
