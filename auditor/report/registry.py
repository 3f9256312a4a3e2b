"""The table of output formats: name -> module path, imported only when chosen."""

from __future__ import annotations

import importlib
from typing import Callable

#: ``--format`` name -> module with a ``render(result, out)`` function.
FORMATS: dict[str, str] = {
    "table": "auditor.report.table",
    "json": "auditor.report.json_report",
    "graphml": "auditor.report.graphml",
    "markdown": "auditor.report.audit_markdown",
    "sarif": "auditor.report.audit_sarif",
}


def renderer(name: str) -> Callable[..., None]:
    """The ``render`` function of format *name* (a key of :data:`FORMATS`)."""
    return importlib.import_module(FORMATS[name]).render
