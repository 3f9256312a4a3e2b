"""PEP 740 provenance of each pinned release, verified with ``pypi-attestations``.

For the file an installer would take for the target (the best wheel, else
the sdist; see :mod:`auditor.signals.install`), this collector fetches the
provenance object from PyPI's integrity API::

    GET {pypi_url}/integrity/{project}/{version}/{filename}/provenance
    Accept: application/vnd.pypi.integrity.v1+json

(``RunContext.http("pypi-integrity")``) and verifies every attestation of every
bundle against the bundle's Trusted Publisher and the file's sha256 digest
from the simple index, with ``pypi_attestations.Attestation.verify``.
A 404 means the release has no attestations: ``unattested``, not a failure.

Verification uses sigstore's production trust root in offline mode
(:data:`SIGSTORE_OFFLINE`): the root shipped with / cached by ``sigstore`` is
used and no TUF refresh is attempted, so an audit never depends on
``tuf-repo-cdn.sigstore.dev``.  Keep ``sigstore`` updated to refresh the root.

The first verification of a process loads that trust root, and sigstore
writes it into ``$HOME`` (its TUF metadata directory) on first use; threads
doing this at once raced (with a fresh ``HOME``, 8 of 16 runs reported
valid attestations as invalid).  :func:`_verify` therefore runs the first
verification under one lock (:data:`_TRUST_ROOT_LOCK`); once the root is
loaded, verifications run concurrently.

The fact is returned; the pipeline applies it to the repository mapping with
:func:`apply_provenance` (agreeing publisher -> ``verified``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Any, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.models import (
    Confidence,
    PackageNode,
    ReleaseProvenance,
    RepoMapping,
    RepositoryRef,
    TrustedPublisher,
    Unknown,
)
from auditor.signals.index import ReleaseFile, map_release_files, release_files
from auditor.signals.install import best_wheel

log = logging.getLogger(__name__)
#: sigstore warns on every verification that offline mode skips TUF updates; that is our choice.
logging.getLogger("sigstore._internal.tuf").setLevel(logging.ERROR)

INTEGRITY_ACCEPT = "application/vnd.pypi.integrity.v1+json"
#: Do not refresh sigstore's TUF trust root over the network (see module docstring).
SIGSTORE_OFFLINE = True
#: Forge base URL of each Trusted Publisher kind that names a repository.
PUBLISHER_FORGES = {"GitHub": "https://github.com", "GitLab": "https://gitlab.com"}


#: Guards sigstore's trust-root bootstrap (first verification of the process).
_TRUST_ROOT_LOCK = threading.Lock()
_trust_root_ready = threading.Event()


def _verify(attestation: Any, publisher: Any, dist: Any) -> tuple[str, Any]:
    """``attestation.verify(...)`` offline; the first call of the process holds :data:`_TRUST_ROOT_LOCK`."""
    if _trust_root_ready.is_set():
        return attestation.verify(publisher, dist, offline=SIGSTORE_OFFLINE)
    with _TRUST_ROOT_LOCK:
        try:
            return attestation.verify(publisher, dist, offline=SIGSTORE_OFFLINE)
        finally:
            _trust_root_ready.set()  # the root is on disk and loaded, whatever this attestation's verdict


def integrity_url(pypi_url: str, name: str, version: str, filename: str) -> str:
    """The integrity-API provenance URL of one file."""
    return f"{pypi_url.rstrip('/')}/integrity/{name}/{version}/{filename}/provenance"


def publisher_from(data: Any) -> TrustedPublisher:
    """Our :class:`TrustedPublisher` from a pypi-attestations publisher model (or its dict)."""
    raw = data.model_dump() if hasattr(data, "model_dump") else dict(data)
    kind = str(raw.get("kind") or "unknown")
    repository = raw.get("repository")
    workflow = raw.get("workflow") or raw.get("workflow_filepath")
    base = PUBLISHER_FORGES.get(kind)
    url = f"{base}/{str(repository).strip('/')}" if base and repository else None
    if url and kind in ("GitHub", "GitLab"):
        url = url.lower()  # both forges' paths are case-insensitive; RepositoryRef.url is lower-cased
    return TrustedPublisher(
        kind=kind,
        repository=str(repository) if repository else None,
        workflow=str(workflow) if workflow else None,
        environment=raw.get("environment") or None,
        repository_url=url,
    )


def verify_provenance(doc: Mapping[str, Any], filename: str, sha256: str) -> ReleaseProvenance:
    """Verify a PEP 740 provenance object for one file.

    Args:
        doc: the integrity API's JSON (``{"version": 1, "attestation_bundles": [...]}``).
        filename: the distribution's file name (the attestation subject).
        sha256: the file's hex digest (from the index, or computed).

    Returns:
        ``verified`` when every attestation verifies, else ``invalid`` with
        the first error; never raises for bad input.
    """
    from pydantic import ValidationError
    from pypi_attestations import AttestationError, Distribution, Provenance

    try:
        prov = Provenance.model_validate(doc)
        dist = Distribution(name=filename, digest=sha256)
    except (ValidationError, ValueError) as exc:
        return ReleaseProvenance("invalid", filename, detail=f"malformed provenance: {_first_line(exc)}")
    publishers = tuple(publisher_from(b.publisher) for b in prov.attestation_bundles)
    predicates: list[str] = []
    try:
        for bundle in prov.attestation_bundles:
            for attestation in bundle.attestations:
                predicate_type, _ = _verify(attestation, bundle.publisher, dist)
                predicates.append(predicate_type)
    except AttestationError as exc:
        return ReleaseProvenance("invalid", filename, publishers, tuple(predicates), _first_line(exc))
    except Exception as exc:  # sigstore raises several unrelated types on malformed bundles
        return ReleaseProvenance("invalid", filename, publishers, tuple(predicates), f"{type(exc).__name__}: {_first_line(exc)}")
    if not predicates:
        return ReleaseProvenance("invalid", filename, publishers, (), "provenance has no attestations")
    return ReleaseProvenance(
        "verified",
        filename,
        publishers,
        tuple(sorted(set(predicates))),
        f"{len(predicates)} attestation(s) verified for {', '.join(p.kind + (' ' + p.repository if p.repository else '') for p in publishers)}",
    )


def publisher_matches(publisher: TrustedPublisher, repo: RepositoryRef) -> bool:
    """Whether a Trusted Publisher's repository is *repo* (canonical URL comparison)."""
    return bool(publisher.repository_url) and publisher.repository_url.rstrip("/").lower() == repo.url.rstrip("/").lower()


