"""The ``auditor`` commands: options -> Config -> pipeline -> registry format -> output helper -> exit code.

Everything here is also callable from Python (:func:`auditor.pipeline.run_audit`,
:mod:`auditor.report.registry`); a command only reads its options (declared
once, in :mod:`auditor.cli.options`), runs, renders through the format
registry, writes through :func:`auditor.report.write.emit` and returns its
exit code; :func:`auditor.cli.guard.guarded` turns errors into the README's
exit codes.  Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from auditor import __version__
from auditor.cli import runconfig
from auditor.cli.guard import guarded
from auditor.cli.options import (
    AllowBuild, AsOf, AuditFormat, AuditFormatOpt, BuildDeps, CacheDir, Concurrency, DiffFormat, DiffFormatOpt,
    DiffPaths, Disable, Env, FailOnUnknown, GitBase, GithubTokenFile, IndexUrl, InputFormat, InputPath, Limit, NoCache,
    NoDepsdev, NoGithub, NoGitlab, NoHistory, NoScorecard, Offline, OsvDb, Output, OsvUrl, Package, PeopleFormat,
    PeopleFormatOpt, PeopleLimit, PeopleNodes, PlatformOpt, PolicyFile, PypiUrl, Python, PythonVersion, Resolver,
    ResolverOpt, ShowEmails, TargetOnly, Verbose, VulnService, VulnServiceOpt, Weights,
)
from auditor.errors import ExitCode, InputError

app = typer.Typer(
    name="auditor",
    help="Supply-chain auditor for Python and ML projects: who can change the code you run.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Show the version and exit."),
) -> None:
    """Supply-chain auditor for Python and ML projects."""


def terminal_options(output: Optional[Path]) -> dict[str, Any]:
    """``color``/``width`` for the rich-based formats: as rich sees stdout when the report goes there."""
    if output is not None:
        return {}
    from rich.console import Console

    console = Console(highlight=False)
    return {"color": console.is_terminal, "width": console.width if sys.stdout.isatty() else None}


def run(config, source, verbose: bool):
    """Run the audit pipeline with progress bars; returns the AuditResult."""
    from auditor.cli.progress import RichProgress
    from auditor.pipeline import run_audit

    with RichProgress(verbose) as progress:
        return run_audit(config, source, progress)


@app.command()
@guarded
def audit(
    input_path: InputPath = None,
    env: Env = False,
    python: Python = None,
    input_format: InputFormat = None,
    resolver: ResolverOpt = Resolver.auto,
    allow_build: AllowBuild = False,
    output_format: AuditFormatOpt = AuditFormat.table,
    output: Output = None,
    python_version: PythonVersion = None,
    platform: PlatformOpt = None,
    index_url: IndexUrl = None,
    pypi_url: PypiUrl = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    offline: Offline = False,
    concurrency: Concurrency = 16,
    weights: Weights = None,
    limit: Limit = 40,
    verbose: Verbose = False,
    osv_db: OsvDb = None,
    osv_url: OsvUrl = None,
    vuln_service: VulnServiceOpt = VulnService.osv,
    build_deps: BuildDeps = False,
    as_of: AsOf = None,
    people: PeopleNodes = False,
    show_emails: ShowEmails = False,
    no_history: NoHistory = False,
    no_github: NoGithub = False,
    no_gitlab: NoGitlab = False,
    no_scorecard: NoScorecard = False,
    no_depsdev: NoDepsdev = False,
    github_token_file: GithubTokenFile = None,
    disable: Disable = None,
) -> ExitCode:
    """Audit a requirements file, a lockfile, or an installed environment.

    Exit codes: 0 complete, 2 bad usage or input, 3 completed but some data
    could not be collected (every output lists what), 4 internal error.
    """
    from auditor.report import registry
    from auditor.report.write import emit

    config = runconfig.command_config(locals())
    source = runconfig.open_input(input_path, env, python, input_format, resolver=resolver.value, allow_build=allow_build)
    result = run(config, source, verbose)
    emit(registry.render("audit", output_format.value, result, limit=limit, **terminal_options(output)), output)
    if verbose:
        from auditor.net.http import describe_counts

        typer.echo(f"auditor: audit took {result.elapsed:.2f} s; HTTP requests: {result.requests}", err=True)
        for line in describe_counts(result.requests):
            typer.echo(f"auditor: {line}", err=True)
    if result.incomplete:
        typer.echo(f"auditor: {len(result.missing)} fact(s) could not be collected; the report says which", err=True)
        return ExitCode.INCOMPLETE
    return ExitCode.OK


@app.command()
@guarded
def explain(
    package: Package,
    input_path: InputPath = None,
    env: Env = False,
    python: Python = None,
    input_format: InputFormat = None,
    resolver: ResolverOpt = Resolver.auto,
    allow_build: AllowBuild = False,
    python_version: PythonVersion = None,
    platform: PlatformOpt = None,
    index_url: IndexUrl = None,
    pypi_url: PypiUrl = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    offline: Offline = False,
    concurrency: Concurrency = 16,
    weights: Weights = None,
    osv_db: OsvDb = None,
    osv_url: OsvUrl = None,
    vuln_service: VulnServiceOpt = VulnService.osv,
    build_deps: BuildDeps = False,
    as_of: AsOf = None,
    no_history: NoHistory = False,
    no_github: NoGithub = False,
    no_gitlab: NoGitlab = False,
    no_scorecard: NoScorecard = False,
    no_depsdev: NoDepsdev = False,
    github_token_file: GithubTokenFile = None,
    disable: Disable = None,
    verbose: Verbose = False,
) -> ExitCode:
    """Explain one package's exposure: factors, points, evidence, findings, and its paths from the root.

    Exit codes: 0 explained, 2 bad usage or input (or PACKAGE is not in the
    audited set), 4 internal error.
    """
    from auditor.report import registry
    from auditor.report.write import emit

    config = runconfig.command_config(locals())
    source = runconfig.open_input(input_path, env, python, input_format, resolver=resolver.value, allow_build=allow_build)
    result = run(config, source, verbose)
    emit(registry.render("explain", "text", result, package=package, **terminal_options(None)))
    return ExitCode.OK


@app.command("people")
@guarded
def people_command(
    package: Package,
    input_path: InputPath = None,
    env: Env = False,
    python: Python = None,
    input_format: InputFormat = None,
    resolver: ResolverOpt = Resolver.auto,
    allow_build: AllowBuild = False,
    output_format: PeopleFormatOpt = PeopleFormat.table,
    as_of: AsOf = None,
    show_emails: ShowEmails = False,
    python_version: PythonVersion = None,
    platform: PlatformOpt = None,
    index_url: IndexUrl = None,
    pypi_url: PypiUrl = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    offline: Offline = False,
    concurrency: Concurrency = 16,
    limit: PeopleLimit = 50,
    no_github: NoGithub = False,
    no_gitlab: NoGitlab = False,
    no_scorecard: NoScorecard = False,
    no_depsdev: NoDepsdev = False,
    github_token_file: GithubTokenFile = None,
    disable: Disable = None,
    verbose: Verbose = False,
) -> ExitCode:
    """List the people behind PACKAGE (from git history) and the path by which they reach the root.

    Exit codes: 0 listed, 2 bad usage or input, 3 the package's git history
    could not be read, 4 internal error.
    """
    from auditor.models import Unknown
    from auditor.report import registry
    from auditor.report.people import people_view
    from auditor.report.write import emit

    config = runconfig.command_config(locals(), people=True)
    source = runconfig.open_input(input_path, env, python, input_format, resolver=resolver.value, allow_build=allow_build)
    result = run(config, source, verbose)
    view = people_view(result, package)
    emit(registry.render("people", output_format.value, view, limit=limit, **terminal_options(None)))
    if isinstance(view.history, Unknown) and view.history.fault:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


@app.command()
@guarded
def diff(
    paths: DiffPaths,
    git_base: GitBase = None,
    policy: PolicyFile = None,
    output_format: DiffFormatOpt = DiffFormat.markdown,
    output: Output = None,
    fail_on_unknown: FailOnUnknown = False,
    target_only: TargetOnly = False,
    input_format: InputFormat = None,
    python_version: PythonVersion = None,
    platform: PlatformOpt = None,
    index_url: IndexUrl = None,
    pypi_url: PypiUrl = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    offline: Offline = False,
    concurrency: Concurrency = 16,
    verbose: Verbose = False,
    no_github: NoGithub = False,
    no_gitlab: NoGitlab = False,
    no_scorecard: NoScorecard = False,
    no_depsdev: NoDepsdev = False,
    github_token_file: GithubTokenFile = None,
    disable: Disable = None,
    as_of: AsOf = None,
    no_history: NoHistory = False,
    osv_db: OsvDb = None,
    osv_url: OsvUrl = None,
    vuln_service: VulnServiceOpt = VulnService.osv,
) -> ExitCode:
    """Compare two lockfiles (or a file with itself at a git revision) and apply a policy.

    Exit codes: 0 policy passed, 1 policy failed, 2 bad usage or input, 3
    nothing failed but a rule could not decide for lack of data (1 with
    --fail-on-unknown), 4 internal error.
    """
    if (len(paths) < 1 if git_base else len(paths) != 2) or (len(paths) > 1 and git_base and output_format != DiffFormat.markdown):
        raise InputError("give BASE HEAD, or --git-base REV PATH (several PATHs only with --format markdown)")
    from auditor import gate
    from auditor.cli.progress import RichProgress
    from auditor.policy import load_policy
    from auditor.report import registry
    from auditor.report.write import emit

    config = runconfig.command_config(locals())
    rules = load_policy(policy)
    pairs = [(None, str(p)) for p in paths] if git_base else [(str(paths[0]), str(paths[1]))]
    started = time.monotonic()
    outcomes = []
    with RichProgress(verbose) as progress:
        for base_path, head_path in pairs:
            base, head = gate.open_sides(base_path, head_path, git_base, input_format, all_platforms=not target_only)
            outcomes.append(gate.run_gate(config, base, head, rules, fail_on_unknown, progress))
    fmt = registry.get("diff", output_format.value)
    emit("\n".join(fmt.render(outcome) for outcome in outcomes), output)
    if verbose:
        typer.echo(f"auditor: diff took {time.monotonic() - started:.2f} s", err=True)
    return gate.worst([o.exit_code for o in outcomes])


def main() -> None:
    """Console-script entry point (``auditor``, ``python -m auditor``)."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="auditor: %(message)s")
    app()
