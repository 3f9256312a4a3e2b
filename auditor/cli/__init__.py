"""The ``auditor`` command line (typer).

* :mod:`auditor.cli.options`: every option, declared once;
* :mod:`auditor.cli.runconfig`: options -> Config and input Source;
* :mod:`auditor.cli.guard`: the one error wrapper (exit codes, see :class:`~auditor.errors.ExitCode`);
* :mod:`auditor.cli.commands`: ``audit``, ``explain``, ``people``, ``diff``;
* formats come from :mod:`auditor.report.registry`, output goes through
  :func:`auditor.report.write.emit`.

Importing this package is cheap: the pipeline, networking, networkx, rich
and the report modules are imported only by the command that runs.
"""

from auditor.cli.commands import app, main
from auditor.cli.options import collector_names
from auditor.cli.runconfig import make_config, open_input

__all__ = ["app", "main", "collector_names", "make_config", "open_input"]
