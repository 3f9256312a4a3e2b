"""Privacy of people data: salted hashes of e-mail addresses and person ids, one salt per run.

The single place where personal identifiers are hashed (issue 10: no
duplicate hashing rules).  Both the git history (:mod:`auditor.people.history`)
and the forge facts (:mod:`auditor.people.forges`) apply the output policy
through this module, so one address hashes alike in every section.
Layering inside ``people/``: history (git log) -> identity -> privacy; this
module imports nothing from ``people/``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import replace
from typing import Any, Mapping

from auditor.models import ForgeFacts, RepositoryHistory, Unknown

#: Environment variable holding a fixed salt for e-mail hashes and person ids (default: random per process).
SALT_ENV = "AUDITOR_PEOPLE_SALT"


def email_hash(email: str, salt: str) -> str:
    """``"hash:<16 hex>"``: salted SHA-256 of a lower-cased address (stable for one salt)."""
    return f"hash:{_salted(salt, email.lower())}"


def person_hash(person_id: str, salt: str) -> str:
    """``"person:<16 hex>"``: salted SHA-256 of a person id (an unsalted id is a hash of an
    identity key, which could be confirmed by guessing)."""
    return f"person:{_salted(salt, person_id)}"


def _salted(salt: str, value: str) -> str:
    return hashlib.sha256(f"{salt}\0{value}".encode("utf-8")).hexdigest()[:16]


#: Random salt of this process: every audit in one process (both sides of
#: ``auditor diff``) hashes alike, so their person ids can be compared.
_PROCESS_SALT = secrets.token_hex(16)
#: A salt this process was told to use (:func:`adopt_salt`: a survey's workers take the client's).
_ADOPTED_SALT: str | None = None


def people_salt() -> str:
    """The salt for e-mail hashes and person ids: one adopted with :func:`adopt_salt`, else
    ``$AUDITOR_PEOPLE_SALT`` (to compare separate runs), else random per process."""
    return _ADOPTED_SALT or os.environ.get(SALT_ENV) or _PROCESS_SALT


def adopt_salt(salt: str | None) -> None:
    """Hash with *salt* from now on in this process (None: stop), without touching the environment,
    which stays the user's: a survey keys its resumable state on whether the user chose a salt."""
    global _ADOPTED_SALT
    _ADOPTED_SALT = salt


def redact_people(result: Mapping[str, RepositoryHistory | Unknown], salt: str, *, keep_people: bool,
                  show_emails: bool) -> dict[str, RepositoryHistory | Unknown]:
    """Apply the output policy to figures computed by :func:`summarize`.

    Args:
        result: ``{url: RepositoryHistory or Unknown}``.
        salt: see :func:`people_salt`.
        keep_people: keep :attr:`RepositoryHistory.people` and ``contributions`` (``--people``);
            otherwise both are emptied and only the person ids are kept (private fields that
            JSON output leaves out; :meth:`RepositoryHistory.person_ids`).
        show_emails: keep addresses and the unsalted person ids (``--show-emails``); otherwise
            addresses become :func:`email_hash` values and person ids are re-hashed with the salt
            (an unsalted id is a hash of an identity key, which could be confirmed by guessing).

    Returns:
        A new mapping; Unknown values pass through.
    """
    def pid(x: str) -> str:
        return x if show_emails else person_hash(x, salt)

    out: dict[str, RepositoryHistory | Unknown] = {}
    for url, h in result.items():
        if isinstance(h, Unknown):
            out[url] = h
            continue
        contributions = tuple(replace(c, person=pid(c.person)) for c in h.contributions)
        ids = frozenset(c.person for c in contributions)
        active = frozenset(c.person for c in contributions if c.active)
        logins = tuple((login, pid(x)) for login, x in h._login_ids)
        if keep_people:
            people = tuple(sorted((replace(p, id=pid(p.id), emails=p.emails if show_emails else tuple(
                sorted(email_hash(e, salt) for e in p.emails))) for p in h.people), key=lambda p: p.id))
            out[url] = replace(h, people=people, contributions=contributions, _person_ids=ids, _active_ids=active,
                              _login_ids=logins)
        else:
            out[url] = replace(h, people=(), contributions=(), _person_ids=ids, _active_ids=active,
                              _login_ids=logins)
    return out


def run_salt() -> str:
    """The salt of this process's e-mail hashes (``$AUDITOR_PEOPLE_SALT``, else random per
    process): the same as git history's, so one address hashes alike in both sections."""
    return people_salt()


def redact(facts: Any, salt: str) -> Any:
    """*facts* with contributor e-mails replaced by :func:`email_hash` values (``--show-emails`` off).

    ``_email_logins`` stays (it is never serialized) so identity resolution can still use it.
    """
    if not isinstance(facts, ForgeFacts) or isinstance(facts.contributors, Unknown):
        return facts
    people = tuple(replace(c, email=email_hash(c.email, salt)) if c.email else c for c in facts.contributors)
    return replace(facts, contributors=people)
