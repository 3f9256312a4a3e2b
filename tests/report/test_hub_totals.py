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
