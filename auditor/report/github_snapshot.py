"""``auditor audit --format github-snapshot``: a snapshot for GitHub's dependency submission API.

The request body of ``POST /repos/{owner}/{repo}/dependency-graph/snapshots``
(https://docs.github.com/en/rest/dependency-graph/dependency-submission;
the schema is written out in ``tests/report/test_github_snapshot.py``), so
the audited set shows in the repository's dependency graph and gets
Dependabot alerts.

* ``version`` 0; ``detector``: auditor, its version and project URL;
  ``scanned``: :attr:`AuditResult.generated_at` (``SOURCE_DATE_EPOCH``);
* ``sha``, ``ref``, ``job.id``, ``job.correlator``: from the *github*
  option, which the CLI fills from GitHub Actions' ``GITHUB_SHA``,
  ``GITHUB_REF``, ``GITHUB_RUN_ID``, ``GITHUB_WORKFLOW`` and
  ``GITHUB_JOB`` (:func:`from_environment`);
* one manifest named after the audited input, with ``file.source_location``
  the input path as given (run auditor from the repository root);
* ``resolved``: one entry per distribution that has a purl
  (``pkg:pypi/<name>@<version>``, :func:`auditor.report.cyclonedx.purl`),
  ``relationship`` ``direct`` when the input names it, else ``indirect``,
  ``scope`` ``runtime`` (auditor audits what the input installs; it does not
  see development-only groups unless they were selected, and then they are
  installed too), ``dependencies`` the purls it requires in the set.  The
  interpreter and local-path distributions have no purl and are counted in
  ``metadata`` instead.

Every value is a plain JSON string or number written by :mod:`json`, so
text from outside cannot change the document's structure.
"""

from __future__ import annotations

import json
import os
from typing import Mapping, TextIO

from auditor.errors import OutputError
from auditor.report.cyclonedx import purl
from auditor.report.sarif import INFORMATION_URI

#: Where the detector's ``url`` points (the project URL the SARIF ``informationUri`` also gives).
DETECTOR_URL = INFORMATION_URI

#: GitHub Actions variable -> snapshot field (https://docs.github.com/en/actions/reference/variables-reference).
ENVIRONMENT = {"GITHUB_SHA": "sha", "GITHUB_REF": "ref", "GITHUB_RUN_ID": "run_id",
               "GITHUB_WORKFLOW": "workflow", "GITHUB_JOB": "job"}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The snapshot's job fields from GitHub Actions' variables (``{"sha": ..., "ref": ..., ...}``; absent ones left out)."""
    env = os.environ if environ is None else environ
    return {field: env[var] for var, field in ENVIRONMENT.items() if env.get(var)}


def require_job(github: Mapping[str, str] | None) -> dict[str, str]:
    """*github* as a dict, checked: the API refuses a snapshot without a commit SHA and a ``refs/`` ref.

    Raises:
        OutputError: ``sha`` is not 40 hex digits, or ``ref`` does not start
            with ``refs/`` (exit code 2).
    """
    gh = dict(github or {})
    sha, ref = gh.get("sha", ""), gh.get("ref", "")
    if len(sha) != 40 or any(c not in "0123456789abcdefABCDEF" for c in sha):
        raise OutputError("github-snapshot needs the commit: set GITHUB_SHA to its 40-hex-digit SHA "
                          "(GitHub Actions sets it)")
    if not ref.startswith("refs/"):
        raise OutputError("github-snapshot needs the branch: set GITHUB_REF to refs/heads/<branch> "
                          "(GitHub Actions sets it)")
    return gh


def document(result, github: Mapping[str, str] | None = None) -> dict:
    """The snapshot as a JSON-ready dict.

    Raises:
        OutputError: ``sha`` (40 hex digits) or ``ref`` (``refs/...``) is missing
            or malformed: the API would refuse the snapshot (exit code 2).
    """
    gh = require_job(github)
    sha, ref = gh["sha"], gh["ref"]
    inv = result.inventory
    purls = {name: purl(node.distribution) for name, node in result.nodes.items()}
    resolved = {}
    for name in sorted(result.nodes):
        node, p = result.nodes[name], purls[name]
        if p is None:
            continue
        deps = sorted({purls[e.target] for e in node.distribution.requires if purls.get(e.target)})
        resolved[p] = {"package_url": p, "relationship": "direct" if node.distribution.direct else "indirect",
                       "scope": "runtime", "dependencies": deps}
    skipped = sum(1 for p in purls.values() if p is None)
    manifest_name = inv.root_name
    job = {"correlator": f"{gh.get('workflow', 'auditor')} {gh.get('job', 'audit')} {manifest_name}",
           "id": gh.get("run_id", "0")}
    manifest = {"name": manifest_name, "resolved": resolved,
                "metadata": {"auditor:input-kind": inv.root_kind, "auditor:without-purl": skipped}}
    if inv.root_kind != "environment" and not inv.root_name.startswith("env:"):
        manifest["file"] = {"source_location": inv.root_name}
    return {
        "version": 0,
        "job": job,
        "sha": sha,
        "ref": ref,
        "detector": {"name": "auditor", "version": result.tool_version, "url": DETECTOR_URL},
        "metadata": {"auditor:complete": not result.incomplete, "auditor:missing": len(result.missing)},
        "manifests": {manifest_name: manifest},
        "scanned": result.generated_at,
    }


def render(result, out: TextIO, github: Mapping[str, str] | None = None) -> None:
    """Write the snapshot JSON of *result* to *out* (2-space indent, newline-terminated); see :func:`document`."""
    json.dump(document(result, github), out, indent=2, ensure_ascii=False)
    out.write("\n")
