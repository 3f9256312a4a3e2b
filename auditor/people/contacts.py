"""People named in core metadata: ``Author``, ``Author-email``, ``Maintainer``, ``Maintainer-email``.

Addresses are parsed with the standard library (:func:`email.utils.getaddresses`),
which handles ``"Name" <addr>, Other <addr2>`` lists; a bare ``Author`` value
is split on commas and `` and ``.  These are self-declared and unverified:
reports show them as contacts, never as people with publish rights.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

from auditor.models import Contact, CoreMetadata, Unknown

_SPLIT_NAMES = re.compile(r",|;|\band\b|&")
#: Longest name or address kept; longer values are truncated (untrusted input).
MAX_FIELD = 200


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())[:MAX_FIELD]
    return text or None


def contacts_from_metadata(meta: CoreMetadata | Unknown) -> tuple[Contact, ...]:
    """Contacts declared in *meta*, deduplicated by (name, e-mail), in field order.

    Returns:
        A tuple of :class:`Contact`; empty when *meta* is Unknown.
    """
    if isinstance(meta, Unknown):
        return ()
    out: dict[tuple[str | None, str | None], Contact] = {}
    for name_field, email_field, name_value, email_value in (
        ("Author", "Author-email", meta.author, meta.author_email),
        ("Maintainer", "Maintainer-email", meta.maintainer, meta.maintainer_email),
    ):
        named_with_email = False
        if email_value:
            for name, addr in getaddresses([email_value]):
                name, addr = _clean(name), _clean(addr.lower() if addr else None)
                if addr and "@" not in addr:
                    name, addr = name or addr, None
                if not (name or addr):
                    continue
                named_with_email = True
                out.setdefault((name, addr), Contact(name=name, email=addr, field=email_field))
        if name_value and not named_with_email:
            for part in _SPLIT_NAMES.split(name_value):
                name = _clean(part)
                if name and (name, None) not in out:
                    out[(name, None)] = Contact(name=name, email=None, field=name_field)
    return tuple(out.values())
