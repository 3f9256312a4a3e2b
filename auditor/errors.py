"""Exceptions, one per stage, and the process exit codes (defined once, here).

A single package that cannot be handled is *data* (an
:class:`~auditor.models.Unknown` on its node), never an exception.  A stage
that cannot run at all raises its :class:`AuditorError` subclass, chained
from the cause; only the CLI turns these into messages and exit codes.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes of the ``auditor`` command (documented in the README)."""

    OK = 0
    #: ``auditor diff``: the policy failed.
    POLICY_FAILURE = 1
    #: Bad usage or bad input (malformed requirements line, corrupt lockfile, ...).
    USAGE = 2
    #: The run completed, but some data could not be collected (network
    #: failure, unknown package, rate limit): every output says what is missing.
    INCOMPLETE = 3
    #: A stage failed unexpectedly (a bug, or an environment auditor cannot use).
    INTERNAL = 4


class AuditorError(Exception):
    """Base class of every error auditor raises on purpose.

    Attributes:
        exit_code: the :class:`ExitCode` the CLI exits with.
    """

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(AuditorError):
    """Bad input: names the file and line when known (exit code 2).

    Args:
        message: what is wrong, one line.
        file: the input file, if any.
        line: 1-based line number, if known.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        super().__init__(f"{where}{message}")


class ResolutionError(AuditorError):
    """The resolver (uv or pip) could not produce a pinned set (exit code 2:
    the input names something that cannot be installed)."""

    exit_code = ExitCode.USAGE


class SourceError(AuditorError):
    """A source cannot read its input at all (e.g. an interpreter that does not run)."""

    exit_code = ExitCode.USAGE


class NetworkError(AuditorError):
    """A network stage failed as a whole (not one package: those become Unknown)."""

    exit_code = ExitCode.INCOMPLETE


class ConfigError(AuditorError):
    """Invalid configuration, weights or policy file (exit code 2)."""

    exit_code = ExitCode.USAGE


class OutputError(AuditorError):
    """A report could not be written."""

    exit_code = ExitCode.USAGE
