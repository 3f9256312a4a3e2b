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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping


from auditor.data import load_yaml
from auditor.models import ForgeFacts, Person
from auditor.people.names import (
    GENERIC_HANDLES,
    email_in_name,
    first_last,
    fold_gmail,
    fold_text,
    handle_ok,
    joined_name,
    mailbox_local,
    plausible_email,
    reordered_name,
    split_email,
)

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


@lru_cache(maxsize=1 << 16)
def normalize_email(email: str) -> str:
    """Lower-cased, trimmed address (``<``/``>`` removed)."""
    return email.strip().strip("<>").strip().lower()


def normalize_name(name: str) -> str:
    """NFKC, casefolded, whitespace-collapsed name (the key of rule 3)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@lru_cache(maxsize=1 << 16)
def noreply_login(email: str) -> tuple[str, str | None] | None:
    """``(login, numeric id or None)`` for a GitHub noreply address, else None."""
    m = NOREPLY_RE.match(normalize_email(email))
    if not m:
        return None
    return m.group("login").lower(), m.group("id")


def clear_caches() -> None:
    """Empty the memo caches of the folding helpers (benchmarks time a cold audit with it)."""
    fold_text.cache_clear()
    normalize_email.cache_clear()
    noreply_login.cache_clear()


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
    return tool_key(name, email)


#: Merge rules in the order they are applied; a merge is credited to the first
#: rule that joins two people (docs/history.md, "Identity merge rules").
RULES = (
    "email",           # the same address, in any case
    "gmail",           # Gmail dots and +tag folded
    "email-in-name",   # a name field that holds an address
    "noreply-id",      # GitHub noreply numeric id (survives a login rename)
    "noreply-login",   # GitHub noreply login
    "gitlab-noreply",  # GitLab private commit address
    "forge-link",      # (login, e-mail) pairs from a forge API
    "name",            # the same multi-word name (NFKC, casefold)
    "name-folded",     # ... after accent and punctuation folding
    "name-reordered",  # "Last, First" read as "First Last"
    "middle-name",     # first and last words equal and the mailbox local part equal
    "name-joined",     # a multi-word name written as one word ("InessaPawson") or as a login
    "handle-login",    # e-mail local part or one-word name equal to a noreply login
)

#: Key kinds of the first version of the rules: person ids hash the smallest of
#: these, so ids stay stable when a rule is added.
_ID_KEY_KINDS = ("email:", "ghid:", "glid:", "gitlab:", "login:", "name:", "raw:")


@lru_cache(maxsize=1)
def tool_identities() -> tuple[dict, ...]:
    """Entries of ``auditor/data/tool-identities.yaml`` (see its header for the fields)."""
    text = resources.files("auditor.data").joinpath("tool-identities.yaml").read_text(encoding="utf-8")
    return tuple(load_yaml(text) or ())


@lru_cache(maxsize=1)
def _tool_table() -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]], tuple[tuple[int, str, str], ...]]:
    """:func:`tool_identities` compiled once: ``({folded name: (index, value)},
    {address: (index, value)}, ((index, match, folded suffix or "@domain"), ...))``."""
    names: dict[str, tuple[int, str]] = {}
    emails: dict[str, tuple[int, str]] = {}
    scans: list[tuple[int, str, str]] = []
    for i, entry in enumerate(tool_identities()):
        value = str(entry["value"]).lower()
        match = entry["match"]
        if match == "name":
            names.setdefault(fold_text(value), (i, value))
        elif match == "email":
            emails.setdefault(value, (i, value))
        elif match == "email-domain":
            scans.append((i, "@" + value, value))
        elif match == "name-suffix":
            scans.append((i, fold_text(value), value))
    return names, emails, tuple(scans)


def tool_key(name: str, email: str) -> str | None:
    """``"tool:<value>"`` when the identity is a tool in :func:`tool_identities` (the first
    matching entry of the file), else None."""
    names, emails, scans = _tool_table()
    n = fold_text(name)
    e = normalize_email(email)
    hits = [h for h in (names.get(n), emails.get(e)) if h is not None]
    hits += [(i, value) for i, text, value in scans if (e if text.startswith("@") else n).endswith(text)]
    return f"tool:{min(hits)[1]}" if hits else None


def _address_keys(address: str, rule: str, gmail_rule: str) -> list[tuple[str, str]]:
    """The address itself under *rule*, and its Gmail-folded form (dots and ``+tag`` dropped) under *gmail_rule*."""
    folded = fold_gmail(address)
    return [(rule, f"email:{address}")] + ([(gmail_rule, f"email:{folded}")] if folded else [])


def identity_keys(name: str, email: str) -> list[tuple[str, str]]:
    """The merge keys of one identity as ``(rule, key)`` pairs (rules of :data:`RULES`); may be empty.

    The ``handle-login`` rule is not here: it needs every login of the audit
    (:meth:`IdentityResolver.resolve`).
    """
    keys: list[tuple[str, str]] = []
    e = normalize_email(email)
    if not plausible_email(e):
        e = ""
    if e and e not in GENERIC_EMAILS:
        keys += _address_keys(e, "email", "gmail")
        nr = noreply_login(e)
        if nr:
            keys.append(("noreply-login", f"login:{nr[0]}"))
            if nr[1]:
                keys.append(("noreply-id", f"ghid:{nr[1]}"))
        gl = GITLAB_NOREPLY_RE.match(e)
        if gl:
            keys.append(("gitlab-noreply", f"gitlab:{gl.group('login').lower()}"))
            if gl.group("id"):
                keys.append(("gitlab-noreply", f"glid:{gl.group('id')}"))
    in_name = email_in_name(name)
    if in_name and in_name not in GENERIC_EMAILS:
        keys += _address_keys(in_name, "email-in-name", "email-in-name")
    n = normalize_name(name)
    if not in_name and len(n.split()) >= MIN_NAME_WORDS and n not in GENERIC_NAMES:
        keys.append(("name", f"name:{n}"))
    f = fold_text(name)
    if not in_name and len(f.split()) >= MIN_NAME_WORDS and f not in GENERIC_NAMES:
        # "warren.weckesser" (an old Subversion user name) folds to "warren weckesser"
        keys.append(("name-folded", f"fname:{f}"))
        fl = first_last(f)
        local = mailbox_local(e) if e and e not in GENERIC_EMAILS and not noreply_login(e) else ""
        if fl and len(local) >= 3 and local not in GENERIC_HANDLES:
            keys.append(("middle-name", f"fl:{fl}\0{local}"))
        r = reordered_name(name)
        if r and r not in GENERIC_NAMES:
            keys.append(("name-reordered", f"fname:{r}"))
    if not keys:
        # Nothing mergeable (no address, single-word name): the identity is
        # its own person, keyed by exactly what was written.
        keys.append(("raw", f"raw:{name.strip()}\0{e}"))
    return keys


def handles(name: str, email: str) -> list[str]:
    """Candidate GitHub logins of an identity: the address's local part (``+tag`` removed)
    and a one-word name, lower-cased, each passing :func:`~auditor.people.names.handle_ok`."""
    e = normalize_email(email)
    out = []
    if e and e not in GENERIC_EMAILS and not noreply_login(e) and not GITLAB_NOREPLY_RE.match(e) and "@" in e:
        out.append(split_email(e)[0].split("+", 1)[0])
    one = name.strip().lower()
    if one and " " not in one:
        out.append(one)
    return [h for h in dict.fromkeys(out) if handle_ok(h)]


def person_id(keys: Iterable[str]) -> str:
    """``"person:<16 hex>"``: sha256 of the smallest key of the person (stable between runs)."""
    keys = list(keys)
    stable = [k for k in keys if k.startswith(_ID_KEY_KINDS)] or keys
    digest = hashlib.sha256(("auditor-person\0" + min(stable)).encode("utf-8")).hexdigest()
    return f"person:{digest[:16]}"


class _UnionFind:
    """Union-find over string nodes that knows which components hold identities,
    so that a union joining two people can be counted."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.has_ident: dict[str, bool] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.has_ident[x] = x.startswith(_IDENT)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> bool:
        """Join the components of *a* and *b*; True when that joined two groups of identities."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        joined = self.has_ident[ra] and self.has_ident[rb]
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.has_ident[ra] = self.has_ident[ra] or self.has_ident[rb]
        return joined


_IDENT = "\x01ident\0"


@dataclass(frozen=True)
class Resolution:
    """The outcome of :meth:`IdentityResolver.resolve`.

    Attributes:
        by_identity: ``{(name, email): person id}`` for every non-bot identity added.
        persons: ``{person id: Person}``.
        merges: ``{rule: merges it made}`` for every rule of :data:`RULES` (0 included):
            how many times the rule joined two groups of identities that no
            earlier rule had joined.
    """

    by_identity: dict[tuple[str, str], str]
    persons: dict[str, Person]
    merges: dict[str, int] = field(default_factory=dict)

    def person_of(self, name: str, email: str) -> str | None:
        """The person id of an identity that was added (None for bots and unknown identities)."""
        return self.by_identity.get((name, email))


class IdentityResolver:
    """Collects identities (from any number of repositories) and merges them into people.

    Usage::

        r = IdentityResolver()
        r.add("Jane Doe", "jane@example.org")      # returns False for bots and tools
        r.link("janedoe", "jane@work.example")      # e.g. from a GitHub contributors list
        res = r.resolve()
    """

    def __init__(self) -> None:
        self._identities: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._links: dict[tuple[str, str], None] = {}
        self._logins: dict[str, str] = {}  # login key -> login as given
        self._bots: set[tuple[str, str]] = set()  # identities already found to be bots or tools

    def add(self, name: str, email: str) -> bool:
        """Add an identity; return False (and add nothing) when it is a bot or a tool."""
        ident = (name, email)
        if ident in self._identities:
            return True
        if ident in self._bots:
            return False
        if bot_key(name, email):
            self._bots.add(ident)
            return False
        self._identities[ident] = identity_keys(name, email)
        return True

    def link(self, login: str, email: str) -> None:
        """Record that GitHub *login* uses *email* (an extra known link, e.g. from a forge API).

        Both sides join through the ``login:`` and ``email:`` keys, so every
        identity with that address or that login's noreply address merges.
        """
        lk = f"login:{login.strip().lower()}"
        self._logins.setdefault(lk, login.strip())
        self._links[(lk, normalize_email(email))] = None

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """:meth:`link` for each ``(login, email)`` pair."""
        for login, email in links:
            self.link(login, email)

    def _join_names(self, uf: _UnionFind, idents: list[tuple[str, str]], node: dict, logins: set[str]) -> int:
        """The ``name-joined`` rule: a multi-word name, its words joined (at least
        :data:`~auditor.people.names.MIN_JOINED_CHARS` letters), equals a one-word
        name or a login (hyphens dropped).  One-word names never join each other."""
        multi: dict[tuple[str, str], str] = {}
        single: dict[tuple[str, str], str] = {}
        for ident in idents:
            if email_in_name(ident[0]) or fold_text(ident[0]) in GENERIC_NAMES:
                continue
            j = joined_name(ident[0])
            if j is None:
                continue
            (multi if len(fold_text(ident[0]).split()) >= MIN_NAME_WORDS else single)[ident] = j
        targets = set(multi.values())
        count = 0
        for ident, j in multi.items():
            count += uf.union(node[ident], f"jname:{j}")
        for ident, j in single.items():
            if j in targets:
                count += uf.union(node[ident], f"jname:{j}")
        for lk in sorted(logins):
            j = lk[len("login:"):].replace("-", "")
            if j in targets:
                count += uf.union(lk, f"jname:{j}")
        return count

    def resolve(self) -> Resolution:
        """Merge everything added so far into people (deterministic for a given input set).

        Rules are applied in :data:`RULES` order, identities in sorted order,
        so the merge counts are deterministic too.
        """
        uf = _UnionFind()
        merges = dict.fromkeys(RULES, 0)
        idents = sorted(self._identities)
        node = {ident: f"{_IDENT}{ident[0]}\0{ident[1]}" for ident in idents}
        # logins of GitHub noreply addresses (not forge-API logins: those come with their own e-mails)
        logins = {k for keys in self._identities.values() for _r, k in keys if k.startswith("login:")}
        by_rule: dict[str, list[tuple[str, str]]] = {rule: [] for rule in RULES}
        for ident in idents:  # (identity node, key) per rule, identities in sorted order
            n = node[ident]
            for r, key in self._identities[ident]:
                if r in by_rule:
                    by_rule[r].append((n, key))
        for rule in RULES:
            if rule == "forge-link":
                for lk, e in sorted(self._links):
                    if e and e not in GENERIC_EMAILS:
                        merges[rule] += uf.union(lk, f"email:{e}")
                    else:
                        uf.find(lk)
                continue
            if rule == "name-joined":
                merges[rule] += self._join_names(uf, idents, node, logins)
                continue
            if rule == "handle-login":
                pairs = [(node[ident], f"login:{h}") for ident in idents for h in handles(*ident)
                         if f"login:{h}" in logins]
            else:
                pairs = by_rule[rule]
            for n, key in pairs:
                merges[rule] += uf.union(n, key)
        for ident in idents:  # identities no rule touched (raw keys)
            for _r, key in self._identities[ident]:
                uf.union(node[ident], key)
        groups: dict[str, list[tuple[str, str]]] = {}
        for ident in idents:
            groups.setdefault(uf.find(node[ident]), []).append(ident)
        group_keys: dict[str, set[str]] = {}
        for key in uf.parent:
            if key.startswith(_IDENT):
                continue
            root = uf.find(key)
            if root in groups:
                group_keys.setdefault(root, set()).add(key)
        by_identity: dict[tuple[str, str], str] = {}
        persons: dict[str, Person] = {}
        for root, members in groups.items():
            keys = group_keys[root]
            pid = person_id(keys)
            names = sorted({n.strip() for n, _ in members if n.strip()})
            emails = sorted({normalize_email(e) for _, e in members if normalize_email(e)})
            logins_of = sorted({self._logins.get(k, k[len("login:"):]) for k in keys if k.startswith("login:")})
            persons[pid] = Person(id=pid, names=tuple(names), emails=tuple(emails), logins=tuple(logins_of))
            for ident in members:
                by_identity[ident] = pid
        return Resolution(by_identity=by_identity, persons=persons, merges=merges)


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
