"""The files of one release on the simple index, with digests and provenance links.

Shared by the install-time and provenance signals.  Source:
``GET {index_url}/{name}/`` through :class:`auditor.net.pypi.PyPIClient`
(PEP 691 JSON, or PEP 503 HTML from mirrors); each file gives its name,
URL, sha256, yanked flag and, on PEP 740 indexes, ``provenance`` (the
integrity-API URL of the file's provenance object, or ``null``).

Files are assigned to a release by parsing their names with
``packaging.utils`` (wheel and sdist filename rules), never by guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence, TypeVar

from packaging.utils import canonicalize_version
from packaging.version import Version

from auditor.collectors import RunContext
from auditor.dist.filenames import DistFilename, parse_filename
from auditor.models import PackageNode, Unknown

T = TypeVar("T")


@dataclass(frozen=True)
class ReleaseFile:
    """One distribution file of a release.

    Attributes:
        filename: the file name (wheel or sdist).
        url: absolute download URL.
        sha256: hex digest from the index, or ``None``.
        kind: ``"wheel"`` or ``"sdist"``.
        provenance_url: PEP 740 provenance URL from the index, or ``None``
            (``None`` also when the index does not implement PEP 740).
        yanked: PEP 592 flag.
        provenance_listed: True when the index entry has a ``provenance`` key
            at all (PEP 740 index); then ``provenance_url=None`` means "no
            attestations" without asking the integrity API.
    """

    filename: str
    url: str
    sha256: str | None
    kind: str
    provenance_url: str | None = None
    yanked: bool = False
    provenance_listed: bool = False


def _release_version(filename: str) -> tuple[str, Version] | None:
    parsed = parse_filename(filename)
    return (parsed.kind, parsed.version) if isinstance(parsed, DistFilename) else None


def release_files(ctx: RunContext, name: str, version: str) -> list[ReleaseFile] | Unknown:
    """Files of *name* == *version* on ``Config.index_url``.

    Uses :meth:`auditor.net.pypi.PyPIClient.index_files` (PEP 691 JSON or
    PEP 503 HTML, shared cache with the metadata lookups).  The result is
    memoized for the run (``RunContext.memo``: the install and provenance
    signals both need it) and in the persistent fact memo
    (``RunContext.facts()``, namespace ``release-files``) for the index's HTTP
    cache lifetime, so a warm audit parses no index page (large HTML pages
    take tens of milliseconds each).

    Returns:
        The files (possibly empty: a version with no files), or Unknown
        (``"not found on the index"``, HTTP errors, offline).
    """
    from dataclasses import asdict

    from auditor.net.http import EXPIRY
    from auditor.net.pypi import PyPIClient
    from auditor.net.simple import files_of_version

    try:
        want = canonicalize_version(Version(version))
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        return []
    run_key = ("signals-release-files", name, want)
    if run_key in ctx.memo:
        return ctx.memo[run_key]
    facts = ctx.facts()
    memo_key = f"{ctx.config.index_url}|{name}|{want}"
    stored = facts.get("release-files", memo_key, EXPIRY["index"]) if facts else None
    if isinstance(stored, list):
        try:
            out: list[ReleaseFile] | Unknown = [ReleaseFile(**d) for d in stored]
            ctx.memo[run_key] = out
            return out
        except TypeError:
            pass
    files = PyPIClient(ctx).index_files(name)  # the page is fetched and parsed once per run
    if isinstance(files, Unknown):
        ctx.memo[run_key] = files
        return files
    out = []
    for f in files_of_version(files, version):
        parsed = _release_version(f.filename)
        if parsed is None or canonicalize_version(parsed[1]) != want:
            continue
        out.append(
            ReleaseFile(
                filename=f.filename,
                url=f.url,
                sha256=f.sha256,
                kind=parsed[0],
                provenance_url=f.provenance,
                yanked=f.yanked,
                provenance_listed=f.provenance_listed,
            )
        )
    if facts is not None:
        facts.put("release-files", memo_key, [asdict(f) for f in out])
    ctx.memo[run_key] = out
    return out


def node_release_files(ctx: RunContext, node: PackageNode) -> list[ReleaseFile] | Unknown:
    """The index files of *node*'s pinned release, or why there are none.

    Only registry and installed distributions have index files: a VCS, URL
    or path requirement answers ``Unknown(..., fault=False)``, and so does a
    package PyPI does not know (that is reported once, as the ``pypi`` fact).
    """
    version = node.distribution.version
    if node.distribution.origin.kind not in ("registry", "installed") or not version:
        return Unknown(f"{node.distribution.origin.kind} requirement: not from an index", fault=False)
    if isinstance(node.project, Unknown) and node.project.not_found:
        return Unknown(f"no PyPI project ({node.project.reason})", fault=False)
    return release_files(ctx, node.name, version)


def map_release_files(
    ctx: RunContext,
    nodes: Sequence[PackageNode],
    answer: Callable[[PackageNode, list[ReleaseFile]], T | Unknown],
    task: str,
) -> Mapping[str, T | Unknown]:
    """``{node name: answer(node, files)}``, *files* from :func:`node_release_files`.

    A node without index files gets the Unknown that says why, and *answer*
    is not called for it.  Nodes are handled through ``ctx.map`` (*task*
    names the progress line).
    """
    def one(node: PackageNode) -> T | Unknown:
        files = node_release_files(ctx, node)
        return files if isinstance(files, Unknown) else answer(node, files)

    return dict(zip((n.name for n in nodes), ctx.map(one, nodes, task=task)))
