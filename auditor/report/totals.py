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


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def publishers_text(accounts, organizations: int, unknown: int, not_public: int) -> str:
    """Who can publish, in words: never a bare 0 beside packages whose accounts are not known.

    Args:
        accounts: distinct publish-capable PyPI accounts (an int, or Unknown when none is known).
        organizations: distinct PyPI organizations owning a package.
        unknown: packages whose accounts are not known.
        not_public: of those, packages owned by an organization whose members are not public.

    Shared by the audit summary (:func:`summary_text`) and ``auditor diff``'s totals.
    """
    parts = []
    if isinstance(accounts, int) and (accounts or not unknown):
        parts.append(_n(accounts, "PyPI account"))
    if organizations:
        parts.append(_n(organizations, "organization"))
    text = " + ".join(parts) or "unknown"
    if unknown:
        detail = [f"{not_public} owned by an organization, members not public"] if not_public else []
        if unknown - not_public:
            detail.append(f"{unknown - not_public} unknown")
        text += f" (accounts not known for {_n(unknown, 'package')}: {', '.join(detail)})"
    return text


def summary_text(result) -> str:
    """The one summary line every text format shares (figures from ``result.root``, computed once)."""
    root = result.root
    publishers = "publishers: " + publishers_text(root.maintainers, root.organizations, root.maintainers_unknown,
                                                  root.maintainers_not_public)
    return (f"{root.packages} packages ({root.direct} direct), {root.repositories} repositories "
            f"({_n(root.unmapped, 'package')} unmapped); {publishers}; contributors: {_count(root.contributors)}")


def hub_text(result) -> str | None:
    """The Hub references' line (``--scan``/``--model``/``--dataset``; docs/models.md), or ``None`` without them."""
    hub = result.hub
    if hub is None:
        return None
    kinds = {}
    for ref in hub.references:
        kinds.setdefault(ref.kind, set()).add(ref.repo_id)
    found = ", ".join(_n(len(kinds[k]), k) for k in sorted(kinds)) or "none"
    pinned = sum(1 for ref in hub.references if ref.pinned)
    return (f"Hugging Face Hub: {found} loaded ({_n(len(hub.references), 'reference')}, {pinned} pinned to a commit; "
            f"{_n(hub.files, 'file')} scanned, {_n(len(hub.unresolved), 'call')} not resolvable statically, "
            f"{_n(len(hub.skipped), 'file')} not parsed; details: --format json)"
            + ("" if result.hub_facts is None else hub_facts_text(result.hub_facts)) + hub_scores_text(result))


def hub_scores_text(result) -> str:
    """``; highest Hub exposure: 62.5 model:org/x`` (the repositories' scores, scoring/hub.py), or ``""``."""
    known = [(s.total, nid) for nid, s in result.hub_scores.items() if not isinstance(s.total, Unknown)]
    if not known:
        return ""
    total, nid = max(known, key=lambda t: (t[0], t[1]))
    return f"; highest Hub exposure: {total:g} {nid}"


def hub_facts_text(facts) -> str:
    """``. Hub facts: N known, M unknown (why); K Hub accounts can change them`` (appended to :func:`hub_text`):
    ``at least K`` when some repositories are unknown, and no number when none is known."""
    known = sum(1 for f in facts.repos.values() if not isinstance(f, Unknown))
    unknown = len(facts.repos) - known
    # "model org/x: not found on the Hub" -> "not found on the Hub": one reason for all the repositories it hit
    reasons = sorted({f.reason.split(": ", 1)[1] if f.reason.startswith(nid.replace(":", " ", 1) + ": ") else f.reason
                      for nid, f in facts.repos.items() if isinstance(f, Unknown)})
    why = f" ({'; '.join(reasons[:2])}{' …' if len(reasons) > 2 else ''})" if reasons else ""
    # accounts are counted where the history and members are known: never a bare 0 when they are not
    people = len(facts.people())
    loaded = [f for nid, f in facts.repos.items() if nid in facts.referenced]
    complete = [f for f in loaded if not isinstance(f, Unknown)
                and isinstance(f.authors, tuple) and not isinstance(f.members, Unknown)]
    accounts = ("the Hub accounts that can change them are unknown" if not people and not complete else
                f"{_n(people, 'Hub account')} can change them" if len(complete) == len(loaded) else
                f"at least {_n(people, 'Hub account')} can change them ({len(loaded) - len(complete)} "
                f"{'repository' if len(loaded) - len(complete) == 1 else 'repositories'} not counted)")
    bases = sum(1 for nid in facts.repos if nid not in facts.referenced)
    total = len(facts.repos)
    of = f" on {total} {'repository' if total == 1 else 'repositories'} ({_n(bases, 'base model')} among them)" \
        if bases else ""
    return f". Hub facts{of}: {known} known, {unknown} unknown{why}; {accounts}"


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
