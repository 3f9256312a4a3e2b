"""The figures every audit format prints, worded once.

The numbers come from ``AuditResult.root`` (computed once by
:func:`auditor.pipeline.summarize`); this module only words them, so the
table, Markdown, SARIF and JSON say the same thing.  Plain text: callers
escape for their format.
"""

from __future__ import annotations

from auditor.models import Unknown


def _count(value) -> str:
    return str(value) if not isinstance(value, Unknown) else f"unknown ({value.reason})"


def summary_text(result) -> str:
    """The one summary line every text format shares (figures from ``result.root``, computed once)."""
    root = result.root
    parts = []
    if root.maintainers or not root.maintainers_unknown:  # never a bare 0 when some owners are not known
        parts.append(f"{root.maintainers} PyPI accounts")
    if root.organizations:
        parts.append(f"{root.organizations} organizations")
    publishers = "publishers: " + " + ".join(parts)
    if root.maintainers_unknown:
        detail = [f"{root.maintainers_not_public} owned by an organization, members not public"] if root.maintainers_not_public else []
        other = root.maintainers_unknown - root.maintainers_not_public
        if other:
            detail.append(f"{other} unknown")
        publishers += f" (accounts not known for {root.maintainers_unknown} packages: {', '.join(detail)})"
    return (f"{root.packages} packages ({root.direct} direct), {root.repositories} repositories "
            f"({root.unmapped} packages unmapped); {publishers}; contributors: {_count(root.contributors)}")


def interpreter_text(result) -> str | None:
    """The interpreter's own line: not scored, and what the people reach says about it."""
    node = result.nodes.get("python")
    if node is None:
        return None
    repo = node.mapping.repo.url if node.mapping.repo else "no repository"
    return (f"Interpreter: python {node.distribution.version or '?'} ({repo}); not scored "
            f"(not a PyPI project); {people_reach_note(result)}")


def people_reach_note(result) -> str:
    """Whether the people reach counts CPython's contributors (issue 12)."""
    node = result.nodes.get("python")
    history = node.signals.get("history") if node is not None else None
    if history is not None and not isinstance(history, Unknown):
        return "people reach includes CPython"
    return "people reach excludes CPython; --include-interpreter adds it"
