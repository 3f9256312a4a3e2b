"""The docs are true: links resolve, every option is documented and every documented option exists, rules are listed.

A reader follows README.md and docs/*.md word by word; these checks keep the
parts a machine can check from drifting away from the code: relative links and
their ``#anchors`` (GitHub's heading slugs), the ``anchor:`` of each rule in
``auditor/judgement/rules.yaml``, the options of every command against the
README and docs, and the finding ids of the catalogue against docs/signals.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.main import get_command

from auditor.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "examples").rglob("*.md"))]
FENCE = re.compile(r"^(```|````).*?^\1", re.M | re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slugs(path: Path) -> set[str]:
    """GitHub's anchors of the headings of *path*: lower case, punctuation dropped, spaces to '-', '-1' on repeats."""
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*#*\s*$", FENCE.sub("", path.read_text()), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def test_slugs_follow_github():
    assert {"--format-html", "project-status-pep-792", "auditor-diff-the-pre-merge-gate"} <= (
        slugs(ROOT / "docs" / "formats-audit.md") | slugs(ROOT / "docs" / "signals.md") | slugs(ROOT / "README.md"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_anchors_resolve(doc):
    broken = []
    for link in LINK.findall(FENCE.sub("", doc.read_text())):
        if re.match(r"[a-z][a-z+]*:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (doc.parent / path).resolve() if path else doc
        if not target.exists():
            broken.append(link)
        elif anchor and target.suffix == ".md" and anchor not in slugs(target):
            broken.append(link)
    assert not broken, broken


def test_every_rule_anchor_resolves():
    rules = yaml.safe_load((ROOT / "auditor" / "judgement" / "rules.yaml").read_text())
    broken = []
    for section in ("findings", "policy", "factors", "hub_factors"):
        for rule_id, entry in rules[section].items():
            path, _, anchor = entry["anchor"].partition("#")
            if not (ROOT / path).exists() or (anchor and anchor not in slugs(ROOT / path)):
                broken.append((rule_id, entry["anchor"]))
    assert not broken, broken


def commands():
    return get_command(app).commands


def test_every_option_of_every_command_is_documented():
    text = "\n".join(p.read_text() for p in DOCS)
    missing = sorted({(name, opt) for name, command in commands().items() for p in command.params
                      for opt in p.opts if opt.startswith("--") and opt != "--help"
                      and not re.search(re.escape(opt) + r"(?![\w-])", text)})
    assert not missing, missing


def test_every_option_the_readme_table_names_exists():
    """The README's `auditor audit` options table names only options `auditor audit` has."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### `auditor audit` options", 1)[1].split("\n### ", 1)[0]
    audit = {opt for p in commands()["audit"].params for opt in p.opts}
    named = set(re.findall(r"`(--?[a-z][\w-]*)", table))
    assert named and named <= audit, sorted(named - audit)


def test_every_finding_is_in_the_signals_catalogue_table():
    rules = yaml.safe_load((ROOT / "auditor" / "judgement" / "rules.yaml").read_text())
    section = (ROOT / "docs" / "signals.md").read_text().split("\n## Findings", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for first, last in re.findall(r"^\| (AUD\d{3})(?:–(AUD\d{3}))? \|", section, re.M):
        listed |= {f"AUD{n}" for n in range(int(first[3:]), int((last or first)[3:]) + 1)}
    assert listed == set(rules["findings"]), sorted(listed ^ set(rules["findings"]))
    for rule_id, entry in rules["findings"].items():
        row = re.search(rf"^\| {rule_id} \| {re.escape(entry['name'])}\b.*\| ([a-z]+)[^|]*\|$", section, re.M)
        assert row is None or row.group(1) == entry["severity"], rule_id


def test_the_disable_names_are_the_collectors():
    """The list in formats-audit.md is COLLECTOR_TABLE's names then ``hub`` (pipeline.collector_names; the
    suite's conftest trims pipeline.COLLECTORS, so the table is read here)."""
    from auditor.collectors import COLLECTOR_TABLE

    text = (ROOT / "docs" / "formats-audit.md").read_text().split("## Turning collectors off", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([a-z_]+)`", text.split("The names are those of", 1)[1].split("An unknown name", 1)[0])
    assert listed == [row.name for row in COLLECTOR_TABLE] + ["hub"]


def test_the_readme_table_defaults_are_the_options_defaults():
    """'(default 16)' in the README's audit table is the option's declared default or the one its --help names."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### `auditor audit` options", 1)[1].split("\n### ", 1)[0]
    params = {opt: p for p in commands()["audit"].params for opt in p.opts}
    checked = 0
    for row in table.splitlines():
        options = re.findall(r"`(--[a-z][\w-]*)", row.split("|")[1] if row.startswith("|") else "")
        for number in re.findall(r"default (\d+)", row.split("|")[-2] if row.count("|") > 2 else ""):
            assert any(str(params[o].default) == number or re.search(rf"default:? {number}\b", params[o].help or "")
                       for o in options), (row, number)
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize("golden", sorted((ROOT / "tests" / "golden" / "expected").glob("*.graphml")), ids=lambda p: p.name)
def test_every_graphml_attribute_and_kind_of_the_goldens_is_in_graph_md(golden):
    doc = (ROOT / "docs" / "graph.md").read_text()
    text = golden.read_text().split("---\n", 1)[1]
    names = set(re.findall(r'attr\.name="([^"]+)"', text))
    kinds = set(re.findall(r'<data key="[^"]+">([a-z_]+)</data>', text)) & {"root", "distribution", "interpreter",
        "repository", "maintainer", "organization", "person", "native_library", "build_requirement", "model",
        "dataset", "space", "requires", "source", "maintains", "owns", "loads", "derived_from", "member_of_owner",
        "contributed_to", "build", "bundles", "links"}
    assert not sorted(n for n in names | kinds if f"`{n}`" not in doc)


@pytest.mark.parametrize("golden", sorted((ROOT / "tests" / "golden" / "expected").glob("audit-*.json")), ids=lambda p: p.name)
def test_every_field_of_the_golden_json_reports_is_in_json_schema_md(golden):
    """The keys of the document, its summary, a package and its origin, repository and score, and the Hub block."""
    import json

    doc = (ROOT / "docs" / "json-schema.md").read_text()
    report = json.loads(golden.read_text().split("---\n", 1)[1])
    objects = [report, report["summary"], *report["missing"][:1], *report["findings"][:1], *report["input"]["requires"][:1]]
    for package in report["packages"]:
        objects += [package, package["origin"], package["repository"], package["score"]]
    if "hub" in report:
        objects += [report["hub"], *report["hub"]["references"]]
    keys = {key for obj in objects for key in obj}
    assert not sorted(k for k in keys if f'"{k}"' not in doc)
