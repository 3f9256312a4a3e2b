"""Identity resolution: which git identities belong to one person.  All the rules live here.

Git records an identity as ``Name <email>``; one person uses many (a work
and a personal address, GitHub's noreply address, a name spelled two ways).
``.mailmap`` is applied before this module sees anything (by ``git log``
``%aN``/``%aE`` and ``git check-mailmap``); what is left is merged with the
rules below, as a union-find over *identity keys*: two identities that share
any key belong to the same person, transitively.

Keys of one identity (:func:`identity_keys`):

1. **E-mail, in any case**: ``email:<address lower-cased>``.  Addresses that
   many unrelated people share by accident (:data:`GENERIC_EMAILS`, e.g.
   ``you@example.com`` from tutorials) give no key.
2. **GitHub noreply forms**: ``12345+login@users.noreply.github.com`` and
   ``login@users.noreply.github.com`` give ``login:<login>``; the first also
   gives ``ghid:12345`` (GitHub's numeric user id, which survives a login
   rename, so ``12345+old@`` and ``12345+new@`` merge).  A login learnt
   elsewhere (an enricher's contributors list: :meth:`IdentityResolver.link`)
   joins through the same ``login:`` key.  GitLab's
   ``123-login@users.noreply.gitlab.com`` forms give ``gitlab:``/``glid:``
   keys (:data:`GITLAB_NOREPLY_RE`), separate from GitHub logins.
3. **The same full name across e-mails, for multi-word names only**:
   ``name:<casefolded, NFKC, whitespace collapsed>`` when the name has at
   least :data:`MIN_NAME_WORDS` words, so that "John Smith" merges but
   "john" or "admin" never merges strangers.  Placeholder names
   (:data:`GENERIC_NAMES`, e.g. "Your Name") give no key.

Bots are not people (:func:`bot_key`): ``[bot]`` accounts, names ending in
"bot" as a word, the automation accounts in :data:`BOT_LOGINS` (dependabot,
pre-commit-ci, github-actions, ...), AI coding agents named in co-author
trailers (:data:`AUTOMATION_EMAILS`), and the forge's own committer identity
for web edits and merge buttons (GitHub's ``web-flow``:
``GitHub <noreply@github.com>``, :data:`FORGE_COMMITTER_EMAILS`).  They are
counted, not merged.

Resolution is global: one :class:`IdentityResolver` is fed the identities
of every audited repository, so one person who committed to numpy and scipy
is one :class:`~auditor.models.Person`.  Each person keeps every name,
e-mail and login it was built from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from auditor.models import ForgeFacts, Person

#: GitHub noreply address: optional ``<numeric id>+`` then the login.
#: Source: GitHub docs, "Setting your commit email address" (noreply format).
NOREPLY_RE = re.compile(r"^(?:(?P<id>\d+)\+)?(?P<login>[^@+\s]+)@users\.noreply\.github\.com$", re.I)

#: GitLab's private commit address: ``<numeric id>-<username>@users.noreply.gitlab.com``.
#: Source: GitLab docs, "Use an automatically-generated private commit email".
#: Merged like GitHub's (keys ``gitlab:<username>``, ``glid:<id>``), never with GitHub logins.
GITLAB_NOREPLY_RE = re.compile(r"^(?:(?P<id>\d+)-)?(?P<login>[^@\s]+)@users\.noreply\.gitlab\.com$", re.I)

#: A full name needs at least this many words to merge identities by name.
MIN_NAME_WORDS = 2

#: Addresses shared by unrelated people (tool defaults, placeholders): never a merge key.
GENERIC_EMAILS = frozenset({
    "", "none", "none@none", "unknown", "unknown@unknown", "root@localhost",
    "root@localhost.localdomain", "you@example.com", "your_email@example.com",
    "email@example.com", "user@example.com", "noreply@github.com", "noreply@gitlab.com",
})

#: Placeholder names: never a merge key.
GENERIC_NAMES = frozenset({"your name", "unknown author", "no author", "root user", "the author"})

#: Automation accounts (GitHub logins or commit names, lower case), excluded as bots.
BOT_LOGINS = frozenset({
    "dependabot", "dependabot-preview", "pre-commit-ci", "github-actions", "renovate",
    "renovate-bot", "greenkeeper", "snyk-bot", "pyup-bot", "allcontributors",
    "codecov-io", "imgbot", "web-flow", "github", "gitlab", "copilot", "copilot-swe-agent",
})

#: The forge's own committer identity for web edits and merge-button merges
#: (GitHub's ``web-flow`` account commits as ``GitHub <noreply@github.com>``).
FORGE_COMMITTER_EMAILS = frozenset({"noreply@github.com", "noreply@gitlab.com"})

#: Addresses of automation and AI coding agents seen in ``Co-authored-by``
#: trailers of numpy and scipy (2025): tools, not people.
AUTOMATION_EMAILS = frozenset({"noreply@anthropic.com", "oz-agent@warp.dev", "bot@stepsecurity.io"})


def normalize_email(email: str) -> str:
    """Lower-cased, trimmed address (``<``/``>`` removed)."""
    return email.strip().strip("<>").strip().lower()


def normalize_name(name: str) -> str:
    """NFKC, casefolded, whitespace-collapsed name (the key of rule 3)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def noreply_login(email: str) -> tuple[str, str | None] | None:
    """``(login, numeric id or None)`` for a GitHub noreply address, else None."""
    m = NOREPLY_RE.match(normalize_email(email))
    if not m:
        return None
    return m.group("login").lower(), m.group("id")


