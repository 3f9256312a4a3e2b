"""The package a per-package report (``auditor explain``, ``auditor people``) is about."""

from __future__ import annotations

from auditor.errors import InputError
from auditor.models import PackageNode, normalize_name


def audited_node(result, package: str) -> PackageNode:
    """*package*'s node in the audit *result* (the name is PEP 503 normalized first).

    Raises:
        InputError: *package* is not in the audited set (the message gives its size).
    """
    node = result.nodes.get(normalize_name(package))
    if node is None:
        raise InputError(f"{package!r} is not in the audited set ({len(result.nodes)} packages)")
    return node
