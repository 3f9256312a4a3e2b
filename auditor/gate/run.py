"""``auditor diff``: audit two inputs, diff them, apply a policy, write a report.

Everything the CLI's ``diff`` command does is callable from here:

* :func:`open_sides` turns ``BASE HEAD`` or ``--git-base REV PATH`` into two
  :class:`~auditor.sources.interface.Source` objects (via
  :func:`auditor.sources.registry.open_source`);
* :func:`audit` runs the pipeline (:func:`auditor.pipeline.run_audit`) on one side;
* :func:`run_gate` does both sides, :func:`auditor.gate.diff.diff_audits` and
  :func:`auditor.gate.evaluate.evaluate`, and returns a :class:`GateOutcome`,
  which the CLI renders through the format registry
  (:mod:`auditor.report.registry`, command ``diff``).

Git access goes through :mod:`auditor.net.revision` (:func:`~auditor.net.revision.git_show`,
:func:`~auditor.net.revision.git_archive`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.config import DEFAULT_MAX_INPUT_BYTES, Config
from auditor.errors import ExitCode, InputError
from auditor.gate.diff import AuditDiff, diff_audits
from auditor.gate.evaluate import PolicyResult, evaluate
from auditor.gate.policy import Policy, load_policy
from auditor.gate.views import AuditView, audit_view
from auditor.net.context import Progress, RunContext
from auditor.net.revision import NotAtRevision, git_archive, git_show
from auditor.sources.interface import Source
from auditor.sources.registry import TEXT_CAPABLE, detect, open_source

# --------------------------------------------------------------------------
# Sides, audits, the gate
# --------------------------------------------------------------------------


class EmptySource(Source):
    """The base side when the file does not exist at the base revision: nothing installed."""

    name = "empty"

    def __init__(self, label: str):
        self.label = label

    def collect(self, ctx: RunContext):
        """An empty :class:`~auditor.models.Inventory` for ``ctx.config.target``."""
        from auditor.models import Inventory

        t = ctx.config.target
        return Inventory(self.label, "lockfile", (), (), t, t.python_full_version or t.python_version, "none")


@dataclass
class Side:
    """One side of the diff.

    Attributes:
        label: shown in reports (``path`` or ``path@rev``).
        source: the input.
        tmp: a temporary directory to clean up, if one was made.
    """

    label: str
    source: Source
    tmp: tempfile.TemporaryDirectory | None = None
    hub_scan: tuple[Path, ...] | None = None  # the --scan paths at this side's revision (None: Config's)
    hub_tmp: tempfile.TemporaryDirectory | None = None


def open_sides(base: str | None, head: str, git_base: str | None = None, input_format: str | None = None,
               **options: Any) -> tuple[Side, Side]:
    """The two sides of ``auditor diff``.

    Args:
        base: the base file (``auditor diff BASE HEAD``); ignored with *git_base*.
        head: the head file (or PATH with *git_base*).
        git_base: a git revision: the base side is PATH at that revision.
        input_format: forces the format of both sides (``--input-format``).
        **options: passed to the sources (e.g. ``all_platforms``,
            ``max_input_bytes``, which also bounds what ``--git-base`` reads).

    Raises:
        InputError: missing arguments, unreadable files, git failures.
    """
    head_path = Path(head)
    if not head_path.is_file():
        raise InputError("no such file", str(head))
    fmt = input_format or detect(head_path)
    max_bytes = options.get("max_input_bytes") or DEFAULT_MAX_INPUT_BYTES
    head_side = Side(str(head), open_source(head_path, fmt, **options))
    if git_base:
        label = f"{head}@{git_base}"
        if fmt in TEXT_CAPABLE:
            try:
                text = git_show(git_base, head_path, max_bytes)
            except NotAtRevision:  # the change adds this file: everything in it is new
                return Side(label + " (absent)", EmptySource(label)), head_side
            return Side(label, open_source(head_path, fmt, text=text, **options)), head_side
        tmp = tempfile.TemporaryDirectory(prefix="auditor-base-")
        where = git_archive(git_base, head_path, Path(tmp.name), max_bytes)
        if not where.is_file():
            tmp.cleanup()
            return Side(label + " (absent)", EmptySource(label)), head_side
        return Side(label, open_source(where, fmt, **options), tmp), head_side
    if base is None:
        raise InputError("auditor diff needs BASE and HEAD files, or --git-base REV PATH")
    if not Path(base).is_file():
        raise InputError("no such file", str(base))
    return Side(str(base), open_source(Path(base), input_format or detect(base), **options)), head_side


def audit(config: Config, side: Side, progress=None, ctx=None) -> AuditView:
    """Audit one side with the pipeline; an edges-only view when it is not available.

    Source of every fact: :func:`auditor.pipeline.run_audit`.

    Args:
        ctx: a :class:`~auditor.net.context.RunContext` shared by both sides
            (parsed PyPI documents are reused); one per call when None.
    """
    try:
        from auditor.pipeline import run_audit
    except ImportError:  # pipeline not in this build: inventory only
        if ctx is not None:
            return audit_view(side.source.collect(ctx), side.label)
        with RunContext(config) as own:
            return audit_view(side.source.collect(own), side.label)
    if side.hub_scan is not None:
        config = config.with_changes(hub_scan=side.hub_scan)
    result = run_audit(config, side.source, progress=progress, ctx=ctx)
    return audit_view(result, side.label)


@dataclass(frozen=True)
class GateOutcome:
    """What ``auditor diff`` decided.

    Attributes:
        diff: the :class:`~auditor.gate.diff.AuditDiff`.
        result: the policy result.
        exit_code: the process exit code (see :meth:`PolicyResult.exit_code`).
    """

    diff: AuditDiff
    result: PolicyResult
    exit_code: ExitCode


def run_gate(config: Config, base: Side, head: Side, policy: Policy | None = None, fail_on_unknown: bool = False,
             progress=None) -> GateOutcome:
    """Audit both sides, diff them, evaluate the policy (the default one when None)."""
    ctx = RunContext(config, progress or Progress())
    try:
        before = audit(config, base, progress, ctx)
        after = audit(config, head, progress, ctx)
    finally:
        ctx.close()
        for side in (base, head):
            for tmp in (side.tmp, side.hub_tmp):
                if tmp is not None:
                    tmp.cleanup()
    diff = diff_audits(before, after)
    result = evaluate(policy or load_policy(), diff)
    return GateOutcome(diff, result, result.exit_code(fail_on_unknown))


def scan_at_revision(side: Side, paths: tuple[Path, ...], rev: str, max_bytes: int) -> Side:
    """*side* with the ``--scan`` *paths* as they are at git revision *rev* (extracted into a
    temporary directory; a path absent at *rev* is left out, so everything it loads is new in the head).

    Raises:
        InputError: a git failure or a tree over the size limit (:func:`auditor.net.revision.git_archive`).
    """
    from dataclasses import replace

    tmp = tempfile.TemporaryDirectory(prefix="auditor-scan-")
    out = []
    for path in paths:
        where = git_archive(rev, path, Path(tmp.name) / str(len(out)), max_bytes)
        if where.exists():
            out.append(where)
    return replace(side, hub_scan=tuple(out), hub_tmp=tmp)


def worst(codes: list[ExitCode]) -> ExitCode:
    """The exit code of several diffs: a failure beats incomplete beats pass."""
    for code in (ExitCode.POLICY_FAILURE, ExitCode.INCOMPLETE):
        if code in codes:
            return code
    return ExitCode.OK
