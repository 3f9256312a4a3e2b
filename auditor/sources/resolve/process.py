"""Running a resolver subprocess: timeout, environment, and its error message as one line."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

from auditor.dist.redact import redact_url
from auditor.sources.resolve.request import ResolveRequest, ResolverUnavailable, write_inputs

#: Seconds a resolver subprocess may run before it is abandoned.  A cold
#: resolution of a large ML stack with pip takes well under a minute (see
#: docs/inputs.md); ten minutes only catches a hung process.
RESOLVER_TIMEOUT = 600.0


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    try:
        proc = subprocess.run(
            list(cmd),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=RESOLVER_TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise ResolverUnavailable(f"{cmd[0]} not found") from exc
    except OSError as exc:
        raise ResolverUnavailable(f"{cmd[0]} could not start ({exc})") from exc
    except subprocess.TimeoutExpired as exc:
        raise ResolverUnavailable(f"timed out after {RESOLVER_TIMEOUT:.0f} s") from exc
    return proc, time.monotonic() - start


#: uv environment variables passed through to the subprocess: transport
#: settings (TLS roots, timeouts, keyring) that a corporate network may need.
#: Every other ``UV_*`` variable (indexes, find-links, constraints, pre-release
#: and build policy) is dropped so that only auditor's explicit options decide
#: the resolution; pip runs with ``--isolated`` for the same reason.
UV_ENV_PASSTHROUGH = frozenset(
    {
        "UV_NATIVE_TLS",
        "UV_INSECURE_HOST",
        "UV_HTTP_TIMEOUT",
        "UV_HTTP_RETRIES",
        "UV_CONCURRENT_DOWNLOADS",
        "UV_KEYRING_PROVIDER",
    }
)


def clean_env() -> dict[str, str]:
    """The environment for resolver subprocesses (see :data:`UV_ENV_PASSTHROUGH`)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("UV_") and k not in UV_ENV_PASSTHROUGH) and not k.startswith("PIP_")
    }
    env["NO_COLOR"] = "1"
    return env


def summarize_error(stderr: str, tool: str) -> str:
    """One line from a resolver's error output: the error, its last cause, and its hint.

    uv prints ``error: ...``, then ``  cause: ...`` lines, then ``hint: ...``;
    pip prints ``ERROR: ...`` lines.
    """
    lines = _logical_lines(stderr)
    error = next((l for l in lines if l.lower().startswith("error:")), lines[-1] if lines else "no output")
    causes = [l for l in lines if l.startswith("cause:") or l.startswith("Caused by:")]
    hints = [l for l in lines if l.startswith("hint:")]
    text = error.split(":", 1)[1].strip() if error.lower().startswith("error:") else error
    if causes:
        cause = causes[-1].split(":", 1)[1].strip()
        text = f"{text}: {cause}" if text else cause
    if hints:
        text += f" ({hints[0]})"
    return redact_url(f"{tool}: {text}")


_MESSAGE_START = re.compile(r"^(error|cause|caused by|hint|help|warning|note):", re.I)


def _logical_lines(stderr: str) -> list[str]:
    """Stripped non-empty lines of *stderr*, with uv's wrapped continuations joined: uv breaks a
    long message at the terminal width (``error: Failed to build `sd @`` then an indented
    ``file:///...`` line), so an indented line after an error that starts no new part belongs to it."""
    out: list[str] = []
    in_error = False
    for raw in stderr.splitlines():
        line = raw.strip()
        if not line:
            continue
        if in_error and raw[:1].isspace() and not _MESSAGE_START.match(line) and out:
            out[-1] = f"{out[-1]} {line}"
            continue
        in_error = in_error or line.lower().startswith("error:")
        out.append(line)
    return out


def run_resolver(
    request: ResolveRequest, command: Callable[[Path, Path | None], list[str]], prefix: str
) -> tuple[subprocess.CompletedProcess, float]:
    """Run a resolver on *request* in a private temporary directory.

    Writes the input files there (:func:`~auditor.sources.resolve.request.write_inputs`:
    ``requirements.in`` and, with constraints, ``constraints.txt``), then runs
    ``command(infile, constraints_file_or_None)`` with :func:`clean_env`.

    Returns:
        ``(completed process, seconds)`` (see :func:`run`).

    Raises:
        ResolverUnavailable: the command cannot start or timed out.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        tmpdir = Path(tmp)
        infile = tmpdir / "requirements.in"
        write_inputs(request, infile)
        cons = tmpdir / "constraints.txt" if request.constraints else None
        return run(command(infile, cons), tmpdir, clean_env())
