"""Packaging knowledge, once: pure functions over names, tags, metadata and URLs.

Nothing here does I/O or imports from above :mod:`auditor.models`; every
module is built on :mod:`packaging` where it has the answer.

* :mod:`auditor.dist.filenames`: wheel and sdist file names -> name, version, tags.
* :mod:`auditor.dist.tags`: the wheel tags a :class:`~auditor.models.TargetEnvironment`
  supports (manylinux, macOS, Windows), and which wheel of a release it installs.
* :mod:`auditor.dist.metadata`: core metadata (METADATA, PKG-INFO, PEP 658 files,
  JSON ``info`` objects) -> :class:`~auditor.models.CoreMetadata`.
* :mod:`auditor.dist.markers`: PEP 508 environment markers, evaluated for a target.
* :mod:`auditor.dist.urls`: what a direct reference names (vcs, url, path), and
  PEP 610 direct URL data.
* :mod:`auditor.dist.redact`: credentials in URLs, removed from any text.
"""
