"""Command-line options -> :class:`~auditor.config.Config` and the input Source (shared by every command).

A command passes its parameters (by option name) to :func:`command_config`;
an option the command does not take has its :data:`~auditor.cli.options.SHARED` default.  Heavy modules
(config, models, sources, pipeline) are imported inside the functions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from auditor.cli.options import SHARED
from auditor.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from auditor.cli.options import Platform
    from auditor.config import Config

#: Default ``platform_machine`` per ``sys_platform`` for marker evaluation.
DEFAULT_MACHINE = {"linux": "x86_64", "darwin": "arm64", "win32": "AMD64"}

#: Every option :func:`command_config` reads, with its value when the command does not take it.
RUN_DEFAULTS: dict[str, Any] = {**{name: default for name, (_, default) in SHARED.items()}, "people": False}


def command_config(params: Mapping[str, Any], **fixed: Any) -> "Config":
    """The run's Config from a command's parameters.

    Args:
        params: the command's options by name (options it lacks take
            :data:`RUN_DEFAULTS`; other names are ignored).
        fixed: values the command imposes (e.g. ``people=True``).

    Raises:
        InputError: a bad ``--python-version``, ``--as-of`` or token file (exit 2).
    """
    p = {**RUN_DEFAULTS, **{k: v for k, v in params.items() if k in RUN_DEFAULTS}, **fixed}
    return make_config(
        cache_dir=p["cache_dir"], no_cache=p["no_cache"], offline=p["offline"], python_version=p["python_version"],
        platform=p["platform"], concurrency=p["concurrency"], weights=p["weights"], verbose=p["verbose"],
        index_url=p["index_url"], pypi_url=p["pypi_url"], **merge_options(
            history_options(p["as_of"], p["people"], p["show_emails"], p["no_history"], p.get("include_interpreter", False)),
            forge_options(p["no_github"], p["no_gitlab"], p["no_scorecard"], p["no_depsdev"], p["github_token_file"]),
            signal_options(p["osv_db"], p["osv_url"], p["vuln_service"], p["build_deps"]),
            disable_options(p["disable"]), limit_options(p), hub_options(p)),
    )


#: Options that set a Config field of the same meaning (docs/limits.md): option name -> field.
LIMIT_FIELDS = {"deadline": "time_budget", "request_seconds": "request_seconds",
                "max_response_bytes": "max_response_bytes", "max_input_bytes": "max_input_bytes",
                "max_archive_bytes": "max_archive_bytes", "keyring_provider": "keyring_provider",
                "cache_max_mb": "cache_max_mb"}


def hub_options(p: Mapping[str, Any]) -> dict:
    """Config fields of ``--scan``, ``--model`` and ``--dataset`` (docs/models.md).

    Raises:
        InputError: a ``--scan`` path that does not exist, or an id that is not a Hub repository id (exit 2).
    """
    scan, models, datasets = p.get("scan") or (), p.get("model") or (), p.get("dataset") or ()
    cache = p.get("hf_cache")
    hub_cache = {} if cache is None else {"hub_cache": None if cache == "default" else Path(cache)}
    if not (scan or models or datasets):
        return hub_cache
    from auditor.sources.hub_scan import parse_reference

    for path in scan:
        if not Path(path).exists():
            raise InputError(f"--scan {path}: no such file or directory")
    for kind, values in (("model", models), ("dataset", datasets)):
        for value in values:
            parse_reference(value, kind)  # raises InputError on a bad id
    return {"hub_scan": tuple(Path(s) for s in scan), "hub_models": tuple(models), "hub_datasets": tuple(datasets),
            **hub_cache}


def limit_options(p: Mapping[str, Any]) -> dict:
    """Config fields of the bounds (``--deadline``, ``--request-seconds``, ``--max-*``) and ``--keyring-provider``.

    Raises:
        InputError: an unknown keyring provider (exit 2).
    """
    provider = p.get("keyring_provider")
    if provider is not None and provider not in ("disabled", "import", "subprocess", "auto"):
        raise InputError(f"--keyring-provider: {provider!r} is not one of disabled, import, subprocess, auto")
    return {field: p[name] for name, field in LIMIT_FIELDS.items() if p.get(name) is not None}


def make_config(
    *,
    cache_dir: Optional[Path],
    no_cache: bool,
    offline: bool,
    python_version: Optional[str],
    platform: Optional["Platform"],
    concurrency: int,
    weights: Optional[Path],
    verbose: bool,
    index_url: Optional[str] = None,
    pypi_url: Optional[str] = None,
    **extra: Any,
) -> "Config":
    """Build the run's Config from the target, network and cache options; *extra* are further Config fields.

    Raises:
        InputError: ``--python-version`` is not like ``3.11`` or ``3.11.4``.
    """
    from auditor.config import Config, default_cache_dir
    from auditor.models import TargetEnvironment

    sys_platform = getattr(platform, "value", platform) or (sys.platform if sys.platform in DEFAULT_MACHINE else "linux")
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


def merge_options(*groups: dict) -> dict:
    """Config changes of several option groups; their ``disabled`` sets are united."""
    out: dict = {}
    for group in groups:
        for key, value in group.items():
            out[key] = out[key] | value if key == "disabled" and key in out else value
    return out


def history_options(as_of: Optional[str], people: bool, show_emails: bool, no_history: bool,
                    include_interpreter: bool = False) -> dict:
    """Config fields of the git-history options (``--as-of`` is validated here: exit 2 when bad)."""
    if as_of is not None:  # validated only when given: the history module is not imported otherwise
        from auditor.people.history import as_of_timestamp

        as_of_timestamp(as_of)
    out: dict = {"as_of": as_of, "people": people, "show_emails": show_emails, "include_interpreter": include_interpreter}
    if no_history:
        out["disabled"] = frozenset({"history"})
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


def signal_options(osv_db: Optional[Path], osv_url: Optional[str], vuln_service: Any, build_deps: bool) -> dict:
    """Config fields of the signal options (vulnerability source, build edges)."""
    extra: dict = {"vulnerability_service": getattr(vuln_service, "value", vuln_service) or "osv",
                   "build_deps": build_deps}
    if osv_db is not None:
        extra["osv_db"] = osv_db
    if osv_url:
        extra["osv_url"] = osv_url
    return extra


def disable_options(names: Optional[list[str]]) -> dict:
    """Config changes for ``--disable NAME`` (repeatable): added to ``Config.disabled``."""
    return {"disabled": frozenset(names)} if names else {}


def open_input(input_path: Optional[Path], env: bool, python: Optional[str], input_format: Optional[str] = None,
               **options: Any):
    """The Source for the command line's input choice.

    Args:
        options: source options (``resolver``, ``allow_build``), passed to
            sources whose constructor accepts them.

    Raises:
        InputError: no input, or more than one, or a missing file.
    """
    conda_prefix = options.pop("conda_prefix", None)
    chosen = sum(bool(x) for x in (input_path, env, python, conda_prefix))
    if chosen != 1:
        raise InputError("give exactly one input: a requirements/lock file, --env, --python PATH or --conda-prefix PATH")
    if conda_prefix:
        from auditor.sources.conda import CondaPrefixSource

        return CondaPrefixSource(conda_prefix)
    if env or python:
        from auditor.sources.environment import EnvironmentSource

        return EnvironmentSource(python)
    from auditor.sources.registry import open_source

    return open_source(input_path, input_format, **options)
