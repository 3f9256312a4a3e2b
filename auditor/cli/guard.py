"""The one error-handling wrapper: every command gets the README's exit codes.

* the command returns normally: its return value (an :class:`~auditor.errors.ExitCode`
  or None for 0) is the exit code;
* :class:`~auditor.errors.AuditorError`: one line ``auditor: error: <message>``
  on stderr (the message names the file and line when known), exit with the
  error's code (2 for bad usage or input);
* Ctrl-C: exit 130;
* any other exception: one line ``auditor: internal error: <type>: <message>``,
  exit 4; the traceback is printed only with ``--verbose`` or when
  ``$AUDITOR_DEBUG`` is set to a non-empty value other than ``0``.

typer's own exits and usage errors pass through unchanged.  :func:`internal_error`
also serves :func:`auditor.cli.main` for errors outside a command (option callbacks).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from typing import Any, Callable

import typer

from auditor.errors import AuditorError, ExitCode

#: Environment variable that asks for tracebacks of internal errors.
DEBUG_ENV = "AUDITOR_DEBUG"

#: Exceptions that are typer's/click's own control flow (exit, abort, usage errors).
_PASS_THROUGH: tuple[type[BaseException], ...] = (
    typer.Exit, typer.Abort, next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def wants_traceback(verbose: bool = False) -> bool:
    """True when an internal error should print its traceback."""
    return verbose or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def internal_error(exc: BaseException, verbose: bool = False) -> int:
    """Report an unexpected exception as one line on stderr (traceback if asked); the exit code (4)."""
    if wants_traceback(verbose):
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"auditor: internal error: {type(exc).__name__}: {_one_line(str(exc))}", err=True)
    return int(ExitCode.INTERNAL)


def guarded(command: Callable[..., Any]) -> Callable[..., None]:
    """Wrap a typer command so that it exits with the README's codes (see the module docstring).

    The wrapper keeps *command*'s signature (typer reads the options from it).
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except _PASS_THROUGH:
            raise
        except AuditorError as exc:
            typer.echo(f"auditor: error: {_one_line(str(exc))}", err=True)
            raise typer.Exit(int(exc.exit_code)) from exc
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the one place unexpected errors become an exit code
            raise typer.Exit(internal_error(exc, bool(kwargs.get("verbose")))) from None
        if code:
            raise typer.Exit(int(code))

    return run