def bot_key(name: str, email: str) -> str | None:
    """A stable key (``"bot:<login or address>"``) when *name*/*email* is a bot, else None.

    Bots: a ``[bot]`` suffix on the name or noreply login, a name or noreply
    login in :data:`BOT_LOGINS` (``-bot``/``[bot]`` suffixes stripped), or an
    address in :data:`FORGE_COMMITTER_EMAILS`.
    """
    e = normalize_email(email)
    n = name.strip().lower()
    nr = noreply_login(e)
    login = nr[0] if nr else None
    if e in FORGE_COMMITTER_EMAILS or e in AUTOMATION_EMAILS:
        return f"bot:{e}"
    if n.endswith(" bot"):  # "StepSecurity Bot"; not "Olga Botvinnik"
        return f"bot:{n.removesuffix(' bot')}"
    for candidate in (login, n):
        if not candidate:
            continue
        base = candidate.removesuffix("[bot]")
        if candidate.endswith("[bot]") or base in BOT_LOGINS:
            return f"bot:{base}"
    local = e.split("@", 1)[0]
    if local.endswith("[bot]"):
        return f"bot:{local.removesuffix('[bot]')}"
    return None


def identity_keys(name: str, email: str) -> list[str]:
    """The merge keys of one identity (rules 1-3 of the module docstring); may be empty."""
    keys: list[str] = []
    e = normalize_email(email)
    if e and e not in GENERIC_EMAILS:
        keys.append(f"email:{e}")
        nr = noreply_login(e)
        if nr:
            keys.append(f"login:{nr[0]}")
            if nr[1]:
                keys.append(f"ghid:{nr[1]}")
        gl = GITLAB_NOREPLY_RE.match(e)
        if gl:
            keys.append(f"gitlab:{gl.group('login').lower()}")
            if gl.group("id"):
                keys.append(f"glid:{gl.group('id')}")
    n = normalize_name(name)
    if len(n.split()) >= MIN_NAME_WORDS and n not in GENERIC_NAMES:
        keys.append(f"name:{n}")
    if not keys:
        # Nothing mergeable (no address, single-word name): the identity is
        # its own person, keyed by exactly what was written.
        keys.append(f"raw:{name.strip()}\0{e}")
    return keys


def person_id(keys: Iterable[str]) -> str:
    """``"person:<16 hex>"``: sha256 of the smallest key of the person (stable between runs)."""
    digest = hashlib.sha256(("auditor-person\0" + min(keys)).encode("utf-8")).hexdigest()
    return f"person:{digest[:16]}"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass(frozen=True)
class Resolution:
    """The outcome of :meth:`IdentityResolver.resolve`.

    Attributes:
        by_identity: ``{(name, email): person id}`` for every non-bot identity added.
        persons: ``{person id: Person}``.
    """

    by_identity: dict[tuple[str, str], str]
    persons: dict[str, Person]

    def person_of(self, name: str, email: str) -> str | None:
        """The person id of an identity that was added (None for bots and unknown identities)."""
        return self.by_identity.get((name, email))


