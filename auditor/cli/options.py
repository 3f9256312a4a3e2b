"""Every command-line option, declared once (typer ``Annotated`` aliases).

A command lists the options it takes as ``name: Alias = default``; the name,
help text and checks live here only.  The enums are defined here (not
imported from :mod:`auditor.models`) so that importing the CLI stays cheap;
the ``--format`` choices come from :mod:`auditor.report.registry`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor.report import registry


class Platform(str, Enum):
    """``--platform``: the target ``sys_platform``."""

    linux = "linux"
    darwin = "darwin"
    win32 = "win32"


class VulnService(str, Enum):
    """``--vulnerability-service``: the online advisory source."""

    osv = "osv"
    pypi = "pypi"


class Resolver(str, Enum):
    """``--resolver``: how requirements are pinned."""

    auto = "auto"
    uv = "uv"
    pip = "pip"
    none = "none"


def _format_enum(command: str) -> type[Enum]:
    """A str Enum of *command*'s format names (from the format registry)."""
    return Enum(f"{command.title()}Format", [(n, n) for n in registry.names(command)], type=str)


AuditFormat = _format_enum("audit")
DiffFormat = _format_enum("diff")
PeopleFormat = _format_enum("people")


def _check_disable(values: Optional[list[str]]) -> list[str]:
    """``--disable`` callback: every name must be a collector (else usage error, exit 2)."""
    if not values:
        return []
    from auditor.cli.runconfig import collector_names

    known = collector_names()
    bad = [v for v in values if v not in known]
    if bad:
        raise typer.BadParameter(f"unknown collector {', '.join(map(repr, bad))}; known: {', '.join(known)}")
    return list(values)


# -- arguments ----------------------------------------------------------------
Package = Annotated[str, typer.Argument(help="The package (any spelling of its name, as in the audited tree).")]
InputPath = Annotated[Optional[Path], typer.Argument(metavar="[INPUT]", help="requirements.txt or lockfile to audit.")]
DiffPaths = Annotated[list[Path], typer.Argument(metavar="BASE HEAD | PATH", help="Two files to compare, or one PATH with --git-base.")]

# -- input ----------------------------------------------------------------------
Env = Annotated[bool, typer.Option("--env", help="Audit the environment auditor runs in.")]
Python = Annotated[Optional[str], typer.Option("--python", help="Audit the environment of this Python interpreter (its packages are never imported).")]
InputFormat = Annotated[Optional[str], typer.Option("--input-format", help="Force the input type (docs/inputs.md; diff: of both sides).")]
ResolverOpt = Annotated[Resolver, typer.Option("--resolver", help="How requirements are pinned: uv, then pip (auto); one of them; or none (take the file's == pins as they are).")]
AllowBuild = Annotated[bool, typer.Option("--allow-build", help="Let the resolver build sdists, VCS and local projects to learn their metadata. This RUNS their build code; off by default.")]

# -- output ---------------------------------------------------------------------
AuditFormatOpt = Annotated[AuditFormat, typer.Option("--format", "-f", help="Report format.")]
DiffFormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help="Report format.")]
PeopleFormatOpt = Annotated[PeopleFormat, typer.Option("--format", "-f", help="Output format.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.")]
Limit = Annotated[int, typer.Option("--limit", min=0, help="Rows in the table and the Markdown report (0: all).")]
PeopleLimit = Annotated[int, typer.Option("--limit", min=0, help="People shown (0: all).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Diagnostics on stderr: request counts, timings (and a traceback on an internal error).")]

# -- target and network -----------------------------------------------------------
PythonVersion = Annotated[Optional[str], typer.Option("--python-version", help="Target Python version for markers and resolution [default: this interpreter's].")]
PlatformOpt = Annotated[Optional[Platform], typer.Option("--platform", help="Target sys_platform for markers and resolution [default: this machine's].")]
IndexUrl = Annotated[Optional[str], typer.Option("--index-url", help="Simple index for resolution and metadata [default: https://pypi.org/simple or $AUDITOR_INDEX_URL].")]
PypiUrl = Annotated[Optional[str], typer.Option("--pypi-url", help="Base URL of the PyPI JSON API [default: https://pypi.org or $AUDITOR_PYPI_URL].")]
CacheDir = Annotated[Optional[Path], typer.Option("--cache-dir", help="Cache directory [default: $AUDITOR_CACHE_DIR or the user cache dir].")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the persistent cache.")]
Offline = Annotated[bool, typer.Option("--offline", help="Use only cached data (and cached clones); anything else is reported as unknown (offline).")]
Concurrency = Annotated[int, typer.Option("--concurrency", min=1, max=128, help="Maximum concurrent network requests.")]

# -- scoring and collectors -------------------------------------------------------
Weights = Annotated[Optional[Path], typer.Option("--weights", help="YAML file overriding the scoring weights (docs/scoring.md).")]
OsvDb = Annotated[Optional[Path], typer.Option("--osv-db", help="Offline OSV database (directory or zip of OSV JSON records, e.g. PyPI/all.zip); no vulnerability service is queried.")]
OsvUrl = Annotated[Optional[str], typer.Option("--osv-url", help="OSV API base URL [default: https://api.osv.dev or $AUDITOR_OSV_URL].")]
VulnServiceOpt = Annotated[VulnService, typer.Option("--vulnerability-service", help="Online advisory source (through pip-audit).")]
BuildDeps = Annotated[bool, typer.Option("--build-deps", help="Add sdist build requirements as 'build' edges in the graph.")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Count git history and PyPI releases only up to this ISO date (reproducible figures; diff: on both sides; docs/history.md).")]
PeopleNodes = Annotated[bool, typer.Option("--people", help="Add person nodes and contributed_to edges (graph, JSON).")]
ShowEmails = Annotated[bool, typer.Option("--show-emails", help="Show contributors' e-mail addresses instead of salted hashes.")]
NoHistory = Annotated[bool, typer.Option("--no-history", help="Do not read git history (no clones or fetches).")]
NoGithub = Annotated[bool, typer.Option("--no-github", help="Skip the GitHub enricher (docs/forges.md).")]
NoGitlab = Annotated[bool, typer.Option("--no-gitlab", help="Skip the GitLab enricher.")]
NoScorecard = Annotated[bool, typer.Option("--no-scorecard", help="Skip the OpenSSF Scorecard enricher.")]
NoDepsdev = Annotated[bool, typer.Option("--no-depsdev", help="Skip the deps.dev enricher.")]
GithubTokenFile = Annotated[Optional[Path], typer.Option("--github-token-file", help="Read the GitHub token from this file [default: $GITHUB_TOKEN or $GH_TOKEN].")]
Disable = Annotated[Optional[list[str]], typer.Option("--disable", metavar="NAME", callback=_check_disable, help="Turn off an optional collector by name (repeatable; e.g. github, history, vulnerabilities; an unknown name lists them all).")]

# -- diff -----------------------------------------------------------------------
GitBase = Annotated[Optional[str], typer.Option("--git-base", metavar="REV", help="Compare PATH with the same path at this git revision.")]
PolicyFile = Annotated[Optional[Path], typer.Option("--policy", help="Policy YAML (docs/policy.md) [default: the shipped default policy].")]
FailOnUnknown = Annotated[bool, typer.Option("--fail-on-unknown", help="Exit 1 (not 3) when a rule cannot decide for lack of data.")]
TargetOnly = Annotated[bool, typer.Option("--target-only", help="Drop lockfile packages the target platform never installs.")]
