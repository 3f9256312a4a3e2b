"""Frozen dataclasses shared by every stage of the pipeline, by topic.

Stages exchange only these types; library objects (HTTP responses,
``importlib.metadata`` distributions, subprocess results) stay inside the
stage that produced them.  Nothing in this package does I/O.

| module | what |
|---|---|
| :mod:`.unknown` | :class:`Unknown` (kind + reason), :class:`UnknownKind` |
| :mod:`.package` | inputs (:class:`Distribution`, :class:`Inventory`, ...) and :class:`PackageNode` |
| :mod:`.repository` | :class:`RepositoryRef`, :class:`RepoMapping`, :class:`Confidence`, :class:`SubdirectoryCheck` |
| :mod:`.person` | PyPI accounts and ownership, contacts, git-history people |
| :mod:`.forge` | GitHub/GitLab, Scorecard and deps.dev facts |
| :mod:`.release` | release signals: provenance, release facts, install-time code, vendored code, names |
| :mod:`.vulnerability` | advisories and vulnerability reports |
| :mod:`.license` | the declared licence (:class:`DeclaredLicense`) |
| :mod:`.conda` | conda packages: the input's record (:class:`CondaRecord`) and the ``conda`` signal (:class:`CondaPackage`) |
| :mod:`.hub` | Hugging Face Hub references found in code (:class:`HubReference`, :class:`HubScan`) |
| :mod:`.finding` | :class:`Severity`, :class:`Factor`, :class:`Score`, :class:`Finding` |

A fact that could not be collected is an :class:`Unknown` carrying its kind
and reason, never ``None`` or ``0``: reports render it as ``unknown (<reason>)``.
Signals are typed: ``node.signal(ReleaseProvenance)``.
"""

from __future__ import annotations

from auditor.models.conda import CondaPackage, CondaRecord
from auditor.models.finding import Factor, Finding, Score, Severity
from auditor.models.forge import DepsDevVersion, ForgeAccount, ForgeContributor, ForgeFacts, ForgeRepo, GitLabFacts, ScorecardCheck, ScorecardResult
from auditor.models.license import DeclaredLicense
from auditor.models.hub import HubReference, HubScan, SourceLocation, UnresolvedReference
from auditor.models.package import CoreMetadata, DependencyEdge, Distribution, Inventory, Origin, PackageNode, Signal, TargetEnvironment, normalize_name
from auditor.models.person import (Contact, Contribution, Maintainer, NativeHistories, Ownership, PeopleReach, Person,
                                   PyPIProject, ReachBreakdown, ReachPart, RepositoryHistory)
from auditor.models.release import (IndexCopy, InstallFacts, NameSignals, ProjectStatus, ReleaseFacts, VendorBinary, ReleaseProvenance, SharedName,
                                   TrustedPublisher, VendoredCode, VendoredLibrary)
from auditor.models.repository import Confidence, RepoMapping, RepositoryRef, SubdirectoryCheck
from auditor.models.unknown import BY_DESIGN, Known, Unknown, UnknownKind, is_unknown
from auditor.models.vulnerability import Advisory, VulnerabilityReport

__all__ = [
    "Advisory",
    "BY_DESIGN",
    "CondaPackage",
    "CondaRecord",
    "Confidence",
    "Contact",
    "Contribution",
    "CoreMetadata",
    "DeclaredLicense",
    "DependencyEdge",
    "DepsDevVersion",
    "Distribution",
    "Factor",
    "Finding",
    "ForgeAccount",
    "ForgeContributor",
    "ForgeFacts",
    "ForgeRepo",
    "GitLabFacts",
    "HubReference",
    "HubScan",
    "IndexCopy",
    "InstallFacts",
    "Inventory",
    "Known",
    "Maintainer",
    "NameSignals",
    "Origin",
    "Ownership",
    "PackageNode",
    "NativeHistories",
    "PeopleReach",
    "ReachBreakdown",
    "ReachPart",
    "Person",
    "ProjectStatus",
    "VendorBinary",
    "PyPIProject",
    "ReleaseFacts",
    "ReleaseProvenance",
    "RepoMapping",
    "RepositoryHistory",
    "RepositoryRef",
    "SubdirectoryCheck",
    "Score",
    "ScorecardCheck",
    "ScorecardResult",
    "SharedName",
    "Severity",
    "Signal",
    "SourceLocation",
    "TargetEnvironment",
    "TrustedPublisher",
    "Unknown",
    "UnknownKind",
    "UnresolvedReference",
    "VendoredCode",
    "VendoredLibrary",
    "VulnerabilityReport",
    "is_unknown",
    "normalize_name",
]
