"""Formatters: one module per output format, registered in :mod:`auditor.report.registry`."""
