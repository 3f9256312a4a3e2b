"""The ``auditor`` commands: options -> Config -> pipeline -> registry format -> output helper -> exit code.

Everything here is also callable from Python (:func:`auditor.pipeline.run_audit`,
:mod:`auditor.report.registry`); a command only reads its options (declared
once, in :mod:`auditor.cli.options`), runs, renders through the format
registry, writes through :func:`auditor.report.write.emit` and returns its
exit code; :func:`auditor.cli.guard.guarded` turns errors into the README's
exit codes.  Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from auditor import __version__
from auditor.cli import runconfig
from auditor.cli.guard import guarded, internal_error
from auditor.cli.options import (
    COLLECTORS, CONFIG, HUB, NETWORK, SOURCE, SURVEY, AuditFormat, AuditFormatOpt, DiffFormat, DiffFormatOpt, DiffPaths, FailOnUnknown,
    GitBase, Limit, Output, Package, PeopleFormat, PeopleFormatOpt, PeopleLimit, PeopleNodes, PolicyFile, TargetOnly,
    with_options,
)
from auditor.errors import ExitCode, InputError

class _HelpWithoutType:
    """``--help`` without the ``<bool>`` type column typer's rich help gives click's own help option.

    Uses click's public ``Command.get_help_option`` hook: the option it builds gets
    ``metavar=""``, as every flag of ours declares (:mod:`auditor.cli.options`).
    """

    def get_help_option(self, ctx):  # noqa: ANN001, ANN201 - click's signature
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option


class _Group(_HelpWithoutType, typer.core.TyperGroup):
    pass


class _Command(_HelpWithoutType, typer.core.TyperCommand):
    """A command whose option defaults may come from a configuration file (:mod:`auditor.cli.configfile`).

    The file's values become click's ``default_map`` before the arguments are
    parsed, so a flag given on the command line wins over the file and the
    file over the declared default, for every option alike.  A bad file is one
    line on stderr and exit 2.
    """

    def parse_args(self, ctx, args):  # noqa: ANN001, ANN201 - click's signature
        wants_help = "--help" in args[: args.index("--")] if "--" in args else "--help" in args
        if ctx.default_map is None and not ctx.resilient_parsing and not wants_help:  # --help works beside a bad file
            from auditor.cli.configfile import ConfigError, defaults_for

            try:
                ctx.default_map = defaults_for(self, ctx, args)
            except ConfigError as exc:
                typer.echo(f"auditor: error: {' '.join(str(exc).split())}", err=True)
                raise typer.Exit(int(exc.exit_code)) from None
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_Group,
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
    version: bool = typer.Option(False, "--version", metavar="", callback=version_callback, is_eager=True, help="Show the version and exit."),
) -> None:
    """Supply-chain auditor for Python and ML projects."""


def terminal_options(output: Optional[Path]) -> dict[str, Any]:
    """``color``/``width`` for the rich-based formats: as rich sees stdout when the report goes there."""
    if output is not None:
        return {}
    from rich.console import Console

    console = Console(highlight=False)
    columns = os.environ.get("COLUMNS", "")
    honoured = sys.stdout.isatty() or (columns.isdigit() and int(columns) > 0)
    return {"color": console.is_terminal, "width": console.width if honoured else None}


def github_environment() -> dict[str, str]:
    """GitHub Actions' job variables for ``-f github-snapshot``, checked before the audit runs.

    Raises:
        OutputError: GITHUB_SHA or GITHUB_REF missing or malformed (exit code 2).
    """
    from auditor.report.github_snapshot import from_environment, require_job

    return require_job(from_environment())


def pyproject_selection(options: dict[str, Any]) -> dict[str, Any]:
    """``extras``/``groups``/``all_groups`` for a pyproject.toml input, only when one of the flags was given."""
    if not (options.get("extras") or options.get("groups") or options.get("all_groups")):
        return {}
    return {"extras": tuple(options.get("extras") or ()), "groups": tuple(options.get("groups") or ()),
            "all_groups": bool(options.get("all_groups"))}


def has_hub_inputs(config: Any) -> bool:
    """True when the audit reads Hugging Face Hub references (options, configuration, --scan or --hf-cache)."""
    return bool(config.hub_scan or config.hub_models or config.hub_datasets or config.hub_cache is not False)


def hub_key(config: Any) -> str | None:
    """The result cache's key part for the files a Hub audit reads: ``""`` with no ``--scan``/``--hf-cache``,
    a digest of the scanned files and the cache listing (``sources/hub_scan.py::inputs_digest``), or None
    when they cannot be read for it (the audit then runs, and reports the problem, uncached)."""
    if not config.hub_scan and config.hub_cache is False:
        return ""
    from auditor.sources.hub_scan import inputs_digest

    return inputs_digest(config.hub_scan, config.hub_cache)


def result_ttl(config: Any) -> float:
    """Seconds a stored result is answered: the result cache's lifetime, and with Hub references at most
    a memoized Hub fact's (``net/hub.py::TTL``)."""
    from auditor.net.results import RESULT_TTL

    if not has_hub_inputs(config):
        return RESULT_TTL
    from auditor.net.hub import TTL

    return min(RESULT_TTL, TTL)


