"""auditor: a supply-chain auditor for Python and ML projects.

The pipeline (see ``docs/architecture.md``): a source resolves the input into
an :class:`~auditor.models.Inventory`; collectors map packages to
repositories and gather people and signals; the graph stage builds a
``networkx.DiGraph``; the scorer judges; formatters write reports.
Everything the CLI does is callable through :func:`auditor.pipeline.run_audit`.
"""

__version__ = "0.1.0"
