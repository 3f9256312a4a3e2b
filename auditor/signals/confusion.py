"""Names served by more than one index: the facts behind dependency confusion (AUD122).

pip's ``--extra-index-url`` merges the candidates of every index and takes
the highest version, so a private name that also exists on PyPI installs
whichever copy is higher: an attacker who registers the private name on PyPI
with a higher version wins (Birsan 2021).  This collector gathers, for every
registry distribution, which of the run's indexes serve its name and which
versions; the judgement is finding AUD122 (:mod:`auditor.judgement.findings`).

Sources, all already read by the run (no resolver, no extra kind of request):

* the run's indexes: ``Config.index_url`` (the public index, PyPI by
  default), every ``Distribution.origin.index_url`` (uv's ``# from``
  annotation, pip's download URL, a lockfile's ``source``), and every
  ``--index-url``/``--extra-index-url`` a requirements file or
  ``pyproject.toml`` gave the resolver, whether or not it served a package
  (:data:`auditor.sources.interface.RUN_INDEXES`);
* each other index's project page (PEP 691 JSON or PEP 503 HTML, through
  :meth:`auditor.net.pypi.PyPIClient.index_page`, memoized per run and
  shared with the metadata lookups);
* the public index's page (the one the install and provenance signals read)
  for the mirror test, and the PyPI JSON API's release list (``node.project``).

An index whose every file is on the public index under the same name and
sha256 is a proxy of PyPI (``IndexCopy.mirror``) and not a finding.  Index
URLs are compared and reported with credentials redacted; an index that
needs credentials in its URL answers 401 here and the fact is ``unknown``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from packaging.version import Version

from auditor.collectors import Collector, RunContext
from auditor.dist.filenames import DistFilename, parse_filename
from auditor.dist.redact import redact_url
from auditor.models import IndexCopy, PackageNode, PyPIProject, SharedName, Unknown


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.rstrip("/") == b.rstrip("/")  # type: ignore[union-attr]


def _sorted_versions(versions) -> tuple[str, ...]:
    def key(v: str):
        try:
            return (0, Version(v), v)
        except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
            return (-1, Version("0"), v)

    return tuple(sorted(set(versions), key=key))


def run_indexes(ctx: RunContext, nodes: Sequence[PackageNode]) -> list[str]:
    """The indexes other than ``Config.index_url`` (and PyPI's own, ``https://pypi.org/simple``) that served a registry distribution of the set, sorted."""
    from auditor.config import DEFAULT_INDEX_URL

    public = (ctx.config.index_url, DEFAULT_INDEX_URL)
    from auditor.sources.interface import run_indexes as noted

    found = {n.distribution.origin.index_url for n in nodes if n.distribution.origin.kind == "registry"}
    found |= noted(ctx)
    return sorted(i for i in found if i and i.startswith(("http:", "https:")) and not any(_same(i, p) for p in public))


def shared_name(ctx: RunContext, node: PackageNode, others: Sequence[str]) -> SharedName | Unknown:
    """Which of *others* serve *node*'s name besides the public index, and with which versions.

    Returns:
        :class:`SharedName` (``copies`` empty when no other index serves it),
        or Unknown: not an index requirement or no PyPI project (``fault=False``:
        AUD118/AUD120 report those), or an index page that could not be read.
    """
    from auditor.net.pypi import PyPIClient

    origin = node.distribution.origin
    if origin.kind != "registry":
        return Unknown(f"{origin.kind} requirement: not from an index", fault=False)
    project = node.project
    if not isinstance(project, PyPIProject):
        return Unknown(f"no PyPI project ({project.reason})", fault=False)
    copies = []
    public_files: dict[str, str | None] | None = None
    for index in others:
        page = PyPIClient(ctx, index_url=index).index_page(node.name)
        if isinstance(page, Unknown):
            if page.not_found:
                continue
            return Unknown(f"{redact_url(index)}: {page.reason}", kind=page.kind)
        versions = [p.version for p in (parse_filename(f.filename) for f in page.files) if isinstance(p, DistFilename)]
        if not versions:
            continue
        if public_files is None:
            public = PyPIClient(ctx).index_page(node.name)
            public_files = {} if isinstance(public, Unknown) else {f.filename: f.sha256 for f in public.files}
        mirror = all(f.filename in public_files and (f.sha256 is None or public_files[f.filename] in (None, f.sha256))
                     for f in page.files)
        copies.append(IndexCopy(redact_url(index), _sorted_versions(str(v) for v in versions), mirror))
    pypi = _sorted_versions(project.version_uploads) or ((project.latest_version,) if project.latest_version else ())
    return SharedName(pypi, tuple(copies), origin.index_url)


class IndexesCollector(Collector):
    """Names served by the public index and by another index of the run (see module docstring)."""

    key = "indexes"
    description = "names served both by PyPI and by a private index of the run (dependency confusion)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, SharedName | Unknown]:
        others = run_indexes(ctx, nodes)
        if not others:
            return {}  # one index: nothing to be confused with
        results = ctx.map(lambda n: shared_name(ctx, n, others), list(nodes), task="index copies")
        return {n.name: r for n, r in zip(nodes, results)}
