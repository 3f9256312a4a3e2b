"""Scoring: one module per factor, aggregated by :mod:`auditor.scoring.aggregate`."""