def apply_provenance(mapping: RepoMapping, provenance: ReleaseProvenance | Unknown | None) -> RepoMapping:
    """The repository mapping after taking verified provenance into account.

    * verified and a publisher's repository equals ``mapping.repo`` ->
      the same mapping with confidence ``verified`` and the attestation as evidence;
    * verified, no repository mapped, and a publisher names one -> that
      repository, ``verified``;
    * anything else (disagreement, unattested, invalid, unknown) -> unchanged
      (a disagreement is finding AUD102, see :mod:`auditor.judgement.findings`).
    """
    if not isinstance(provenance, ReleaseProvenance) or provenance.status != "verified":
        return mapping
    named = [p for p in provenance.publishers if p.repository_url]
    if mapping.repo is not None:
        for pub in named:
            if publisher_matches(pub, mapping.repo):
                return replace(
                    mapping,
                    confidence=Confidence.VERIFIED,
                    evidence=f"{mapping.evidence}; confirmed by PEP 740 attestation "
                    f"({pub.kind} Trusted Publisher {pub.repository}, workflow {pub.workflow})",
                )
        return mapping
    if named:
        pub = named[0]
        url = pub.repository_url
        host, path = url.split("://", 1)[1].split("/", 1)
        return RepoMapping(
            repo=RepositoryRef(url=url, host=host, path=path),
            evidence=f"PEP 740 attestation of {provenance.filename} ({pub.kind} Trusted Publisher, workflow {pub.workflow})",
            confidence=Confidence.VERIFIED,
            candidates=mapping.candidates,
            rule="pep740-attestation",
        )
    return mapping


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _pick(files: list[ReleaseFile], ctx: RunContext) -> ReleaseFile | None:
    return best_wheel(files, ctx.config.target) or next((f for f in files if f.kind == "sdist"), None) or (
        files[0] if files else None
    )


class ProvenanceCollector(Collector):
    """PEP 740 provenance per node (see :class:`Collector`).

    Results: :class:`ReleaseProvenance` (``verified``/``unattested``/``invalid``)
    or Unknown (index or integrity API unreachable, no digest to verify against).

    :meth:`warm` makes the request (and the verification) for a release as soon
    as the source stage has pinned it, so the integrity API's answers arrive
    while the other pins are still being looked up; :meth:`collect` then finds
    the answer in ``ctx.memo`` (the request is made and counted once).
    """

    key = "provenance"
    description = "PEP 740 attestations from PyPI's integrity API, verified with pypi-attestations"
    warms = True

    def warm(self, ctx: RunContext, name: str, version: str) -> None:
        """See :meth:`Collector.warm`: the answer for *name* == *version*, into ``ctx.memo``."""
        key = _memo_key(ctx, name, version)
        if key in ctx.memo:
            return
        files = release_files(ctx, name, version)
        if not isinstance(files, Unknown):
            ctx.memo[key] = _provenance(ctx, name, version, files)

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, ReleaseProvenance | Unknown]:
        def one(node: PackageNode, files: list[ReleaseFile]) -> ReleaseProvenance | Unknown:
            version = node.distribution.version
            early = ctx.memo.get(_memo_key(ctx, node.name, version))
            return early if early is not None else _provenance(ctx, node.name, version, files)

        return map_release_files(ctx, nodes, one, task="provenance")


def _memo_key(ctx: RunContext, name: str, version: str | None) -> tuple:
    return ("provenance", ctx.config.index_url, ctx.config.pypi_url, name, version)


def _provenance(ctx: RunContext, name: str, version: str, files: list[ReleaseFile]) -> ReleaseProvenance | Unknown:
    """The provenance of *name* == *version* whose index files are *files*."""
    chosen = _pick(files, ctx)
    if chosen is None:
        return Unknown(f"no files for {version} on the index")
    if chosen.provenance_listed and not chosen.provenance_url:
        return ReleaseProvenance("unattested", chosen.filename, detail="simple index: provenance is null")
    url = chosen.provenance_url or integrity_url(ctx.config.pypi_url, name, version, chosen.filename)
    doc = ctx.http("pypi-integrity").get_json(url, {"Accept": INTEGRITY_ACCEPT})
    if isinstance(doc, Unknown):
        if doc.not_found:
            return ReleaseProvenance("unattested", chosen.filename, detail="integrity API: no provenance (HTTP 404)")
        return doc
    if not chosen.sha256:
        return Unknown(f"index gives no sha256 for {chosen.filename}: cannot verify")
    return verify_provenance(doc, chosen.filename, chosen.sha256)
