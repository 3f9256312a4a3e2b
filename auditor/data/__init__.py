"""Data files shipped with auditor (default policy, ...)."""
