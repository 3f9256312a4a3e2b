"""Every command-line option, declared once (typer ``Annotated`` aliases).

The options several commands share are listed once in :data:`SHARED` (alias
and default) and given to a command by name with :func:`with_options`; a
command declares only its own options (``name: Alias = default``).  The
name, help text, default and checks of each option live here only.  The enums are defined here (not
imported from :mod:`auditor.models`) so that importing the CLI stays cheap;
the ``--format`` choices come from :mod:`auditor.report.registry`.
"""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

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


def collector_names() -> list[str]:
    """Names of the optional collectors (:func:`auditor.pipeline.collector_names`), in run order."""
    from auditor.pipeline import collector_names as names

    return names()


def _check_disable(values: Optional[list[str]]) -> list[str]:
    """``--disable`` callback: every name must be a collector (else usage error, exit 2)."""
    if not values:
        return []
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
Env = Annotated[bool, typer.Option("--env", metavar="", help="Audit the environment auditor runs in.")]
CondaPrefix = Annotated[Optional[Path], typer.Option("--conda-prefix", metavar="PATH", help="Audit this conda environment: its conda-meta records and the pip-installed packages of its site-packages (nothing in it is run; docs/conda.md).")]
Python = Annotated[Optional[str], typer.Option("--python", help="Audit the environment of this Python interpreter (its packages are never imported).")]
InputFormat = Annotated[Optional[str], typer.Option("--input-format", help="Force the input type (docs/inputs.md; diff: of both sides).")]
ResolverOpt = Annotated[Resolver, typer.Option("--resolver", help="How requirements are pinned: uv, then pip (auto); one of them; or none (take the file's == pins as they are).")]
Extra = Annotated[Optional[list[str]], typer.Option("--extra", metavar="NAME", help="pyproject.toml: include this optional-dependencies extra (repeatable). With --extra, --group or --all-groups only the named ones are included; without any, all of them.")]
Group = Annotated[Optional[list[str]], typer.Option("--group", metavar="NAME", help="pyproject.toml: include this PEP 735 dependency group (repeatable).")]
AllGroups = Annotated[bool, typer.Option("--all-groups", metavar="", help="pyproject.toml: include every PEP 735 dependency group.")]
AllowBuild = Annotated[bool, typer.Option("--allow-build", metavar="", help="Let the resolver build sdists, VCS and local projects to learn their metadata. This RUNS their build code; off by default.")]

# -- output ---------------------------------------------------------------------
AuditFormatOpt = Annotated[AuditFormat, typer.Option("--format", "-f", help="Report format.")]
DiffFormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help="Report format.")]
PeopleFormatOpt = Annotated[PeopleFormat, typer.Option("--format", "-f", help="Output format.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.")]
Limit = Annotated[int, typer.Option("--limit", min=0, help="Rows in the table and the Markdown report (0: all).")]
PeopleLimit = Annotated[int, typer.Option("--limit", min=0, help="People shown (0: all).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", metavar="", help="Diagnostics on stderr: request counts, timings (and a traceback on an internal error).")]

# -- target and network -----------------------------------------------------------
PythonVersion = Annotated[Optional[str], typer.Option("--python-version", help="Target Python version for markers and resolution (default: this interpreter's).")]
PlatformOpt = Annotated[Optional[Platform], typer.Option("--platform", help="Target sys_platform for markers and resolution (default: this machine's).")]
IndexUrl = Annotated[Optional[str], typer.Option("--index-url", help="Simple index for resolution and metadata (default: https://pypi.org/simple or $AUDITOR_INDEX_URL).")]
PypiUrl = Annotated[Optional[str], typer.Option("--pypi-url", help="Base URL of the PyPI JSON API (default: https://pypi.org or $AUDITOR_PYPI_URL).")]
CacheDir = Annotated[Optional[Path], typer.Option("--cache-dir", help="Cache directory (default: $AUDITOR_CACHE_DIR or the user cache dir).")]
NoCache = Annotated[bool, typer.Option("--no-cache", metavar="", help="Do not read or write the persistent cache.")]
Offline = Annotated[bool, typer.Option("--offline", metavar="", help="Use only cached data (and cached clones); anything else is reported as unknown (offline).")]
Concurrency = Annotated[int, typer.Option("--concurrency", min=1, max=128, help="Maximum concurrent network requests.")]
KeyringProvider = Annotated[Optional[str], typer.Option("--keyring-provider", metavar="disabled|import|auto", help="Ask the keyring library for index credentials, as pip does (default: $PIP_KEYRING_PROVIDER or disabled).")]