def run_pipeline(options: dict[str, Any], config: Any = None, **fixed: Any):
    """Build the Config (unless given) and Source from a command's options, run the audit with progress bars;
    the AuditResult."""
    from auditor.cli.progress import RichProgress
    from auditor.pipeline import run_audit

    config = config if config is not None else runconfig.command_config(options, **fixed)
    source = runconfig.open_input(options["input_path"], options["env"], options["python"], options["input_format"],
                                  resolver=options["resolver"].value, allow_build=options["allow_build"],
                                  max_input_bytes=config.max_input_bytes, conda_prefix=options.get("conda_prefix"),
                                  **pyproject_selection(options))
    with RichProgress(options["verbose"]) as progress:
        return run_audit(config, source, progress)


@app.command(cls=_Command)
@guarded
@with_options(*SOURCE, *NETWORK, "weights", *COLLECTORS, "build_deps", "show_emails", *HUB, *CONFIG)
def audit(
    output_format: AuditFormatOpt = AuditFormat.table,
    output: Output = None,
    limit: Limit = 40,
    people: PeopleNodes = False,
    **options: Any,
) -> ExitCode:
    """Audit a requirements file, a lockfile, or an installed environment.

    Exit codes: 0 complete, 2 bad usage or input, 3 completed but some data
    could not be collected (every output lists what), 4 internal error.
    """
    from auditor.net.results import MAX_TEXT_BYTES, ResultCache, result_key
    from auditor.report.write import emit, emit_report
    from auditor.sources.inputs import STDIN

    from auditor.report import registry

    config = runconfig.command_config(options, people=people)
    fmt = registry.get("audit", output_format.value)
    if fmt.folder and output is None:
        raise InputError(f"--format {fmt.name} writes a folder of files: give it with -o DIR")
    term = terminal_options(output)
    github = github_environment() if output_format.value == "github-snapshot" else {}
    key = cache = None
    # --conda-prefix reads a prefix the key does not hash, and '-' (standard input) names no file: such an
    # audit is never answered from the result cache; a folder report is not one text to store
    hub = hub_key(config)
    if (config.use_cache and config.osv_db is None and not fmt.folder and hub is not None
            and not (options["env"] or options["python"] or options.get("conda_prefix"))
            and str(options["input_path"]) != STDIN):  # standard input: no file to key on
        # verbose stays in the key: -v changes the report (the JSON's requests, every gap in the table)
        key = result_key((__version__, "audit", output_format.value, limit, sorted(term.items()), repr(config),
                          sorted(github.items()),
                          options["input_format"], options["resolver"], options["allow_build"],
                          sorted(pyproject_selection(options).items()), hub),
                         options["input_path"], [config.weights_file] if config.weights_file else [], [output])
        cache = ResultCache(config.cache_dir)
    hit = cache.get(key, result_ttl(config)) if cache is not None and key is not None else None
    if hit is not None:  # an identical audit moments ago: its report, without importing the pipeline
        emit(hit.text, output)
        if options["verbose"]:
            typer.echo(f"auditor: answered from the result cache (a run {time.time() - hit.written:.0f} s ago; "
                       f"see auditor/net/results.py)", err=True)
        for line in hit.stderr:
            typer.echo(line, err=True)
        return ExitCode(hit.exit_code)
    result = run_pipeline(options, config)
    report_options = dict(limit=limit, verbose=options["verbose"], github=github, **term)
    if fmt.folder:
        fmt.write_folder(result, output, **report_options)
        text = None
    else:
        # streamed into the -o file; the text comes back only when small enough to store
        text = emit_report(lambda out: fmt.write(result, out, **report_options), output, keep=MAX_TEXT_BYTES)
    if options["verbose"]:
        from auditor.net.http import describe_counts

        typer.echo(f"auditor: audit took {result.elapsed:.2f} s; HTTP requests: {result.requests}", err=True)
        for line in describe_counts(result.requests):
            typer.echo(f"auditor: {line}", err=True)
    stderr, code = [], ExitCode.OK
    if result.incomplete:
        stderr.append(f"auditor: {len(result.missing)} fact(s) could not be collected; the report says which")
        code = ExitCode.INCOMPLETE
    for line in stderr:
        typer.echo(line, err=True)
    if cache is not None and key is not None and text is not None:
        cache.put(key, text, int(code), stderr)
    return code


