"""The one table of output formats: (command, name) -> a pure renderer.

Every report the CLI writes is looked up here, and the ``--format`` choices
of each command come from here.  A :class:`Format` names its writer as
``"module:function"``; the module is imported only when that format is
rendered, so importing this table costs nothing.

A writer has the shape ``writer(subject, out, **options)`` and writes only to
the text stream *out*; :meth:`Format.render` turns it into the pure
``render(subject, **options) -> str``; the CLI hands :meth:`Format.write` to
:func:`auditor.report.write.emit_report`, which streams it into the ``-o`` file.

Subjects per command:

* ``audit`` and ``explain``: an :class:`~auditor.pipeline.AuditResult`;
* ``diff``: a :class:`~auditor.gate.GateOutcome`;
* ``people``: a :class:`~auditor.report.people.PeopleView`.

A *folder format* (``folder=True``: several files, e.g. one CSV or Parquet
table per node kind) has a writer ``writer(subject, directory, **options)``
that writes files into *directory*; :meth:`Format.write_folder` runs it
through :func:`auditor.report.write.write_tree`, so the ``-o`` folder is
replaced whole or not at all.  Such a format needs ``-o`` and has no
:meth:`Format.render`.
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Format:
    """One output format of one command.

    Attributes:
        command: the command it belongs to (``audit``, ``diff``, ``people``, ``explain``).
        name: the ``--format`` value.
        writer: ``"module:function"``; the function is ``writer(subject, out, **options)``.
        options: the keyword options the writer accepts (others are dropped by :meth:`render`).
        folder: the writer writes files into a folder (see the module docstring).
    """

    command: str
    name: str
    writer: str
    options: tuple[str, ...] = ()
    folder: bool = False

    def load(self) -> Callable[..., None]:
        """The writer function (imports its module)."""
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module), function)

    def render(self, subject: Any, **options: Any) -> str:
        """The report of *subject* as text (pure: nothing is written anywhere).

        Args:
            subject: what the command produced (see the module docstring).
            options: e.g. ``limit``, ``color``, ``width``, ``package``; those
                this format does not take are ignored.
        """
        out = io.StringIO()
        self.write(subject, out, **options)
        return out.getvalue()

    def write(self, subject: Any, out: Any, **options: Any) -> None:
        """Write the report of *subject* to the text stream *out* (what :meth:`render` collects;
        the CLI streams it into the ``-o`` file with :func:`auditor.report.write.emit_report`)."""
        if self.folder:
            raise TypeError(f"{self.name} is a folder format: use write_folder")
        self.load()(subject, out=out, **self._own(options))

    def write_folder(self, subject: Any, directory: Path | str, **options: Any) -> None:
        """Write the folder report of *subject* to *directory* (replaced whole; see :func:`~auditor.report.write.write_tree`).

        Raises:
            OutputError: *directory* cannot be written or is not auditor's to replace (exit code 2).
        """
        from auditor.report.write import write_tree

        writer, own = self.load(), self._own(options)
        write_tree(directory, lambda tmp: writer(subject, tmp, **own))

    def _own(self, options: dict[str, Any]) -> dict[str, Any]:
        """The options this format takes (the others are dropped)."""
        return {k: v for k, v in options.items() if k in self.options}


#: Terminal options of the rich-based writers (colour on/off, width in columns).
_TERMINAL = ("color", "width")

#: Every format, in ``--format`` help order per command (the first is the default).
TABLE: tuple[Format, ...] = (
    Format("audit", "table", "auditor.report.table:render", ("limit", "verbose", *_TERMINAL)),
    Format("audit", "json", "auditor.report.json_report:render", ("verbose",)),
    Format("audit", "graphml", "auditor.report.graphml:render"),
    Format("audit", "markdown", "auditor.report.audit_markdown:render", ("limit",)),
    Format("audit", "sarif", "auditor.report.audit_sarif:render"),
    Format("audit", "cyclonedx-json", "auditor.report.cyclonedx:render_json"),
    Format("audit", "cyclonedx-xml", "auditor.report.cyclonedx:render_xml"),
    Format("audit", "github-snapshot", "auditor.report.github_snapshot:render", ("github",)),
    Format("audit", "neo4j", "auditor.report.neo4j:render", folder=True),
    Format("audit", "html", "auditor.report.html:render"),
    Format("audit", "parquet", "auditor.report.parquet:render", folder=True),
    Format("diff", "markdown", "auditor.report.diff_markdown:render"),
    Format("diff", "sarif", "auditor.report.sarif:render_policy", ("base_dir",)),
    Format("diff", "json", "auditor.report.diff_json:render"),
    Format("diff", "html", "auditor.report.diff_html:render"),
    Format("people", "table", "auditor.report.people:render_table", ("limit", *_TERMINAL)),
    Format("people", "json", "auditor.report.people:render_json"),
    Format("explain", "text", "auditor.report.explain:render", ("package", *_TERMINAL)),
)

#: ``audit --format`` name -> module with a ``render(result, out)`` function
#: (docs/formats-audit.md; kept for callers that stream themselves; folder formats excluded).
FORMATS: dict[str, str] = {f.name: f.writer.partition(":")[0] for f in TABLE if f.command == "audit" and not f.folder}


def names(command: str) -> list[str]:
    """The format names of *command*, the default first."""
    return [f.name for f in TABLE if f.command == command]


def get(command: str, name: str) -> Format:
    """The format *name* of *command*.

    Raises:
        OutputError: no such format (exit code 2).
    """
    for f in TABLE:
        if f.command == command and f.name == name:
            return f
    from auditor.errors import OutputError

    raise OutputError(f"unknown {command} format {name!r} (choose from: {', '.join(names(command))})")


def render(command: str, name: str, subject: Any, **options: Any) -> str:
    """Shorthand for ``get(command, name).render(subject, **options)``."""
    return get(command, name).render(subject, **options)


def renderer(name: str) -> Callable[..., None]:
    """The streaming ``render(result, out, ...)`` function of ``audit`` format *name* (a key of :data:`FORMATS`)."""
    return get("audit", name).load()