# -- bounds on outside input (docs/limits.md) ---------------------------------------
Deadline = Annotated[Optional[float], typer.Option("--deadline", min=0, metavar="SECONDS", help="Audit-wide time limit for network lookups; past it the remaining facts are unknown (deadline) and the report is still written.")]
RequestSeconds = Annotated[Optional[float], typer.Option("--request-seconds", min=1, metavar="SECONDS", help="Total time one HTTP request may take, connect and every read together (default: 120).")]
MaxResponseBytes = Annotated[Optional[int], typer.Option("--max-response-bytes", min=1024, metavar="BYTES", help="Largest HTTP answer read, after decompression (default: 64 MiB).")]
MaxInputBytes = Annotated[Optional[int], typer.Option("--max-input-bytes", min=1, metavar="BYTES", help="Largest input file or standard input (default: 64 MiB).")]
MaxArchiveBytes = Annotated[Optional[int], typer.Option("--max-archive-bytes", min=1024, metavar="BYTES", help="Most bytes decompressed from one wheel or sdist (default: 64 MiB).")]

# -- scoring and collectors -------------------------------------------------------
Weights = Annotated[Optional[Path], typer.Option("--weights", help="YAML file overriding the scoring weights (docs/scoring.md).")]
OsvDb = Annotated[Optional[Path], typer.Option("--osv-db", help="Offline OSV database (directory or zip of OSV JSON records, e.g. PyPI/all.zip); no vulnerability service is queried.")]
OsvUrl = Annotated[Optional[str], typer.Option("--osv-url", help="OSV API base URL (default: https://api.osv.dev or $AUDITOR_OSV_URL).")]
VulnServiceOpt = Annotated[VulnService, typer.Option("--vulnerability-service", help="Online advisory source (through pip-audit).")]
BuildDeps = Annotated[bool, typer.Option("--build-deps", metavar="", help="Add sdist build requirements as 'build' edges in the graph.")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Count git history and PyPI releases only up to this ISO date (reproducible figures; diff: on both sides; docs/history.md).")]
PeopleNodes = Annotated[bool, typer.Option("--people", metavar="", help="Add person nodes and contributed_to edges (graph, JSON).")]
ShowEmails = Annotated[bool, typer.Option("--show-emails", metavar="", help="Show contributors' e-mail addresses instead of salted hashes.")]
IncludeInterpreter = Annotated[bool, typer.Option("--include-interpreter", metavar="", help="Read CPython's git history too, so the people reach counts its contributors (a large clone; off by default).")]
NoHistory = Annotated[bool, typer.Option("--no-history", metavar="", help="Do not read git history (no clones or fetches).")]
NoGithub = Annotated[bool, typer.Option("--no-github", metavar="", help="Skip the GitHub enricher (docs/forges.md).")]
NoGitlab = Annotated[bool, typer.Option("--no-gitlab", metavar="", help="Skip the GitLab enricher.")]
NoScorecard = Annotated[bool, typer.Option("--no-scorecard", metavar="", help="Skip the OpenSSF Scorecard enricher.")]
NoDepsdev = Annotated[bool, typer.Option("--no-depsdev", metavar="", help="Skip the deps.dev enricher.")]
GithubTokenFile = Annotated[Optional[Path], typer.Option("--github-token-file", help="Read the GitHub token from this file (default: $GITHUB_TOKEN or $GH_TOKEN).")]
Disable = Annotated[Optional[list[str]], typer.Option("--disable", metavar="NAME", callback=_check_disable, help="Turn off an optional collector by name (repeatable; e.g. github, history, vulnerabilities; an unknown name lists them all).")]

# -- Hugging Face Hub references (docs/models.md) ---------------------------------------
Scan = Annotated[Optional[list[Path]], typer.Option("--scan", metavar="DIR", help="Scan this directory's .py files and notebooks for the Hugging Face Hub models and datasets they load (repeatable; nothing is imported or run; docs/models.md).")]
ModelRef = Annotated[Optional[list[str]], typer.Option("--model", metavar="ID[@REV]", help="A Hugging Face Hub model the project loads (repeatable).")]
HfCache = Annotated[Optional[str], typer.Option("--hf-cache", metavar="DIR|default", help="Add the repositories and revisions in this local Hugging Face Hub cache; 'default' is huggingface_hub's ($HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub; docs/models.md).")]
DatasetRef = Annotated[Optional[list[str]], typer.Option("--dataset", metavar="ID[@REV]", help="A Hugging Face Hub dataset the project loads (repeatable).")]

# -- the configuration file (docs/config.md; read by auditor/cli/configfile.py before the options are parsed) --
# The help is rich markup: a literal "[" is written "\\[" (else '[tool.auditor]' is taken for a style and vanishes).
ConfigFileOpt = Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Read option defaults from this file (auditor.toml, or a pyproject.toml's \\[tool.auditor]) instead of the one found from the current directory (docs/config.md).")]
NoConfig = Annotated[bool, typer.Option("--no-config", metavar="", help="Read no configuration file.")]

# -- diff -----------------------------------------------------------------------
GitBase = Annotated[Optional[str], typer.Option("--git-base", metavar="REV", help="Compare PATH with the same path at this git revision.")]
PolicyFile = Annotated[Optional[Path], typer.Option("--policy", help="Policy YAML (docs/policy.md) (default: the shipped default policy).")]
FailOnUnknown = Annotated[bool, typer.Option("--fail-on-unknown", metavar="", help="Exit 1 (not 3) when a rule cannot decide for lack of data.")]
TargetOnly = Annotated[bool, typer.Option("--target-only", metavar="", help="Drop lockfile packages the target platform never installs.")]


# -- survey (docs/survey.md) --------------------------------------------------------
SurveyInputs = Annotated[Optional[list[str]], typer.Argument(metavar="[INPUTS]...", help="Files, directories (searched for inputs), globs, or @FILE (a list of inputs, one a line).")]
Top = Annotated[Optional[int], typer.Option("--top", min=1, max=15000, metavar="N", help="Also survey each of the first N shipped top PyPI projects, with its dependency closure, as its own input.")]
FromFile = Annotated[Optional[list[Path]], typer.Option("--from", metavar="FILE", help="A file listing inputs, one a line (as @FILE; repeatable).")]
Scheduler = Annotated[Optional[str], typer.Option("--scheduler", metavar="tcp://HOST:PORT", help="Run the tasks on this Dask distributed scheduler's workers (default: a local pool in this process).")]
SurveyOutput = Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR", help="Write the Parquet tables into this folder (replaced whole).")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Tasks run at once by the local pool.")]