@app.command(cls=_Command)
@guarded
@with_options(*SURVEY, "input_format", "resolver", "allow_build", *NETWORK, "weights", *COLLECTORS, *CONFIG)
def survey(people: PeopleNodes = False, **options: Any) -> ExitCode:
    """Audit many inputs together (directories, globs, @lists, --top N): each fact once, Parquet tables out.

    Runs on a local pool, or on a Dask cluster with --scheduler (docs/survey.md).
    Exit codes: 0 every input audited completely, 2 bad usage, 3 some input
    failed or some fact could not be collected (the tables say which), 4 internal error.
    """
    from auditor.cli.progress import SurveyRichProgress
    from auditor.survey.inputs import expand
    from auditor.survey.run import run_survey

    args = list(options["survey_inputs"] or []) + [f"@{p}" for p in options["from_files"] or []]
    if not args and not options["top"]:
        raise InputError("name at least one input (a file, a directory, a glob, @FILE) or --top N")
    output = options["survey_output"]
    config = runconfig.command_config(options, people=people)
    specs = expand(args, options["top"])
    if options["scheduler"]:
        from auditor.survey.runner import DaskRunner

        runner: Any = DaskRunner(options["scheduler"])
    else:
        from auditor.survey.runner import LocalRunner

        runner = LocalRunner(options["workers"])
    source_options = {"resolver": options["resolver"].value, "allow_build": options["allow_build"],
                      "max_input_bytes": config.max_input_bytes}
    if options["input_format"]:
        source_options["input_format"] = options["input_format"]
    try:
        with SurveyRichProgress() as progress:
            result = run_survey(config, specs, runner, progress, source_options)
    finally:
        runner.close()
    if output is not None:
        from auditor.report.survey_tables import write_tables
        from auditor.report.write import write_tree

        write_tree(output, lambda tmp: write_tables(result, tmp))
    failed = [i for i in result.inputs if i.error]
    missing = sum(i.missing for i in result.inputs if not i.error)
    typer.echo(f"auditor survey: {len(result.inputs)} inputs ({len(failed)} failed), {len(result.packages)} distinct "
               f"packages, {result.elapsed:.1f} s" + (f"; tables in {output}" if output is not None else ""))
    for i in failed[:20]:
        typer.echo(f"  failed: {i.id}: {i.error}", err=True)
    if options["verbose"]:
        for stage, counts in result.stats.items():
            typer.echo(f"auditor: {stage}: {counts}", err=True)
    return ExitCode.INCOMPLETE if failed or missing else ExitCode.OK


@app.command(cls=_Command)
@guarded
@with_options(*SOURCE, *NETWORK, "weights", *COLLECTORS, "build_deps", *CONFIG)
def explain(package: Package, **options: Any) -> ExitCode:
    """Explain one package's exposure: factors, points, evidence, findings, and its paths from the root.

    Exit codes: 0 explained, 2 bad usage or input (or PACKAGE is not in the
    audited set), 4 internal error.
    """
    from auditor.report import registry
    from auditor.report.write import emit

    result = run_pipeline(options)
    emit(registry.render("explain", "text", result, package=package, **terminal_options(None)))
    return ExitCode.OK