class IdentityResolver:
    """Collects identities (from any number of repositories) and merges them into people.

    Usage::

        r = IdentityResolver()
        r.add("Jane Doe", "jane@example.org")      # returns False for bots
        r.link("janedoe", "jane@work.example")      # e.g. from a GitHub contributors list
        res = r.resolve()
    """

    def __init__(self) -> None:
        self._uf = _UnionFind()
        self._identities: dict[tuple[str, str], list[str]] = {}
        self._logins: dict[str, str] = {}  # login key -> login as given

    def add(self, name: str, email: str) -> bool:
        """Add an identity; return False (and add nothing) when it is a bot."""
        ident = (name, email)
        if ident in self._identities:
            return True
        if bot_key(name, email):
            return False
        keys = identity_keys(name, email)
        self._identities[ident] = keys
        first = keys[0]
        for k in keys:
            self._uf.union(first, k)
        return True

    def link(self, login: str, email: str) -> None:
        """Record that GitHub *login* uses *email* (an extra known link, e.g. from a forge API).

        Both sides join through the ``login:`` and ``email:`` keys, so every
        identity with that address or that login's noreply address merges.
        """
        lk = f"login:{login.strip().lower()}"
        e = normalize_email(email)
        self._logins.setdefault(lk, login.strip())
        if e and e not in GENERIC_EMAILS:
            self._uf.union(lk, f"email:{e}")
        else:
            self._uf.find(lk)

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """:meth:`link` for each ``(login, email)`` pair."""
        for login, email in links:
            self.link(login, email)

    def resolve(self) -> Resolution:
        """Merge everything added so far into people (deterministic for a given input set)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for ident, keys in self._identities.items():
            groups.setdefault(self._uf.find(keys[0]), []).append(ident)
        group_keys: dict[str, set[str]] = {}
        for key in self._uf.parent:
            root = self._uf.find(key)
            if root in groups:
                group_keys.setdefault(root, set()).add(key)
        by_identity: dict[tuple[str, str], str] = {}
        persons: dict[str, Person] = {}
        for root, idents in groups.items():
            keys = group_keys[root]
            pid = person_id(keys)
            names = sorted({n.strip() for n, _ in idents if n.strip()})
            emails = sorted({normalize_email(e) for _, e in idents if normalize_email(e)})
            logins = sorted({self._logins.get(k, k[len("login:"):]) for k in keys if k.startswith("login:")})
            persons[pid] = Person(id=pid, names=tuple(names), emails=tuple(emails), logins=tuple(logins))
            for ident in idents:
                by_identity[ident] = pid
        return Resolution(by_identity=by_identity, persons=persons)


def resolve_identities(identities: Iterable[tuple[str, str]],
                       extra_links: Iterable[tuple[str, str]] = ()) -> tuple[Resolution, set[str]]:
    """Resolve ``(name, email)`` identities into people.

    Args:
        identities: raw identities (mailmap already applied).
        extra_links: ``(GitHub login, email)`` pairs known from elsewhere.

    Returns:
        ``(resolution, bot keys)``: the people, and the distinct bots that were left out.
    """
    resolver = IdentityResolver()
    bots: set[str] = set()
    for name, email in identities:
        if not resolver.add(name, email):
            bots.add(bot_key(name, email) or "bot:?")
    resolver.add_links(extra_links)
    return resolver.resolve(), bots


def login_email_pairs(github_results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(login, email)`` pairs from :class:`GitHubCollector` results, sorted and unique.

    The shape :class:`auditor.people.history.HistoryCollector` takes as
    ``extra_links`` (merged by :meth:`IdentityResolver.link`).
    """
    pairs = set()
    for facts in github_results.values():
        if isinstance(facts, ForgeFacts):
            pairs.update((login, email) for email, login in facts.email_logins.items())
    return sorted(pairs)


def email_login_links(facts: Mapping[str, Any]) -> dict[str, str]:
    """All ``{e-mail: login}`` links in a ``signals`` mapping (GitHub), for identity resolution."""
    gh = facts.get("github")
    return dict(gh.email_logins) if isinstance(gh, ForgeFacts) else {}
