"""The recall floor of the static Hub scan on real training scripts (tests/data/hub-corpus, PROVENANCE.md there).

Issue 15: at least 95 % of the literal Hub references found, and no string
literal reported that is not one.  The expected references were labelled by
hand, not by running the scanner.
"""

import json
from pathlib import Path

from auditor.sources.hub_scan import scan_paths

CORPUS = Path(__file__).resolve().parent.parent / "data" / "hub-corpus"


def test_recall_and_no_false_positives():
    expected = {(e["file"], e["line"], e["kind"], e["repo_id"])
                for e in json.loads((CORPUS / "expected.json").read_text())["references"]}
    scan = scan_paths([CORPUS])
    found = {(r.location.file, r.location.line, r.kind, r.repo_id) for r in scan.references}
    assert scan.files == 14 and not scan.skipped
    assert found - expected == set()  # no false positive
    recall = len(found & expected) / len(expected)
    assert recall >= 0.95, (recall, sorted(expected - found))
    # Measured: 83 of 84 (98.8 %).  The first 68 (10 files) were seen while the scan was improved
    # (66 of them found before a module-level name bound twice was read at the call); the 16 of
    # the 4 held-out files were labelled afterwards and 15 are found.  The miss: a function's local
    # variable passed to SparseEncoder (a class the scan does not know).
    held = {(e["file"], e["line"], e["kind"], e["repo_id"])
            for e in json.loads((CORPUS / "expected.json").read_text())["references"] if e.get("held_out")}
    assert len(expected) == 84 and len(found & expected) == 83
    assert len(held) == 16 and len(found & held) == 15
