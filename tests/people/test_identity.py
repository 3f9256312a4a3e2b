"""The identity-merge rules of auditor.people.identity, one by one."""

from __future__ import annotations

import pytest

from auditor.people.identity import IdentityResolver, bot_key, identity_keys, noreply_login, resolve_identities


def people(*identities, links=()):
    res, bots = resolve_identities(identities, links)
    groups = {}
    for ident, pid in res.by_identity.items():
        groups.setdefault(pid, set()).add(ident)
    return sorted(sorted(g) for g in groups.values()), bots


def test_same_email_any_case():
    groups, _ = people(("A", "x@Example.org"), ("B", "X@example.ORG"))
    assert len(groups) == 1


def test_noreply_forms_merge_with_each_other_and_the_login():
    assert noreply_login("12345+Octo@users.noreply.github.com") == ("octo", "12345")
    assert noreply_login("octo@users.noreply.github.com") == ("octo", None)
    assert noreply_login("octo@example.com") is None
    groups, _ = people(("a", "12345+octo@users.noreply.github.com"), ("b", "octo@users.noreply.github.com"),
                       ("c", "c@example.com"), links=[("Octo", "c@example.com")])
    assert len(groups) == 1


def test_numeric_id_survives_a_login_rename():
    groups, _ = people(("a", "7+old@users.noreply.github.com"), ("b", "7+new@users.noreply.github.com"))
    assert len(groups) == 1


def test_full_names_merge_single_words_do_not():
    groups, _ = people(("Jane  Doe", "j1@x.org"), ("jane doe", "j2@y.org"), ("john", "a@x.org"), ("John", "b@y.org"))
    assert sorted(len(g) for g in groups) == [1, 1, 2]


def test_generic_addresses_and_names_never_merge():
    groups, _ = people(("alice", "you@example.com"), ("bob", "you@example.com"),
                       ("Your Name", "c@x.org"), ("Your Name", "d@x.org"))
    assert len(groups) == 4


def test_merge_is_transitive_and_keeps_everything():
    r = IdentityResolver()
    r.add("Jane Doe", "jane@a.org")
    r.add("jd", "JANE@a.org")
    r.add("JANE DOE", "5+janed@users.noreply.github.com")  # by name
    r.add("J. Doe", "janed@users.noreply.github.com")
    res = r.resolve()
    assert len(res.persons) == 1
    (p,) = res.persons.values()
    assert p.names == ("J. Doe", "JANE DOE", "Jane Doe", "jd")
    assert p.emails == ("5+janed@users.noreply.github.com", "jane@a.org", "janed@users.noreply.github.com")
    assert p.logins == ("janed",)
    assert p.id.startswith("person:") and res.person_of("jd", "JANE@a.org") == p.id


def test_person_ids_are_stable_and_order_independent():
    ids = [("Jane Doe", "a@x.org"), ("Jane Doe", "b@x.org"), ("Bob Roe", "bob@x.org")]
    r1, _ = resolve_identities(ids)
    r2, _ = resolve_identities(list(reversed(ids)))
    assert r1.persons == r2.persons


@pytest.mark.parametrize("name,email", [
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com"),
    ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
    ("github-actions", "41898282+github-actions[bot]@users.noreply.github.com"),
    ("GitHub", "noreply@github.com"),
    ("some-app[bot]", "some-app@example.com"),
    ("Dependabot", "support@dependabot.com"),
    ("Claude Opus 4.6 (1M context)", "noreply@anthropic.com"),
    ("StepSecurity Bot", "bot@stepsecurity.io"),
    ("Some Helper Bot", "helper@example.com"),
])
def test_bots(name, email):
    assert bot_key(name, email)
    groups, bots = people((name, email), ("Jane Doe", "jane@x.org"))
    assert len(groups) == 1 and len(bots) == 1


def test_humans_are_not_bots():
    assert bot_key("Jane Doe", "jane@github.com") is None
    assert bot_key("Abbot Smith", "abbot@x.org") is None
    assert bot_key("Olga Botvinnik", "olga@x.org") is None


def test_identity_without_keys_is_its_own_person():
    assert identity_keys("x", "") == [("raw", "raw:x\0")]
    groups, _ = people(("x", ""), ("y", ""))
    assert len(groups) == 2


def test_gitlab_noreply_forms_merge_among_themselves_only():
    groups, _ = people(("a", "42-jdoe@users.noreply.gitlab.com"), ("b", "jdoe@users.noreply.gitlab.com"),
                       ("c", "jdoe@users.noreply.github.com"))
    assert sorted(len(g) for g in groups) == [1, 2]
