"""The figures every audit format prints, worded once.

The numbers come from ``AuditResult.root`` (computed once by
:func:`auditor.pipeline.summarize`); this module only words them, so the
table, Markdown, SARIF and JSON say the same thing.  Plain text: callers
escape for their format.
"""

from __future__ import annotations

from auditor.models import Unknown


def _n(count: int, word: str) -> str:
    """``"1 library"``, ``"2 libraries"``, ``"2 upstream repositories"``, ``"3 packages"``."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else f"{count} {word}s"


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
    return (f"{_n(root.packages, 'package')} ({root.direct} direct), {_n(root.repositories, 'repository')} "
            f"({_n(root.unmapped, 'package')} unmapped); {publishers}; {people_text(root.people)}")


#: How each origin of people reach is named (auditor/graph/reach.py), what one of its unknown sources is, and
#: what one of its sources with nobody to count is.
ORIGIN_WORDS = {"git": ("git/forge contributors", "package", "package"),
                "hub": ("Hugging Face Hub accounts", "Hub repository", "Hub repository"),
                "conda": ("conda-forge recipe maintainers", "recipe", "conda package"),
                "native": ("native library upstream contributors", "upstream repository", "library")}


def _grouped(entries, limit: int = 2) -> str:
    """``"no source repository (2); git clone failed"``: the reasons of ``"what: reason"`` *entries*, most frequent first."""
    counts: dict[str, int] = {}
    for entry in entries:
        reason = entry.split(": ", 1)[-1]
        counts[reason] = counts.get(reason, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    text = "; ".join(f"{r} ({c})" if c > 1 else r for r, c in ranked[:limit])
    return text + (f"; {len(ranked) - limit} more reasons" if len(ranked) > limit else "")


def people_text(reach) -> str:
    """``people reach: at least N (git/forge contributors A, ...; K in more than one origin); unknown: ...``.

    *reach* is ``RootSummary.people`` (:class:`~auditor.models.ReachBreakdown` or Unknown).  Every part
    whose sources are not all known is named with its reasons and the total says "at least": never a
    silent zero.  Sources with nobody to count by design (a closed-source library) are listed as not counted.
    """
    if isinstance(reach, Unknown):
        return f"people reach: unknown ({reach.reason})"
    def words(origin: str) -> tuple[str, str, str]:
        return ORIGIN_WORDS.get(origin, (origin, "source", "source"))

    parts = ", ".join(f"{words(p.origin)[0]} {p.people}" for p in reach.parts)
    overlap = f"; {reach.overlap} in more than one origin" if reach.overlap else ""
    text = f"people reach: {'at least ' if reach.at_least else ''}{reach.people} ({parts}{overlap})"
    unknown = [f"{words(p.origin)[0]} of {_n(len(p.unknown), words(p.origin)[1])} ({_grouped(p.unknown)})"
               for p in reach.parts if p.unknown]
    notes = [f"{_n(len(p.notes), words(p.origin)[2])} ({_grouped(p.notes)})" for p in reach.parts if p.notes]
    if unknown:
        text += "; unknown: " + ", ".join(unknown)
    if notes:
        text += "; nobody to count: " + ", ".join(notes)
    return text


def people_properties(reach) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of the people reach for property lists (CycloneDX): the total, each origin's
    count and its unknown sources (``"unknown: <reason>"`` when the whole figure is unknown)."""
    if isinstance(reach, Unknown):
        return [("auditor:summary:people", f"unknown: {reach.reason}")]
    out = [("auditor:summary:people", f"{'at least ' if reach.at_least else ''}{reach.people}"),
           ("auditor:summary:people:overlap", str(reach.overlap))]
    for p in reach.parts:
        out.append((f"auditor:summary:people:{p.origin}", f"{'at least ' if p.unknown else ''}{p.people}"))
        if p.unknown:
            out.append((f"auditor:summary:people:{p.origin}:unknown", f"{len(p.unknown)} ({_grouped(p.unknown)})"))
        if p.notes:
            out.append((f"auditor:summary:people:{p.origin}:not-counted", f"{len(p.notes)} ({_grouped(p.notes)})"))
    return out


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
            + ("" if result.hub_facts is None else hub_facts_text(result.hub_facts, result.root.people))
            + hub_scores_text(result))


def hub_scores_text(result) -> str:
    """``; highest Hub exposure: 62.5 model:org/x`` (the repositories' scores, scoring/hub.py), or ``""``."""
    known = [(s.total, nid) for nid, s in result.hub_scores.items() if not isinstance(s.total, Unknown)]
    if not known:
        return ""
    total, nid = max(known, key=lambda t: (t[0], t[1]))
    return f"; highest Hub exposure: {total:g} {nid}"


def hub_facts_text(facts, reach=None) -> str:
    """``. Hub facts: N known, M unknown (why); K Hub accounts can change them`` (appended to :func:`hub_text`):
    ``at least K`` when some repositories are unknown, and no number when none is known.  K is the Hub
    part of people reach (*reach*, ``RootSummary.people``) when given, so the two lines agree."""
    known = sum(1 for f in facts.repos.values() if not isinstance(f, Unknown))
    unknown = len(facts.repos) - known
    # "model org/x: not found on the Hub" -> "not found on the Hub": one reason for all the repositories it hit
    reasons = sorted({f.reason.split(": ", 1)[1] if f.reason.startswith(nid.replace(":", " ", 1) + ": ") else f.reason
                      for nid, f in facts.repos.items() if isinstance(f, Unknown)})
    why = f" ({'; '.join(reasons[:2])}{' …' if len(reasons) > 2 else ''})" if reasons else ""
    # accounts are counted where the history and members are known: never a bare 0 when they are not
    part = reach.part("hub") if reach is not None and not isinstance(reach, Unknown) else None
    people = part.people if part is not None else len(facts.people())
    loaded = [f for nid, f in facts.repos.items() if nid in facts.referenced]
    complete = [f for f in loaded if not isinstance(f, Unknown)
                and isinstance(f.authors, tuple) and not isinstance(f.members, Unknown)]
    accounts = ("the Hub accounts that can change them are unknown" if not people and not complete else
                f"{_n(people, 'Hub account')} can change them" if len(complete) == len(loaded) else
                f"at least {_n(people, 'Hub account')} can change them ({len(loaded) - len(complete)} "
                f"{'repository' if len(loaded) - len(complete) == 1 else 'repositories'} not counted)")
    if part is not None:
        accounts += ", counted in people reach"
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
