"""report/totals.py's Hub line: the accounts that can change the loaded repositories are never a bare 0
beside repositories whose history is unknown."""

from auditor.models.hub_facts import HubFacts
from auditor.models.unknown import Unknown, UnknownKind
from auditor.report.totals import hub_facts_text
from tests.scoring.test_hub_score import facts


def test_accounts_known_partly_known_unknown():
    known = facts()  # authors a, b; member c
    offline = Unknown.of(UnknownKind.OFFLINE, "offline")
    missing = Unknown.of(UnknownKind.NOT_FOUND, "model org/x: not found on the Hub")
    assert hub_facts_text(HubFacts({"model:org/m": known}, (), frozenset({"model:org/m"}))) == (
        ". Hub facts: 1 known, 0 unknown; 3 Hub accounts can change them")
    assert hub_facts_text(HubFacts({"model:org/m": offline}, (), frozenset({"model:org/m"}))) == (
        ". Hub facts: 0 known, 1 unknown (offline); the Hub accounts that can change them are unknown")
    both = HubFacts({"model:org/m": known, "model:org/x": missing, "model:org/base": known}, (),
                    frozenset({"model:org/m", "model:org/x"}))
    assert hub_facts_text(both) == (
        ". Hub facts on 3 repositories (1 base model among them): 2 known, 1 unknown (not found on the Hub); "
        "at least 3 Hub accounts can change them (1 repository not counted)")


def test_counted_words_are_plural_english():
    """'2 upstream repositorys' was printed in the people-reach line of the scikit-learn example."""
    from auditor.report.totals import ORIGIN_WORDS, _n

    assert _n(2, "upstream repository") == "2 upstream repositories" and _n(1, "upstream repository") == "1 upstream repository"
    assert _n(3, "library") == "3 libraries" and _n(2, "package") == "2 packages" and _n(2, "key") == "2 keys"
    assert all(not _n(2, w).endswith("ys") for words in ORIGIN_WORDS.values() for w in words)
    assert _n(1, "package") == "1 package" and _n(0, "repository") == "0 repositories"  # the summary line's counts