# -- the shared options, one default each ---------------------------------------------
#: Option name -> (alias, default) for every option more than one command takes.
SHARED: dict[str, tuple[Any, Any]] = {
    "input_path": (InputPath, None),
    "env": (Env, False),
    "python": (Python, None),
    "conda_prefix": (CondaPrefix, None),
    "input_format": (InputFormat, None),
    "resolver": (ResolverOpt, Resolver.auto),
    "allow_build": (AllowBuild, False),
    "extras": (Extra, None),
    "groups": (Group, None),
    "all_groups": (AllGroups, False),
    "python_version": (PythonVersion, None),
    "platform": (PlatformOpt, None),
    "index_url": (IndexUrl, None),
    "pypi_url": (PypiUrl, None),
    "cache_dir": (CacheDir, None),
    "no_cache": (NoCache, False),
    "cache_max_mb": (Annotated[Optional[int], typer.Option("--cache-max-mb", min=1, help="MiB the fact memo and HTTP cache may keep; the oldest facts are evicted past it (default 512).")], None),
    "offline": (Offline, False),
    "concurrency": (Concurrency, 16),
    "keyring_provider": (KeyringProvider, None),
    "deadline": (Deadline, None),
    "request_seconds": (RequestSeconds, None),
    "max_response_bytes": (MaxResponseBytes, None),
    "max_input_bytes": (MaxInputBytes, None),
    "max_archive_bytes": (MaxArchiveBytes, None),
    "verbose": (Verbose, False),
    "weights": (Weights, None),
    "osv_db": (OsvDb, None),
    "osv_url": (OsvUrl, None),
    "vuln_service": (VulnServiceOpt, VulnService.osv),
    "build_deps": (BuildDeps, False),
    "as_of": (AsOf, None),
    "show_emails": (ShowEmails, False),
    "no_history": (NoHistory, False),
    "include_interpreter": (IncludeInterpreter, False),
    "no_github": (NoGithub, False),
    "no_gitlab": (NoGitlab, False),
    "no_scorecard": (NoScorecard, False),
    "no_depsdev": (NoDepsdev, False),
    "github_token_file": (GithubTokenFile, None),
    "disable": (Disable, None),
    "scan": (Scan, None),
    "model": (ModelRef, None),
    "dataset": (DatasetRef, None),
    "config": (ConfigFileOpt, None),
    "no_config": (NoConfig, False),
    "hf_cache": (HfCache, None),
    "survey_inputs": (SurveyInputs, None),
    "top": (Top, None),
    "from_files": (FromFile, None),
    "scheduler": (Scheduler, None),
    "survey_output": (SurveyOutput, None),
    "workers": (Workers, 4),
}

