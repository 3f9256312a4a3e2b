"""The Markdown PR comment stays under GitHub's 65,536-character limit and says what it left out."""

import dataclasses
import io

from auditor.pipeline import MissingData, run_audit
from auditor.report import audit_markdown
from auditor.report.comment import BUDGET, GITHUB_COMMENT_LIMIT, fit
from tests.builders import StaticSource, dist, inventory


def test_short_text_is_unchanged():
    text = "## title\n\nbody\n"
    assert fit(text) is text


def test_long_text_is_cut_at_a_line_closes_details_and_says_what_was_left_out():
    lines = ["## report", "", "### Packages", *[f"| p{i} | {'x' * 80} |" for i in range(600)],
             "", "<details>", "<summary>Incomplete: many</summary>", "", *[f"- gap {i} {'y' * 80}" for i in range(600)],
             "", "</details>", "", "### Findings", "- one"]
    text = "\n".join(lines) + "\n"
    assert len(text) > BUDGET
    short = fit(text)
    assert len(short) <= BUDGET < GITHUB_COMMENT_LIMIT
    assert short.count("<details>") == short.count("</details>")
    last = short.rstrip().splitlines()[-1]
    assert "65,536-character comment limit" in last and "lines left out" in last
    assert "Incomplete: many" in last and "Findings" in last
    assert all(line in lines or line == "" or line == last or line == "</details>" for line in short.splitlines())


def test_audit_markdown_with_thousands_of_gaps_fits(config, fake_pypi):
    fake_pypi.add("app", "1.0")
    res = run_audit(config, StaticSource(inventory(["app"], dist("app"))))
    gaps = [MissingData(f"pkg{i}", f"fact{i}", "r" * 120) for i in range(3000)]  # one group each: unbounded text
    res = dataclasses.replace(res, missing=[*res.missing, *gaps])
    out = io.StringIO()
    audit_markdown.render(res, out)
    text = out.getvalue()
    assert len(text) <= BUDGET
    assert "Shortened to fit GitHub's 65,536-character comment limit" in text
    assert text.count("<details>") == text.count("</details>")


def test_diff_markdown_of_a_huge_change_fits():
    from types import SimpleNamespace

    from auditor.gate import diff_audits, evaluate, load_policy
    from auditor.report import diff_markdown
    from tests.builders import diff_node, view
    from tests.test_diff import NOW

    head = view("h", *[diff_node(f"package-number-{i}", "1.0", maintainers=(f"maintainer-{i}",)) for i in range(1500)])
    d = diff_audits(view("b"), head, now=NOW)
    out = io.StringIO()
    diff_markdown.render(SimpleNamespace(diff=d, result=evaluate(load_policy(), d, today=NOW.date())), out)
    text = out.getvalue()
    assert len(text) <= BUDGET and "lines left out" in text
    assert text.count("<details>") == text.count("</details>")
