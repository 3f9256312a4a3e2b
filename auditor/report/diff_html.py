"""``auditor diff --format html``: the diff and the policy result as one self-contained page.

The data is the ``--format json`` document (:func:`auditor.report.diff_json.diff_document`,
schema in ``docs/diff.md``), carried and shown exactly as the audit's HTML
report carries its data (:mod:`auditor.report.html`: one ASCII JSON block,
strings shown with ``textContent`` only, a CSP that allows nothing but the
page's own inline scripts, ``common.js`` and ``diff.js``, and style).  The
page shows the verdict, the totals before and after, the policy's
violations and undecided rules, a sortable and filterable table of the
changes with a detail view per package (every field of its exposure delta,
its new advisories and its unknown facts), the dependency edges added and
removed, and the data gaps.
"""

from __future__ import annotations

from typing import TextIO

from auditor.report.diff_json import diff_document
from auditor.report.html import data_json, page


def render(outcome, out: TextIO) -> None:
    """Write the HTML page of *outcome* (a :class:`~auditor.gate.GateOutcome`) to *out*; pure, deterministic."""
    doc = diff_document(outcome.diff, outcome.result, int(outcome.exit_code))
    out.write(page(data_json(doc), skeleton="diff.html", script="diff.js"))