#: The input: a file, ``--env``, ``--python`` or ``--conda-prefix``, and how it is resolved.
SOURCE = ("input_path", "env", "python", "conda_prefix", "input_format", "resolver", "allow_build", "extras", "groups", "all_groups")
#: The target environment, the network and the cache, and ``--verbose``.
NETWORK = ("python_version", "platform", "index_url", "pypi_url", "cache_dir", "no_cache", "cache_max_mb", "offline", "concurrency",
           "verbose", "keyring_provider", "deadline", "request_seconds", "max_response_bytes", "max_input_bytes",
           "max_archive_bytes")
#: The collectors: advisories, git history, forges, ``--disable``.
COLLECTORS = ("osv_db", "osv_url", "vuln_service", "as_of", "no_history", "include_interpreter", "no_github", "no_gitlab", "no_scorecard",
              "no_depsdev", "github_token_file", "disable")

#: The configuration file: ``--config FILE``, ``--no-config`` (every command).
CONFIG = ("config", "no_config")

#: The Hugging Face Hub references: ``--scan``, ``--model``, ``--dataset``.
HUB = ("scan", "model", "dataset", "hf_cache")
#: ``auditor survey``'s own: the inputs, where the tasks run, the tables' folder.
SURVEY = ("survey_inputs", "top", "from_files", "scheduler", "survey_output", "workers")


def with_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the shared options *names* (keys of :data:`SHARED`).

    They are appended to the command's signature as keyword-only parameters
    (typer reads its options from the signature); the command receives them in
    its ``**options``.  Parameters the command declares itself stay first.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(command, eval_str=True)
        params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=SHARED[name][1],
                                     annotation=SHARED[name][0]) for name in names]
        command.__signature__ = signature.replace(parameters=params)
        return command

    return decorate
