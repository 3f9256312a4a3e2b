"""Finding probes: small pure functions from one node's collected facts to findings.

Each probe reads typed signals (``node.signal(Kind)``) and returns
:class:`~auditor.models.Finding` values; it never fetches.  Rule text,
default severities and thresholds come from the judgement catalogue
(:mod:`auditor.judgement.catalogue`, ``rules.yaml``).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from typing import Callable, Iterable, Mapping, Sequence

from auditor import clock
from auditor.judgement.catalogue import Rule
from auditor.judgement.catalogue import catalogue as _catalogue
from auditor.judgement.evaluation import advisory_severity, is_new_account, is_new_project, is_stale
from auditor.judgement.conda import probe_conda
from auditor.models import (
    DeclaredLicense,
    DepsDevVersion,
    Finding,
    ForgeAccount,
    ForgeFacts,
    GitLabFacts,
    InstallFacts,
    NameSignals,
    PackageNode,
    ProjectStatus,
    ReleaseFacts,
    ReleaseProvenance,
    Severity,
    SharedName,
    Unknown,
    UnknownKind,
    VendorBinary,
    VendoredCode,
    VulnerabilityReport,
)

#: A project with no release for this many days is reported as stale (AUD111);
#: value and reasoning: ``rules.yaml`` ``thresholds.stale_after_days``.
STALE_AFTER_DAYS = _catalogue().threshold("stale_after_days")
#: A project whose first upload is younger than this is reported as new (AUD112);
#: ``thresholds.new_project_days``.
NEW_PROJECT_DAYS = _catalogue().threshold("new_project_days")
#: A forge account younger than this among a repository's top contributors,
#: its owner, or a PyPI maintainer's matched account is reported (AUD113);
#: ``thresholds.new_account_days``.
NEW_ACCOUNT_DAYS = _catalogue().threshold("new_account_days")


def catalogue() -> dict[str, Rule]:
    """Every finding rule (``AUD1xx``) of the catalogue, keyed by id, in id order."""
    return dict(_catalogue().findings)


def _finding(rule_id: str, node: PackageNode, message: str, evidence: str, severity: Severity | None = None) -> Finding:
    rule = _catalogue().findings[rule_id]
    return Finding(
        id=rule.id,
        severity=severity or rule.severity,
        message=message,
        package=node.name,
        evidence=evidence,
    )


def _signal(node: PackageNode, kind: type):
    """``node.signal(kind)`` when it is a *kind*, else None (not collected, or Unknown)."""
    value = node.signals.get(kind.KEY)  # node.signal(kind) without building its Unknown
    return value if isinstance(value, kind) else None


def probe_vulnerabilities(node: PackageNode) -> list[Finding]:
    """AUD101 per advisory (severity the advisory's, else ``unrated_vulnerability_severity``);
    AUD150 (critical) instead for an OSV ``MAL-`` malicious-package report."""
    report = _signal(node, VulnerabilityReport)
    if report is None:
        return []
    out = []
    for adv in report.advisories:
        fix = f"; fixed in {', '.join(adv.fixed_versions)}" if adv.fixed_versions else "; no fixed version"
        aliases = f" ({', '.join(adv.aliases)})" if adv.aliases else ""
        if adv.malicious:  # AUD150: the release is malware, whatever severity the record gives
            out.append(_finding("AUD150", node, f"{node.name} {report.version} is reported as a malicious "
                                f"package: {adv.id}{aliases}", f"{report.service}: {adv.url or adv.id}"))
            continue
        out.append(
            _finding(
                "AUD101",
                node,
                f"{node.name} {report.version} is affected by {adv.id}{aliases}{fix}",
                f"{report.service}: {adv.url or adv.id}",
                advisory_severity(adv.severity),
            )
        )
    return out


def probe_provenance(node: PackageNode) -> list[Finding]:
    """AUD102 (publisher repository != mapped repository), AUD103 (invalid), AUD104 (unattested)."""
    prov = _signal(node, ReleaseProvenance)
    if prov is None:
        return []
    where = f"PyPI integrity API, {prov.filename}" if prov.filename else "PyPI integrity API"
    if prov.status == "unattested":
        return [_finding("AUD104", node, f"{node.name} {node.distribution.version} has no attestations", where)]
    if prov.status == "invalid":
        return [_finding("AUD103", node, f"attestations of {prov.filename} do not verify: {prov.detail}", where)]
    from auditor.signals.provenance import publisher_matches

    mapped = node.mapping.repo
    urls = [p.repository_url for p in prov.publishers if p.repository_url]
    if mapped is not None and urls and not any(publisher_matches(p, mapped) for p in prov.publishers):
        return [
            _finding(
                "AUD102",
                node,
                f"{node.name} was published from {urls[0]} but its metadata points at {mapped.url}",
                f"{where}; mapping: {node.mapping.evidence}",
            )
        ]
    return []


def probe_release(node: PackageNode) -> list[Finding]:
    """AUD105 (yanked), AUD111 (stale), AUD112 (new project)."""
    facts = _signal(node, ReleaseFacts)
    if facts is None:
        return []
    out = []
    src = f"PyPI JSON API /pypi/{node.name}/json (as of {facts.reference_date})"
    if facts.yanked:
        out.append(_finding("AUD105", node, f"{node.name} {facts.version} is yanked on PyPI", src))
    if facts.days_since_last_release is not None and is_stale(facts.days_since_last_release):
        out.append(
            _finding(
                "AUD111",
                node,
                f"{node.name}: last release {facts.last_release} was {facts.days_since_last_release:.0f} days ago",
                src,
            )
        )
    if facts.project_age_days is not None and is_new_project(facts.project_age_days):
        out.append(
            _finding("AUD112", node, f"{node.name} was first published {facts.project_age_days:.0f} days ago", src)
        )
    return out


def probe_install(node: PackageNode) -> list[Finding]:
    """AUD106 when no wheel fits the target and the sdist is built at install time."""
    facts = _signal(node, InstallFacts)
    if facts is None or not facts.builds_from_source:
        return []
    backend = f" with {facts.build_backend}" if facts.build_backend else ""
    if facts.backend_path:
        backend += f" (in-tree backend from {', '.join(facts.backend_path)})"
    message = f"{node.name} {facts.version} has no wheel for the target; installing builds {facts.sdist}{backend}"
    return [_finding("AUD106", node, message, "simple index file list (PEP 691) and packaging.tags")]


def probe_vendored(node: PackageNode) -> list[Finding]:
    """AUD107 when an installed wheel bundles third-party shared libraries."""
    code = _signal(node, VendoredCode)
    if code is None or not code.bundled:
        return []
    names = sorted({lib.upstream or lib.path.rsplit("/", 1)[-1] for lib in code.bundled})
    size = sum(lib.size or 0 for lib in code.bundled)
    message = f"{node.name} bundles {len(code.bundled)} native libraries ({size / 1e6:.1f} MB): {', '.join(names)}"
    return [_finding("AUD107", node, message, "RECORD of the installed .dist-info")]


def probe_names(node: PackageNode) -> list[Finding]:
    """AUD108 (similar to a popular name), AUD109 (repository shared with unrelated names)."""
    names = _signal(node, NameSignals)
    if names is None:
        return []
    out = []
    if names.similar_to:
        popular, technique = names.similar_to[0]
        out.append(
            _finding(
                "AUD108",
                node,
                f"{node.name} resembles the popular project {popular} ({technique})",
                "auditor/data/top-pypi-projects.txt",
            )
        )
    if names.shares_repository_with and node.mapping.repo is not None:
        out.append(
            _finding(
                "AUD109",
                node,
                f"{node.mapping.repo.url} is also claimed by {', '.join(names.shares_repository_with)}",
                node.mapping.evidence,
            )
        )
    return out


def probe_opaque(node: PackageNode) -> list[Finding]:
    """AUD110 when no source repository is known for a registry package: "no repository
    found", or "has no public source repository" when the curated table records that."""
    if node.mapping.repo is not None or node.distribution.origin.kind in ("vcs", "path", "interpreter"):
        return []
    vendor = _signal(node, VendorBinary)
    if vendor is not None and vendor.vendor:
        return []  # closed by design: AUD130 names the accountable vendor instead
    if isinstance(node.project, Unknown) and node.project.fault:
        return []  # PyPI facts are missing (reported as such), not proof that no source exists
    if node.mapping.note == "no public source repository":  # the curated table says so
        text = f"{node.name} has no public source repository ({node.mapping.evidence})"
    else:
        text = f"{node.name}: no repository found ({node.mapping.evidence or 'no forge URL in metadata'})"
    return [_finding("AUD110", node, text, node.mapping.evidence)]


def probe_vendor(node: PackageNode) -> list[Finding]:
    """AUD130 for a closed vendor binary, AUD131 for an accelerator build (``+cu124``)."""
    vendor = _signal(node, VendorBinary)
    if vendor is None:
        return []
    out = []
    version = node.distribution.version or ""
    if vendor.vendor:
        publisher = f"PyPI organization {vendor.organization}" if vendor.organization else "the vendor's PyPI accounts"
        out.append(_finding("AUD130", node, f"{node.name} {version} is a closed {vendor.vendor} binary, "
                                            f"published by {publisher}; no public source by design", vendor.evidence))
    if vendor.build:
        out.append(_finding("AUD131", node, f"{node.name} {version} is a +{vendor.build} build variant, "
                                            "served by a vendor index (PyPI accepts no local versions)", vendor.evidence))
    return out


def _reference_date(node: PackageNode) -> _dt.date:
    """The date ages are measured to: the release facts' (``--as-of`` or the
    audit's day), else today (UTC)."""
    facts = _signal(node, ReleaseFacts)
    if facts is not None:
        try:
            return _dt.date.fromisoformat(facts.reference_date[:10])
        except ValueError:
            pass
    return clock.today()


def probe_forge_accounts(node: PackageNode) -> list[Finding]:
    """AUD113 for each forge account younger than :data:`NEW_ACCOUNT_DAYS`
    (GitHub/GitLab ``created_at`` of top contributors, owner, matched maintainers)."""
    out = []
    today = None
    for kind in (ForgeFacts, GitLabFacts):
        facts = _signal(node, kind)
        if facts is None:
            continue
        if today is None:
            today = _reference_date(node)
        for login, account in sorted(facts.accounts.items()):
            if not isinstance(account, ForgeAccount) or not account.created_at:
                continue
            try:
                created = _dt.date.fromisoformat(account.created_at[:10])
            except ValueError:
                continue
            age = (today - created).days
            if is_new_account(age):
                out.append(_finding(
                    "AUD113", node,
                    f"{node.name}: {account.forge} account {login} was created {age} days ago",
                    f"{account.forge} API users/{login} created_at {account.created_at}",
                ))
    return out


def probe_mapping_disagreement(node: PackageNode) -> list[Finding]:
    """AUD114 when deps.dev declares a different source repository than our mapping
    (high severity when deps.dev's link is verified by provenance)."""
    facts = _signal(node, DepsDevVersion)
    if facts is None or facts.mapping_agreement != "disagrees":
        return []
    ours = node.mapping.repo.url if node.mapping.repo else "none"
    return [_finding(
        "AUD114", node,
        f"{node.name}: deps.dev declares {facts.source_repo}, our mapping says {ours}",
        f"deps.dev v3 version SourceRepo ({facts.source_repo_provenance or 'unverified'}); ours: {node.mapping.evidence}",
        # backed by verified provenance, deps.dev is the stronger evidence: our mapping is likely wrong
        severity=Severity.HIGH if facts.verified else None,
    )]


#: PEP 792 status -> finding; ``active`` and unrecognized values give none.
STATUS_FINDINGS = {"quarantined": "AUD115", "archived": "AUD116", "deprecated": "AUD117"}


def probe_status(node: PackageNode) -> list[Finding]:
    """AUD115 (quarantined), AUD116 (archived), AUD117 (deprecated) from the index's PEP 792 marker."""
    status = _signal(node, ProjectStatus)
    if status is None or status.status not in STATUS_FINDINGS:
        return []
    why = f": {status.reason}" if status.reason else ""
    return [_finding(STATUS_FINDINGS[status.status], node, f"{node.name} is {status.status} on its index{why}",
                     "simple index project page, PEP 792 project-status")]


def probe_license(node: PackageNode) -> list[Finding]:
    """AUD151 (no licence declared), AUD152 (License-Expression not valid SPDX), AUD153 (declared only vaguely)."""
    lic = _signal(node, DeclaredLicense)
    if lic is None or lic.expression is not None or node.distribution.origin.kind == "interpreter":
        return []
    evidence = f"core metadata, {lic.source}" if lic.source else "core metadata"
    if lic.declared_nothing:
        return [_finding("AUD151", node, f"{node.name} {node.distribution.version}: {lic.problem}", evidence)]
    rule = "AUD152" if lic.source == "License-Expression" else "AUD153"
    said = "" if lic.declared in (lic.problem or "") else f" ({lic.declared!r})"
    return [_finding(rule, node, f"{node.name} {node.distribution.version}: {lic.problem}{said}", evidence)]


#: A full commit id (SHA-1 or SHA-256): the only immutable VCS reference.
_COMMIT = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")


def vcs_reference(url: str) -> str | None:
    """The ``@ref`` of a pip VCS URL (``git+https://host/r.git@main#egg=x`` -> ``"main"``), or None when absent."""
    base = url.split("#", 1)[0]
    rest = base.split("://", 1)[1] if "://" in base else base
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return path.rsplit("@", 1)[1] if "@" in path else None


def probe_origin(node: PackageNode) -> list[Finding]:
    """AUD118 (a URL, VCS or path reference, not an index) and AUD119 (a VCS reference that is not a commit).

    Source: the input's requirement (``Distribution.origin``; ``requested`` is
    the reference as written, before the resolver pinned a commit).
    """
    origin = node.distribution.origin
    if origin.kind not in ("url", "vcs", "path"):
        return []
    where = f"{origin.file}:{origin.line}" if origin.file and origin.line else (origin.file or "resolver output")
    written = origin.requested or origin.url or ""
    out = [_finding("AUD118", node, f"{node.name} comes from a {origin.kind} reference ({written or '?'}), not an "
                    "index: no PyPI owners, no provenance", where)]
    if origin.kind == "vcs":
        ref = vcs_reference(written)
        if ref is None or not _COMMIT.match(ref.lower()):
            what = f"@{ref}" if ref else "no reference (the default branch)"
            out.append(_finding("AUD119", node, f"{node.name} follows {what}, a mutable VCS reference: each install "
                                "may get different code", where))
    return out


def probe_confusion(node: PackageNode) -> list[Finding]:
    """AUD120: an index requirement whose name PyPI does not serve (PyPI JSON API answered 404)."""
    project = node.project
    if node.distribution.origin.kind != "registry" or not isinstance(project, Unknown) or not project.not_found:
        return []
    index = node.distribution.origin.index_url or "the index"
    return [_finding("AUD120", node, f"{node.name} is not served by PyPI (installed from {index}): anyone can "
                     "register the name there", "PyPI JSON API: 404")]


def probe_shared_name(node: PackageNode) -> list[Finding]:
    """AUD122 per other index that serves the name with files of its own (not a PyPI proxy).

    Severity high when PyPI's highest version is above that index's (pip's
    merged candidates pick PyPI's) or the resolved version came from another
    index than that one; else the rule's (medium).  Source: ``signals["indexes"]``.
    """
    facts = _signal(node, SharedName)
    if facts is None or not facts.pypi_versions:
        return []
    out = []
    top_pypi = facts.pypi_versions[-1]
    for copy in facts.copies:
        if copy.mirror or not copy.versions:
            continue
        top = copy.versions[-1]
        pypi_wins = _newer(top_pypi, top)
        elsewhere = facts.served_by is not None and facts.served_by.rstrip("/") != copy.index.rstrip("/")
        if pypi_wins:
            why = f"PyPI's {top_pypi} is higher, so pip's merged candidates install the PyPI copy"
        else:
            why = f"whoever controls the name on PyPI can publish a version above {top} and have it installed"
        got = f"; the resolved {node.distribution.version or 'version'} came from {facts.served_by}" if facts.served_by else ""
        out.append(_finding(
            "AUD122", node, f"{node.name} is served by {copy.index} and by PyPI: {why}{got}",
            f"{copy.index}/{node.name}/: {len(copy.versions)} version(s), highest {top}; PyPI: "
            f"{len(facts.pypi_versions)} version(s), highest {top_pypi}",
            Severity.HIGH if pypi_wins or elsewhere else None))
    return out


def _newer(a: str, b: str) -> bool:
    """``Version(a) > Version(b)``; False when either is not a valid version."""
    from packaging.version import Version

    try:
        return Version(a) > Version(b)
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        return False


def probe_oversized(node: PackageNode) -> list[Finding]:
    """AUD121 once per package when a fact about it is ``unknown`` because an artifact or
    answer broke a size bound (``UnknownKind.TOO_LARGE``: metadata, an index answer,
    a signal's value, or a field inside one such as ``InstallFacts.build_backend``)."""
    values = [node.distribution.metadata, node.project, *node.signals.values()]
    values += [getattr(v, f) for v in list(values) if dataclasses.is_dataclass(v) and not isinstance(v, Unknown)
               for f in _field_names(type(v))]
    big = sorted({v.reason for v in values if isinstance(v, Unknown) and v.kind is UnknownKind.TOO_LARGE})
    if not big:
        return []
    return [_finding("AUD121", node, f"{node.name}: {big[0]}" + (f" (and {len(big) - 1} more)" if len(big) > 1 else ""),
                     "size bounds, docs/limits.md")]


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of dataclass *cls* (``dataclasses.fields``, read once per class)."""
    return tuple(f.name for f in dataclasses.fields(cls))


#: Every probe, in report order.
PROBES: tuple[Callable[[PackageNode], list[Finding]], ...] = (
    probe_vulnerabilities,
    probe_provenance,
    probe_release,
    probe_status,
    probe_license,
    probe_install,
    probe_vendored,
    probe_names,
    probe_opaque,
    probe_vendor,
    probe_forge_accounts,
    probe_mapping_disagreement,
    probe_origin,
    probe_confusion,
    probe_oversized,
    probe_shared_name,
    probe_conda,
)


def findings_for(node: PackageNode) -> list[Finding]:
    """All findings of the signal probes for one node, in :data:`PROBES` order."""
    out: list[Finding] = []
    for probe in PROBES:
        out.extend(probe(node))
    return out


def all_findings(nodes: Iterable[PackageNode]) -> list[Finding]:
    """Findings of every node, sorted by severity, id, package (deterministic)."""
    out = [f for node in nodes for f in findings_for(node)]
    return sorted(out, key=lambda f: (f.severity.rank, f.id, f.package or "", f.message))


def rules_by_id(ids: Sequence[str] | None = None) -> Mapping[str, Rule]:
    """Catalogue entries for *ids* (all when ``None``), for report formatters."""
    cat = catalogue()
    return cat if ids is None else {i: cat[i] for i in ids if i in cat}
