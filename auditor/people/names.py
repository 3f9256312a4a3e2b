"""Folding of names, addresses and handles for identity resolution (pure functions).

Each function turns one written form into the key that
:mod:`auditor.people.identity` compares; none of them merges anything by
itself.  The guards (generic words, minimum lengths) live here too, next to
the folding they protect.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: E-mail domains whose local part ignores dots and ``+tag`` suffixes.
#: Source: Google, "Gmail ignores dots in addresses"; ``googlemail.com`` is the same mailbox.
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})

#: A handle (e-mail local part or one-word name) must have this many characters
#: to join a GitHub noreply login: short handles ("joe", "dev") collide.
MIN_HANDLE_CHARS = 4

#: Handles that many unrelated people use: never joined to a login.
GENERIC_HANDLES = frozenset({
    "admin", "administrator", "info", "dev", "devel", "developer", "contact", "github", "gitlab",
    "mail", "email", "user", "users", "test", "noreply", "no-reply", "root", "support", "hello",
    "webmaster", "team", "office", "nobody", "none", "unknown", "anonymous", "git", "code",
    "hacker", "coder", "work", "home", "personal", "private", "me", "myself", "python", "linux",
    "ubuntu", "debian", "mac", "macbook", "localhost", "example", "default", "owner", "bot",
    "main", "master", "public", "spam", "news", "service", "server", "system", "sysadmin",
})

#: A name joined into one word needs this many letters to merge (``name-joined``):
#: "InessaPawson" (12) merges with "Inessa Pawson"; "Li Wu" (4) never does.
MIN_JOINED_CHARS = 8

#: Name suffixes that follow a comma without making the name "Last, First".
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})

#: Last labels of host names at which no one receives mail, as git writes them
#: into ``user@<host name>`` when an author configured no address.  Sources:
#: RFC 6761 (``localhost``), RFC 6762 (``local``: multicast DNS host names such as
#: ``Janes-MacBook-Pro.local``), the ``localdomain`` many systems give a host with
#: no domain, and git's own ``(none)`` (``user@host.(none)``, ``ident.c``).
#: Documentation domains (RFC 2606 ``example.com``, ``.example``, ``.test``,
#: ``.invalid``) are not listed: they are placeholders a person typed, not what a
#: tool generated, and test suites (auditor's included) use them for made-up people.
SPECIAL_USE_TLDS = frozenset({"localhost", "local", "localdomain", "(none)"})

#: A Subversion repository UUID: git-svn writes ``user@<uuid>`` when no authors file maps the user.
SVN_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_APOSTROPHES = "'’`´"
#: A parenthesized remark in a name ("Josh Warner (Mac)", "Jan S. (Milania1)") is not part of it.
_PAREN_RE = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=1 << 16)
def fold_text(text: str) -> str:
    """Accents and punctuation folded: NFKD, combining marks dropped, casefolded,
    apostrophes removed, other punctuation turned into spaces, whitespace collapsed.

    ``"Jérémie du Boisberranger"`` -> ``"jeremie du boisberranger"``;
    ``"O'Brien, Ann-Marie"`` -> ``"obrien ann marie"``; ``"Josh Warner (Mac)"`` -> ``"josh warner"``.
    """
    decomposed = unicodedata.normalize("NFKD", _PAREN_RE.sub(" ", text))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch) or ch in _APOSTROPHES:
            continue
        cat = unicodedata.category(ch)
        out.append(" " if cat[0] in "PSZC" else ch)
    return " ".join("".join(out).casefold().split())


def reordered_name(name: str) -> str | None:
    """``"Last, First"`` as folded ``"first last"``; None when *name* is not of that form.

    Exactly one comma, both sides non-empty, and the part after the comma is
    not a suffix (``"Smith, Jr."`` stays as written).
    """
    if name.count(",") != 1:
        return None
    last, first = (fold_text(p) for p in name.split(","))
    if not last or not first or first in _NAME_SUFFIXES:
        return None
    return f"{first} {last}"


def first_last(folded: str) -> str | None:
    """``"first last"`` of a folded name with at least two words whose first and
    last words are longer than an initial (one letter), else None."""
    words = folded.split()
    if len(words) < 2 or len(words[0]) < 2 or len(words[-1]) < 2:
        return None
    return f"{words[0]} {words[-1]}"


def email_in_name(name: str) -> str | None:
    """The address, lower-cased, when a name field holds an e-mail address; else None."""
    text = name.strip().strip("<>").strip()
    return text.lower() if _EMAIL_RE.match(text) else None


def split_email(email: str) -> tuple[str, str]:
    """``(local part, domain)`` of a normalized address (domain ``""`` when there is no ``@``)."""
    local, _, domain = email.rpartition("@")
    return (local, domain) if local else (email, "")


def fold_gmail(email: str) -> str | None:
    """The canonical Gmail mailbox of a normalized address (dots and ``+tag`` removed,
    ``googlemail.com`` -> ``gmail.com``), or None when it is not Gmail or already canonical."""
    local, domain = split_email(email)
    if domain not in GMAIL_DOMAINS:
        return None
    folded = local.split("+", 1)[0].replace(".", "") + "@gmail.com"
    return folded if folded != email else None


def mailbox_local(email: str) -> str:
    """The local part with any ``+tag`` removed, and Gmail dots removed (for comparing local parts)."""
    local, domain = split_email(email)
    local = local.split("+", 1)[0]
    return local.replace(".", "") if domain in GMAIL_DOMAINS else local


def handle_ok(handle: str) -> bool:
    """Whether *handle* may join a GitHub login: at least :data:`MIN_HANDLE_CHARS`
    characters, only login characters, and not a :data:`GENERIC_HANDLES` word."""
    return (len(handle) >= MIN_HANDLE_CHARS and re.fullmatch(r"[a-z0-9][a-z0-9-]*", handle) is not None
            and handle not in GENERIC_HANDLES)


def joined_name(name: str) -> str | None:
    """The folded name with everything but letters and digits removed, when at least
    :data:`MIN_JOINED_CHARS` long: ``"Inessa Pawson"`` and ``"InessaPawson"`` -> ``"inessapawson"``."""
    j = "".join(ch for ch in fold_text(name) if ch.isalnum())
    return j if len(j) >= MIN_JOINED_CHARS else None


def plausible_email(email: str) -> bool:
    """Whether a normalized address can name one mailbox: a local part and a
    domain with a letter in it (``?@?`` and ``=`` cannot; ``x@localhost`` can)."""
    local, domain = split_email(email)
    return bool(domain) and bool(re.search(r"[a-z0-9]", local)) and bool(re.search(r"[a-z]", domain))


def unlinkable_reason(email: str) -> str | None:
    """Why no forge account can hold this (normalized) commit address, or None when one can.

    A forge links a commit to an account through an address the account
    holds; an address at which no one can receive mail, and that is not a
    forge's own noreply form, belongs to no account in practice.  Reasons:

    * ``"invalid address"``: no ``@``, an empty local part, or a domain with
      no letter (``?@?``, ``fboulogne sciunto org``, ``mattknox.ca``);
    * ``"svn uuid"``: the domain is a Subversion repository UUID (git-svn's
      ``user@<uuid>``);
    * ``"bare host name"``: a domain of one label (``cookedm@localhost``,
      ``z1111484@d1ea1b632242``, ``sfolje0@github``);
    * ``"local host name"``: the last label is in :data:`SPECIAL_USE_TLDS`
      (``jun@junnoMacBook-Pro.local``, ``x@localhost.localdomain``,
      ``steve@host.(none)``).

    Most of these are what git or git-svn wrote when the author had
    configured no address.  GitHub also attributes commits to an address a
    user added to the account without verifying it, so such an address can
    in principle be linked; this classifies addresses, it proves nothing
    about a person.
    """
    local, domain = split_email(email.strip().strip("<>").strip().lower())
    if not domain or not re.search(r"[a-z0-9]", local) or not re.search(r"[a-z]", domain):
        return "invalid address"
    if SVN_UUID_RE.match(domain):
        return "svn uuid"
    if "." not in domain.strip("."):
        return "bare host name"
    if domain.rsplit(".", 1)[-1] in SPECIAL_USE_TLDS:
        return "local host name"
    return None
