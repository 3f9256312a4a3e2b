"""The merge rules added for issue 12, one test each, with the merge count each one reports;
and the rules that must NOT merge (measured on numpy and scipy to make wrong merges)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from auditor.people.identity import RULES, bot_key, resolve_identities, tool_identities
from auditor.people.names import (
    email_in_name,
    fold_gmail,
    fold_text,
    handle_ok,
    joined_name,
    plausible_email,
    reordered_name,
)


def resolve(*identities, links=()):
    res, bots = resolve_identities(identities, links)
    groups: dict[str, set] = {}
    for ident, pid in res.by_identity.items():
        groups.setdefault(pid, set()).add(ident)
    return sorted(len(g) for g in groups.values()), res.merges, bots


def test_every_rule_is_counted_even_at_zero():
    _g, merges, _b = resolve(("A B", "a@x.org"))
    assert list(merges) == list(RULES) and set(merges.values()) == {0}


def test_accent_and_punctuation_folding():
    assert fold_text("Jérémie du Boisberranger") == "jeremie du boisberranger"
    assert fold_text("O'Brien, Ann-Marie") == "obrien ann marie"
    assert fold_text("Josh Warner (Mac)") == "josh warner"
    sizes, merges, _ = resolve(("Jérémie du Boisberranger", "j@probabl.example"),
                               ("jeremie du boisberranger", "jeremiedbb@yahoo.example"))
    assert sizes == [2] and merges["name-folded"] == 1


def test_old_user_name_folds_into_the_full_name():
    sizes, merges, _ = resolve(("warren.weckesser", "warren.weckesser@localhost"),
                               ("Warren Weckesser", "w@enthought.example"))
    assert sizes == [2] and merges["name-folded"] == 1


def test_reordered_names():
    assert reordered_name("Flamm, Matthew H") == "matthew h flamm"
    assert reordered_name("Smith, Jr.") is None
    assert reordered_name("a, b, c") is None
    sizes, merges, _ = resolve(("Doe, Jane", "jd@a.example"), ("Jane Doe", "jane@b.example"))
    assert sizes == [2] and merges["name-reordered"] == 1


def test_dropped_middle_name_only_when_the_mailbox_agrees():
    sizes, merges, _ = resolve(("Jonas I. Liechti", "jonas.liechti@uni.example"),
                               ("Jonas Liechti", "jonas.liechti@proton.example"))
    assert sizes == [2] and merges["middle-name"] == 1
    sizes, _m, _ = resolve(("Jonas I. Liechti", "jil@uni.example"), ("Jonas Liechti", "jl@proton.example"))
    assert sizes == [1, 1]


def test_initial_plus_surname_never_merges():
    sizes, _m, _ = resolve(("J. Smith", "js@a.example"), ("John Smith", "js@b.example"),
                           ("Jane Smith", "jane@c.example"))
    assert sizes == [1, 1, 1]


def test_local_part_across_domains_never_merges():
    sizes, _m, _ = resolve(("Alex Watt", "alex@alexcwatt.example"), ("Alex Willmer", "alex@moreati.example"),
                           ("pitrou", "antoine@python.example"), ("Antoine D", "antoine@other.example"))
    assert sizes == [1, 1, 1, 1]


def test_handle_equal_to_a_noreply_login():
    sizes, merges, _ = resolve(("jeremiedbb", "34657725+jeremiedbb@users.noreply.github.com"),
                               ("Jeremie", "jeremiedbb@yahoo.example"),
                               ("cookedm", "cookedm@localhost"), ("cookedm", "1+cookedm@users.noreply.github.com"))
    assert sizes == [2, 2] and merges["handle-login"] == 2


def test_handle_guard_short_and_generic_words():
    assert not handle_ok("joe") and not handle_ok("admin") and not handle_ok("github")
    assert handle_ok("jeremiedbb")
    sizes, _m, _ = resolve(("Max S", "admin@max.example"), ("admin", "9+admin@users.noreply.github.com"),
                           ("Joe Q", "joe@x.example"), ("joe", "joe@users.noreply.github.com"))
    assert sizes == [1, 1, 1, 1]


def test_gmail_dots_and_tags():
    assert fold_gmail("kai.striega+github@gmail.com") == "kaistriega@gmail.com"
    assert fold_gmail("x@googlemail.com") == "x@gmail.com"
    assert fold_gmail("a.b@example.com") is None
    sizes, merges, _ = resolve(("kai", "kai.striega+github@gmail.com"), ("K", "kaistriega@googlemail.com"))
    assert sizes == [2] and merges["gmail"] == 1


def test_name_field_holding_an_address():
    assert email_in_name("wfspotz@sandia.gov") == "wfspotz@sandia.gov"
    assert email_in_name("Bill Spotz") is None
    sizes, merges, _ = resolve(("wfspotz@sandia.gov", "wfspotz@sandia.gov@localhost"), ("Bill Spotz", "wfspotz@sandia.gov"))
    assert sizes == [2] and merges["email-in-name"] == 1


def test_joined_names():
    assert joined_name("Inessa Pawson") == joined_name("InessaPawson") == "inessapawson"
    assert joined_name("Li Wu") is None
    sizes, merges, _ = resolve(("InessaPawson", "a@x.example"), ("Inessa Pawson", "b@y.example"),
                               ("Stuart Archibald", "s@z.example"), ("sa", "stuartarchibald@users.noreply.github.com"))
    assert sizes == [2, 2] and merges["name-joined"] == 2
    sizes, _m, _ = resolve(("gfyoungster", "a@x.example"), ("gfyoungster", "b@y.example"))
    assert sizes == [1, 1]  # one-word names never join each other


def test_implausible_addresses_give_no_key():
    assert not plausible_email("?@?") and not plausible_email("=") and plausible_email("joe@localhost")
    sizes, _m, _ = resolve(("Neil Muller", "?@?"), ("zed", "?@?"))
    assert sizes == [1, 1]


def test_tool_identities_are_excluded_like_bots():
    assert bot_key("Homu", "homu@barosl.com") == "tool:homu"
    assert bot_key("lapack_lite code generator", "numpy/linalg/lapack_lite/make_lite.py") == "tool:code generator"
    sizes, _m, bots = resolve(("Homu", "homu@barosl.com"), ("Jane Doe", "j@x.example"))
    assert sizes == [1] and bots == {"tool:homu"}


def test_tool_identities_table_format():
    entries = yaml.safe_load(resources.files("auditor.data").joinpath("tool-identities.yaml").read_text("utf-8"))
    assert entries == list(tool_identities())
    for e in entries:
        assert set(e) == {"match", "value", "kind", "source"}, e
        assert e["match"] in {"name", "email", "email-domain", "name-suffix"}
        assert e["kind"] in {"merge-bot", "code-generator", "ci", "tool"}
        assert isinstance(e["value"], str) and e["value"] == e["value"].lower() and e["source"]


@given(st.text(max_size=60))
def test_folding_never_fails(text):
    f = fold_text(text)
    assert f == f.strip() and "  " not in f
    reordered_name(text), email_in_name(text), joined_name(text)


@pytest.mark.parametrize("name", ["Your Name", "your name", "YourName"])
def test_placeholder_names_never_merge(name):
    sizes, _m, _ = resolve((name, "c@x.org"), (name, "d@y.org"))
    assert sizes == [1, 1]