@app.command("people", cls=_Command)
@guarded
@with_options(*SOURCE, *NETWORK, *COLLECTORS, "show_emails", *CONFIG)
def people_command(
    package: Package,
    output_format: PeopleFormatOpt = PeopleFormat.table,
    limit: PeopleLimit = 50,
    **options: Any,
) -> ExitCode:
    """List the people behind PACKAGE (from git history) and the path by which they reach the root.

    Exit codes: 0 listed, 2 bad usage or input, 3 the package's git history
    could not be read, 4 internal error.
    """
    from auditor.models import Unknown
    from auditor.report import registry
    from auditor.report.people import people_view
    from auditor.report.write import emit

    view = people_view(run_pipeline(options, people=True), package)
    emit(registry.render("people", output_format.value, view, limit=limit, **terminal_options(None)))
    if isinstance(view.history, Unknown) and view.history.fault:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


@app.command(cls=_Command)
@guarded
@with_options("input_format", *NETWORK, *COLLECTORS, *HUB, *CONFIG)
def diff(
    paths: DiffPaths,
    git_base: GitBase = None,
    policy: PolicyFile = None,
    output_format: DiffFormatOpt = DiffFormat.markdown,
    output: Output = None,
    fail_on_unknown: FailOnUnknown = False,
    target_only: TargetOnly = False,
    **options: Any,
) -> ExitCode:
    """Compare two lockfiles (or a file with itself at a git revision) and apply a policy.

    Exit codes: 0 policy passed, 1 policy failed, 2 bad usage or input, 3
    nothing failed but a rule could not decide for lack of data (1 with
    --fail-on-unknown), 4 internal error.
    """
    if (len(paths) < 1 if git_base else len(paths) != 2) or (len(paths) > 1 and git_base and output_format != DiffFormat.markdown):
        raise InputError("give BASE HEAD, or --git-base REV PATH (several PATHs only with --format markdown)")
    from auditor.net.results import ResultCache, result_key
    from auditor.report.write import emit

    config = runconfig.command_config(options)
    key = cache = None
    hub = hub_key(config) if config.use_cache and not git_base else None  # a git revision is not a file to key on
    if config.use_cache and config.osv_db is None and hub is not None:
        key = result_key((__version__, "diff", output_format.value, fail_on_unknown, target_only,
                          options["input_format"], repr(config), hub),
                         paths[1], [paths[0], *([policy] if policy else [])], [output])
        cache = ResultCache(config.cache_dir)
    hit = cache.get(key, result_ttl(config)) if cache is not None and key is not None else None
    if hit is not None:  # the same two lockfiles moments ago: that verdict, without importing the pipeline
        emit(hit.text, output)
        if options["verbose"]:
            typer.echo(f"auditor: answered from the result cache (a run {time.time() - hit.written:.0f} s ago)",
                       err=True)
        return ExitCode(hit.exit_code)
    from auditor import gate
    from auditor.cli.progress import RichProgress
    from auditor.gate import load_policy
    from auditor.report import registry

    rules = load_policy(policy)
    pairs = [(None, str(p)) for p in paths] if git_base else [(str(paths[0]), str(paths[1]))]
    started = time.monotonic()
    outcomes = []
    with RichProgress(options["verbose"]) as progress:
        for base_path, head_path in pairs:
            base, head = gate.open_sides(base_path, head_path, git_base, options["input_format"],
                                         all_platforms=not target_only, max_input_bytes=config.max_input_bytes)
            if git_base and config.hub_scan:  # the base side scans the code as it was at the revision
                base = gate.scan_at_revision(base, config.hub_scan, git_base, config.max_input_bytes)
            outcomes.append(gate.run_gate(config, base, head, rules, fail_on_unknown, progress))
    fmt = registry.get("diff", output_format.value)
    text = "\n".join(fmt.render(outcome) for outcome in outcomes)
    emit(text, output)
    if options["verbose"]:
        typer.echo(f"auditor: diff took {time.monotonic() - started:.2f} s", err=True)
    code = gate.worst([o.exit_code for o in outcomes])
    if cache is not None and key is not None:
        cache.put(key, text, int(code), ())
    return code


def main() -> None:
    """Console-script entry point (``auditor``, ``python -m auditor``)."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="auditor: %(message)s")
    try:
        app()
    except Exception as exc:  # noqa: BLE001 - outside any command (an option callback)
        sys.exit(internal_error(exc, "--verbose" in sys.argv or "-v" in sys.argv))
