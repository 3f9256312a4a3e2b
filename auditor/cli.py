"""The ``auditor`` command (typer): options -> Config -> pipeline -> report -> exit code.

Everything here is also callable from Python (:func:`auditor.pipeline.run_audit`
and the formatters); this module only parses options, shows progress, turns
:class:`~auditor.errors.AuditorError` into a one-line message, and chooses the
exit code (see :class:`~auditor.errors.ExitCode`).
"""

from __future__ import annotations

import logging
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgressBar, TextColumn, TimeElapsedColumn

from auditor import __version__
from auditor.collectors import Progress
from auditor.config import Config, default_cache_dir
from auditor.errors import AuditorError, ExitCode, InputError
from auditor.models import TargetEnvironment, Unknown

app = typer.Typer(
    name="auditor",
    help="Supply-chain auditor for Python and ML projects: who can change the code you run.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

err = Console(stderr=True, highlight=False)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    graphml = "graphml"
    markdown = "markdown"
    sarif = "sarif"


class VulnService(str, Enum):
    osv = "osv"
    pypi = "pypi"


class Platform(str, Enum):
    linux = "linux"
    darwin = "darwin"
    win32 = "win32"


#: Default ``platform_machine`` per ``sys_platform`` for marker evaluation.
DEFAULT_MACHINE = {"linux": "x86_64", "darwin": "arm64", "win32": "AMD64"}


class RichProgress(Progress):
    """Progress bars on stderr (only when stderr is a terminal)."""

    def __init__(self, verbose: bool = False):
        self.verbose = verbose
        self.bar = RichProgressBar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def start(self, task: str, total: int) -> None:
        if task in self.tasks:
            self.bar.update(self.tasks[task], total=total, completed=0)
        else:
            self.tasks[task] = self.bar.add_task(task, total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        if task in self.tasks:
            self.bar.advance(self.tasks[task], steps)

    def message(self, text: str) -> None:
        if self.verbose:
            err.print(text, markup=False)


def fail(exc: AuditorError) -> "typer.Exit":
    """Print *exc* as one line on stderr and return the Exit to raise."""
    typer.echo(f"auditor: error: {exc}", err=True)
    return typer.Exit(int(exc.exit_code))


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Show the version and exit."),
) -> None:
    """Supply-chain auditor for Python and ML projects."""


def make_config(
    *,
    cache_dir: Optional[Path],
    no_cache: bool,
    offline: bool,
    python_version: Optional[str],
    platform: Optional[Platform],
    concurrency: int,
    weights: Optional[Path],
    verbose: bool,
    index_url: Optional[str] = None,
    pypi_url: Optional[str] = None,
    **extra,
) -> Config:
    """Build the run's Config from CLI options (shared by every command)."""
    sys_platform = platform.value if platform else sys.platform if sys.platform in DEFAULT_MACHINE else "linux"
    pyver = python_version or f"{sys.version_info.major}.{sys.version_info.minor}"
    if not all(p.isdigit() for p in pyver.split(".")) or len(pyver.split(".")) not in (2, 3):
        raise InputError(f"--python-version must look like 3.11 or 3.11.4, got {pyver!r}")
    parts = pyver.split(".")
    import platform as _platform

    machine = _platform.machine() if sys_platform == sys.platform else DEFAULT_MACHINE[sys_platform]
    target = TargetEnvironment(
        python_version=".".join(parts[:2]),
        python_full_version=pyver if len(parts) == 3 else None,
        sys_platform=sys_platform,
        platform_machine=machine or DEFAULT_MACHINE[sys_platform],
    )
    changes = dict(
        cache_dir=cache_dir or default_cache_dir(),
        use_cache=not no_cache,
        offline=offline,
        target=target,
        concurrency=max(1, concurrency),
        weights_file=weights,
        verbose=verbose,
        **extra,
    )
    if index_url:
        changes["index_url"] = index_url
    if pypi_url:
        changes["pypi_url"] = pypi_url
    return Config().with_changes(**changes)


def _merge_options(*groups: dict) -> dict:
    """Config changes of several option groups; their ``disabled`` sets are united."""
    out: dict = {}
    for group in groups:
        for key, value in group.items():
            out[key] = out[key] | value if key == "disabled" and key in out else value
    return out


def forge_options(no_github: bool, no_gitlab: bool, no_scorecard: bool, no_depsdev: bool,
                  github_token_file: Optional[Path]) -> dict:
    """Config changes for the forge enrichers' options (docs/forges.md).

    Raises:
        InputError: the token file is missing or empty (its content is never shown).
    """
    off = {name for name, flag in (("github", no_github), ("gitlab", no_gitlab),
                                   ("scorecard", no_scorecard), ("depsdev", no_depsdev)) if flag}
    changes: dict = {"disabled": frozenset(off)} if off else {}
    if github_token_file is not None:
        from auditor.net.github import read_token_file

        changes["github_token"] = read_token_file(github_token_file)
    return changes


def collector_names() -> list[str]:
    """Names of the optional collectors (:data:`auditor.pipeline.COLLECTORS`), in run order."""
    from auditor.pipeline import COLLECTORS

    return [name for name, _ in COLLECTORS]


def _check_disable(values: Optional[list[str]]) -> list[str]:
    """``--disable`` callback: every name must be a collector (else usage error, exit 2)."""
    known = collector_names()
    bad = [v for v in values or [] if v not in known]
    if bad:
        raise typer.BadParameter(f"unknown collector {', '.join(map(repr, bad))}; known: {', '.join(known)}")
    return list(values or [])


def disable_options(names: Optional[list[str]]) -> dict:
    """Config changes for ``--disable NAME`` (repeatable): added to ``Config.disabled``."""
    return {"disabled": frozenset(names)} if names else {}


#: ``--disable`` option, shared by ``audit`` and ``diff``.
DISABLE_HELP = "Turn off an optional collector by name (repeatable; e.g. github, history, vulnerabilities; an unknown name lists them all)."


class Resolver(str, Enum):
    auto = "auto"
    uv = "uv"
    pip = "pip"
    none = "none"


def open_input(input_path: Optional[Path], env: bool, python: Optional[str], input_format: Optional[str] = None,
               **options):
    """The Source for the command line's input choice.

    Args:
        options: source options (``resolver``, ``allow_build``), passed to
            sources whose constructor accepts them.

    Raises:
        InputError: no input, or more than one, or a missing file.
    """
    chosen = sum(bool(x) for x in (input_path, env, python))
    if chosen != 1:
        raise InputError("give exactly one input: a requirements/lock file, --env, or --python PATH")
    if env or python:
        from auditor.sources.environment import EnvironmentSource

        return EnvironmentSource(python)
    from auditor.sources.registry import open_source

    return open_source(input_path, input_format, **options)


@app.command()
def audit(
    input_path: Optional[Path] = typer.Argument(None, metavar="[INPUT]", help="requirements.txt or lockfile to audit."),
    env: bool = typer.Option(False, "--env", help="Audit the environment auditor runs in."),
    python: Optional[str] = typer.Option(None, "--python", help="Audit the environment of this Python interpreter (its packages are never imported)."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Force the input type (see docs/inputs.md)."),
    resolver: Resolver = typer.Option(Resolver.auto, "--resolver", help="How requirements are pinned: uv, then pip (auto); one of them; or none (take the file's == pins as they are)."),
    allow_build: bool = typer.Option(False, "--allow-build", help="Let the resolver build sdists, VCS and local projects to learn their metadata. This RUNS their build code; off by default."),
    output_format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."),
    python_version: Optional[str] = typer.Option(None, "--python-version", help="Target Python version for markers and resolution [default: this interpreter's]."),
    platform: Optional[Platform] = typer.Option(None, "--platform", help="Target sys_platform for markers and resolution [default: this machine's]."),
    index_url: Optional[str] = typer.Option(None, "--index-url", help="Simple index for resolution and metadata [default: https://pypi.org/simple or $AUDITOR_INDEX_URL]."),
    pypi_url: Optional[str] = typer.Option(None, "--pypi-url", help="Base URL of the PyPI JSON API [default: https://pypi.org or $AUDITOR_PYPI_URL]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache directory [default: $AUDITOR_CACHE_DIR or the user cache dir]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the persistent cache."),
    offline: bool = typer.Option(False, "--offline", help="Use only cached data; anything else is reported as unknown (offline)."),
    concurrency: int = typer.Option(16, "--concurrency", min=1, max=128, help="Maximum concurrent network requests."),
    weights: Optional[Path] = typer.Option(None, "--weights", help="YAML file overriding the scoring weights (docs/scoring.md)."),
    limit: int = typer.Option(40, "--limit", min=0, help="Rows in the table and the Markdown report (0: all)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Diagnostics on stderr: request counts, timings."),
    osv_db: Optional[Path] = typer.Option(None, "--osv-db", help="Offline OSV database (directory or zip of OSV JSON records, e.g. PyPI/all.zip); no vulnerability service is queried."),
    osv_url: Optional[str] = typer.Option(None, "--osv-url", help="OSV API base URL [default: https://api.osv.dev or $AUDITOR_OSV_URL]."),
    vuln_service: VulnService = typer.Option(VulnService.osv, "--vulnerability-service", help="Online advisory source (through pip-audit)."),
    build_deps: bool = typer.Option(False, "--build-deps", help="Add sdist build requirements as 'build' edges in the graph."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Count git history and PyPI releases only up to this ISO date (reproducible figures; docs/history.md)."),
    people: bool = typer.Option(False, "--people", help="Add person nodes and contributed_to edges (graph, JSON)."),
    show_emails: bool = typer.Option(False, "--show-emails", help="Show contributors' e-mail addresses instead of salted hashes."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not read git history (no clones or fetches)."),
    no_github: bool = typer.Option(False, "--no-github", help="Skip the GitHub enricher (docs/forges.md)."),
    no_gitlab: bool = typer.Option(False, "--no-gitlab", help="Skip the GitLab enricher."),
    no_scorecard: bool = typer.Option(False, "--no-scorecard", help="Skip the OpenSSF Scorecard enricher."),
    no_depsdev: bool = typer.Option(False, "--no-depsdev", help="Skip the deps.dev enricher."),
    github_token_file: Optional[Path] = typer.Option(None, "--github-token-file", help="Read the GitHub token from this file [default: $GITHUB_TOKEN or $GH_TOKEN]."),
    disable: Optional[list[str]] = typer.Option(None, "--disable", metavar="NAME", callback=_check_disable, help=DISABLE_HELP),
) -> None:
    """Audit a requirements file, a lockfile, or an installed environment.

    Exit codes: 0 complete, 2 bad usage or input, 3 completed but some data
    could not be collected (every output lists what), 4 internal error.
    """
    try:
        config = make_config(
            cache_dir=cache_dir, no_cache=no_cache, offline=offline, python_version=python_version,
            platform=platform, concurrency=concurrency, weights=weights, verbose=verbose,
            index_url=index_url, pypi_url=pypi_url, **_merge_options(
                _history_options(as_of, people, show_emails, no_history),
                forge_options(no_github, no_gitlab, no_scorecard, no_depsdev, github_token_file),
                signal_options(osv_db, osv_url, vuln_service, build_deps),
                disable_options(disable)),
        )
        source = open_input(input_path, env, python, input_format, resolver=resolver.value, allow_build=allow_build)
        from auditor.pipeline import run_audit

        with RichProgress(verbose) as progress:
            result = run_audit(config, source, progress)
        _emit(result, output_format.value, output, limit)
        if verbose:
            typer.echo(f"auditor: audit took {result.elapsed:.2f} s; HTTP requests: {result.requests}", err=True)
            from auditor.net.http import describe_counts

            for line in describe_counts(result.requests):
                typer.echo(f"auditor: {line}", err=True)
    except AuditorError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        raise typer.Exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors become an exit code
        if verbose:
            traceback.print_exc()
        typer.echo(f"auditor: internal error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(int(ExitCode.INTERNAL))
    if result.incomplete:
        typer.echo(f"auditor: {len(result.missing)} fact(s) could not be collected; the report says which", err=True)
        raise typer.Exit(int(ExitCode.INCOMPLETE))


def signal_options(osv_db: Optional[Path], osv_url: Optional[str], vuln_service: "VulnService", build_deps: bool) -> dict:
    """Config fields of the signal options (vulnerability source, build edges)."""
    extra: dict = {"vulnerability_service": vuln_service.value, "build_deps": build_deps}
    if osv_db is not None:
        extra["osv_db"] = osv_db
    if osv_url:
        extra["osv_url"] = osv_url
    return extra


@app.command()
def explain(
    package: str = typer.Argument(..., help="The package to explain (any spelling of its name)."),
    input_path: Optional[Path] = typer.Argument(None, metavar="[INPUT]", help="requirements.txt or lockfile to audit."),
    env: bool = typer.Option(False, "--env", help="Audit the environment auditor runs in."),
    python: Optional[str] = typer.Option(None, "--python", help="Audit the environment of this Python interpreter."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Force the input type."),
    python_version: Optional[str] = typer.Option(None, "--python-version", help="Target Python version."),
    platform: Optional[Platform] = typer.Option(None, "--platform", help="Target sys_platform."),
    index_url: Optional[str] = typer.Option(None, "--index-url", help="Simple index URL."),
    pypi_url: Optional[str] = typer.Option(None, "--pypi-url", help="PyPI JSON API base URL."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache directory."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the persistent cache."),
    offline: bool = typer.Option(False, "--offline", help="Use only cached data."),
    weights: Optional[Path] = typer.Option(None, "--weights", help="YAML file overriding the scoring weights."),
    osv_db: Optional[Path] = typer.Option(None, "--osv-db", help="Offline OSV database (directory or zip)."),
    osv_url: Optional[str] = typer.Option(None, "--osv-url", help="OSV API base URL."),
    vuln_service: VulnService = typer.Option(VulnService.osv, "--vulnerability-service", help="Online advisory source."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Count git history and PyPI releases only up to this ISO date."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not read git history (no clones or fetches)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Diagnostics on stderr."),
) -> None:
    """Explain one package's exposure: factors, points, evidence, findings, and its paths from the root."""
    try:
        config = make_config(
            cache_dir=cache_dir, no_cache=no_cache, offline=offline, python_version=python_version,
            platform=platform, concurrency=16, weights=weights, verbose=verbose,
            index_url=index_url, pypi_url=pypi_url, **_history_options(as_of, False, False, no_history),
            **signal_options(osv_db, osv_url, vuln_service, False),
        )
        source = open_input(input_path, env, python, input_format)
        from auditor.pipeline import run_audit
        from auditor.report import explain as explain_report

        with RichProgress(verbose) as progress:
            result = run_audit(config, source, progress)
        explain_report.render(result, package, sys.stdout)
    except AuditorError as exc:
        raise fail(exc) from exc


def _history_options(as_of: Optional[str], people: bool, show_emails: bool, no_history: bool) -> dict:
    """Config fields of the git-history options (``--as-of`` is validated here: exit 2 when bad)."""
    from auditor.people.history import as_of_timestamp

    as_of_timestamp(as_of)
    out: dict = {"as_of": as_of, "people": people, "show_emails": show_emails}
    if no_history:
        out["disabled"] = frozenset({"history"})
    return out


class PeopleFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("people")
def people_command(
    package: str = typer.Argument(..., help="The package whose people to list (a name in the audited tree)."),
    input_path: Optional[Path] = typer.Argument(None, metavar="[INPUT]", help="requirements.txt or lockfile."),
    env: bool = typer.Option(False, "--env", help="Audit the environment auditor runs in."),
    python: Optional[str] = typer.Option(None, "--python", help="Audit the environment of this Python interpreter."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Force the input type."),
    output_format: PeopleFormat = typer.Option(PeopleFormat.table, "--format", "-f", help="Output format."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Count git history only up to this ISO date."),
    show_emails: bool = typer.Option(False, "--show-emails", help="Show e-mail addresses instead of salted hashes."),
    python_version: Optional[str] = typer.Option(None, "--python-version", help="Target Python version."),
    platform: Optional[Platform] = typer.Option(None, "--platform", help="Target sys_platform."),
    index_url: Optional[str] = typer.Option(None, "--index-url", help="Simple index for resolution and metadata."),
    pypi_url: Optional[str] = typer.Option(None, "--pypi-url", help="Base URL of the PyPI JSON API."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache directory."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the persistent HTTP cache."),
    offline: bool = typer.Option(False, "--offline", help="Use only cached data and cached clones."),
    concurrency: int = typer.Option(16, "--concurrency", min=1, max=128, help="Maximum concurrent network requests."),
    limit: int = typer.Option(50, "--limit", min=0, help="People shown (0: all)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Diagnostics on stderr."),
) -> None:
    """List the people behind PACKAGE (from git history) and the path by which they reach the root."""
    try:
        config = make_config(
            cache_dir=cache_dir, no_cache=no_cache, offline=offline, python_version=python_version,
            platform=platform, concurrency=concurrency, weights=None, verbose=verbose,
            index_url=index_url, pypi_url=pypi_url, **_history_options(as_of, True, show_emails, False),
        )
        source = open_input(input_path, env, python, input_format)
        from auditor.pipeline import run_audit
        from auditor.report import people as people_report

        with RichProgress(verbose) as progress:
            result = run_audit(config, source, progress)
        view = people_report.people_view(result, package)
        if output_format is PeopleFormat.json:
            people_report.render_json(view, sys.stdout)
        else:
            people_report.render_table(view, sys.stdout, limit=limit)
    except AuditorError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        raise typer.Exit(130)
    except Exception as exc:  # noqa: BLE001 - as in audit
        if verbose:
            traceback.print_exc()
        typer.echo(f"auditor: internal error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(int(ExitCode.INTERNAL))
    if isinstance(view.history, Unknown) and view.history.fault:
        raise typer.Exit(int(ExitCode.INCOMPLETE))


class DiffFormat(str, Enum):
    markdown = "markdown"
    sarif = "sarif"
    json = "json"


@app.command()
def diff(
    paths: list[Path] = typer.Argument(..., metavar="BASE HEAD | PATH", help="Two files to compare, or one PATH with --git-base."),
    git_base: Optional[str] = typer.Option(None, "--git-base", metavar="REV", help="Compare PATH with the same path at this git revision."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy YAML (docs/policy.md) [default: the shipped default policy]."),
    output_format: DiffFormat = typer.Option(DiffFormat.markdown, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."),
    fail_on_unknown: bool = typer.Option(False, "--fail-on-unknown", help="Exit 1 (not 3) when a rule cannot decide for lack of data."),
    target_only: bool = typer.Option(False, "--target-only", help="Drop lockfile packages the target platform never installs."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Force the input type of both sides (docs/diff.md)."),
    python_version: Optional[str] = typer.Option(None, "--python-version", help="Target Python version for markers [default: this interpreter's]."),
    platform: Optional[Platform] = typer.Option(None, "--platform", help="Target sys_platform for markers [default: this machine's]."),
    index_url: Optional[str] = typer.Option(None, "--index-url", help="Simple index for metadata [default: https://pypi.org/simple or $AUDITOR_INDEX_URL]."),
    pypi_url: Optional[str] = typer.Option(None, "--pypi-url", help="Base URL of the PyPI JSON API [default: https://pypi.org or $AUDITOR_PYPI_URL]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache directory [default: $AUDITOR_CACHE_DIR or the user cache dir]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the persistent cache."),
    offline: bool = typer.Option(False, "--offline", help="Use only cached data."),
    concurrency: int = typer.Option(16, "--concurrency", min=1, max=128, help="Maximum concurrent network requests."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Diagnostics on stderr."),
    no_github: bool = typer.Option(False, "--no-github", help="Skip the GitHub enricher (docs/forges.md)."),
    no_gitlab: bool = typer.Option(False, "--no-gitlab", help="Skip the GitLab enricher."),
    no_scorecard: bool = typer.Option(False, "--no-scorecard", help="Skip the OpenSSF Scorecard enricher."),
    no_depsdev: bool = typer.Option(False, "--no-depsdev", help="Skip the deps.dev enricher."),
    github_token_file: Optional[Path] = typer.Option(None, "--github-token-file", help="Read the GitHub token from this file [default: $GITHUB_TOKEN or $GH_TOKEN]."),
    disable: Optional[list[str]] = typer.Option(None, "--disable", metavar="NAME", callback=_check_disable, help=DISABLE_HELP),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help="Count git history and PyPI releases only up to this ISO date, on both sides (docs/history.md)."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not read git history (no clones or fetches)."),
    osv_db: Optional[Path] = typer.Option(None, "--osv-db", help="Offline OSV database (directory or zip of OSV JSON records); no vulnerability service is queried."),
    osv_url: Optional[str] = typer.Option(None, "--osv-url", help="OSV API base URL [default: https://api.osv.dev or $AUDITOR_OSV_URL]."),
    vuln_service: VulnService = typer.Option(VulnService.osv, "--vulnerability-service", help="Online advisory source (through pip-audit)."),
) -> None:
    """Compare two lockfiles (or a file with itself at a git revision) and apply a policy.

    Exit codes: 0 policy passed, 1 policy failed, 2 bad usage or input, 3
    nothing failed but a rule could not decide for lack of data (1 with
    --fail-on-unknown), 4 internal error.
    """
    from auditor import gate
    from auditor.policy import load_policy
    from auditor.report.write import write_atomic

    try:
        if (len(paths) < 1 if git_base else len(paths) != 2) or (len(paths) > 1 and git_base and output_format != DiffFormat.markdown):
            raise InputError("give BASE HEAD, or --git-base REV PATH (several PATHs only with --format markdown)")
        config = make_config(
            cache_dir=cache_dir, no_cache=no_cache, offline=offline, python_version=python_version,
            platform=platform, concurrency=concurrency, weights=None, verbose=verbose,
            index_url=index_url, pypi_url=pypi_url, **_merge_options(
                _history_options(as_of, False, False, no_history),
                forge_options(no_github, no_gitlab, no_scorecard, no_depsdev, github_token_file),
                signal_options(osv_db, osv_url, vuln_service, False),
                disable_options(disable)),
        )
        rules = load_policy(policy)
        pairs = [(None, str(p)) for p in paths] if git_base else [(str(paths[0]), str(paths[1]))]
        outcomes = []
        import time

        started = time.monotonic()
        with RichProgress(verbose) as progress:
            for base_path, head_path in pairs:
                base, head = gate.open_sides(base_path, head_path, git_base, input_format, all_platforms=not target_only)
                outcomes.append(gate.run_gate(config, base, head, rules, fail_on_unknown, progress))

        def render(out) -> None:
            for i, outcome in enumerate(outcomes):
                if i:
                    out.write("\n")
                gate.write_report(output_format.value, out, outcome)

        if output is None:
            render(sys.stdout)
        else:
            write_atomic(output, render)
        if verbose:
            typer.echo(f"auditor: diff took {time.monotonic() - started:.2f} s", err=True)
    except AuditorError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        raise typer.Exit(130)
    except Exception as exc:  # noqa: BLE001
        if verbose:
            traceback.print_exc()
        typer.echo(f"auditor: internal error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(int(ExitCode.INTERNAL))
    raise typer.Exit(int(gate.worst([o.exit_code for o in outcomes])))


def _emit(result, fmt: str, output: Optional[Path], limit: int) -> None:
    from auditor.report.registry import renderer
    from auditor.report.write import write_atomic

    render = renderer(fmt)
    if fmt in ("table", "markdown"):
        base = render
        render = lambda res, out: base(res, out, limit=limit)  # noqa: E731
    if output is None:
        render(result, sys.stdout)
    else:
        write_atomic(output, lambda out: render(result, out))


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, format="auditor: %(message)s")
    app()
